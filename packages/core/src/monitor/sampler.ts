// The one stateful object of the detector. At each turn of the loop it takes the time the loop was busy since the
// previous turn (elapsed time minus libuv's idle time) as one stretch. Idle time is accounted by libuv itself, which
// makes the figures exact to the microsecond whatever the lateness of what ends a stretch; that only decides where
// one stretch ends and the next begins. Two things end a stretch, taking turns:
// - while the loop is busy, a 1 ms unref'd interval, in the timers phase: a stretch holds one turn's work at most,
//   and turns shorter than a millisecond are summed;
// - once a turn of the interval finds the loop idle for most of its millisecond, an unref'd immediate, which runs in
//   the check phase of the next turn that happens, whatever wakes the loop, and hands back to the interval. An idle
//   loop is then never woken (the interval would wake it a thousand times a second), and the work that ends an idle
//   spell is a stretch of its own. Unref'd, the immediate does not make libuv poll without waiting, as a ref'd
//   one does.
// The sampler runs while at least one monitor holds it.
//
// A busy machine lengthens a stretch by the time the thread sat runnable, waiting for a CPU. Where the thread's
// scheduler statistics can be read (Linux), each stretch also keeps how much of it the code itself took (`own`):
// the stretch less the run-queue wait since the last turn that kept code from running (see `ownBetween`), and
// never less than the thread's CPU time over the stretch. The rest is the wait, reported beside the block and
// never judged.
import {
  closeThreadClock,
  loopIdleMs,
  now,
  openThreadClock,
  readThreadTimes,
  realClearImmediate,
  realClearInterval,
  realSetImmediate,
  realSetInterval,
  refreshThreadTimes,
} from './clock.js'
import { startGcRecording, stopGcRecording } from './gc.js'

/** Stretches shorter than this are not stored: they are the loop's own bookkeeping, not anyone's code. */
export const RECORD_FLOOR_MS = 1
/** Stretches kept at most (about a minute of a fully busy loop); the oldest give way first. */
const MAX_CAPACITY = 1 << 16
/** The store starts small and doubles as it fills: a process that loads loopguard pays 64 KB, not 1 MB. */
const INITIAL_CAPACITY = 1 << 12
const TICK_MS = 1

/**
 * Hears of each stretch stored: its bounds, its own time, when the tick read them the thread's clocks at its end,
 * and its CPU time (NaN where the thread's clocks cannot be read).
 */
export type StretchListener = (startMs: number, endMs: number, ownMs: number, end: Reading | undefined, cpuMs: number) => void

export interface Stretch {
  startMs: number
  endMs: number
  /** The part of the stretch the thread's own work took, the machine's wait for a CPU left out. */
  ownMs: number
  /** The thread's CPU time in the stretch; NaN where the thread's clocks cannot be read. */
  cpuMs: number
}

/**
 * The thread's clocks at one moment: [time, libuv idle, on-CPU, run-queue wait] in ms, and the times the thread
 * was put on a CPU. A window that opens in the middle of a stretch takes its own share of the stretch from the
 * reading at its opening.
 */
export type Reading = Float64Array
const AT = 0
const IDLE = 1
const CPU = 2
const WAIT = 3
const SLICES = 4
/**
 * The least CPU time a thread computes between two preemptions, for a stretch in which it also slept: CPU time `c`
 * accounts for at most `c / MIN_SLICE_MS` of the times the thread was put back on a CPU; the others were wake-ups,
 * whose waits do not delay the end of the sleep they interrupted. (Measured here with three busy loops on 2 cores: 0.95-1.5 ms
 * of CPU per return on average, and a wake-up to take a profiler's sample runs for microseconds. A lower figure
 * reads the CPU part of a mixed stretch better and its sleep worse: a sleep must never read short.)
 */
const MIN_SLICE_MS = 1
/**
 * How long a thread that computes waits for a CPU on a machine a fair scheduler shares: per ms of CPU it gets, n - 1
 * ms with n runnable threads per core (four covers five on every core), and, in a short stretch, up to a few of the
 * other threads' time slices at once (a few ms each).
 */
const MAX_WAIT_PER_CPU = 4
const MAX_PREEMPTION_WAIT_MS = 20
/** A stretch whose thread was off the CPU without waiting for one for less than this (ms, or 3 %) never slept. */
const SLEPT_FLOOR_MS = 1

