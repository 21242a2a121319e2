// loopguard's own work between tests (reading the profiler, mapping and naming lines, writing a profile) runs on
// the test file's event loop, outside the window of the test it is for: cut out of the file's blocks, and left out
// of the windows of concurrent tests still running as the runner's work is, it is never reported as the user's.
import { outsideSpans, roundBlock, type ReportFileBlock, type Span } from '@loopguard/core'

/** A stretch of loopguard's work, on core's clock (ms). */
export type OwnWork = Span

/**
 * The file's blocks (starts relative to `fileStartMs`) less the stretches of loopguard's work; what remains of a
 * block under `thresholdMs` is dropped, as the tracker drops short blocks.
 */
export function withoutOwnWork(blocks: readonly ReportFileBlock[], fileStartMs: number, work: readonly OwnWork[], thresholdMs: number): ReportFileBlock[] {
  if (work.length === 0) return [...blocks]
  return blocks.flatMap((block) => outsideSpans(block, fileStartMs, work).filter((p) => p.durationMs >= thresholdMs).map(roundBlock))
}
