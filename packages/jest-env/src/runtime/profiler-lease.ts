// The CPU profiler of this Jest worker, shared by the test files it runs one after another. Starting V8's
// profiler costs 5-100 ms once much code is loaded, so it is not stopped between two files: a file's
// environment borrows it, and when the last borrower gives it back it stops a moment later unless another
// file has borrowed it in the meantime (in band and in watch mode the process lives on between runs, and a
// profiler left running would keep every sample).
import { keepSamplerAwake } from '@loopguard/core'
import { startProfiler, type Profiler } from '@loopguard/core/attribution'

/** How long a profiler nobody borrows keeps running, waiting for the worker's next test file. */
const IDLE_STOP_MS = 1000

// Captured at load, before anything could fake the timers.
const realSetTimeout = setTimeout
const realClearTimeout = clearTimeout

let profiler: Profiler | undefined
/** Lets the detector's interval sleep again: the profiler's signals cut libuv's poll short while it runs. */
let letSamplerSleep: (() => void) | undefined
let borrowers = 0
let idleStop: NodeJS.Timeout | undefined

/** The worker's profiler, started on the first call; give it back with `returnProfiler()`. */
export function borrowProfiler(): Profiler {
  if (idleStop) {
    realClearTimeout(idleStop)
    idleStop = undefined
  }
  if (!profiler?.running) {
    profiler = startProfiler()
    letSamplerSleep ??= keepSamplerAwake()
  }
  borrowers++
  return profiler
}

export function returnProfiler(): void {
  if (borrowers === 0 || --borrowers > 0 || !profiler) return
  const idle = profiler
  // Unref'd: a worker that has nothing else to do exits without waiting for it.
  idleStop = realSetTimeout(() => {
    idleStop = undefined
    if (borrowers === 0 && profiler === idle) {
      profiler = undefined
      idle.stop()
      letSamplerSleep?.()
      letSamplerSleep = undefined
    }
  }, IDLE_STOP_MS)
  idleStop.unref()
}
