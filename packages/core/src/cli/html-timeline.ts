// One test's blocks on a time axis (an inline SVG): where in the test each block happened, and how long it was
// against the budget drawn at the same scale.
import { formatBudget, formatFrame, formatMs } from '../report/summary.js'
import type { ReportBlock } from '../report/schema.js'
import { escapeHtml } from './html-escape.js'
import { axis, tickLabel } from './html-scale.js'
import { charged } from './judge.js'

const WIDTH = 960
const LEFT = 8
const RIGHT = 8
const LANE_TOP = 30
const LANE_HEIGHT = 34
const AXIS_Y = LANE_TOP + LANE_HEIGHT + 8
const HEIGHT = AXIS_Y + 22

export type BlockKind = 'over' | 'under' | 'out-of-scope'

export function blockKind(block: ReportBlock, budgetMs: number | null): BlockKind {
  if (!charged(block)) return 'out-of-scope'
  return budgetMs !== null && block.durationMs > budgetMs ? 'over' : 'under'
}

export function renderTimeline(blocks: readonly ReportBlock[], budgetMs: number | null, label: string): string {
  const lastEnd = Math.max(...blocks.map((b) => b.startMs + b.durationMs), budgetMs ?? 0, 1)
  const { endMs, ticks } = axis(lastEnd, 6)
  const span = WIDTH - LEFT - RIGHT
  const x = (ms: number) => LEFT + (ms / endMs) * span
  const parts: string[] = []

  // The budget at the timeline's scale, as a bracket above the lane: a block wider than it is over budget.
  if (budgetMs !== null && budgetMs > 0) {
    const width = (budgetMs / endMs) * span
    const x1 = WIDTH - RIGHT - width
    parts.push(
      `<g class="budget-scale"><path d="M${x1.toFixed(1)} 24 V18 H${(WIDTH - RIGHT).toFixed(1)} V24"/>` +
        `<text x="${WIDTH - RIGHT}" y="12" text-anchor="end">budget ${escapeHtml(formatBudget(budgetMs))}</text></g>`,
    )
  }
  parts.push(`<rect class="lane" x="${LEFT}" y="${LANE_TOP}" width="${span}" height="${LANE_HEIGHT}" rx="3"/>`)
  blocks.forEach((block, index) => {
    const left = x(block.startMs)
    const width = Math.max(2, x(block.startMs + block.durationMs) - left)
    const kind = blockKind(block, budgetMs)
    const where = formatFrame(block)
    const tip = `#${index + 1}: ${formatMs(block.durationMs)} at +${formatMs(block.startMs)}${where ? `, ${where}` : ''}`
    parts.push(
      `<g class="block ${kind}" data-block="${index + 1}"><title>${escapeHtml(tip)}</title>` +
        `<rect x="${left.toFixed(1)}" y="${LANE_TOP}" width="${width.toFixed(1)}" height="${LANE_HEIGHT}" rx="2"/>` +
        (width >= 18 ? `<text x="${(left + width / 2).toFixed(1)}" y="${LANE_TOP + LANE_HEIGHT / 2 + 4}" text-anchor="middle">${index + 1}</text>` : '') +
        `</g>`,
    )
  })
  parts.push(`<line class="axis" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${AXIS_Y}" y2="${AXIS_Y}"/>`)
  for (const tick of ticks) {
    const tx = x(tick)
    const anchor = tick === 0 ? 'start' : tick === endMs ? 'end' : 'middle'
    parts.push(
      `<line class="tick" x1="${tx.toFixed(1)}" x2="${tx.toFixed(1)}" y1="${AXIS_Y}" y2="${AXIS_Y + 4}"/>` +
        `<text class="tick-label" x="${tx.toFixed(1)}" y="${AXIS_Y + 16}" text-anchor="${anchor}">${escapeHtml(tickLabel(tick))}</text>`,
    )
  }
  return `<svg class="timeline" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(label)}">${parts.join('')}</svg>`
}