let capacity = INITIAL_CAPACITY
let starts = new Float64Array(capacity)
let ends = new Float64Array(capacity)
let owns = new Float64Array(capacity)
let cpus = new Float64Array(capacity)
// The thread's clocks at each stored stretch's end: idle, on-CPU, run-queue wait.
let endIdles = new Float64Array(capacity)
let endCpus = new Float64Array(capacity)
let endWaits = new Float64Array(capacity)
let endSlices = new Float64Array(capacity)
// The numbers the tick writes live in typed arrays: a fractional number kept in a module variable is a heap
// object, allocated anew at every write, and that one allocation per tick cost a promise-heavy workload ~2 % of
// its wall time (`pnpm bench core`), ten times the tick's own work.
const last: Reading = new Float64Array(5) // the previous turn
const current: Reading = new Float64Array(5) // this turn, as read now
const threadTimes = new Float64Array(3)
const counters = new Float64Array(1)
const STORED = 0 // total ever stored; index = stored % capacity
let threadClock = false
let holders = 0
let timer: ReturnType<typeof realSetInterval> | undefined
let immediate: ReturnType<typeof realSetImmediate> | undefined
/**
 * Holders that need the interval kept while the loop idles. A CPU profiler signals the thread at every sample, and a
 * signal cuts libuv's poll short: libuv then starts counting the poll's idle time afresh, and what it waited before
 * the signal reads as busy (seen: 5.4 ms of "blocking" in a test that only awaits, with V8's profiler at 1 ms). The
 * interval keeps each poll, and so what it can lose, under a millisecond. Node's own profilers count from the start.
 */
let wakeful = /--cpu-prof|--prof\b/.test(`${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`) ? 1 : 0
const listeners = new Set<StretchListener>()

/** A reading whose clock and thread times lie further apart than this was interrupted: it is taken again. */
const READING_SPAN_MS = 0.05

/**
 * Fills `into` with the thread's clocks now. The CPU figure is brought up to date first: the kernel updates a
 * running thread's figure only at its scheduler's ticks (every 4 ms at 250 Hz), and a stretch read from a figure
 * that lags would count CPU time that was not its own.
 */
function read(into: Reading): void {
  // libuv's idle time cannot change while JavaScript runs: read once.
  into[IDLE] = loopIdleMs()
  // The time is taken after the thread's figures and checked against the time before them: a thread preempted in
  // between would count a wait the clock has not seen, and charge it to the next stretch.
  for (let attempt = 0; ; attempt++) {
    const before = now()
    if (threadClock) {
      refreshThreadTimes()
      if (readThreadTimes(threadTimes)) {
        into[CPU] = threadTimes[0]!
        into[WAIT] = threadTimes[1]!
        into[SLICES] = threadTimes[2]!
      }
    }
    into[AT] = now()
    if (!threadClock || into[AT]! - before < READING_SPAN_MS || attempt === 2) return
  }
}

/** Busy ms between two readings: elapsed time less libuv's idle time. */
function busyBetween(from: Reading, to: Reading): number {
  return to[AT]! - from[AT]! - (to[IDLE]! - from[IDLE]!)
}

/** The thread's CPU time between two readings; NaN where the thread's clocks cannot be read. */
function cpuBetween(from: Reading, to: Reading): number {
  return threadClock ? Math.max(0, to[CPU]! - from[CPU]!) : Number.NaN
}

