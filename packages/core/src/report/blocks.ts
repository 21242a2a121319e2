// A block's times as the runners move them around: where it ends on the wall clock, and the part of it that lies
// in a slice of time, its wait and GC shared out in proportion.

/** A block as measured or reported: `wallMs` absent means the block was taken whole (`durationMs`). */
export interface TimedBlock {
  startMs: number
  durationMs: number
  wallMs?: number
  waitMs?: number
  gcMs?: number
  runnerMs?: number
}

/** A stretch of time on core's clock (ms). */
export interface Span {
  startMs: number
  endMs: number
}

/** Where the block ends on the wall clock, in the same frame as its `startMs`. */
export function blockEndMs(block: TimedBlock): number {
  return block.startMs + (block.wallMs ?? block.durationMs)
}

/** The part of `block` inside [fromMs, toMs] (same frame as its `startMs`), or undefined when none is. */
export function sliceBlock<T extends TimedBlock>(block: T, fromMs: number, toMs: number): T | undefined {
  const wallMs = block.wallMs ?? block.durationMs
  const startMs = Math.max(block.startMs, fromMs)
  const endMs = Math.min(block.startMs + wallMs, toMs)
  if (endMs <= startMs) return undefined
  const share = wallMs > 0 ? (endMs - startMs) / wallMs : 1
  const sliced: T = { ...block, startMs, durationMs: block.durationMs * share }
  if (block.wallMs !== undefined) sliced.wallMs = endMs - startMs
  if (block.waitMs !== undefined) sliced.waitMs = block.waitMs * share
  if (block.gcMs !== undefined) sliced.gcMs = block.gcMs * share
  if (block.runnerMs !== undefined) sliced.runnerMs = block.runnerMs * share
  return sliced
}

/** The parts of `block` outside every span, in the block's frame (`originMs` is the frame's zero on core's clock). */
export function outsideSpans<T extends TimedBlock>(block: T, originMs: number, spans: readonly Span[]): T[] {
  let pieces: T[] = [block]
  for (const span of spans) {
    const from = span.startMs - originMs
    const to = span.endMs - originMs
    pieces = pieces.flatMap((p) => {
      if (to <= p.startMs || from >= blockEndMs(p)) return [p]
      return [sliceBlock(p, -Infinity, from), sliceBlock(p, to, Infinity)].filter((q): q is T => q !== undefined)
    })
  }
  return pieces
}

/** The block with `share` (0-1) of its judged time moved to the runner's work (`runnerMs`), as attribution found it. */
export function moveToRunner<T extends TimedBlock>(block: T, share: number | undefined): T {
  if (!share || share <= 0) return block
  const moved = block.durationMs * Math.min(1, share)
  return { ...block, durationMs: block.durationMs - moved, wallMs: block.wallMs ?? block.durationMs, runnerMs: (block.runnerMs ?? 0) + moved }
}

/**
 * The block with the garbage collection the profile saw in it (`share` of its samples) shown as `gcMs` and taken out
 * of `durationMs`, as the pauses Node reports are, unless GC counts. Only what the reported pauses (`gcMs` already)
 * do not cover is moved.
 */
export function moveToGc<T extends TimedBlock>(block: T, share: number | undefined, countGc: boolean): T {
  if (!share || share <= 0 || countGc) return block
  const reported = block.gcMs ?? 0
  const moved = Math.min(block.durationMs, Math.max(0, (block.durationMs + reported) * Math.min(1, share) - reported))
  if (moved <= 0) return block
  return { ...block, durationMs: block.durationMs - moved, wallMs: block.wallMs ?? block.durationMs, gcMs: reported + moved }
}

/** The shares of a block's profile samples that were not the code's (an attribution's). */
export interface NotTheCode {
  nodeLoadingShare?: number
  transformShare?: number
  gcShare?: number
}

/**
 * The block with what its samples show was not the code's taken out: Node loading its own modules and the runner
 * transforming the code's go to the runner's work, V8 collecting garbage to `gcMs` (unless GC counts).
 */
export function moveNotTheCode<T extends TimedBlock>(block: T, shares: NotTheCode, countGc: boolean): T {
  return moveToGc(moveToRunner(block, (shares.nodeLoadingShare ?? 0) + (shares.transformShare ?? 0)), shares.gcShare, countGc)
}

/** Rounds a block's times to 0.01 ms, as the report keeps them. */
export function roundBlock<T extends TimedBlock>(block: T): T {
  const rounded: T = { ...block, startMs: round(block.startMs), durationMs: round(block.durationMs) }
  if (block.wallMs !== undefined) rounded.wallMs = round(block.wallMs)
  if (block.waitMs !== undefined) rounded.waitMs = round(block.waitMs)
  if (block.gcMs !== undefined) rounded.gcMs = round(block.gcMs)
  if (block.runnerMs !== undefined) rounded.runnerMs = round(block.runnerMs)
  return rounded
}

export function round(ms: number): number {
  return Math.round(ms * 100) / 100
}
