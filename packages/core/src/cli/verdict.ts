// What `loopguard check` decides, before any format prints it.
import type { Report, ReportTest } from '../report/schema.js'
import { findRegressions, type Regression, type Tolerance } from './baseline.js'
import { rejudge } from './judge.js'
import type { LoadedReport } from './load.js'

export interface Verdict {
  /** The reports merged into one, judged again when a budget was given. */
  report: Report
  overBudget: ReportTest[]
  /** Empty when no baseline was given. */
  regressions: Regression[]
  baseline: { source: string; tolerance: Tolerance } | undefined
  passed: boolean
}

export interface JudgeOptions {
  budgetMs?: number
  baseline?: LoadedReport
  tolerance: Tolerance
}

export function judge(merged: Report, options: JudgeOptions): Verdict {
  const report = options.budgetMs === undefined ? merged : rejudge(merged, options.budgetMs)
  const overBudget = report.tests.filter((test) => test.overBudget)
  const baseline = options.baseline
  const regressions = baseline ? findRegressions(report, baseline.report, options.tolerance) : []
  return {
    report,
    overBudget,
    regressions,
    baseline: baseline ? { source: baseline.source, tolerance: options.tolerance } : undefined,
    passed: overBudget.length === 0 && regressions.length === 0,
  }
}
