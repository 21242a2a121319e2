// The offenders table printed after a run, by both runners' reporters and by `loopguard check`.
import { styleText } from 'node:util'
import type { Report, ReportBlock, ReportFile, ReportFileBlock, ReportTest } from './schema.js'

export interface SummaryOptions {
  /** Use terminal colours (decided by the caller, the way its runner decides for its own output). */
  colors?: boolean
  /** Rows shown at most (default: the report's `options.top`). */
  top?: number
}

interface Row {
  ms: number
  over: boolean
  title: string
  where: string
}

type Style = Parameters<typeof styleText>[0]

export function formatMs(ms: number): string {
  return `${ms.toFixed(1)} ms`
}

export function formatBudget(budgetMs: number | null): string {
  return budgetMs === null || budgetMs === Infinity ? 'no budget' : `${formatMs(budgetMs).replace('.0 ms', ' ms')}`
}

export function formatFrame(block: ReportBlock | undefined): string {
  if (!block) return ''
  const frame = block.frame
  const place = frame ? `${frame.file}:${frame.line}` : (block.activity ?? '')
  const notes = [
    block.sharedBy && block.sharedBy > 1 ? `shared by ${block.sharedBy} concurrent tests` : '',
    block.inScope === false ? 'out of scope' : '',
  ].filter(Boolean)
  return notes.length ? `${place}${place ? ' ' : ''}(${notes.join(', ')})` : place
}

function longestBlock<B extends ReportBlock>(blocks: readonly B[]): B | undefined {
  let best: B | undefined
  for (const block of blocks) if (!best || block.durationMs > best.durationMs) best = block
  return best
}

function testRow(test: ReportTest): Row {
  return {
    ms: test.longestMs,
    over: test.overBudget,
    title: `${test.file} > ${test.fullName}`,
    where: formatFrame(longestBlock(test.blocks)),
  }
}

function fileRow(file: ReportFile): Row {
  const worst: ReportFileBlock = longestBlock(file.blocks)!
  const frame = formatFrame(worst)
  return {
    ms: worst.durationMs,
    over: false,
    title: `${file.file}`,
    where: `(${worst.phase})${frame ? ` ${frame}` : ''}`,
  }
}

/** The summary block, or an empty string when nothing blocked at or over the threshold. */
export function formatSummary(report: Pick<Report, 'tests' | 'files' | 'options' | 'machineLoad'>, options: SummaryOptions = {}): string {
  // The caller has decided on colours the way its runner does: Node must not second-guess it from the stream.
  const paint = (style: Style, text: string) => (options.colors ? styleText(style, text, { validateStream: false }) : text)
  const top = options.top ?? report.options.top
  const blocked = report.tests.filter((t) => t.count > 0 || t.overBudget)
  const files = report.files.filter((f) => f.blocks.length > 0)
  if (blocked.length === 0 && files.length === 0) return ''

  const over = blocked.filter((t) => t.overBudget).length
  const under = blocked.length - over
  const rows = [...blocked.map(testRow), ...files.map(fileRow)].sort((a, b) => b.ms - a.ms).slice(0, top)
  const msWidth = Math.max(...rows.map((r) => formatMs(r.ms).length), 0)
  const titleWidth = Math.min(Math.max(...rows.map((r) => r.title.length), 0), 80)

  const budget = formatBudget(report.options.budgetMs)
  const headline = over > 0 ? paint(['bold', 'red'], `${over} of ${report.tests.length} tests over budget`) : paint('green', `0 of ${report.tests.length} tests over budget`)
  const lines = [` ${paint(['bold', 'inverse'], ' Event-loop blocking ')}  ${headline} ${paint('dim', `(${budget})`)}`]
  for (const row of rows) {
    const ms = formatMs(row.ms).padStart(msWidth)
    const title = row.title.length > titleWidth ? `${row.title.slice(0, titleWidth - 1)}…` : row.title.padEnd(titleWidth)
    lines.push(`   ${paint(row.over ? 'red' : 'yellow', ms)}  ${title}  ${row.where ? paint('dim', row.where) : ''}`.trimEnd())
  }
  const hidden = blocked.length + files.length - rows.length
  if (hidden > 0) lines.push(paint('dim', `   … ${hidden} more not shown (top ${top})`))
  if (under > 0) lines.push(paint('dim', `   ${under} ${under === 1 ? 'test' : 'tests'} blocked under budget`))
  if (report.machineLoad === 'counted') lines.push(paint('dim', '   machine load may be counted: this platform does not tell the time a thread waited for a CPU'))
  return `${lines.join('\n')}\n`
}
