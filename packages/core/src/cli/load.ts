// Reads the reports a command is given and checks the fields the commands rely on, so a hand-edited or foreign
// file is refused with a line that names the field instead of failing later with a TypeError.
import { describeValue } from '../options/validate.js'
import { readReport, ReportError } from '../report/read.js'
import type { Report } from '../report/schema.js'
import { InputError } from './errors.js'

export interface LoadedReport {
  /** The path as the user gave it, for messages. */
  source: string
  report: Report
}

const RUNNERS = ['vitest', 'jest']

function fieldError(source: string, path: string, value: unknown, expected: string): ReportError {
  return new ReportError(`${source}: ${path} must be ${expected}; found ${describeValue(value)}.`)
}

function isMs(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}

function checkBlocks(source: string, path: string, blocks: unknown): void {
  if (!Array.isArray(blocks)) throw fieldError(source, `${path}.blocks`, blocks, 'a list')
  blocks.forEach((block: unknown, index) => {
    const at = `${path}.blocks[${index}]`
    if (block === null || typeof block !== 'object') throw fieldError(source, at, block, 'an object')
    const { startMs, durationMs, frame } = block as Record<string, unknown>
    if (!isMs(startMs)) throw fieldError(source, `${at}.startMs`, startMs, 'a number of milliseconds')
    if (!isMs(durationMs)) throw fieldError(source, `${at}.durationMs`, durationMs, 'a number of milliseconds')
    if (frame !== null && frame !== undefined) {
      const { file, line } = frame as Record<string, unknown>
      if (typeof file !== 'string' || typeof line !== 'number') {
        throw fieldError(source, `${at}.frame`, frame, 'null or { file, line, column, function }')
      }
    }
  })
}

/** Checks what `parseReport` leaves to the reader: the runner, the options and each test and file entry. */
export function checkReportShape(report: Report, source: string): Report {
  if (!RUNNERS.includes(report.runner)) throw fieldError(source, 'runner', report.runner, '"vitest" or "jest"')
  const options = report.options as unknown as Record<string, unknown> | undefined
  if (options === null || typeof options !== 'object') throw fieldError(source, 'options', options, 'an object')
  if (options.budgetMs !== null && !isMs(options.budgetMs)) {
    throw fieldError(source, 'options.budgetMs', options.budgetMs, 'a number of milliseconds or null')
  }
  if (!isMs(options.thresholdMs)) throw fieldError(source, 'options.thresholdMs', options.thresholdMs, 'a number of milliseconds')
  report.tests.forEach((test: unknown, index) => {
    const at = `tests[${index}]`
    if (test === null || typeof test !== 'object') throw fieldError(source, at, test, 'an object')
    const t = test as Record<string, unknown>
    for (const key of ['file', 'fullName'] as const) {
      if (typeof t[key] !== 'string') throw fieldError(source, `${at}.${key}`, t[key], 'a string')
    }
    if (!isMs(t.longestMs)) throw fieldError(source, `${at}.longestMs`, t.longestMs, 'a number of milliseconds')
    if (t.budgetMs !== null && !isMs(t.budgetMs)) {
      throw fieldError(source, `${at}.budgetMs`, t.budgetMs, 'a number of milliseconds, or null when exempt')
    }
    if (!Number.isInteger(t.count) || (t.count as number) < 0) throw fieldError(source, `${at}.count`, t.count, 'a whole number, 0 or more')
    if (typeof t.overBudget !== 'boolean') throw fieldError(source, `${at}.overBudget`, t.overBudget, 'true or false')
    checkBlocks(source, at, t.blocks)
  })
  report.files.forEach((file: unknown, index) => {
    const at = `files[${index}]`
    if (file === null || typeof file !== 'object') throw fieldError(source, at, file, 'an object')
    const f = file as Record<string, unknown>
    if (typeof f.file !== 'string') throw fieldError(source, `${at}.file`, f.file, 'a string')
    checkBlocks(source, at, f.blocks)
  })
  return report
}

/** Reads every file, then throws one InputError that lists every file that could not be used. */
export function loadReports(files: readonly string[]): LoadedReport[] {
  const loaded: LoadedReport[] = []
  const problems: string[] = []
  for (const source of files) {
    try {
      loaded.push({ source, report: checkReportShape(readReport(source), source) })
    } catch (error) {
      if (!(error instanceof ReportError)) throw error
      problems.push(error.message)
    }
  }
  if (problems.length > 0) throw new InputError(problems)
  return loaded
}
