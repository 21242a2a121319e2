// loopguard's own work beside the tests (naming the blocks of a test that has ended: reading the profile, the
// source maps, the sources) runs on the same event loop, between tests. It is no test's and no phase's of the
// file: it is cut out of the blocks the file reports, so that a user never sees loopguard's time as theirs.
import type { ReportFile, ReportFileBlock } from '@loopguard/core'

/** A stretch of loopguard's own work, on core's clock (ms). */
export interface Span {
  startMs: number
  endMs: number
}

/**
 * The file's blocks without the spans of loopguard's work. `fileStartMs` is the file window's start on core's
 * clock (block times are relative to it); pieces shorter than `thresholdMs` are dropped, as the tracker drops them.
 */
export function withoutOwnWork(file: ReportFile, fileStartMs: number, spans: readonly Span[], thresholdMs: number): ReportFile {
  if (spans.length === 0) return file
  const blocks: ReportFileBlock[] = []
  for (const block of file.blocks) {
    let pieces = [{ startMs: fileStartMs + block.startMs, endMs: fileStartMs + block.startMs + block.durationMs }]
    for (const span of spans) {
      pieces = pieces.flatMap((p) => {
        if (span.endMs <= p.startMs || span.startMs >= p.endMs) return [p]
        const kept: Span[] = []
        if (span.startMs > p.startMs) kept.push({ startMs: p.startMs, endMs: span.startMs })
        if (span.endMs < p.endMs) kept.push({ startMs: span.endMs, endMs: p.endMs })
        return kept
      })
    }
    for (const p of pieces) {
      const durationMs = p.endMs - p.startMs
      if (durationMs < thresholdMs) continue
      blocks.push({ ...block, startMs: round(p.startMs - fileStartMs), durationMs: round(durationMs) })
    }
  }
  const longestMs = blocks.reduce((m, b) => Math.max(m, b.durationMs), 0)
  return { ...file, longestMs, blocks }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100
}