/** The thread's own ms of the busy time between two readings (see the head of this file). */
function ownBetween(from: Reading, to: Reading, busy: number): number {
  if (!threadClock || busy <= 0) return Math.max(0, busy)
  const idled = to[IDLE]! - from[IDLE]!
  const cpu = to[CPU]! - from[CPU]!
  const wait = to[WAIT]! - from[WAIT]!
  const slices = to[SLICES]! - from[SLICES]!
  // The wait on waking from the poll is inside libuv's idle time already: at most `idled` of `wait` is that. A
  // stretch that ends the first turn after an idle spell holds the whole spell, so that bound alone would keep every
  // wait of the work after it too: the idle part is also held to the share of the wait that falls to the thread's
  // wake-ups, those of its returns to a CPU that its CPU time cannot account for as preemptions (one at least).
  const wakeUpShare = slices > 0 ? Math.min(1, Math.max(1, slices - cpu / MIN_SLICE_MS) / slices) : 1
  const waitWhileBusy = idled > 0 ? wait - Math.min(wait, idled, wait * wakeUpShare) : wait
  // A wait lengthens the stretch when it keeps code from running: code that computes is preempted and waits. A
  // thread that never slept was only ever preempted, and every wait is taken out. But Linux (6.12+) can count a
  // whole sleep as a wait (see below; seen: 295 ms of "wait" in a 300 ms Atomics.wait that ran 0.6 ms of CPU), and
  // the thread then seems never to have slept: a wait longer than a fair scheduler makes code wait is such a sleep,
  // and only what the scheduler could have made it wait is taken out, in the share of the thread's returns to a CPU
  // that its CPU time can account for as preemptions (see below: the profiler's wake-ups during the sleep are not).
  const preempted = slices > 0 ? Math.min(1, cpu / MIN_SLICE_MS / slices) : 1
  // Evidence of a sleep is busy time that neither the CPU time nor any wait explains: a wait counted inside the idle
  // time may or may not have been there, and a stretch is not taken for a sleep on the strength of that doubt (seen:
  // 1.0 ms "slept" in a 9 ms stretch of 1.6 ms CPU and 7.6 ms wait, 1.05 ms of it possibly in the idle part).
  const slept = busy - cpu - wait
  if (slept <= Math.max(SLEPT_FLOOR_MS, busy * 0.03)) {
    const fair =
      waitWhileBusy <= MAX_PREEMPTION_WAIT_MS + cpu * MAX_WAIT_PER_CPU
        ? waitWhileBusy
        : Math.min(cpu * MAX_WAIT_PER_CPU, waitWhileBusy * preempted)
    return Math.min(busy, Math.max(cpu, busy - fair, 0))
  }
  // Code that sleeps (sync I/O, `Atomics.wait`) ends its sleep on time even when a signal wakes it and it then
  // waits for a CPU (the CPU profiler signals the thread every sampling interval). And Linux (6.12+) leaves a
  // thread that goes to sleep after computing on the run queue until its share of the CPU is paid back, counting
  // that time as a wait (seen: 22 ms of "wait" inside a 30 ms Atomics.wait). So the wait of a stretch that slept is
  // taken out in the share of its returns to a CPU that its CPU time can account for as preemptions, and never more
  // than its CPU time (preempted code waits about as long as it computes when two threads share a core): a sleep
  // always reads at least its length.
  return Math.min(busy, Math.max(cpu, busy - Math.min(waitWhileBusy * preempted, cpu), 0))
}

/**
 * Ends the stretch running now as a turn of the loop would, so that it is stored with its own bounds: a window
 * closing now then finds it whole, and later GC figures can be matched to it.
 */
export function cut(): void {
  if (holders > 0) tick()
}

/** Ends the stretch running now. True when the loop sat idle for most of the time since the previous end. */
function tick(): boolean {
  read(current)
  const elapsed = current[AT]! - last[AT]!
  const busy = busyBetween(last, current)
  if (busy >= RECORD_FLOOR_MS) record(current[AT]! - busy, current[AT]!, ownBetween(last, current, busy), current, cpuBetween(last, current))
  last.set(current)
  return busy * 2 < elapsed
}

/** The interval's run: a loop found mostly idle is handed to the immediate, which does not wake it. */
function onInterval(): void {
  if (!tick() || wakeful > 0) return
  realClearInterval(timer)
  timer = undefined
  armImmediate()
}

/**
 * The first turn after an idle spell reached its check phase: the work that woke the loop (I/O callbacks) ends a
 * stretch here, and the interval takes over again. It must: a timer's callback runs in the turn after this one,
 * before libuv polls again, and a stretch ended only at the next check phase would be placed after that poll's
 * wait, not before it.
 */
function onImmediate(): void {
  immediate = undefined
  if (now() - last[AT]! >= TICK_MS) tick()
  startInterval()
}

function armImmediate(): void {
  immediate = realSetImmediate(onImmediate)
  immediate.unref()
}

function startInterval(): void {
  timer = realSetInterval(onInterval, TICK_MS)
  timer.unref()
}

/** A reading of the thread's clocks now, for a window that opens now. */
export function readingNow(): Reading {
  const reading: Reading = new Float64Array(5)
  read(reading)
  return reading
}

/** The thread's own ms of the busy time from `from` until now (one synchronous call, say). */
export function ownSince(from: Reading): { atMs: number; ownMs: number; cpuMs: number } {
  const to = readingNow()
  return { atMs: to[AT]!, ownMs: ownBetween(from, to, busyBetween(from, to)), cpuMs: cpuBetween(from, to) }
}

/** True when stretches leave out the machine's wait for a CPU (Linux); false where that wait may be counted. */
export function excludesMachineLoad(): boolean {
  return threadClock
}

/**
 * Stores one stretch (exported for the store's own tests; the tick is its one caller in the product). `end` holds
 * the thread's clocks at its end, when known.
 */
