// The real clock and timers, captured when this module loads so that fake timers installed later
// (which patch `node:timers`, `process.hrtime` and `performance` in place) never reach the monitor.
import * as timers from 'node:timers'
import { closeSync, openSync, readSync } from 'node:fs'
import { performance } from 'node:perf_hooks'

const hrtimeBigint = process.hrtime.bigint
const eventLoopUtilization = performance.eventLoopUtilization.bind(performance)

export const realSetInterval = timers.setInterval
export const realClearInterval = timers.clearInterval
export const realSetImmediate = timers.setImmediate
export const realClearImmediate = timers.clearImmediate

/** Milliseconds on the monotonic clock of `process.hrtime` (the clock V8's profiler stamps samples with). */
export function now(): number {
  return Number(hrtimeBigint()) / 1e6
}

/** Milliseconds this thread's event loop has spent waiting for I/O since it started (libuv's idle time). */
export function loopIdleMs(): number {
  return eventLoopUtilization().idle
}

// The time this thread has run on a CPU and the time it sat runnable waiting for one, from Linux's per-thread
// scheduler statistics (`/proc/thread-self/schedstat`: on-CPU ns, run-queue ns, timeslices). A busy machine
// lengthens every stretch by the second figure; the first bounds what the code itself used. Read with one
// positioned read of a descriptor kept open while a monitor runs (~1.5-5 us); elsewhere (macOS, Windows, no
// procfs) both read as unknown.
const SCHEDSTAT = '/proc/thread-self/schedstat'
const schedBuffer = new Uint8Array(96)
let schedFd = -1

/** Opens this thread's scheduler statistics; false where the platform has none. */
export function openThreadClock(): boolean {
  if (schedFd >= 0) return true
  if (process.platform !== 'linux') return false
  try {
    schedFd = openSync(SCHEDSTAT, 'r')
  } catch {
    return false
  }
  return readThreadTimes(new Float64Array(3))
}

export function closeThreadClock(): void {
  if (schedFd < 0) return
  try {
    closeSync(schedFd)
  } catch {
    // Already closed: nothing is lost.
  }
  schedFd = -1
}

const cpuUsage = process.cpuUsage.bind(process)

/**
 * Brings this thread's on-CPU figure up to date. Linux updates a running thread's figure only at scheduler events
 * (up to a scheduler tick, ~4 ms, behind); asking for the process's CPU usage updates the calling thread's first.
 */
export function refreshThreadTimes(): void {
  cpuUsage()
}

/**
 * Writes this thread's on-CPU and run-queue milliseconds and the times it was put on a CPU into `into[0]`,
 * `into[1]` and `into[2]`, without allocating. False (and `into` untouched) when the statistics are not open or
 * cannot be read.
 */
export function readThreadTimes(into: Float64Array): boolean {
  if (schedFd < 0) return false
  let n: number
  try {
    n = readSync(schedFd, schedBuffer, 0, schedBuffer.length, 0)
  } catch {
    return false
  }
  let field = 0
  let value = 0
  for (let i = 0; i < n && field < 3; i++) {
    const c = schedBuffer[i]!
    if (c >= 48 && c <= 57) value = value * 10 + (c - 48)
    else {
      into[field] = field < 2 ? value / 1e6 : value
      field++
      value = 0
    }
  }
  return field === 3
}
