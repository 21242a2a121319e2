// What the setup file runs before each test file is imported, beside the tests: open the file's collect window,
// register `toBlockLoop`, and wrap the file and each test in the outermost around-hooks so that a test's window
// spans all of its beforeEach and afterEach hooks whatever `sequence.hooks` is (Vitest 4.1 and later; before it,
// the file's first before-hooks and last after-hooks). Loaded once per worker (it comes from node_modules); the
// setup file calls it for every test file, with Vitest's API.
import type { afterAll, afterEach, aroundAll, aroundEach, beforeAll, beforeEach, expect, inject } from 'vitest'
import { createToBlockLoop, type TestIdentity } from '@loopguard/core'
import { WIRE_KEY, resolvedFromWire, type FileMeta, type TestMeta, type WorkerOptions } from '../shared/wire.js'
import { installWorkerState, type WorkerState } from './worker-state.js'
import { reportFileBlocks, reportTest } from './report-blocks.js'
import { withoutOwnWork } from './own-work.js'
import { identify, projectPath, type TaskLike } from './identity.js'
import { EventLoopBlockedError } from './event-loop-blocked-error.js'

// The hooks never wait on anything but the test or the file itself: Vitest's own timeouts cover those, and
// 0 spares a timer per test.
const NO_TIMEOUT = 0

/**
 * The parts of Vitest's API the worker code uses, handed over by the setup file: its import of `vitest` goes
 * through Vitest's module runner, which serves the module the worker already has, where this module's own import
 * (Node.js loading it from node_modules) would cost every worker a few milliseconds.
 */
export interface VitestApi {
  /** Vitest 4.1 and later. */
  aroundAll?: typeof aroundAll
  /** Vitest 4.1 and later. */
  aroundEach?: typeof aroundEach
  beforeAll: typeof beforeAll
  afterAll: typeof afterAll
  beforeEach: typeof beforeEach
  afterEach: typeof afterEach
  expect: typeof expect
  inject: typeof inject
}

export async function setUpTestFile(vitest: VitestApi): Promise<void> {
  const { aroundAll, aroundEach, expect, inject } = vitest
  const wire = (inject as (key: string) => unknown)(WIRE_KEY) as WorkerOptions | undefined
  if (!wire) {
    throw new Error('loopguard: the setup file ran without its options; add loopguard() to the plugins of your Vitest config instead of listing the setup file yourself.')
  }
  const state = installWorkerState(resolvedFromWire(wire), wire.root)
  await state.beginFile()

  expect.extend({
    toBlockLoop: createToBlockLoop(() => currentBudget(state)),
  })

  if (!state.measuring) return

  // Short closures: Vitest reads each hook's source once per file, to find the fixtures it destructures.
  if (aroundAll && aroundEach) {
    aroundAll((runSuite, {}, suite: TaskLike) => fileWindow(state, runSuite, suite), NO_TIMEOUT)
    aroundEach((runTest, { task }) => testWindow(state, runTest, task as TaskLike), NO_TIMEOUT)
    return
  }
  // Vitest 3.2 and 4.0 have no around-hooks. The setup file's hooks are the file's first: they run before every
  // other beforeAll and beforeEach, and with sequence.hooks 'stack' (the default) after every other afterEach and
  // afterAll, so the windows are the same. With 'list' or 'parallel' the afterEach and afterAll hooks at the test
  // file's top level run after the window has closed and are not measured (a describe block's hooks always run
  // first); and a block during concurrent tests is shared by them all, with no around-hook to tell whose function
  // is on the stack.
  vitest.beforeAll(() => state.file?.tracker.phase('beforeAll'), NO_TIMEOUT)
  vitest.afterAll((suite) => closeFile(state, suite as unknown as TaskLike), NO_TIMEOUT)
  vitest.beforeEach(({ task }) => void openTest(state, task as TaskLike), NO_TIMEOUT)
  vitest.afterEach(({ task }) => closeOpenTest(state, task as TaskLike), NO_TIMEOUT)
}

