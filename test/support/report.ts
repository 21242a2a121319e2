// What the integration tests read from a run, whatever the runner: the report's entries and the printed summary.

export interface ReportTestLike {
  file: string
  fullName: string
  status: string
  budgetMs: number | null
  longestMs: number
  totalMs: number
  count: number
  overBudget: boolean
  concurrent: boolean
  blocks: { startMs: number; durationMs: number; frame: unknown; sharedBy?: number }[]
}

/** The report's entry for one test, failing loudly when it is missing. */
export function reportTest(report: { tests: ReportTestLike[] } | undefined, fullName: string): ReportTestLike {
  const found = report?.tests.find((t) => t.fullName === fullName)
  if (!found) throw new Error(`no test "${fullName}" in the report; it has: ${report?.tests.map((t) => t.fullName).join(', ')}`)
  return found
}

/** The summary block loopguard printed, from its headline to its last line. */
export function summaryOf(output: string): string {
  const start = output.indexOf(' Event-loop blocking ')
  if (start < 0) return ''
  const lines = output.slice(start).split('\n')
  const end = lines.findIndex((line, i) => i > 0 && !line.startsWith('   '))
  return lines.slice(0, end < 0 ? undefined : end).join('\n')
}

interface SummaryRow {
  ms: number
  why: string
}

/** The summary's rows: each one's milliseconds and the words that end it (why it is listed). */
export function summaryRows(summary: string): SummaryRow[] {
  return summary
    .split('\n')
    .slice(1)
    .map((line) => /^ +(\d+\.\d) ms {2}.*? {2}((?:over|under|allowed) \d+(?:\.\d+)? ms|exempt|outside tests)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ ms: Number(m[1]), why: m[2]! }))
}

/**
 * What the summary must list for a report: the tests over budget first, every one up to `top`, then tests that
 * blocked within their budget while rows remain, then at most 3 rows of blocks outside tests, each group worst
 * first, and "… and N more" for what did not fit. Returns the rows for further checks.
 */
export function expectSummaryShape(
  summary: string,
  report: { tests: ReportTestLike[]; files: { blocks: unknown[] }[] },
  top: number,
): SummaryRow[] {
  const rows = summaryRows(summary)
  const over = report.tests.filter((t) => t.overBudget).length
  const under = report.tests.filter((t) => !t.overBudget && t.count > 0).length
  const outside = report.files.filter((f) => f.blocks.length > 0).length
  const shown = { over: Math.min(over, top), under: Math.min(under, Math.max(0, top - Math.min(over, top))), outside: Math.min(outside, 3, top) }
  const kinds = rows.map((r) => (r.why.startsWith('over') ? 'over' : r.why === 'outside tests' ? 'outside' : 'under'))
  const expected = [...Array(shown.over).fill('over'), ...Array(shown.under).fill('under'), ...Array(shown.outside).fill('outside')]
  if (kinds.join(',') !== expected.join(',')) {
    throw new Error(`summary rows ${kinds.join(',')}, expected ${expected.join(',')}:\n${summary}`)
  }
  for (const kind of ['over', 'under', 'outside']) {
    const ms = rows.filter((_, i) => kinds[i] === kind).map((r) => r.ms)
    if (ms.some((v, i) => i > 0 && v > ms[i - 1]!)) throw new Error(`summary rows of kind ${kind} are not worst first:\n${summary}`)
  }
  const more = (count: number, what: string) => {
    const line = `… and ${count} more ${what}`
    if (count > 0 !== summary.includes(line)) throw new Error(`summary ${count > 0 ? 'lacks' : 'has'} "${line}":\n${summary}`)
  }
  more(over - shown.over, 'over budget')
  more(under - shown.under, `blocked under budget (top ${top})`)
  more(outside - shown.outside, 'files with blocks outside tests')
  return rows
}
