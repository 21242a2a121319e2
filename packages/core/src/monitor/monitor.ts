import { now, realSetImmediate } from './clock.js'
import { acquire, currentStretch, forEachStretchSince, listen, readingNow, release, stretchAfter, type Reading, type Stretch } from './sampler.js'
import { StatsBuilder, type Block, type BlockStats } from './stats.js'
import { checkBoolean, checkFiniteMs, checkFunction, checkObject } from '../options/validate.js'

export interface MonitorOptions {
  /** Blocks shorter than this are not counted or listed (default 10). */
  thresholdMs?: number
  /** Called once per finished block at or over the threshold, after the block, never inside it. */
  onBlock?: (block: Block) => void
  /** Count V8's garbage-collection pauses as blocking (default false: shown as `gcMs`, not judged). */
  countGc?: boolean
}

/** A point in time to measure from. */
export interface Mark {
  readonly atMs: number
  /** The thread's clocks at the mark (internal): a window opening inside a stretch takes its share from them. */
  readonly reading?: Reading
}

export interface Monitor {
  start(): void
  stop(): void
  mark(): Mark
  /**
   * Blocks between the mark and now (or `untilMs`, a time on `now()`'s clock), including a stretch still running,
   * clipped to that window.
   */
  since(mark: Mark, untilMs?: number): BlockStats
  readonly running: boolean
}

const KNOWN = ['thresholdMs', 'onBlock', 'countGc'] as const

export function createMonitor(options?: MonitorOptions): Monitor {
  const where = 'createMonitor'
  const checked = checkObject(where, options, KNOWN)
  const thresholdMs = checkFiniteMs(where, 'thresholdMs', checked.thresholdMs, 10)
  const onBlock = checkFunction<(block: Block) => void>(where, 'onBlock', checked.onBlock)
  const countGc = checkBoolean(where, 'countGc', checked.countGc, false)

  let startedAtMs = 0
  /** The thread's clocks when the monitor started: a stretch it started inside is measured from them. */
  let startReading: Reading | undefined
  let stoppedAtMs = Infinity
  // The stretch running when stop() was called: the sampler may never record it (it stops with its last holder).
  let stretchAtStop: Stretch | undefined
  let unlisten: (() => void) | undefined
  let running = false

  function reportBlock(startMs: number, endMs: number, ownMs: number, end: Reading | undefined, cpuMs: number): void {
    if (!onBlock || ownMs < thresholdMs) return
    // A stretch can begin before this monitor started (another monitor kept the sampler running): report the
    // part this monitor saw, its own time from the thread's clocks at the start, as since() does.
    if (startMs < startedAtMs && startReading && end) ({ startMs, ownMs, cpuMs } = stretchAfter(startReading, startMs, end))
    const builder = new StatsBuilder(startedAtMs, endMs, thresholdMs, countGc)
    builder.add(startMs, endMs, ownMs, cpuMs)
    const block = builder.result().blocks[0]
    if (!block) return
    try {
      onBlock(block)
    } catch (error) {
      // An error in the user's callback surfaces as an uncaught exception, as it would from any timer callback,
      // without stopping the monitor.
      realSetImmediate(() => {
        throw error
      })
    }
  }

  return {
    get running() {
      return running
    },
    start() {
      if (running) return
      running = true
      acquire()
      startReading = readingNow()
      startedAtMs = startReading[0]!
      stoppedAtMs = Infinity
      stretchAtStop = undefined
      if (onBlock) unlisten = listen(reportBlock)
    },
    stop() {
      if (!running) return
      running = false
      stretchAtStop = currentStretch()
      stoppedAtMs = stretchAtStop?.endMs ?? now()
      unlisten?.()
      unlisten = undefined
      release()
    },
    mark() {
      const reading = readingNow()
      return { atMs: reading[0]!, reading }
    },
    since(mark, untilMs) {
      if (!mark || typeof mark.atMs !== 'number') {
        throw new TypeError(`since: expected a Mark returned by mark(); received ${String(mark)}.`)
      }
      const fromMs = Math.max(mark.atMs, startedAtMs)
      const from = fromMs === mark.atMs ? mark.reading : startReading
      // The stretch running now is read first and ends the window: read after it, the clock could have moved on
      // (a preemption between the two), and the window would cut off the stretch's end and its share of own time.
      const current = running ? currentStretch(from) : undefined
      const toMs = Math.min(untilMs ?? Infinity, current?.endMs ?? now(), stoppedAtMs)
      const builder = new StatsBuilder(fromMs, toMs, thresholdMs, countGc)
      if (toMs <= fromMs) return builder.result()
      let lastEndMs = -Infinity
      forEachStretchSince(
        fromMs,
        (s, e, own, cpu) => {
          builder.add(s, e, own, cpu)
          lastEndMs = e
        },
        from,
      )
      if (running) builder.addStretch(current)
      // Once stopped, the stretch cut by stop() counts unless the sampler, kept running by another monitor,
      // has since recorded the whole of it.
      else if (stretchAtStop && lastEndMs < stretchAtStop.endMs) builder.addStretch(stretchAtStop)
      return builder.result()
    },
  }
}
