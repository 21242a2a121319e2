// V8's garbage-collection pauses on this thread, kept while the sampler runs so a block can say how much of it was
// the collector's. A pause lands in whichever code happens to run when the heap fills, often not the code that
// filled it, so by default it is shown with the block and not charged to it.
import { PerformanceObserver, performance, type PerformanceEntry } from 'node:perf_hooks'
import { now } from './clock.js'

/** Pauses kept at most; the oldest give way first. */
const CAPACITY = 1 << 12
const starts = new Float64Array(CAPACITY)
const ends = new Float64Array(CAPACITY)
let stored = 0
let observer: PerformanceObserver | undefined
// Entries carry times on the performance timeline; the sampler's clock is `process.hrtime`'s.
const performanceNow = performance.now.bind(performance)
let toClockMs = 0

function keep(list: { getEntries(): PerformanceEntry[] }): void {
  for (const entry of list.getEntries()) keepEntry(entry)
}

function keepEntry(entry: PerformanceEntry): void {
  const i = stored % CAPACITY
  starts[i] = entry.startTime + toClockMs
  ends[i] = entry.startTime + entry.duration + toClockMs
  stored++
}

export function startGcRecording(): void {
  if (observer) return
  toClockMs = now() - performanceNow()
  try {
    observer = new PerformanceObserver(keep)
    observer.observe({ entryTypes: ['gc'] })
  } catch {
    // No 'gc' entries in this runtime: blocks then show no GC time.
    observer = undefined
  }
}

export function stopGcRecording(): void {
  observer?.disconnect()
  observer = undefined
}

/**
 * Milliseconds of GC pause inside [fromMs, toMs]. Takes the entries Node has queued and not yet delivered: Node
 * queues a pause's entry at the end of the loop turn it happened in, so a pause in the stretch running now is not
 * known until that turn ends.
 */
export function gcWithin(fromMs: number, toMs: number): number {
  if (observer) for (const entry of observer.takeRecords()) keepEntry(entry)
  let total = 0
  const oldest = Math.max(0, stored - CAPACITY)
  for (let n = stored - 1; n >= oldest; n--) {
    const i = n % CAPACITY
    const end = ends[i]!
    // One thread's pauses never overlap: once one ends before the window, every older one does too.
    if (end <= fromMs) break
    const overlap = Math.min(end, toMs) - Math.max(starts[i]!, fromMs)
    if (overlap > 0) total += overlap
  }
  return total
}

/** Records one pause (for the store's own tests). */
export function recordGcPause(startMs: number, endMs: number): void {
  keepEntry({ startTime: startMs - toClockMs, duration: endMs - startMs } as PerformanceEntry)
}
