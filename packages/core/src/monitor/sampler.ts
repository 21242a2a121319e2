// The one stateful object of the detector: a 1 ms unref'd interval that, at each turn of the loop, takes the
// time the loop was busy since the previous turn (elapsed time minus libuv's idle time) as one stretch.
// The interval runs in the timers phase of every iteration, so a stretch holds one iteration's work at most;
// idle time is accounted by libuv itself, which makes the figures exact to the microsecond whatever the
// interval's own jitter. The sampler runs while at least one monitor holds it.
import { loopIdleMs, now, realClearInterval, realSetInterval } from './clock.js'

/** Stretches shorter than this are not stored: they are the loop's own bookkeeping, not anyone's code. */
export const RECORD_FLOOR_MS = 1
const CAPACITY = 1 << 16
const TICK_MS = 1

export type StretchListener = (startMs: number, endMs: number) => void

export interface Stretch {
  startMs: number
  endMs: number
}

const starts = new Float64Array(CAPACITY)
const ends = new Float64Array(CAPACITY)
// The numbers the tick writes live in a typed array: a fractional number kept in a module variable is a heap
// object, allocated anew at every write, and that one allocation per tick cost a promise-heavy workload ~2 % of
// its wall time (`pnpm bench core`), ten times the tick's own work.
const state = new Float64Array(3)
const LAST_TICK_MS = 0
const LAST_IDLE_MS = 1
const STORED = 2 // total ever stored; index = stored % CAPACITY
let holders = 0
let timer: ReturnType<typeof realSetInterval> | undefined
const listeners = new Set<StretchListener>()

function tick(): void {
  const t = now()
  const idle = loopIdleMs()
  const busy = t - state[LAST_TICK_MS]! - (idle - state[LAST_IDLE_MS]!)
  state[LAST_TICK_MS] = t
  state[LAST_IDLE_MS] = idle
  if (busy >= RECORD_FLOOR_MS) record(t - busy, t)
}

function record(startMs: number, endMs: number): void {
  const stored = state[STORED]!
  const i = stored % CAPACITY
  starts[i] = startMs
  ends[i] = endMs
  state[STORED] = stored + 1
  if (listeners.size > 0) for (const listener of listeners) listener(startMs, endMs)
}

export function acquire(): void {
  if (holders++ > 0) return
  state[LAST_TICK_MS] = now()
  state[LAST_IDLE_MS] = loopIdleMs()
  timer = realSetInterval(tick, TICK_MS)
  timer.unref()
}

export function release(): void {
  if (holders === 0 || --holders > 0) return
  realClearInterval(timer)
  timer = undefined
}

export function isRunning(): boolean {
  return holders > 0
}

export function listen(listener: StretchListener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** The stretch the loop is in right now: from the end of its last idle wait (or last turn) until now. */
export function currentStretch(): Stretch | undefined {
  if (holders === 0) return undefined
  const t = now()
  const busy = t - state[LAST_TICK_MS]! - (loopIdleMs() - state[LAST_IDLE_MS]!)
  return { startMs: t - busy, endMs: t }
}

/** Calls `visit` for every stored stretch that ends after `fromMs`, oldest first. */
export function forEachStretchSince(fromMs: number, visit: (startMs: number, endMs: number) => void): void {
  const stored = state[STORED]!
  const oldest = Math.max(0, stored - CAPACITY)
  let lo = oldest
  let hi = stored
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (ends[mid % CAPACITY]! <= fromMs) lo = mid + 1
    else hi = mid
  }
  for (let n = lo; n < stored; n++) visit(starts[n % CAPACITY]!, ends[n % CAPACITY]!)
}
