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
  kind: 'over' | 'under' | 'outside'
  title: string
  where: string
  /** Why the row is listed, in words that need no colour: `over 50 ms`, `allowed 500 ms`, `collect`. */
  why: string
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

function testRow(test: ReportTest, defaultBudgetMs: number | null): Row {
  const budget = formatBudget(test.budgetMs)
  const why = test.overBudget
    ? `over ${budget}`
    : test.budgetMs === null
      ? 'exempt'
      : test.budgetMs !== defaultBudgetMs
        ? `allowed ${budget}`
        : `under ${budget}`
  return { ms: test.longestMs, kind: test.overBudget ? 'over' : 'under', title: `${test.file} > ${test.fullName}`, where: formatFrame(longestBlock(test.blocks)), why }
}

function fileRow(file: ReportFile): Row {
  const worst: ReportFileBlock = longestBlock(file.blocks)!
  const frame = formatFrame(worst)
  return { ms: worst.durationMs, kind: 'outside', title: `${file.file}`, where: `(${worst.phase})${frame ? ` ${frame}` : ''}`, why: 'outside tests' }
}

const byMs = (a: Row, b: Row) => b.ms - a.ms
/** What the runner's own work inside blocks is, in each runner. */
const RUNNER_WORK: Record<Report['runner'], string> = {
  jest: "Jest's own work (loading and transforming modules, mapping stack traces)",
  vitest: "Vitest's and loopguard's own work (mapping stack traces, naming lines)",
}
/** Rows of blocks outside tests shown at most: they fail nothing, and the tests that failed come first. */
const OUTSIDE_ROWS = 3
const TITLE_WIDTH = 80

/**
 * Titles cut to `width` where they are longer, keeping both ends (the file and the test's own name) so that no two
 * rows read the same; titles that would still collide are left whole.
 */
function fitTitles(titles: readonly string[], width: number): string[] {
  const cut = (title: string) => {
    if (title.length <= width) return title
    const tail = Math.ceil((width - 1) * 0.6)
    return `${title.slice(0, width - 1 - tail)}…${title.slice(title.length - tail)}`
  }
  const fitted = titles.map(cut)
  const seen = new Map<string, number>()
  for (const title of fitted) seen.set(title, (seen.get(title) ?? 0) + 1)
  return fitted.map((title, i) => ((seen.get(title) ?? 0) > 1 && titles[i] !== title ? titles[i]! : title))
}

/**
 * The summary block, or an empty string when nothing blocked at or over the threshold. The tests over budget come
 * first, every one up to `top`; then tests that blocked within their budget, while rows remain; then, in at most
 * three rows, blocks outside every test. Each row ends with why it is listed, so it reads the same without colour.
 */
export function formatSummary(
  report: Pick<Report, 'tests' | 'files' | 'options' | 'machineLoad' | 'runner' | 'runnerMs'>,
  options: SummaryOptions = {},
): string {
  // The caller has decided on colours the way its runner does: Node must not second-guess it from the stream.
  const paint = (style: Style, text: string) => (options.colors ? styleText(style, text, { validateStream: false }) : text)
  const top = options.top ?? report.options.top
  const blocked = report.tests.filter((t) => t.count > 0 || t.overBudget)
  const files = report.files.filter((f) => f.blocks.length > 0)
  if (blocked.length === 0 && files.length === 0) return ''

  const overRows = blocked.filter((t) => t.overBudget).map((t) => testRow(t, report.options.budgetMs)).sort(byMs)
  const underRows = blocked.filter((t) => !t.overBudget).map((t) => testRow(t, report.options.budgetMs)).sort(byMs)
  const outsideRows = files.map(fileRow).sort(byMs)
  const shownOver = overRows.slice(0, top)
  const shownUnder = underRows.slice(0, Math.max(0, top - shownOver.length))
  const shownOutside = outsideRows.slice(0, Math.min(OUTSIDE_ROWS, top))
  const rows = [...shownOver, ...shownUnder, ...shownOutside]
  const msWidth = Math.max(...rows.map((r) => formatMs(r.ms).length), 0)
  const titles = fitTitles(rows.map((r) => r.title), TITLE_WIDTH)
  const titleWidth = Math.max(...titles.map((t) => t.length), 0)
  const whereWidth = Math.max(...rows.map((r) => r.where.length), 0)

  // The tests the runner ran: skipped and pending tests are in the report, but ran nothing.
  const ran = report.tests.filter((t) => t.status !== 'skipped' && t.status !== 'pending').length
  const budget = formatBudget(report.options.budgetMs)
  const over = overRows.length
  const headline = over > 0 ? paint(['bold', 'red'], `${over} of ${ran} tests over budget`) : paint('green', `0 of ${ran} tests over budget`)
  const lines = [` ${paint(['bold', 'inverse'], ' Event-loop blocking ')}  ${headline} ${paint('dim', `(${budget})`)}`]
  const style: Record<Row['kind'], Style> = { over: 'red', under: 'yellow', outside: 'dim' }
  const more = (count: number, what: string) => {
    if (count > 0) lines.push(paint('dim', `   … and ${count} more ${what}`))
  }
  rows.forEach((row, i) => {
    const ms = formatMs(row.ms).padStart(msWidth)
    const where = row.where.padEnd(whereWidth)
    lines.push(`   ${paint(style[row.kind], ms)}  ${titles[i]!.padEnd(titleWidth)}  ${paint('dim', where)}  ${paint(style[row.kind], row.why)}`.trimEnd())
    if (row === shownOver.at(-1)) more(overRows.length - shownOver.length, 'over budget')
    if (row === shownUnder.at(-1) || (shownUnder.length === 0 && row === shownOver.at(-1))) more(underRows.length - shownUnder.length, `blocked under budget (top ${top})`)
  })
  if (shownOver.length === 0 && shownUnder.length === 0) more(underRows.length, `blocked under budget (top ${top})`)
  more(outsideRows.length - shownOutside.length, 'files with blocks outside tests')
  if (report.runnerMs) lines.push(paint('dim', `   runner: ${formatMs(report.runnerMs)} of ${RUNNER_WORK[report.runner]} left out of the blocks, not charged`))
  if (report.machineLoad === 'counted') lines.push(paint('dim', '   machine load may be counted: this platform does not tell the time a thread waited for a CPU'))
  return `${lines.join('\n')}\n`
}
