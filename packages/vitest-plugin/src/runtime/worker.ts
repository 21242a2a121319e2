// What the setup file runs before each test file is imported, beside the tests: open the file's collect window,
// register `toBlockLoop`, and wrap the file and each test in the outermost around-hooks so that a test's window
// spans all of its beforeEach and afterEach hooks whatever `sequence.hooks` is. Loaded once per worker (it comes
// from node_modules); the setup file calls it for every test file, with Vitest's API.
import type { aroundAll, aroundEach, expect, inject } from 'vitest'
import { createToBlockLoop, type ReportBlock } from '@loopguard/core'
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
  aroundAll: typeof aroundAll
  aroundEach: typeof aroundEach
  expect: typeof expect
  inject: typeof inject
}

export async function setUpTestFile({ aroundAll, aroundEach, expect, inject }: VitestApi): Promise<void> {
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
  aroundAll((runSuite, {}, suite: TaskLike) => fileWindow(state, runSuite, suite), NO_TIMEOUT)
  aroundEach((runTest, { task }) => testWindow(state, runTest, task as TaskLike), NO_TIMEOUT)
}

/** Runs the file's suite, then attaches the blocks outside its tests to the file. */
async function fileWindow(state: WorkerState, runSuite: () => Promise<void>, suite: TaskLike): Promise<void> {
  const file = state.file
  file?.tracker.phase('beforeAll')
  try {
    await runSuite()
  } finally {
    if (file && state.file === file) {
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
  }
}

/** Runs one test with all its hooks inside its window, then attaches its figures and fails it when over budget. */
async function testWindow(state: WorkerState, runTest: () => Promise<void>, task: TaskLike): Promise<void> {
  const file = state.file
  if (!file) return runTest()
  const identity = identify(task, state.root)
  if (file.testsStarted++ === 0) file.tracker.phase('hooks')
  file.tracker.beginTest(identity)
  state.running.set(identity.id, { file: identity.file })
  let failure: string | undefined
  let blamed: ReportBlock | undefined
  try {
    if (identity.concurrent) await state.concurrentTest.run(identity.id, runTest)
    else await runTest()
  } finally {
    state.running.delete(identity.id)
    let end = file.tracker.endTest(identity.id)
    state.endTestWindow()
    if (end?.figures.overBudget) end = await file.tracker.settle(end)
    if (end) {
      const reported = reportTest(end, state.options.mode, file.attribution, state.running.size)
      setMeta(task, reported.meta)
      failure = reported.failure
      blamed = reported.blamed
    }
  }
  // Thrown after the test and all its hooks: Vitest records it as the test's failure, counts it for retry
  // and flips it for test.fails like any other error of the test.
  if (failure) throw new EventLoopBlockedError(failure, task, blamed, state.root)
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

