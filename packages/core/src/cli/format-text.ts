// `check --format text`: the runners' offenders table, then the regressions and one closing verdict line.
import { styleText } from 'node:util'
import { formatBudget, formatFrame, formatMs, formatSummary } from '../report/summary.js'
import { formatTolerance, type Regression } from './baseline.js'
import { testTitle } from './identity.js'
import { worstBlock } from './judge.js'
import type { Verdict } from './verdict.js'
import { formatDeltaMs, plural } from './words.js'

export interface TextOptions {
  colors: boolean
  top?: number
}

type Style = Parameters<typeof styleText>[0]

function regressionLine(regression: Regression, paint: (style: Style, text: string) => string): string {
  const { test, kind, baselineMs, currentMs, allowedGrowthMs } = regression
  const where = formatFrame(worstBlock(test))
  const growth = `${formatDeltaMs(currentMs - (baselineMs ?? 0))}, allowed ${formatDeltaMs(allowedGrowthMs)}`
  const change =
    kind === 'grew'
      ? `${formatMs(baselineMs!)} → ${formatMs(currentMs)} (${growth})`
      : `${baselineMs === null ? 'new test' : formatMs(baselineMs)} → ${formatMs(currentMs)} (${growth}; newly over the threshold)`
  const style: Style = test.overBudget ? 'red' : 'yellow'
  return `   ${paint(style, change)}  ${testTitle(test)}  ${paint('dim', where)}`.trimEnd()
}

export function formatText(verdict: Verdict, options: TextOptions): string {
  const paint = (style: Style, text: string) => (options.colors ? styleText(style, text) : text)
  const { report, overBudget, regressions, baseline } = verdict
  const parts: string[] = []
  const table = formatSummary(report, { colors: options.colors, top: options.top })
  parts.push(
    table ||
      ` ${paint(['bold', 'inverse'], ' Event-loop blocking ')}  ${paint('green', `0 of ${report.tests.length} tests over budget`)} ${paint('dim', `(${formatBudget(report.options.budgetMs)}; no block of ${formatMs(report.options.thresholdMs)} or more)`)}\n`,
  )
  if (baseline) {
    const heading = `against ${baseline.source} (tolerance ${formatTolerance(baseline.tolerance)})`
    if (regressions.length === 0) {
      parts.push(` ${paint('green', 'No regression')} ${paint('dim', heading)}\n`)
    } else {
      const lines = [` ${paint(['bold', 'yellow'], `${plural(regressions.length, 'regression')}`)} ${paint('dim', heading)}`]
      for (const regression of regressions) lines.push(regressionLine(regression, paint))
      parts.push(`${lines.join('\n')}\n`)
    }
  }
  const reasons = [
    overBudget.length > 0 ? `${overBudget.length} of ${plural(report.tests.length, 'test')} over budget` : '',
    regressions.length > 0 ? plural(regressions.length, 'regression') : '',
  ].filter(Boolean)
  parts.push(
    verdict.passed
      ? `${paint('green', 'loopguard check passed')}: ${plural(report.tests.length, 'test')}, none over budget${baseline ? ', no regression' : ''}.\n`
      : `${paint(['bold', 'red'], 'loopguard check failed')}: ${reasons.join(', ')}.\n`,
  )
  return parts.join('\n')
}
