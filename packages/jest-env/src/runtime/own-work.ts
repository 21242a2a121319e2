// loopguard's own work beside the tests (naming the blocks of a test that has ended: reading the profile, the
// source maps, the sources) runs on the same event loop, between tests. It is no test's and no phase's of the
// file: it is cut out of the blocks the file reports, so that a user never sees loopguard's time as theirs.
import { outsideSpans, roundBlock, type ReportFile, type ReportFileBlock, type Span } from '@loopguard/core'

export type { Span }

/**
 * The file's blocks without the spans of loopguard's work. `fileStartMs` is the file window's start on core's
 * clock (block times are relative to it); pieces shorter than `thresholdMs` are dropped, as the tracker drops them.
 */
export function withoutOwnWork(file: ReportFile, fileStartMs: number, spans: readonly Span[], thresholdMs: number): ReportFile {
  if (spans.length === 0) return file
  const blocks: ReportFileBlock[] = file.blocks.flatMap((block) =>
    outsideSpans(block, fileStartMs, spans).filter((p) => p.durationMs >= thresholdMs).map(roundBlock),
  )
  const longestMs = blocks.reduce((m, b) => Math.max(m, b.durationMs), 0)
  return { ...file, longestMs, blocks }
}