export function record(startMs: number, endMs: number, ownMs: number = endMs - startMs, end?: Reading, cpuMs = Number.NaN): void {
  const stored = counters[STORED]!
  if (stored === capacity && capacity < MAX_CAPACITY) grow()
  const i = stored % capacity
  starts[i] = startMs
  ends[i] = endMs
  owns[i] = ownMs
  cpus[i] = cpuMs
  endIdles[i] = end ? end[IDLE]! : NaN
  endCpus[i] = end ? end[CPU]! : NaN
  endWaits[i] = end ? end[WAIT]! : NaN
  endSlices[i] = end ? end[SLICES]! : NaN
  counters[STORED] = stored + 1
  if (listeners.size > 0) for (const listener of listeners) listener(startMs, endMs, ownMs, end, cpuMs)
}

/** Doubles the store; called only while it has never wrapped, so its stretches lie in order from index 0. */
function grow(): void {
  capacity *= 2
  const grown = (old: Float64Array) => {
    const next = new Float64Array(capacity)
    next.set(old)
    return next
  }
  starts = grown(starts)
  ends = grown(ends)
  owns = grown(owns)
  cpus = grown(cpus)
  endIdles = grown(endIdles)
  endCpus = grown(endCpus)
  endWaits = grown(endWaits)
  endSlices = grown(endSlices)
}

export function acquire(): void {
  if (holders++ > 0) return
  threadClock = openThreadClock()
  startGcRecording()
  read(last)
  startInterval()
}

export function release(): void {
  if (holders === 0 || --holders > 0) return
  realClearInterval(timer)
  realClearImmediate(immediate)
  timer = undefined
  immediate = undefined
  stopGcRecording()
  closeThreadClock()
  threadClock = false
}

/**
 * Keeps the sampler's interval running while the loop idles, until the returned function is called: for code that
 * runs a CPU profiler on this thread (see `wakeful`). An idle loop then pays the interval's wake-ups, a fraction of
 * what the profiler's own signals cost.
 */
export function keepAwake(): () => void {
  wakeful++
  if (immediate) {
    realClearImmediate(immediate)
    immediate = undefined
    startInterval()
  }
  let released = false
  return () => {
    if (released) return
    released = true
    wakeful--
  }
}

export function isRunning(): boolean {
  return holders > 0
}

export function listen(listener: StretchListener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/**
 * The stretch the loop is in right now: from the end of its last idle wait (or last turn) until now. From `from`
 * on only, when that reading was taken inside it.
 */
export function currentStretch(from?: Reading): Stretch | undefined {
  if (holders === 0) return undefined
  const to = readingNow()
  const busy = busyBetween(last, to)
  const startMs = to[AT]! - busy
  if (from && from[AT]! > startMs) {
    const busyAfter = Math.min(busy, busyBetween(from, to))
    return { startMs: to[AT]! - busyAfter, endMs: to[AT]!, ownMs: ownBetween(from, to, busyAfter), cpuMs: cpuBetween(from, to) }
  }
  return { startMs, endMs: to[AT]!, ownMs: ownBetween(last, to, busy), cpuMs: cpuBetween(last, to) }
}

/**
 * The part of a stretch (from `startMs` to the reading `end`) after the reading `from`, taken inside it: where it
 * begins and its own time, from the thread's clocks at `from` rather than a share of the whole stretch's.
 */
export function stretchAfter(from: Reading, startMs: number, end: Reading): { startMs: number; ownMs: number; cpuMs: number } {
  const busyAfter = Math.min(end[AT]! - startMs, busyBetween(from, end))
  return { startMs: end[AT]! - busyAfter, ownMs: ownBetween(from, end, busyAfter), cpuMs: cpuBetween(from, end) }
}

/**
 * Calls `visit` for every stored stretch that ends after `fromMs`, oldest first. A stretch that began before a
 * window opened is given from the opening on, its own time taken from `from`, the reading at the opening.
 */
export function forEachStretchSince(
  fromMs: number,
  visit: (startMs: number, endMs: number, ownMs: number, cpuMs: number) => void,
  from?: Reading,
): void {
  const stored = counters[STORED]!
  const oldest = Math.max(0, stored - capacity)
  let lo = oldest
  let hi = stored
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (ends[mid % capacity]! <= fromMs) lo = mid + 1
    else hi = mid
  }
  for (let n = lo; n < stored; n++) {
    const i = n % capacity
    const startMs = starts[i]!
    if (n === lo && from && startMs < from[AT]! && !Number.isNaN(endIdles[i]!)) {
      const end: Reading = Float64Array.of(ends[i]!, endIdles[i]!, endCpus[i]!, endWaits[i]!, endSlices[i]!)
      const after = stretchAfter(from, startMs, end)
      visit(after.startMs, ends[i]!, after.ownMs, after.cpuMs)
    } else visit(startMs, ends[i]!, owns[i]!, cpus[i]!)
  }
}
