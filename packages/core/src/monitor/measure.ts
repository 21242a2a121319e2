import { now } from './clock.js'
import { acquire, currentStretch, forEachStretchSince, release } from './sampler.js'
import { StatsBuilder, type BlockStats } from './stats.js'
import { checkFiniteMs, checkObject, describeValue } from '../options/validate.js'

export interface MeasureOptions {
  /** Blocks shorter than this are not counted or listed; `longestMs` is always known (default 0). */
  thresholdMs?: number
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
  const thresholdMs = checkFiniteMs(
    'measureBlocking',
    'thresholdMs',
    checkObject('measureBlocking', options, ['thresholdMs']).thresholdMs,
    0,
  )
  acquire()
  const fromMs = now()
  let result: unknown
  try {
    result = fn()
  } catch (error) {
    release()
    throw error
  }
  if (!isThenable(result)) {
    const toMs = now()
    release()
    const stats = new StatsBuilder(fromMs, toMs, thresholdMs)
    stats.add(fromMs, toMs)
    return stats.result()
  }
  const collect = (): BlockStats => {
    const stats = new StatsBuilder(fromMs, now(), thresholdMs)
    forEachStretchSince(fromMs, (s, e) => stats.add(s, e))
    stats.addStretch(currentStretch())
    release()
    return stats.result()
  }
  return Promise.resolve(result).then(collect, (error: unknown) => {
    release()
    throw error
  })
}
