import type { Stretch } from './sampler.js'

/** One stretch in which the event loop could run nothing else. */
export interface Block {
  /** Start, in milliseconds on the monotonic clock of `process.hrtime` (see `now()`). */
  startMs: number
  durationMs: number
}

export interface BlockStats {
  /** The longest block in the window, clipped to it; known even when under the threshold. */
  longestMs: number
  /** Time blocked in blocks at or over the threshold. */
  totalMs: number
  /** Blocks at or over the threshold. */
  count: number
  /** The blocks at or over the threshold, oldest first. */
  blocks: Block[]
}

/** Accumulates stretches clipped to the window [fromMs, toMs]. */
export class StatsBuilder {
  private readonly stats: BlockStats = { longestMs: 0, totalMs: 0, count: 0, blocks: [] }

  constructor(
    private readonly fromMs: number,
    private readonly toMs: number,
    private readonly thresholdMs: number,
  ) {}

  add(startMs: number, endMs: number): void {
    const start = Math.max(startMs, this.fromMs)
    const durationMs = Math.min(endMs, this.toMs) - start
    if (durationMs <= 0) return
    const stats = this.stats
    if (durationMs > stats.longestMs) stats.longestMs = durationMs
    if (durationMs < this.thresholdMs) return
    stats.totalMs += durationMs
    stats.count++
    stats.blocks.push({ startMs: start, durationMs })
  }

  addStretch(stretch: Stretch | undefined): void {
    if (stretch) this.add(stretch.startMs, stretch.endMs)
  }

  result(): BlockStats {
    return this.stats
  }
}
