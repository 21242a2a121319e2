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
