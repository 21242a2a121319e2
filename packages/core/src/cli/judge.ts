// Which blocks a test is charged for, and judging a report again with another budget (`check --budget`).
import { summarize, type Report, type ReportBlock, type ReportTest } from '../report/schema.js'

/** A block counts against the budget unless attribution put its frame outside the `scope` option. */
export function charged(block: ReportBlock): boolean {
  return block.inScope !== false
}

/**
 * The longest block the test is charged for. `longestMs` also knows blocks under the threshold, which are not
 * listed; once a listed block is out of scope, only the listed in-scope blocks can be trusted.
 */
export function chargedLongestMs(test: ReportTest): number {
  let longest = 0
  let anyOutOfScope = false
  for (const block of test.blocks) {
    if (!charged(block)) anyOutOfScope = true
    else if (block.durationMs > longest) longest = block.durationMs
  }
  return anyOutOfScope ? longest : Math.max(longest, test.longestMs)
}

/** The block the test is blamed for: its longest charged block, or its longest block when none is charged. */
export function worstBlock(test: ReportTest): ReportBlock | undefined {
  let best: ReportBlock | undefined
  for (const block of test.blocks) {
    const better = !best || (charged(block) && !charged(best)) || (charged(block) === charged(best) && block.durationMs > best.durationMs)
    if (better) best = block
  }
  return best
}

/**
 * The report as if every test had been given `budgetMs`, except the tests that gave themselves a budget with
 * `allowBlocking` (kept) and the exempt ones (budget null, kept exempt).
 */
export function rejudge(report: Report, budgetMs: number): Report {
  const tests = report.tests.map((test): ReportTest => {
    if (test.allowedMs !== undefined) {
      const allowed = test.allowedMs
      return { ...test, budgetMs: allowed, overBudget: allowed !== null && chargedLongestMs(test) > allowed }
    }
    if (test.budgetMs === null) return { ...test, overBudget: false }
    return { ...test, budgetMs, overBudget: chargedLongestMs(test) > budgetMs }
  })
  return { ...report, options: { ...report.options, budgetMs, budgets: {} }, tests, summary: summarize(tests) }
}
