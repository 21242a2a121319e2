import { readFileSync } from 'node:fs'
import { REPORT_SCHEMA, type Report } from './schema.js'

/** A report that could not be read, with one line that says why. */
export class ReportError extends Error {
  override name = 'ReportError'
}

/** A parse error at the very end of the text means the writer stopped early (a killed shard, a full disk). */
function looksTruncated(text: string, error: Error): boolean {
  const body = text.trimEnd()
  if (/Unexpected end of JSON input/.test(error.message)) return true
  const position = /at position (\d+)/.exec(error.message)
  return position ? Number(position[1]) >= body.length : !/[}\]]$/.test(body)
}

export function parseReport(text: string, source: string): Report {
  if (text.trim() === '') throw new ReportError(`${source}: the file is empty; expected a loopguard report (JSON).`)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    const truncated = looksTruncated(text, error as Error)
    throw new ReportError(
      truncated
        ? `${source}: the file is truncated (it ends before the JSON does).`
        : `${source}: not valid JSON (${(error as Error).message}).`,
    )
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ReportError(`${source}: expected a loopguard report object, found ${Array.isArray(value) ? 'an array' : typeof value}.`)
  }
  const schema = (value as { schema?: unknown }).schema
  if (schema !== REPORT_SCHEMA) {
    throw new ReportError(
      `${source}: wrong schema: found ${schema === undefined ? 'no "schema" field' : JSON.stringify(schema)}, expected "${REPORT_SCHEMA}".`,
    )
  }
  const report = value as Report
  if (!Array.isArray(report.tests) || !Array.isArray(report.files)) {
    throw new ReportError(`${source}: the report has no "tests" or "files" list.`)
  }
  return report
}

export function readReport(file: string): Report {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new ReportError(code === 'ENOENT' ? `${file}: no such file.` : `${file}: cannot be read (${code}).`)
  }
  return parseReport(text, file)
}
