// loopguard's own work between tests (reading the profiler, mapping and naming lines, writing a profile) runs on
// the test file's event loop, outside every test's window: cut out of the file's blocks, it is never reported as
// the user's.
import type { ReportFileBlock } from '@loopguard/core'

/** A stretch of loopguard's work, on core's clock (ms). */
export interface OwnWork {
  startMs: number
  endMs: number
}

/**
 * The file's blocks (starts relative to `fileStartMs`) less the stretches of loopguard's work; what remains of a
 * block under `thresholdMs` is dropped, as the tracker drops short blocks.
 */
export function withoutOwnWork(blocks: readonly ReportFileBlock[], fileStartMs: number, work: readonly OwnWork[], thresholdMs: number): ReportFileBlock[] {
  if (work.length === 0) return [...blocks]
  return blocks.flatMap((block) => {
    let pieces: OwnWork[] = [{ startMs: fileStartMs + block.startMs, endMs: fileStartMs + block.startMs + block.durationMs }]
    for (const w of work) {
      pieces = pieces.flatMap((p) =>
        w.endMs <= p.startMs || w.startMs >= p.endMs
          ? [p]
          : [
              ...(w.startMs > p.startMs ? [{ startMs: p.startMs, endMs: w.startMs }] : []),
              ...(w.endMs < p.endMs ? [{ startMs: w.endMs, endMs: p.endMs }] : []),
            ],
      )
    }
    return pieces
      .filter((p) => p.endMs - p.startMs >= thresholdMs)
      .map((p) => ({ ...block, startMs: round(p.startMs - fileStartMs), durationMs: round(p.endMs - p.startMs) }))
  })
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100
}
