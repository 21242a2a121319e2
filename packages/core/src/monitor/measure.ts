import { now } from './clock.js'
import { acquire, currentStretch, forEachStretchSince, ownSince, readingNow, release } from './sampler.js'
import { StatsBuilder, type BlockStats } from './stats.js'
import { checkBoolean, checkFiniteMs, checkObject, describeValue } from '../options/validate.js'

export interface MeasureOptions {
  /** Blocks shorter than this are not counted or listed; `longestMs` is always known (default 0). */
  thresholdMs?: number
  /** Count V8's garbage-collection pauses as blocking (default false: shown as `gcMs`, not judged). */
  countGc?: boolean
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}

/**
 * Calls `fn` and measures how it blocks the event loop. A synchronous result gives the stats at once (the call
 * is one block); a thenable gives a promise of the stats of the whole run until it settles, its synchronous
 * start included. Whatever `fn` throws or rejects with propagates unchanged.
 */
export function measureBlocking(fn: () => PromiseLike<unknown>, options?: MeasureOptions): Promise<BlockStats>
export function measureBlocking(fn: () => unknown, options?: MeasureOptions): BlockStats
export function measureBlocking(
  fn: () => unknown,
  options?: MeasureOptions,
): BlockStats | Promise<BlockStats> {
  if (typeof fn !== 'function') {
    throw new TypeError(`measureBlocking: expected a function; received ${describeValue(fn)}.`)
  }
  const checked = checkObject('measureBlocking', options, ['thresholdMs', 'countGc'])
  const thresholdMs = checkFiniteMs('measureBlocking', 'thresholdMs', checked.thresholdMs, 0)
  const countGc = checkBoolean('measureBlocking', 'countGc', checked.countGc, false)
  acquire()
  const from = readingNow()
  const fromMs = from[0]!
  let result: unknown
  try {
    result = fn()
  } catch (error) {
    release()
    throw error
  }
  if (!isThenable(result)) {
    const { atMs: toMs, ownMs, cpuMs } = ownSince(from)
    const stats = new StatsBuilder(fromMs, toMs, thresholdMs, countGc)
    stats.add(fromMs, toMs, ownMs, cpuMs)
    release()
    return stats.result()
  }
  const collect = (): BlockStats => {
    // The stretch running now ends the window (see Monitor.since).
    const current = currentStretch(from)
    const stats = new StatsBuilder(fromMs, current?.endMs ?? now(), thresholdMs, countGc)
    forEachStretchSince(fromMs, (s, e, own, cpu) => stats.add(s, e, own, cpu), from)
    stats.addStretch(current)
    release()
    return stats.result()
  }
  return Promise.resolve(result).then(collect, (error: unknown) => {
    release()
    throw error
  })
}
