// Small checks that turn a bad option into an error a person can act on: what was wrong, the value
// received, and what is accepted.
import { inspect } from 'node:util'

export function describeValue(value: unknown): string {
  if (typeof value === 'function') return 'a function'
  return inspect(value, { depth: 1, breakLength: Infinity, maxStringLength: 80 })
}

export function optionError(where: string, name: string, value: unknown, accepted: string): TypeError {
  return new TypeError(`${where}: option "${name}" must be ${accepted}; received ${describeValue(value)}.`)
}

export function checkObject(where: string, value: unknown, known: readonly string[]): Record<string, unknown> {
  if (value === undefined) return {}
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`${where}: options must be an object; received ${describeValue(value)}.`)
  }
  for (const [key, received] of Object.entries(value)) {
    if (!known.includes(key)) {
      throw new TypeError(
        `${where}: unknown option "${key}". Accepted options: ${known.join(', ')}. Received ${key}: ${describeValue(received)}.`,
      )
    }
  }
  return value as Record<string, unknown>
}

export function checkMs(where: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || value === -Infinity) {
    throw optionError(where, name, value, 'a number of milliseconds, 0 or more (Infinity allowed)')
  }
  return value
}

export function checkFiniteMs(where: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw optionError(where, name, value, 'a finite number of milliseconds, 0 or more')
  }
  return value
}

export function checkFunction<F>(where: string, name: string, value: unknown): F | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'function') throw optionError(where, name, value, 'a function')
  return value as F
}

export function checkBoolean(where: string, name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback
  if (typeof value !== 'boolean') throw optionError(where, name, value, 'true or false')
  return value
}
