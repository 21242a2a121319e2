// One test file's accounting, driven by jest-circus's test events: which stretch of time is which test's window,
// which phase the blocks outside tests belong to, and the verdict pushed onto a test over budget.
//
// A test's window runs from the start of its first beforeEach (or of its body when it has none) to its
// `test_done`, so its afterEach hooks are inside and Jest's own bookkeeping before and after is not (nor the
// beforeEach jest-circus adds to every file).
// Concurrent tests get no beforeEach/afterEach, and on Jest 29 their bodies start all at once after the root
// beforeAll hooks, long before their own `test_start`: their windows are opened and closed by a wrapper around
// the test function, which also runs it inside an async context so `allowBlocking` knows which test called it.
// Once a test's window has closed and no other test is running, its blocks are named (attribution.ts) and the
// verdict is put on the test.
import { AsyncLocalStorage } from 'node:async_hooks'
import { relative, sep } from 'node:path'
import {
  BlockingTracker,
  now,
  type FilePhase,
  type ReportFile,
  type ReportTest,
  type ResolvedOptions,
  type TestEnd,
  type TestIdentity,
} from '@loopguard/core'
import { FileAttribution, type JudgedTest } from './attribution.js'
import { failureText } from './failure-stack.js'
import { withoutOwnWork, type Span } from './own-work.js'
import { ROOT_DESCRIBE_BLOCK, type JestEvent, type JestHook, type JestState, type JestTestEntry } from './jest-circus.js'

/** The failure of a test over budget, as Jest prints it: the message, then the line that blocked (else the test's declaration). */
export class EventLoopBlockedError extends Error {
  override name = 'EventLoopBlockedError'
}

/** A test attempt whose window has closed, until its blocks are named. */
interface Finished {
  test: JestTestEntry
  end: TestEnd
  /** The error already put on the test, replaced once the blocks are named. */
  error?: EventLoopBlockedError
}

interface Attempt {
  identity: TestIdentity
  /** Set when a concurrent test's function settled: its window closed there, not at `test_done`. */
  end?: TestEnd
}

export class FileRecorder {
  private readonly tracker: BlockingTracker
  private readonly attribution: FileAttribution
  private readonly thresholdMs: number
  /** When the file's window opened, on core's clock: the tracker's file blocks are relative to it. */
  private fileStartMs = 0
  /** Tests done whose blocks are not named yet (concurrent tests wait for each other). */
  private readonly unjudged: Finished[] = []
  private testsBegun = false
  /**
   * The beforeEach Jest itself adds to every file (resetting modules and mocks as the config says), right after the
   * framework's setup and before any setup file or spec runs: the runner's, so a test's window opens after it.
   */
  private runnersHook: unknown
  private awaitingRunnersHook = false
  /** loopguard's own work during the file, kept out of the file's blocks. */
  private readonly ownWork: Span[] = []
  /** Project-relative path of the test file. */
  readonly file: string
  private readonly attempts = new Map<JestTestEntry, Attempt>()
  /** The last attempt of each test that ran, by test. */
  private readonly results = new Map<JestTestEntry, ReportTest>()
  /** The tests whose last attempt this recorder failed for blocking over budget. */
  private readonly failedForBlocking = new Set<JestTestEntry>()
  private state: JestState | undefined
  private phaseNow: FilePhase | undefined
  private outside: ReportFile | undefined
  private concurrentTest: AsyncLocalStorage<JestTestEntry> | undefined
  /** Each concurrent test's own function, by test id: a block is the test's whose function the profile shows. */
  private readonly concurrentFns = new Map<string, Function>()
  private nextId = 0
  private readonly ids = new WeakMap<JestTestEntry, string>()

  constructor(
    options: ResolvedOptions,
    private readonly rootDir: string,
    testPath: string,
  ) {
    this.tracker = new BlockingTracker(options)
    this.attribution = new FileAttribution(options, rootDir)
    this.thresholdMs = options.thresholdMs
    this.file = relative(rootDir, testPath).split(sep).join('/')
  }

