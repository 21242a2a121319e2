// `check --format json`: the verdict for other tools (a bot comment, a dashboard), one JSON document on stdout.
import type { Frame } from '../report/schema.js'
import { testTitle } from './identity.js'
import { chargedLongestMs, worstBlock } from './judge.js'
import type { Verdict } from './verdict.js'

export const CHECK_SCHEMA = 'loopguard-check@1'

export interface CheckResult {
  schema: typeof CHECK_SCHEMA
  passed: boolean
  exitCode: 0 | 1
  runner: 'vitest' | 'jest'
  budgetMs: number | null
  tests: number
  overBudget: { title: string; file: string; fullName: string; longestMs: number; budgetMs: number | null; frame: Frame | null }[]
  baseline: { file: string; tolerancePercent: number; toleranceMinMs: number } | null
  regressions: { title: string; file: string; fullName: string; kind: 'grew' | 'new'; baselineMs: number | null; currentMs: number; overBudget: boolean }[]
}

export function checkResult(verdict: Verdict): CheckResult {
  const { report, baseline } = verdict
  return {
    schema: CHECK_SCHEMA,
    passed: verdict.passed,
    exitCode: verdict.passed ? 0 : 1,
    runner: report.runner,
    budgetMs: report.options.budgetMs,
    tests: report.tests.length,
    overBudget: verdict.overBudget.map((test) => ({
      title: testTitle(test),
      file: test.file,
      fullName: test.fullName,
      longestMs: chargedLongestMs(test),
      budgetMs: test.budgetMs,
      frame: worstBlock(test)?.frame ?? null,
    })),
    baseline: baseline
      ? { file: baseline.source, tolerancePercent: baseline.tolerance.percent, toleranceMinMs: baseline.tolerance.minMs }
      : null,
    regressions: verdict.regressions.map(({ test, kind, baselineMs, currentMs }) => ({
      title: testTitle(test),
      file: test.file,
      fullName: test.fullName,
      kind,
      baselineMs,
      currentMs,
      overBudget: test.overBudget,
    })),
  }
}

export function formatJson(verdict: Verdict): string {
  return `${JSON.stringify(checkResult(verdict), null, 2)}\n`
}
