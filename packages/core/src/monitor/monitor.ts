import { now, realSetImmediate } from './clock.js'
import { acquire, currentStretch, forEachStretchSince, listen, release, type Stretch } from './sampler.js'
import { StatsBuilder, type Block, type BlockStats } from './stats.js'
import { checkFiniteMs, checkFunction, checkObject } from '../options/validate.js'

export interface MonitorOptions {
  /** Blocks shorter than this are not counted or listed (default 10). */
  thresholdMs?: number
  /** Called once per finished block at or over the threshold, after the block, never inside it. */
  onBlock?: (block: Block) => void
}

/** A point in time to measure from. */
export interface Mark {
  readonly atMs: number
}

export interface Monitor {
  start(): void
  stop(): void
  mark(): Mark
  /** Blocks between the mark and now, including a stretch still running now, clipped to that window. */
  since(mark: Mark): BlockStats
  readonly running: boolean
}

const KNOWN = ['thresholdMs', 'onBlock'] as const

export function createMonitor(options?: MonitorOptions): Monitor {
  const where = 'createMonitor'
  const checked = checkObject(where, options, KNOWN)
  const thresholdMs = checkFiniteMs(where, 'thresholdMs', checked.thresholdMs, 10)
  const onBlock = checkFunction<(block: Block) => void>(where, 'onBlock', checked.onBlock)

  let startedAtMs = 0
  let stoppedAtMs = Infinity
  // The stretch running when stop() was called: the sampler may never record it (it stops with its last holder).
  let stretchAtStop: Stretch | undefined
  let unlisten: (() => void) | undefined
  let running = false

  function reportBlock(stretchStartMs: number, endMs: number): void {
    // A stretch can begin before this monitor started (another monitor kept the sampler running): report the
    // part this monitor saw, as since() does.
    const startMs = Math.max(stretchStartMs, startedAtMs)
    const durationMs = endMs - startMs
    if (durationMs < thresholdMs || !onBlock) return
    try {
      onBlock({ startMs, durationMs })
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
      startedAtMs = now()
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
      return { atMs: now() }
    },
    since(mark) {
      if (!mark || typeof mark.atMs !== 'number') {
        throw new TypeError(`since: expected a Mark returned by mark(); received ${String(mark)}.`)
      }
      const fromMs = Math.max(mark.atMs, startedAtMs)
      const toMs = Math.min(now(), stoppedAtMs)
      const builder = new StatsBuilder(fromMs, toMs, thresholdMs)
      if (toMs <= fromMs) return builder.result()
      let lastEndMs = -Infinity
      forEachStretchSince(fromMs, (s, e) => {
        builder.add(s, e)
        lastEndMs = e
      })
      if (running) builder.addStretch(currentStretch())
      // Once stopped, the stretch cut by stop() counts unless the sampler, kept running by another monitor,
      // has since recorded the whole of it.
      else if (stretchAtStop && lastEndMs < stretchAtStop.endMs) builder.addStretch(stretchAtStop)
      return builder.result()
    },
  }
}
