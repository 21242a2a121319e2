// The self-contained HTML page of a run: tests ranked by their longest block against the budget line, then
// each offender's blocks on a timeline with the code that blocked. Inline CSS and SVG only, no script.
import { formatBudget, formatFrame, formatMs } from '../report/summary.js'
import type { Frame, Report, ReportBlock, ReportFileBlock, ReportTest } from '../report/schema.js'
import { escapeHtml as esc } from './html-escape.js'
import { axis, tickLabel } from './html-scale.js'
import { PAGE_STYLE } from './html-style.js'
import { blockKind, renderTimeline } from './html-timeline.js'
import { chargedLongestMs } from './judge.js'
import { plural } from './words.js'

/** Rows in the ranking at most; every test over budget is shown even past it. */
const RANKED_ROWS = 40
/** Folded sections for tests under budget at most, the worst first: the page must stay light on a big suite. */
const UNDER_BUDGET_SECTIONS = 100

export interface PageOptions {
  /** The report files the page was made from, named in the footer. */
  sources: readonly string[]
}

interface Ranked {
  test: ReportTest
  index: number
  longestMs: number
}

function kindOf(test: ReportTest): 'over' | 'under' | 'exempt' {
  if (test.overBudget) return 'over'
  return test.budgetMs === null ? 'exempt' : 'under'
}

function percent(ms: number, endMs: number): string {
  return `${Math.min(100, (ms / endMs) * 100).toFixed(2)}%`
}

