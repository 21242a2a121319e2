// What the setup file runs before each test file is imported, beside the tests: open the file's collect window,
// register `toBlockLoop`, and wrap the file and each test in the outermost around-hooks so that a test's window
// spans all of its beforeEach and afterEach hooks whatever `sequence.hooks` is. Loaded once per worker (it comes
// from node_modules); the setup file calls it for every test file.
import { aroundAll, aroundEach, expect, inject } from 'vitest'
import { createToBlockLoop } from '@loopguard/core'
import { WIRE_KEY, resolvedFromWire, type FileMeta, type TestMeta, type WorkerOptions } from '../shared/wire.js'
import { installWorkerState, type WorkerState } from './worker-state.js'
import { reportBlocks } from './report-blocks.js'
import { identify, type TaskLike } from './identity.js'

/** The failure of a test over budget, thrown where Vitest expects a test's own errors. */
class EventLoopBlockedError extends Error {
  override name = 'EventLoopBlockedError'
  constructor(message: string, test: TaskLike) {
    super(message)
    // Its own stack would point into loopguard: point at the test's declaration when Vitest knows it
    // (includeTaskLocation), so the failure shows that line like a timeout does; else the message alone.
    const at = test.location && test.file?.filepath ? `\n    at ${test.file.filepath}:${test.location.line}:${test.location.column}` : ''
    this.stack = `${this.name}: ${message}${at}`
  }
}

// The hooks never wait on anything but the test or the file itself: Vitest's own timeouts cover those, and
// 0 spares a timer per test.
const NO_TIMEOUT = 0

export function setUpTestFile(): void {
  const wire = (inject as (key: string) => unknown)(WIRE_KEY) as WorkerOptions | undefined
  if (!wire) {
    throw new Error('loopguard: the setup file ran without its options; add loopguard() to the plugins of your Vitest config instead of listing the setup file yourself.')
  }
  const state = installWorkerState(resolvedFromWire(wire), wire.root)
  state.beginFile()

  expect.extend({
    toBlockLoop: createToBlockLoop(() => currentBudget(state)),
  })

  if (!state.measuring) return

  aroundAll(async (runSuite, {}, suite: TaskLike) => {
    const file = state.file
    file?.tracker.phase('beforeAll')
    try {
      await runSuite()
    } finally {
      if (file && state.file === file) {
        if (file.lastTestEndMs !== undefined) file.tracker.phase('afterAll', file.lastTestEndMs)
        const ended = file.tracker.endFile()
        const meta: FileMeta = { blocks: reportBlocks(ended?.blocks ?? []) }
        setMeta(suite.file ?? suite, meta)
        file.tracker.close()
        state.file = undefined
      }
    }
  }, NO_TIMEOUT)

  aroundEach(async (runTest, { task }) => {
    const file = state.file
    if (!file) return runTest()
    const identity = identify(task as TaskLike, state.root)
    if (file.testsStarted++ === 0) file.tracker.phase('hooks')
    file.tracker.beginTest(identity)
    state.running.set(identity.id, { file: identity.file })
    let failure: string | undefined
    try {
      if (identity.concurrent) await state.concurrentTest.run(identity.id, runTest)
      else await runTest()
    } finally {
      state.running.delete(identity.id)
      const end = file.tracker.endTest(identity.id)
      state.endTestWindow()
      if (end) {
        const meta: TestMeta = { ...end.figures, blocks: reportBlocks(end.figures.blocks) }
        setMeta(task as TaskLike, meta)
        failure = end.failure
      }
    }
    // Thrown after the test and all its hooks: Vitest records it as the test's failure, counts it for retry
    // and flips it for test.fails like any other error of the test.
    if (failure) throw new EventLoopBlockedError(failure, task as TaskLike)
  }, NO_TIMEOUT)
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

