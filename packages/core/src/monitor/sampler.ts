// The one stateful object of the detector: a 1 ms unref'd interval that, at each turn of the loop, takes the
// time the loop was busy since the previous turn (elapsed time minus libuv's idle time) as one stretch.
// The interval runs in the timers phase of every iteration, so a stretch holds one iteration's work at most;
// idle time is accounted by libuv itself, which makes the figures exact to the microsecond whatever the
// interval's own jitter. The sampler runs while at least one monitor holds it.
import { loopIdleMs, now, realClearInterval, realSetInterval } from './clock.js'

/** Stretches shorter than this are not stored: they are the loop's own bookkeeping, not anyone's code. */
export const RECORD_FLOOR_MS = 1
/** Stretches kept at most (about a minute of a fully busy loop); the oldest give way first. */
const MAX_CAPACITY = 1 << 16
/** The store starts small and doubles as it fills: a process that loads loopguard pays 64 KB, not 1 MB. */
const INITIAL_CAPACITY = 1 << 12
const TICK_MS = 1

export type StretchListener = (startMs: number, endMs: number) => void

export interface Stretch {
  startMs: number
  endMs: number
}

let capacity = INITIAL_CAPACITY
let starts = new Float64Array(capacity)
let ends = new Float64Array(capacity)
// The numbers the tick writes live in a typed array: a fractional number kept in a module variable is a heap
// object, allocated anew at every write, and that one allocation per tick cost a promise-heavy workload ~2 % of
// its wall time (`pnpm bench core`), ten times the tick's own work.
const state = new Float64Array(3)
const LAST_TICK_MS = 0
const LAST_IDLE_MS = 1
const STORED = 2 // total ever stored; index = stored % capacity
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

/** Stores one stretch (exported for the store's own tests; the tick is its one caller in the product). */
export function record(startMs: number, endMs: number): void {
  const stored = state[STORED]!
  if (stored === capacity && capacity < MAX_CAPACITY) grow()
  const i = stored % capacity
  starts[i] = startMs
  ends[i] = endMs
  state[STORED] = stored + 1
  if (listeners.size > 0) for (const listener of listeners) listener(startMs, endMs)
}

/** Doubles the store; called only while it has never wrapped, so its stretches lie in order from index 0. */
function grow(): void {
  capacity *= 2
  const grownStarts = new Float64Array(capacity)
  const grownEnds = new Float64Array(capacity)
  grownStarts.set(starts)
  grownEnds.set(ends)
  starts = grownStarts
  ends = grownEnds
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
  const oldest = Math.max(0, stored - capacity)
  let lo = oldest
  let hi = stored
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (ends[mid % capacity]! <= fromMs) lo = mid + 1
    else hi = mid
  }
  for (let n = lo; n < stored; n++) visit(starts[n % capacity]!, ends[n % capacity]!)
}