/** A path that may wrap after each `/` on a narrow screen, and nowhere else. */
function breakablePath(path: string): string {
  return esc(path).replace(/\//g, '/<wbr>')
}

function frameText(frame: Frame): string {
  return `${frame.file}:${frame.line}${frame.column > 0 ? `:${frame.column}` : ''}`
}

function renderRanking(ranked: readonly Ranked[], report: Report): string {
  if (ranked.length === 0) {
    return `<section class="ranking" id="ranking"><h2>Tests ranked by longest block</h2>
<p class="hint">No test blocked the event loop for ${esc(formatMs(report.options.thresholdMs))} or more.</p></section>`
  }
  const over = ranked.filter((r) => r.test.overBudget)
  const shown = [...over, ...ranked.filter((r) => !r.test.overBudget).slice(0, Math.max(0, RANKED_ROWS - over.length))].sort(
    (a, b) => b.longestMs - a.longestMs,
  )
  const maxMs = Math.max(...shown.map((r) => Math.max(r.longestMs, r.test.budgetMs ?? 0)))
  const { endMs, ticks } = axis(maxMs * 1.04, 5)
  const head = ticks.map((tick) => `<span style="left:${percent(tick, endMs)}">${esc(tickLabel(tick))}</span>`).join('')
  const rows = shown.map(({ test, index, longestMs }) => {
    const kind = kindOf(test)
    const budget = test.budgetMs === null ? '' : `<span class="budget" style="left:${percent(test.budgetMs, endMs)}" title="budget ${esc(formatBudget(test.budgetMs))}"></span>`
    const tip = `${test.file} > ${test.fullName}: ${formatMs(longestMs)}, budget ${formatBudget(test.budgetMs)}`
    return `<a class="row ${kind}" href="#test-${index}" role="listitem" title="${esc(tip)}" data-test="${esc(`${test.file} > ${test.fullName}`)}" data-longest-ms="${longestMs}" data-budget-ms="${test.budgetMs ?? ''}">
<span class="name"><span class="file">${esc(test.file)}</span> › <span class="test">${esc(test.fullName)}</span></span>
<span class="track"><span class="bar" style="width:${percent(longestMs, endMs)}"></span>${budget}</span>
<span class="ms">${esc(formatMs(longestMs))}</span></a>`
  })
  const hidden = ranked.length - shown.length
  return `<section class="ranking" id="ranking">
<h2>Tests ranked by longest block</h2>
<p class="hint">Each bar is the longest time a test kept the event loop busy; the dashed line is the test's budget.</p>
<div class="legend"><span><i class="over"></i>over budget</span><span><i class="under"></i>under budget</span><span><i class="out-of-scope"></i>exempt</span><span><i class="budget"></i>budget</span></div>
<div class="chart" role="list"><span class="spacer"></span><div class="axis-head" aria-hidden="true">${head}</div><span class="spacer"></span>
${rows.join('\n')}
</div>${hidden > 0 ? `<p class="more">… ${plural(hidden, 'more test')} blocked under budget, not shown.</p>` : ''}
</section>`
}

function whereCell(block: ReportBlock): string {
  const parts: string[] = []
  if (block.frame) {
    parts.push(`<code>${esc(frameText(block.frame))}</code>${block.frame.function ? ` in <code>${esc(block.frame.function)}</code>` : ''}`)
  }
  if (block.activity) parts.push(`<span class="note">${esc(block.activity)}</span>`)
  if (block.sharedBy && block.sharedBy > 1) parts.push(`<span class="note">shared by ${block.sharedBy} concurrent tests</span>`)
  if (block.inScope === false) parts.push('<span class="note">out of scope: listed, not charged</span>')
  if (parts.length === 0) parts.push('<span class="note">the blocking code could not be located</span>')
  const frames = block.frames ?? []
  if (frames.length > 1) {
    const items = frames.map((f) => `<li><code>${esc(f.function || '(anonymous)')}</code> ${esc(frameText(f))}</li>`).join('')
    parts.push(`<details><summary>stack, ${plural(frames.length, 'frame')}</summary><ol class="frames">${items}</ol></details>`)
  }
  return parts.join(' ')
}

function renderBlocksTable(blocks: readonly ReportBlock[], budgetMs: number | null): string {
  const rows = blocks.map((block, i) => {
    const kind = blockKind(block, budgetMs)
    return `<tr class="${kind}"><td class="num">${i + 1}</td><td class="num">+${esc(formatMs(block.startMs))}</td><td class="num duration">${esc(formatMs(block.durationMs))}</td><td>${whereCell(block)}</td></tr>`
  })
  return `<table class="blocks"><thead><tr><th class="num">#</th><th class="num">at</th><th class="num">blocked</th><th>where</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
}

function renderTest({ test, index, longestMs }: Ranked, thresholdMs: number): string {
  const blocks = [...test.blocks].sort((a, b) => a.startMs - b.startMs)
  const figures = [
    `longest block <b class="${test.overBudget ? 'over' : ''}">${esc(formatMs(longestMs))}</b>`,
    `budget ${esc(formatBudget(test.budgetMs))}`,
    `${plural(test.count, 'block')}, ${esc(formatMs(test.totalMs))} in all`,
  ]
  const timeline =
    blocks.length > 0
      ? `<div class="scroll">${renderTimeline(blocks, test.budgetMs, `Timeline of ${plural(blocks.length, 'block')} in ${test.fullName}`)}</div>` +
        `<div class="scroll">${renderBlocksTable(blocks, test.budgetMs)}</div>`
      : `<p class="hint">Its blocks are under the ${esc(formatMs(thresholdMs))} listing threshold; only the longest is known.</p>`
  return `<article class="offender" id="test-${index}" data-test="${esc(`${test.file} > ${test.fullName}`)}">
<h3>${esc(test.fullName)}<span class="pill">${esc(test.status)}</span>${test.concurrent ? '<span class="pill">concurrent</span>' : ''}</h3>
<p class="file mono">${esc(test.file)}</p>
<p class="figures">${figures.join(' · ')}</p>
${timeline}
</article>`
}

function renderFileBlocks(report: Report): string {
  const rows: string[] = []
  for (const file of report.files) {
    for (const block of [...file.blocks].sort((a, b) => b.durationMs - a.durationMs) as ReportFileBlock[]) {
      rows.push(`<tr><td class="mono">${breakablePath(file.file)}</td><td>${esc(block.phase)}</td><td class="num duration">${esc(formatMs(block.durationMs))}</td><td>${whereCell(block)}</td></tr>`)
    }
  }
  if (rows.length === 0) return ''
  return `<section class="files" id="files"><h2>Blocking outside tests</h2>
<p class="hint">While a file was collected or in its hooks; not charged to any test.</p>
<div class="scroll"><table><thead><tr><th>file</th><th class="fit">phase</th><th class="num">blocked</th><th>where</th></tr></thead><tbody>${rows.join('')}</tbody></table></div></section>`
}

function card(value: string, label: string, kind = ''): string {
  return `<div class="card ${kind}"><div class="value">${esc(value)}</div><div class="label">${esc(label)}</div></div>`
}

export function renderHtmlPage(report: Report, options: PageOptions): string {
  const ranked: Ranked[] = report.tests
    .map((test, index) => ({ test, index, longestMs: chargedLongestMs(test) }))
    .filter(({ test }) => test.count > 0 || test.overBudget)
    .sort((a, b) => b.longestMs - a.longestMs)
  const over = ranked.filter((r) => r.test.overBudget)
  const under = ranked.filter((r) => !r.test.overBudget)
  const headline = `${over.length} of ${plural(report.tests.length, 'test')} over budget`
  const longest = Math.max(0, ...report.tests.map((t) => t.longestMs), ...report.files.map((f) => f.longestMs))
  const created = Number.isNaN(Date.parse(report.createdAt)) ? report.createdAt : new Date(report.createdAt).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')
  const facts = [
    report.runner === 'vitest' ? 'Vitest' : 'Jest',
    `budget ${formatBudget(report.options.budgetMs)}`,
    `threshold ${formatBudget(report.options.thresholdMs)}`,
    created,
  ]

  const offenders = over.length
    ? `<section class="offenders" id="offenders"><h2>Over budget</h2><p class="hint">Each test's blocks on the test's own time axis, numbered as in the table below it.</p>${over.map((r) => renderTest(r, report.options.thresholdMs)).join('\n')}</section>`
    : ''
  const hiddenUnder = under.length - UNDER_BUDGET_SECTIONS
  const underBudget = under.length
    ? `<section class="under" id="under"><details class="under-budget"><summary><b>${plural(under.length, 'test')} blocked under budget</b></summary>${under
        .slice(0, UNDER_BUDGET_SECTIONS)
        .map((r) => renderTest(r, report.options.thresholdMs))
        .join('\n')}${hiddenUnder > 0 ? `<p class="more">… and ${plural(hiddenUnder, 'more test')} with shorter blocks, not shown.</p>` : ''}</details></section>`
    : ''

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(`loopguard: ${headline}`)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<div class="page">
<header>
<div class="brand">loopguard</div>
<h1>Event-loop blocking</h1>
<p class="verdict ${over.length ? 'over' : 'ok'}" id="verdict">${esc(headline)}</p>
<p class="facts">${facts.map((f) => `<span>${esc(f)}</span>`).join('')}</p>
</header>
<div class="cards">
${card(String(report.tests.length), 'tests')}
${card(String(over.length), 'over budget', over.length ? 'over' : '')}
${card(String(under.length), 'blocked under budget', under.length ? 'under' : '')}
${card(formatMs(longest), 'longest block')}
</div>
${renderRanking(ranked, report)}
${offenders}
${underBudget}
${renderFileBlocks(report)}
<footer>Made by <code>loopguard html</code> from ${options.sources.map((s) => `<code>${esc(s)}</code>`).join(', ')} (${esc(report.schema)}).</footer>
</div>
</body>
</html>
`
}
