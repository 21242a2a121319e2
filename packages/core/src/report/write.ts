import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import type { Report } from './schema.js'

/** Writes a file atomically: to a temporary file beside the target, then renamed over it. */
export function writeTextAtomic(file: string, text: string): string {
  const target = resolve(file)
  mkdirSync(dirname(target), { recursive: true })
  const temporary = `${target}.${process.pid}.${Date.now()}.tmp`
  try {
    writeFileSync(temporary, text)
    renameSync(temporary, target)
  } catch (error) {
    rmSync(temporary, { force: true })
    throw error
  }
  return target
}

/** Writes JSON atomically: to a temporary file beside the target, then renamed over it. */
export function writeJsonAtomic(file: string, value: unknown): string {
  return writeTextAtomic(file, `${JSON.stringify(value, null, 2)}\n`)
}

export function writeReport(file: string, report: Report): string {
  return writeJsonAtomic(file, report)
}
