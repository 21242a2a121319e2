// The worker's one stateful object: the tracker of the test file being run, and which test is running.
// Kept in a symbol slot of the worker's global so that the setup file and the user's import of
// `@loopguard/vitest` (which may load as another copy, ESM beside CJS) find the same state.
import { AsyncLocalStorage } from 'node:async_hooks'
import { BlockingTracker, now, type ResolvedOptions } from '@loopguard/core'
import type { FileAttribution } from './attribution.js'

const SLOT = Symbol.for('loopguard.vitest.worker')

export interface RunningFile {
  tracker: BlockingTracker
  /** The profiler and its recordings, when attribution or profileDir is on. */
  attribution: FileAttribution | undefined
  /** When the last test's window closed: blocks outside tests after it belong to afterAll. */
  lastTestEndMs: number | undefined
  testsStarted: number
}

export class WorkerState {
  file: RunningFile | undefined
  /** Tests whose windows are open, by task id. */
  readonly running = new Map<string, { file: string }>()
  /**
   * Concurrent tests run inside this store so that `allowBlocking` and `toBlockLoop` can tell which one
   * called them; sequential tests don't need it (one test at a time per worker) and so never pay for it.
   */
  readonly concurrentTest = new AsyncLocalStorage<string>()

  constructor(
    readonly options: ResolvedOptions,
    readonly root: string,
  ) {}

  get measuring(): boolean {
    return this.options.mode !== 'off'
  }

  /** Starts a test file's window; called when the setup file is evaluated, before the test file is imported. */
  async beginFile(): Promise<void> {
    this.endFile()
    this.running.clear()
    if (!this.measuring) return
    // Started before the file's window opens: starting V8's profiler costs 5-100 ms of this thread's time.
    const { attribution, profileDir, scope, thresholdMs, countGc } = this.options
    const profiling =
      attribution !== 'off' || profileDir !== undefined
        ? new (await loadAttribution()).FileAttribution({ attribution, profileDir, scope, thresholdMs, countGc, root: this.root })
        : undefined
    const tracker = new BlockingTracker(this.options)
    tracker.beginFile('', 'collect')
    this.file = { tracker, attribution: profiling, lastTestEndMs: undefined, testsStarted: 0 }
  }

  /**
   * Stops measuring the current file. The profiler stops with it: in the vm pools each file loads its own copy of
   * loopguard, which could not reach a profiler an earlier copy left running.
   */
  endFile(): void {
    const file = this.file
    this.file = undefined
    if (!file) return
    file.tracker.close()
    file.attribution?.stop()
  }

  /** The id of the test the caller runs in, or why there is none. */
  currentTest(): { id: string } | { error: 'outside' | 'ambiguous' } {
    const concurrent = this.concurrentTest.getStore()
    if (concurrent !== undefined && this.running.has(concurrent)) return { id: concurrent }
    if (this.running.size === 1) return { id: this.running.keys().next().value! }
    return { error: this.running.size === 0 ? 'outside' : 'ambiguous' }
  }

  endTestWindow(): void {
    if (this.file) this.file.lastTestEndMs = now()
  }
}

/**
 * The profiler and the code that names lines, loaded only for a file that runs them: source maps and globs take
 * longer to load than the rest of loopguard, and with attribution 'off' a worker never loads them.
 */
function loadAttribution(): Promise<typeof import('./attribution.js')> {
  return import('./attribution.js')
}

export function workerState(): WorkerState | undefined {
  return (globalThis as Record<symbol, WorkerState | undefined>)[SLOT]
}

/**
 * The worker's state for the options of the file about to run. A worker that runs another file with the same
 * options (isolate: false) keeps its state; one that moves to another project's options gets a new one.
 */
export function installWorkerState(options: ResolvedOptions, root: string): WorkerState {
  const existing = workerState()
  if (existing && existing.root === root && sameOptions(existing.options, options)) return existing
  existing?.endFile()
  const state = new WorkerState(options, root)
  // Not enumerable: invisible to tests that walk the global object.
  Object.defineProperty(globalThis, SLOT, { value: state, configurable: true, enumerable: false, writable: true })
  return state
}

function sameOptions(a: ResolvedOptions, b: ResolvedOptions): boolean {
  return (
    a.budgetMs === b.budgetMs &&
    a.mode === b.mode &&
    a.thresholdMs === b.thresholdMs &&
    a.attribution === b.attribution &&
    a.profileDir === b.profileDir &&
    JSON.stringify(a.scope) === JSON.stringify(b.scope) &&
    JSON.stringify(Object.entries(a.budgets)) === JSON.stringify(Object.entries(b.budgets))
  )
}
