// The test runner's own work on this thread: the spans a runner integration marks as the runner's (Jest mapping an
// error's stack through source maps when a test reads `error.stack`, Jest transforming and resolving a module), so a
// block leaves them out, as it leaves out GC pauses. The runner's work is never the user's blocking.
import { now } from './clock.js'

/** Spans kept at most; the oldest give way first. */
const CAPACITY = 1 << 12
const starts = new Float64Array(CAPACITY)
const ends = new Float64Array(CAPACITY)
let stored = 0
/** How deep the thread is in marked work: only the outermost span is kept, so nested work is counted once. */
let depth = 0

/** Records [startMs, endMs] on core's clock as the runner's work. Spans must come in order and not overlap. */
export function recordRunnerWork(startMs: number, endMs: number): void {
  if (!(endMs > startMs)) return
  const i = stored % CAPACITY
  starts[i] = startMs
  ends[i] = endMs
  stored++
}

/** Milliseconds of the runner's work inside [fromMs, toMs]. */
export function runnerWorkWithin(fromMs: number, toMs: number): number {
  let total = 0
  const oldest = Math.max(0, stored - CAPACITY)
  for (let n = stored - 1; n >= oldest; n--) {
    const i = n % CAPACITY
    const end = ends[i]!
    // Spans are kept in order and never overlap: once one ends before the window, every older one does too.
    if (end <= fromMs) break
    const overlap = Math.min(end, toMs) - Math.max(starts[i]!, fromMs)
    if (overlap > 0) total += overlap
  }
  return total
}

/**
 * `fn` as the runner's work: the same function, called with the same `this` and arguments, whose time is recorded
 * as the runner's. Keeps `fn`'s name and length, so the wrapper reads as what it wraps.
 */
export function asRunnerWork<F extends (this: never, ...args: never[]) => unknown>(fn: F): F {
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    if (depth > 0) return Reflect.apply(fn, this, args)
    depth++
    const startMs = now()
    try {
      return Reflect.apply(fn, this, args)
    } finally {
      depth--
      recordRunnerWork(startMs, now())
    }
  }
  Object.defineProperty(wrapped, 'name', { value: fn.name, configurable: true })
  Object.defineProperty(wrapped, 'length', { value: fn.length, configurable: true })
  return wrapped as unknown as F
}
