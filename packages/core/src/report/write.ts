import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import type { Report } from './schema.js'

/** Writes JSON atomically: to a temporary file beside the target, then renamed over it. */
export function writeJsonAtomic(file: string, value: unknown): string {
  const target = resolve(file)
  mkdirSync(dirname(target), { recursive: true })
  const temporary = `${target}.${process.pid}.${Date.now()}.tmp`
  try {
    writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`)
    renameSync(temporary, target)
  } catch (error) {
    rmSync(temporary, { force: true })
    throw error
  }
  return target
}

export function writeReport(file: string, report: Report): string {
  return writeJsonAtomic(file, report)
}