/** Closes the test's window if its beforeEach opened one, and fails the test when it is over budget. */
async function closeOpenTest(state: WorkerState, task: TaskLike): Promise<void> {
  const file = state.file
  if (!file || !state.running.has(task.id)) return
  const failure = await closeTest(state, file, task)
  if (failure) throw failure
}

/** Runs the file's suite, then attaches the blocks outside its tests to the file. */
async function fileWindow(state: WorkerState, runSuite: () => Promise<void>, suite: TaskLike): Promise<void> {
  state.file?.tracker.phase('beforeAll')
  const file = state.file
  try {
    await runSuite()
  } finally {
    if (file && state.file === file) closeFile(state, suite)
  }
}

/** Ends the file's window and attaches the blocks outside its tests to the file. */
function closeFile(state: WorkerState, suite: TaskLike): void {
  const file = state.file
  if (!file) return
  if (file.lastTestEndMs !== undefined) file.tracker.phase('afterAll', file.lastTestEndMs)
  const fileStartMs = file.tracker.fileStartMs
  const ended = file.tracker.endFile()
  const budgetMs = file.tracker.budgetFor(undefined, projectPath(state.root, (suite.file ?? suite).filepath ?? ''))
  const measured = ended?.blocks ?? []
  const own = file.attribution?.ownWork ?? []
  const blocks = fileStartMs === undefined ? measured : withoutOwnWork(measured, fileStartMs, own, state.options.thresholdMs)
  const meta: FileMeta = { blocks: reportFileBlocks(blocks, fileStartMs, budgetMs, file.attribution) }
  setMeta(suite.file ?? suite, meta)
  state.endFile()
}

/** Opens a test's window in the file being measured: from here its blocks are charged to it. */
function openTest(state: WorkerState, task: TaskLike): TestIdentity | undefined {
  const file = state.file
  if (!file) return undefined
  const identity = identify(task, state.root)
  if (file.testsStarted++ === 0) file.tracker.phase('hooks')
  file.tracker.beginTest(identity)
  if (identity.concurrent) file.attribution?.concurrentTestStarted(task)
  state.running.set(identity.id, { file: identity.file })
  return identity
}

/** Closes a test's window and attaches its figures; returns the test's failure when it is over budget. */
async function closeTest(state: WorkerState, file: NonNullable<WorkerState['file']>, task: TaskLike): Promise<EventLoopBlockedError | undefined> {
  state.running.delete(task.id)
  let end = file.tracker.endTest(task.id)
  state.endTestWindow()
  if (end?.figures.overBudget) end = await file.tracker.settle(end)
  if (!end) return undefined
  const loading = file.attribution?.loading
  if (loading) await loading
  const reported = reportTest(end, state.options.mode, file.attribution, state.running.size)
  setMeta(task, reported.meta)
  return reported.failure ? new EventLoopBlockedError(reported.failure, task, reported.blamed, state.root) : undefined
}

/** Runs one test with all its hooks inside its window, then attaches its figures and fails it when over budget. */
async function testWindow(state: WorkerState, runTest: () => Promise<void>, task: TaskLike): Promise<void> {
  const file = state.file
  const identity = openTest(state, task)
  if (!file || !identity) return runTest()
  let failure: EventLoopBlockedError | undefined
  try {
    if (identity.concurrent) await state.concurrentTest.run(identity.id, runTest)
    else await runTest()
  } finally {
    failure = await closeTest(state, file, task)
  }
  // Thrown after the test and all its hooks: Vitest records it as the test's failure, counts it for retry
  // and flips it for test.fails like any other error of the test.
  if (failure) throw failure
}

function currentBudget(state: WorkerState): number {
  const current = state.currentTest()
  const tracker = state.file?.tracker
  if ('id' in current && tracker) return tracker.budgetFor(current.id)
  return state.options.budgetMs
}

function setMeta(task: TaskLike, value: TestMeta | FileMeta): void {
  ;(task.meta as Record<string, unknown>)[WIRE_KEY] = value
}

