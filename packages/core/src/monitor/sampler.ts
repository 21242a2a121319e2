// The one stateful object of the detector: a 1 ms unref'd interval that, at each turn of the loop, takes the
// time the loop was busy since the previous turn (elapsed time minus libuv's idle time) as one stretch.
// The interval runs in the timers phase of every iteration, so a stretch holds one iteration's work at most;
// idle time is accounted by libuv itself, which makes the figures exact to the microsecond whatever the
// interval's own jitter. The sampler runs while at least one monitor holds it.
//
// A busy machine lengthens a stretch by the time the thread sat runnable, waiting for a CPU. Where the thread's
// scheduler statistics can be read (Linux), each stretch also keeps how much of it the code itself took: the
// larger of two lower bounds, the thread's CPU time over the stretch and the stretch less the run-queue wait since
// the last turn. The first is exact for code that computes; the second for code that sleeps (sync I/O,
// `Atomics.wait`), short only by the wait on waking from libuv's poll, which CFS keeps small for a sleeper. The
// rest is the wait, reported beside the block and never judged.
import { closeThreadClock, loopIdleMs, now, openThreadClock, readThreadTimes, realClearInterval, realSetInterval, refreshThreadTimes } from './clock.js'
import { startGcRecording, stopGcRecording } from './gc.js'

/** Stretches shorter than this are not stored: they are the loop's own bookkeeping, not anyone's code. */
export const RECORD_FLOOR_MS = 1
/** Stretches kept at most (about a minute of a fully busy loop); the oldest give way first. */
const MAX_CAPACITY = 1 << 16
/** The store starts small and doubles as it fills: a process that loads loopguard pays 64 KB, not 1 MB. */
const INITIAL_CAPACITY = 1 << 12
const TICK_MS = 1

export type StretchListener = (startMs: number, endMs: number, ownMs: number) => void

export interface Stretch {
  startMs: number
  endMs: number
  /** The part of the stretch the thread's own work took, the machine's wait for a CPU left out. */
  ownMs: number
}

let capacity = INITIAL_CAPACITY
let starts = new Float64Array(capacity)
let ends = new Float64Array(capacity)
let owns = new Float64Array(capacity)
// The numbers the tick writes live in a typed array: a fractional number kept in a module variable is a heap
// object, allocated anew at every write, and that one allocation per tick cost a promise-heavy workload ~2 % of
// its wall time (`pnpm bench core`), ten times the tick's own work.
const state = new Float64Array(5)
const LAST_TICK_MS = 0
const LAST_IDLE_MS = 1
const STORED = 2 // total ever stored; index = stored % capacity
const LAST_CPU_MS = 3
const LAST_WAIT_MS = 4
const threadTimes = new Float64Array(2) // on-CPU ms, run-queue ms, as read now
let threadClock = false
let holders = 0
let timer: ReturnType<typeof realSetInterval> | undefined
const listeners = new Set<StretchListener>()

/**
 * Ends the stretch running now as a turn of the loop would, so that it is stored with its own bounds: a window
 * closing now then finds it whole, and later GC figures can be matched to it.
 */
export function cut(): void {
  if (holders > 0) tick()
}

function tick(): void {
  const t = now()
  const idle = loopIdleMs()
  const busy = t - state[LAST_TICK_MS]! - (idle - state[LAST_IDLE_MS]!)
  const own = ownPart(busy)
  state[LAST_TICK_MS] = t
  state[LAST_IDLE_MS] = idle
  if (threadClock) {
    state[LAST_CPU_MS] = threadTimes[0]!
    state[LAST_WAIT_MS] = threadTimes[1]!
  }
  if (busy >= RECORD_FLOOR_MS) record(t - busy, t, own)
}

/** The thread's own share of `busy` ms since the last turn; reads the thread's times into `threadTimes`. */
function ownPart(busy: number): number {
  if (busy <= 0) {
    if (threadClock) readThreadTimes(threadTimes)
    return 0
  }
  if (!threadClock) return busy
  // A stretch long enough to store needs its CPU figure exact; a shorter one started from a sleep, which updated it.
  if (busy >= RECORD_FLOOR_MS) refreshThreadTimes()
  if (!readThreadTimes(threadTimes)) return busy
  const cpu = threadTimes[0]! - state[LAST_CPU_MS]!
  const wait = threadTimes[1]! - state[LAST_WAIT_MS]!
  return Math.min(busy, Math.max(cpu, busy - wait, 0))
}


/** The thread's times now, to measure one synchronous call by (`ownSince`); undefined where unknown. */
export function threadTimesNow(): Float64Array | undefined {
  const times = new Float64Array(2)
  if (threadClock) refreshThreadTimes()
  return threadClock && readThreadTimes(times) ? times : undefined
}

/** The thread's own share of `wallMs` ms since `before` was read by `threadTimesNow()`. */
export function ownSince(before: Float64Array | undefined, wallMs: number): number {
  const after = new Float64Array(2)
  if (before) refreshThreadTimes()
  if (!before || !readThreadTimes(after)) return wallMs
  return Math.min(wallMs, Math.max(after[0]! - before[0]!, wallMs - (after[1]! - before[1]!), 0))
}

/** True when stretches leave out the machine's wait for a CPU (Linux); false where that wait may be counted. */
export function excludesMachineLoad(): boolean {
  return threadClock
}

/** Stores one stretch (exported for the store's own tests; the tick is its one caller in the product). */
export function record(startMs: number, endMs: number, ownMs: number = endMs - startMs): void {
  const stored = state[STORED]!
  if (stored === capacity && capacity < MAX_CAPACITY) grow()
  const i = stored % capacity
  starts[i] = startMs
  ends[i] = endMs
  owns[i] = ownMs
  state[STORED] = stored + 1
  if (listeners.size > 0) for (const listener of listeners) listener(startMs, endMs, ownMs)
}

/** Doubles the store; called only while it has never wrapped, so its stretches lie in order from index 0. */
function grow(): void {
  capacity *= 2
  const grownStarts = new Float64Array(capacity)
  const grownEnds = new Float64Array(capacity)
  const grownOwns = new Float64Array(capacity)
  grownStarts.set(starts)
  grownEnds.set(ends)
  grownOwns.set(owns)
  starts = grownStarts
  ends = grownEnds
  owns = grownOwns
}

export function acquire(): void {
  if (holders++ > 0) return
  threadClock = openThreadClock()
  startGcRecording()
  state[LAST_TICK_MS] = now()
  state[LAST_IDLE_MS] = loopIdleMs()
  if (threadClock && readThreadTimes(threadTimes)) {
    state[LAST_CPU_MS] = threadTimes[0]!
    state[LAST_WAIT_MS] = threadTimes[1]!
  }
  timer = realSetInterval(tick, TICK_MS)
  timer.unref()
}

export function release(): void {
  if (holders === 0 || --holders > 0) return
  realClearInterval(timer)
  timer = undefined
  stopGcRecording()
  closeThreadClock()
  threadClock = false
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
  return { startMs: t - busy, endMs: t, ownMs: ownPart(busy) }
}

/** Calls `visit` for every stored stretch that ends after `fromMs`, oldest first. */
export function forEachStretchSince(fromMs: number, visit: (startMs: number, endMs: number, ownMs: number) => void): void {
  const stored = state[STORED]!
  const oldest = Math.max(0, stored - capacity)
  let lo = oldest
  let hi = stored
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (ends[mid % capacity]! <= fromMs) lo = mid + 1
    else hi = mid
  }
  for (let n = lo; n < stored; n++) visit(starts[n % capacity]!, ends[n % capacity]!, owns[n % capacity]!)
}
