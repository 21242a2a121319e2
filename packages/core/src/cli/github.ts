// `check --format github`: one workflow-command annotation per offender on its blocking line, and a Markdown
// table for the job summary page ($GITHUB_STEP_SUMMARY).
import { appendFileSync } from 'node:fs'
import { formatBudget, formatFrame, formatMs } from '../report/summary.js'
import type { ReportTest } from '../report/schema.js'
import { formatTolerance, type Regression } from './baseline.js'
import { testTitle } from './identity.js'
import { chargedLongestMs, worstBlock } from './judge.js'
import type { Verdict } from './verdict.js'
import { formatDeltaMs, plural } from './words.js'

// Workflow commands are `::name key=value,key=value::message`, one per line, read from the step's stdout.
// Escaping follows the runner's rules, as the Actions toolkit implements them (escapeData / escapeProperty):
// https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands
// https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts

/** A message: `%` starts an escape, CR and LF would end the command early. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/** A property value: as a message, and `:` and `,`, which end a value. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

export interface Annotation {
  level: 'error' | 'warning'
  file: string
  line?: number
  col?: number
  title: string
  message: string
}

export function formatAnnotation(annotation: Annotation): string {
  const properties: [string, string | number | undefined][] = [
    ['file', annotation.file],
    ['line', annotation.line],
    ['col', annotation.col],
    ['title', annotation.title],
  ]
  const list = properties
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',')
  return `::${annotation.level} ${list}::${escapeData(annotation.message)}`
}

/** Where GitHub should draw the annotation: the blocking line in the project's code, else the test file. */
function location(test: ReportTest): Pick<Annotation, 'file' | 'line' | 'col'> {
  const frame = worstBlock(test)?.frame
  if (!frame || frame.file.startsWith('node:')) return { file: test.file }
  return { file: frame.file, line: frame.line, col: frame.column > 0 ? frame.column : undefined }
}

function regressionText(regression: Regression): string {
  return regression.kind === 'grew'
    ? `it grew from ${formatMs(regression.baselineMs!)} in the baseline (${formatDeltaMs(regression.currentMs - regression.baselineMs!)}, allowed ${formatDeltaMs(regression.allowedGrowthMs)})`
    : regression.baselineMs === null
      ? `the test is not in the baseline (allowed ${formatDeltaMs(regression.allowedGrowthMs)})`
      : `it was ${formatMs(regression.baselineMs)} in the baseline, under the threshold (${formatDeltaMs(regression.currentMs - regression.baselineMs)}, allowed ${formatDeltaMs(regression.allowedGrowthMs)})`
}

export function annotations(verdict: Verdict): Annotation[] {
  const regressionOf = new Map(verdict.regressions.map((r) => [r.test, r]))
  const list: Annotation[] = []
  const worstFirst = [...verdict.overBudget].sort((a, b) => chargedLongestMs(b) - chargedLongestMs(a))
  for (const test of worstFirst) {
    const where = formatFrame(worstBlock(test))
    const regression = regressionOf.get(test)
    list.push({
      level: 'error',
      ...location(test),
      title: `Event loop blocked ${formatMs(chargedLongestMs(test))} (budget ${formatBudget(test.budgetMs)})`,
      message: `${testTitle(test)} blocked the event loop for ${formatMs(chargedLongestMs(test))} (budget ${formatBudget(test.budgetMs)})${where ? ` at ${where}` : ''}${regression ? `; ${regressionText(regression)}` : ''}.`,
    })
  }
  for (const regression of verdict.regressions) {
    if (regression.test.overBudget) continue
    const { test, currentMs } = regression
    const where = formatFrame(worstBlock(test))
    list.push({
      level: 'warning',
      ...location(test),
      title: regression.kind === 'grew' ? `Event-loop blocking grew to ${formatMs(currentMs)}` : `New event-loop blocking of ${formatMs(currentMs)}`,
      message: `${testTitle(test)} blocked the event loop for ${formatMs(currentMs)}${where ? ` at ${where}` : ''}, under its ${formatBudget(test.budgetMs)} budget, but ${regressionText(regression)}.`,
    })
  }
  return list
}

/**
 * Markdown text in a table cell: backslash-escapes what Markdown or HTML would read (`>` is left alone: inside
 * a cell it starts nothing, and test titles are full of it), and keeps the row on one line.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<|#~&!]/g, '\\$&').replace(/\r?\n/g, ' ')
}

export function stepSummary(verdict: Verdict, top: number): string {
  const { report, overBudget, regressions, baseline } = verdict
  const lines: string[] = []
  const headline = `${overBudget.length} of ${plural(report.tests.length, 'test')} over budget (${formatBudget(report.options.budgetMs)})`
  lines.push(`### ${verdict.passed ? '✅' : '❌'} Event-loop blocking: ${headline}`, '')
  const blocked = report.tests
    .filter((test) => test.overBudget || test.count > 0)
    .sort((a, b) => chargedLongestMs(b) - chargedLongestMs(a))
  if (blocked.length === 0) {
    lines.push(`No test blocked the event loop for ${formatMs(report.options.thresholdMs)} or more.`, '')
  } else {
    lines.push('| | Test | Longest block | Budget | Where |', '| --- | --- | ---: | ---: | --- |')
    for (const test of blocked.slice(0, top)) {
      const mark = test.overBudget ? '❌ over' : '⚠️ under'
      const cells = [mark, testTitle(test), formatMs(chargedLongestMs(test)), formatBudget(test.budgetMs), formatFrame(worstBlock(test))]
      lines.push(`| ${cells.map(escapeMarkdown).join(' | ')} |`)
    }
    if (blocked.length > top) lines.push('', `… ${blocked.length - top} more not shown (top ${top}).`)
    lines.push('')
  }
  if (baseline) {
    const heading = `against ${escapeMarkdown(baseline.source)} (tolerance ${formatTolerance(baseline.tolerance)})`
    if (regressions.length === 0) lines.push(`No regression ${heading}.`, '')
    else {
      lines.push(`#### ${plural(regressions.length, 'regression')} ${heading}`, '')
      lines.push('| Test | Baseline | Now | Change |', '| --- | ---: | ---: | --- |')
      for (const r of regressions) {
        const before = r.baselineMs === null ? 'not in baseline' : formatMs(r.baselineMs)
        const growth = `${formatDeltaMs(r.currentMs - (r.baselineMs ?? 0))} (allowed ${formatDeltaMs(r.allowedGrowthMs)})`
        const change = r.kind === 'grew' ? growth : `${growth}, newly over the threshold`
        lines.push(`| ${[testTitle(r.test), before, formatMs(r.currentMs), change].map(escapeMarkdown).join(' | ')} |`)
      }
      lines.push('')
    }
  }
  return `${lines.join('\n')}\n`
}

/** The annotations, one per line, for the step's stdout. */
export function formatAnnotations(verdict: Verdict): string {
  return annotations(verdict)
    .map((annotation) => `${formatAnnotation(annotation)}\n`)
    .join('')
}

/** Appends the summary to the file GitHub renders on the run's page; a step may write it more than once. */
export function appendStepSummary(file: string, markdown: string): void {
  appendFileSync(file, markdown)
}