  /** Follows Jest's events; a promise when Jest must wait (a test over budget waits one turn of the loop for GC figures). */
  handleTestEvent(event: JestEvent, state: JestState): Promise<void> | undefined {
    this.state = state
    switch (event.name) {
      case 'setup':
        // Jest has loaded its own modules into the test realm by now; what follows is the user's setup files
        // and the spec itself.
        this.fileStartMs = now()
        this.tracker.beginFile(this.file, 'collect')
        this.phaseNow = 'collect'
        this.awaitingRunnersHook = true
        break
      case 'add_hook':
        if (this.awaitingRunnersHook && 'fn' in event && isRunnersBeforeEach(event)) this.runnersHook = event.fn
        this.awaitingRunnersHook = false
        break
      case 'add_test':
        this.awaitingRunnersHook = false
        if ('concurrent' in event && event.concurrent) this.wrapConcurrent(state, event.fn)
        break
      case 'hook_start':
        if ('hook' in event && !this.isRunnersHook(event.hook)) this.hookStart(event.hook.type)
        break
      case 'test_start':
        this.switchPhase('hooks')
        break
      case 'test_fn_start':
        if ('test' in event) this.open(event.test)
        break
      case 'test_done':
        if ('test' in event) return this.done(event.test)
        break
      case 'run_finish':
        // The file's own code has run: what follows (results, snapshots, teardown) is Jest's.
        this.judgeFinished()
        this.outside = this.endFile()
        break
    }
  }

  /** The test whose code is running now: a concurrent test by its async context, else Jest's current test. */
  currentTest(): JestTestEntry | undefined {
    const test = this.concurrentTest?.getStore() ?? this.state?.currentlyRunningTest ?? undefined
    return test && this.attempts.has(test) && this.tracker.isOpen(this.idOf(test)) ? test : undefined
  }

  /** Where the file is now, for errors about calls made outside a test. */
  get phase(): FilePhase | undefined {
    return this.phaseNow
  }

  allowBlocking(test: JestTestEntry, ms: number): void {
    this.tracker.allowBlocking(this.idOf(test), ms)
  }

  budget(test: JestTestEntry | undefined): number {
    return this.tracker.budgetFor(test && this.idOf(test), this.file)
  }

  /** Ends the file: every test's last attempt, and the blocks outside every test. */
  finish(): { tests: ReportTest[]; outside: ReportFile | undefined; failedForBlocking: number } {
    // A file that never finished its run (it failed to load) ends here.
    this.judgeFinished()
    const outside = this.outside ?? this.endFile()
    this.tracker.close()
    this.attribution.close()
    return { tests: [...this.results.values()], outside, failedForBlocking: this.failedForBlocking.size }
  }

  private endFile(): ReportFile | undefined {
    const outside = this.tracker.endFile()
    if (!outside) return undefined
    // Named after the file's window has closed, so this work is outside it.
    return this.attribution.nameFileBlocks(withoutOwnWork(outside, this.fileStartMs, this.ownWork, this.thresholdMs), this.fileStartMs)
  }

  private isRunnersHook(hook: JestHook): boolean {
    return this.runnersHook !== undefined && hook.fn === this.runnersHook
  }

  private hookStart(type: string): void {
    if (type === 'beforeAll' || type === 'afterAll') {
      this.switchPhase(type)
      return
    }
    const test = this.state?.currentlyRunningTest
    if (test) this.open(test)
  }

  private switchPhase(phase: FilePhase): void {
    if (this.phaseNow === phase) return
    this.phaseNow = phase
    this.tracker.phase(phase)
  }

  private open(test: JestTestEntry): void {
    // Opened once per attempt: a concurrent test's window may already have opened, and even closed, in its wrapper.
    if (this.attempts.has(test)) return
    const identity = this.identify(test, this.idOf(test))
    if (!this.testsBegun) {
      this.testsBegun = true
      const workStartMs = now()
      this.attribution.firstTestStarts()
      this.ownWork.push({ startMs: workStartMs, endMs: now() })
    }
    this.attempts.set(test, { identity })
    this.tracker.beginTest(identity)
  }

  private close(test: JestTestEntry): TestEnd | undefined {
    const attempt = this.attempts.get(test)
    if (!attempt) return undefined
    attempt.end ??= this.tracker.endTest(attempt.identity.id)
    return attempt.end
  }

  private done(test: JestTestEntry): Promise<void> | undefined {
    const end = this.close(test)
    this.attempts.delete(test)
    if (!end) return undefined
    if (end.figures.overBudget) return this.tracker.settle(end).then((settled) => this.judgeDone(test, settled))
    this.judgeDone(test, end)
    return undefined
  }

  private judgeDone(test: JestTestEntry, end: TestEnd): void {
    const finished: Finished = { test, end }
    this.unjudged.push(finished)
    // Concurrent tests that have started and are not done may still have open windows, which naming this test's
    // blocks now would lengthen: the verdict as measured stands until the last of them is done.
    if (this.attempts.size > 0) this.record(finished, { figures: end.figures, failure: end.failure, longest: undefined })
    else this.judgeFinished()
  }

