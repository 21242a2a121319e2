// The real clock and timers, captured when this module loads so that fake timers installed later
// (which patch `node:timers`, `process.hrtime` and `performance` in place) never reach the monitor.
import * as timers from 'node:timers'
import { performance } from 'node:perf_hooks'

const hrtimeBigint = process.hrtime.bigint
const eventLoopUtilization = performance.eventLoopUtilization.bind(performance)

export const realSetInterval = timers.setInterval
export const realClearInterval = timers.clearInterval
export const realSetImmediate = timers.setImmediate

/** Milliseconds on the monotonic clock of `process.hrtime` (the clock V8's profiler stamps samples with). */
export function now(): number {
  return Number(hrtimeBigint()) / 1e6
}

/** Milliseconds this thread's event loop has spent waiting for I/O since it started (libuv's idle time). */
export function loopIdleMs(): number {
  return eventLoopUtilization().idle
}
