import { gcWithin } from './gc.js'
import { runnerWorkWithin } from './runner-work.js'
import type { Stretch } from './sampler.js'

/** One stretch in which the event loop could run nothing else. */
export interface Block {
  /** Start, in milliseconds on the monotonic clock of `process.hrtime` (see `now()`). */
  startMs: number
  /** The time judged: the stretch less the machine's wait for a CPU, the runner's own work and, unless `countGc`, GC pauses. */
  durationMs: number
  /** The stretch as measured on the wall clock. */
  wallMs: number
  /** Of `wallMs`, the time the thread sat runnable waiting for a CPU (0 where it cannot be known). */
  waitMs: number
  /** Of `wallMs`, V8's garbage-collection pauses (their share of the thread's own time). */
  gcMs: number
  /** Of `wallMs`, the test runner's own work (its share of the thread's own time), never judged. */
  runnerMs: number
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
  /**
   * The runner's own work taken out of the stretches that reached the threshold before it was, in the window:
   * a stretch that was all the runner's leaves no block, but its time is told here.
   */
  runnerMs: number
}

/** Accumulates stretches clipped to the window [fromMs, toMs]. */
export class StatsBuilder {
  private readonly stats: BlockStats = { longestMs: 0, totalMs: 0, count: 0, blocks: [], runnerMs: 0 }

  constructor(
    private readonly fromMs: number,
    private readonly toMs: number,
    private readonly thresholdMs: number,
    private readonly countGc = false,
  ) {}

  /**
   * Adds the stretch [startMs, endMs], of which `ownMs` was the thread's own work (the rest, waiting for a CPU), and
   * `cpuMs` its CPU time (NaN where unknown).
   */
  add(startMs: number, endMs: number, ownMs: number = endMs - startMs, cpuMs = Number.NaN): void {
    const start = Math.max(startMs, this.fromMs)
    const wallMs = Math.min(endMs, this.toMs) - start
    if (wallMs <= 0) return
    // A window that cuts the stretch keeps the same share of the wait.
    const ownShare = endMs > startMs ? Math.min(1, Math.max(0, ownMs / (endMs - startMs))) : 1
    const own = wallMs * ownShare
    const stats = this.stats
    // GC and the runner's work can only lower the figure: a stretch too short to matter before is too short after.
    if (own <= stats.longestMs && own < this.thresholdMs) return
    // A pause waits for a CPU like any other code: it counts for its share of the thread's own time. And it waits
    // for V8's helper threads, which a loaded machine starves: off the CPU, that time reads as a sleep, kept with
    // the wait Linux may count inside it (see ownBetween). So what the stretch kept beyond its CPU time is the
    // pause's too, up to the pause's length: a sleep of the code's own in the same stretch may read short by it.
    const pausedMs = gcWithin(start, start + wallMs)
    const cpuPart = endMs > startMs ? cpuMs * (wallMs / (endMs - startMs)) : cpuMs
    const beyondCpu = Number.isNaN(cpuPart) ? 0 : Math.min(pausedMs, Math.max(0, own - cpuPart))
    const gcMs = Math.min(own, Math.max(pausedMs * ownShare, beyondCpu))
    const charged = this.countGc ? own : own - gcMs
    const runnerMs = Math.min(charged, runnerWorkWithin(start, start + wallMs) * ownShare)
    const durationMs = charged - runnerMs
    if (own >= this.thresholdMs) stats.runnerMs += runnerMs
    if (durationMs > stats.longestMs) stats.longestMs = durationMs
    if (durationMs < this.thresholdMs) return
    stats.totalMs += durationMs
    stats.count++
    stats.blocks.push({ startMs: start, durationMs, wallMs, waitMs: wallMs - own, gcMs, runnerMs })
  }

  addStretch(stretch: Stretch | undefined): void {
    if (stretch) this.add(stretch.startMs, stretch.endMs, stretch.ownMs, stretch.cpuMs)
  }

  result(): BlockStats {
    return this.stats
  }
}