  /** Names the blocks of the tests done since the last judgement, and records their verdicts. */
  private judgeFinished(): void {
    if (this.unjudged.length === 0) return
    const workStartMs = now()
    const finished = this.unjudged.splice(0)
    const judged = this.attribution.judge(finished.map((f) => f.end), this.concurrentFns)
    finished.forEach((f, i) => this.record(f, judged[i]!))
    this.ownWork.push({ startMs: workStartMs, endMs: now() })
  }

  /** Puts the verdict on the test: its error when over budget (replacing an earlier one), and its results. */
  private record(finished: Finished, { figures, failure, longest }: JudgedTest): void {
    const { test } = finished
    if (finished.error) {
      const at = test.errors.indexOf(finished.error)
      if (at >= 0) test.errors.splice(at, 1)
      finished.error = undefined
    }
    // A `test.failing` test is expected to fail already: its blocking is reported, not added to its verdict.
    const fails = failure !== undefined && test.failing !== true
    if (fails) {
      const text = failureText(failure, longest, this.rootDir)
      const error = new EventLoopBlockedError(text.message)
      // Jest shows the code at the stack's first frame: the line that blocked when it is known, else the test's
      // declaration, where Jest's own timeout errors point.
      error.stack = `${error.name}: ${text.message}${text.frames ?? framesOf(test.asyncError)}`
      test.errors.push(error)
      finished.error = error
    }
    this.results.set(test, { ...figures, status: test.errors.length > 0 ? 'failed' : 'passed' })
    if (fails) this.failedForBlocking.add(test)
    else this.failedForBlocking.delete(test)
  }

  /**
   * Wraps a concurrent test's function, which Jest has just added: the window opens when the function is
   * called and closes when what it returns settles, and its code runs in an async context naming the test.
   */
  private wrapConcurrent(state: JestState, fn: unknown): void {
    const test = state.currentDescribeBlock.children.at(-1)
    if (!test || test.type !== 'test' || test.fn !== fn || typeof fn !== 'function') return
    if (isGeneratorFunction(fn)) return
    const run = fn as (this: unknown, ...args: unknown[]) => unknown
    this.concurrentFns.set(this.idOf(test), run)
    const context = (this.concurrentTest ??= new AsyncLocalStorage())
    const recorder = this
    test.fn = function concurrentTest(this: unknown, ...args: unknown[]): unknown {
      recorder.open(test)
      const settle = () => recorder.close(test)
      let result: unknown
      try {
        result = context.run(test, () => run.apply(this, args))
      } catch (error) {
        settle()
        throw error
      }
      if (!isThenable(result)) {
        settle()
        return result
      }
      return Promise.resolve(result).then(
        (value) => {
          settle()
          return value
        },
        (error: unknown) => {
          settle()
          throw error
        },
      )
    }
    // Jest passes a `done` callback to functions that declare a parameter.
    Object.defineProperty(test.fn, 'length', { value: run.length })
  }

  private idOf(test: JestTestEntry): string {
    let id = this.ids.get(test)
    if (id === undefined) {
      id = String(this.nextId++)
      this.ids.set(test, id)
    }
    return id
  }

  private identify(test: JestTestEntry, id: string): TestIdentity {
    const names = [test.name]
    for (let block = test.parent; block && block.name !== ROOT_DESCRIBE_BLOCK; block = block.parent!) {
      names.unshift(block.name)
    }
    return { id, file: this.file, name: test.name, fullName: names.join(' > '), concurrent: test.concurrent }
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}

function isGeneratorFunction(fn: Function): boolean {
  return fn.constructor?.name === 'GeneratorFunction'
}

/** The "    at …" lines of an error's stack, or nothing. */
function framesOf(error: unknown): string {
  const stack = (error as { stack?: unknown } | null)?.stack
  if (typeof stack !== 'string') return ''
  const at = stack.search(/\n\s+at /)
  return at === -1 ? '' : stack.slice(at)
}

/**
 * Whether a hook added right after the framework's setup is the beforeEach jest-circus adds (its body resets modules
 * and mocks as the config says; Jest 29 and 30 alike), and not one of the user's setup files', should Jest stop
 * adding its own.
 */
function isRunnersBeforeEach(event: { hookType?: string; fn: unknown }): boolean {
  return event.hookType === 'beforeEach' && typeof event.fn === 'function' && Function.prototype.toString.call(event.fn).includes('resetModules')
}
