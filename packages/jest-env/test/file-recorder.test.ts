// The recorder driven by the events jest-circus sends, in the order Jest 29 sends them for a file that mixes a
// sequential test with a concurrent one: the concurrent test's body starts before its own `test_start`.
import { fileURLToPath } from 'node:url'
import { resolveOptions } from '@loopguard/core'
import { describe, expect, test } from 'vitest'
import { FileRecorder, EventLoopBlockedError } from '../src/runtime/file-recorder.js'
import type { JestDescribeBlock, JestEvent, JestState, JestTestEntry } from '../src/runtime/jest-circus.js'

const block = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
const BLOCK_LINE = 9
// The package is the project: this file's lines are the project's code, which attribution names.
const projectRoot = fileURLToPath(new URL('..', import.meta.url))
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function jestFile() {
  const root: JestDescribeBlock = { type: 'describeBlock', name: 'ROOT_DESCRIBE_BLOCK', children: [] }
  const state: JestState = { currentDescribeBlock: root, currentlyRunningTest: null }
  const recorder = new FileRecorder(resolveOptions({ budgetMs: 50 }), projectRoot, `${projectRoot}test/mixed.test.js`)
  const addTest = (name: string, fn: () => unknown, concurrent: boolean): JestTestEntry => {
    const entry: JestTestEntry = { type: 'test', name, parent: root, concurrent, fn, asyncError: new Error(), errors: [] }
    root.children.push(entry)
    recorder.handleTestEvent({ name: 'add_test', fn, concurrent }, state)
    return entry
  }
  const send = (name: string, entry?: JestTestEntry) => {
    if (name === 'test_start') state.currentlyRunningTest = entry
    // Jest waits for what the environment returns (a test over budget waits a turn for GC figures).
    const waiting = recorder.handleTestEvent((entry ? { name, test: entry } : { name }) as JestEvent, state)
    if (name === 'test_done') state.currentlyRunningTest = null
    return waiting
  }
  return { recorder, addTest, send }
}

describe('FileRecorder', () => {
  test('a block while a concurrent test runs beside a sequential one is charged to the test whose function blocked, not to the one beside it', async () => {
    const { recorder, addTest, send } = jestFile()
    send('setup')
    const concurrent = addTest('blocks in the background', async () => {
      await sleep(5)
      block(80)
    }, true)
    const sequential = addTest('waits', () => sleep(150), false)
    send('run_start')

    // Jest 29 starts every concurrent body once the root beforeAll hooks are done, then runs the tests in order.
    const running = (concurrent.fn as () => Promise<void>)()
    send('test_start', sequential)
    send('test_fn_start', sequential)
    await (sequential.fn as () => Promise<void>)()
    await send('test_done', sequential)
    send('test_start', concurrent)
    send('test_fn_start', concurrent)
    await running
    await send('test_done', concurrent)
    send('run_finish')

    const { tests } = recorder.finish()
    const byName = Object.fromEntries(tests.map((t) => [t.name, t]))
    // The profile shows the concurrent test's function on the block's stack: the block is that test's alone.
    const own = byName['blocks in the background']!.blocks.find((b) => b.durationMs >= 80)
    expect(own).toBeDefined()
    expect(own).not.toHaveProperty('sharedBy')
    expect(byName['blocks in the background']).toMatchObject({ concurrent: true, overBudget: true, status: 'failed' })
    expect(byName['waits']).toMatchObject({ overBudget: false, status: 'passed' })
    expect(byName['waits']!.blocks.filter((b) => b.durationMs >= 50)).toEqual([])
    expect(sequential.errors).toEqual([])
    const failure = concurrent.errors[0] as Error
    expect(failure).toBeInstanceOf(EventLoopBlockedError)
    expect(failure.message).toMatch(/^blocked the event loop for \d+\.\d ms \(budget 50 ms\), 1 block\n/)
    expect(failure.message).not.toContain('shared by')
    // Named once both were done: the sequential test's end came while the concurrent one's window was open.
    expect(own!.frame).toMatchObject({ file: 'test/file-recorder.test.ts', line: BLOCK_LINE })
    expect(failure.message).toContain(`\nlongest block in block (test/file-recorder.test.ts:${BLOCK_LINE}:`)
    expect(failure.stack).toContain(`\n    at block (${projectRoot}test/file-recorder.test.ts:${BLOCK_LINE}:`)
  })

  test('allowBlocking reaches the concurrent test whose code calls it, not the one Jest runs at the time', async () => {
    const { recorder, addTest, send } = jestFile()
    send('setup')
    let allowed: JestTestEntry | undefined
    const concurrent = addTest('allows', async () => {
      await sleep(5)
      allowed = recorder.currentTest()
    }, true)
    const sequential = addTest('runs meanwhile', () => sleep(50), false)
    send('run_start')
    const running = (concurrent.fn as () => Promise<void>)()
    send('test_start', sequential)
    send('test_fn_start', sequential)
    await (sequential.fn as () => Promise<void>)()
    expect(allowed).toBe(concurrent)
    await send('test_done', sequential)
    await running
    expect(recorder.currentTest()).toBeUndefined()
  })
  test("Jest's own beforeEach is the runner's: a test's window opens at the user's first beforeEach, or its body", async () => {
    const { recorder, addTest, send } = jestFile()
    const state = { currentDescribeBlock: { type: 'describeBlock', name: 'ROOT_DESCRIBE_BLOCK', children: [] }, currentlyRunningTest: null } as JestState
    const hook = (type: 'beforeEach', fn: () => void) => ({ type, fn })
    // jest-circus adds this one right after its setup, before any setup file or spec runs (its body, abridged).
    const runners = function () {
      if (Math.random() < 0) ['resetModules', 'clearMocks'].join()
    }
    const users = () => undefined
    send('setup')
    recorder.handleTestEvent({ name: 'add_hook', hookType: 'beforeEach', fn: runners }, state)
    recorder.handleTestEvent({ name: 'add_hook', hookType: 'beforeEach', fn: users }, state)
    const plain = addTest('plain', () => undefined, false)
    const hooked = addTest('hooked', () => undefined, false)
    send('run_start')
    for (const [entry, withUsersHook] of [[plain, false], [hooked, true]] as const) {
      send('test_start', entry)
      recorder.handleTestEvent({ name: 'hook_start', hook: hook('beforeEach', runners) }, { ...state, currentlyRunningTest: entry })
      block(60) // Jest's work, before the test's window
      if (withUsersHook) {
        recorder.handleTestEvent({ name: 'hook_start', hook: hook('beforeEach', users) }, { ...state, currentlyRunningTest: entry })
        block(70) // the user's beforeEach: the test's
      }
      send('test_fn_start', entry)
      await sleep(5)
      await send('test_done', entry)
    }
    send('run_finish')
    const byName = Object.fromEntries(recorder.finish().tests.map((t) => [t.name, t]))
    expect(byName.plain!.longestMs).toBeLessThan(30)
    expect(byName.hooked!.longestMs).toBeGreaterThanOrEqual(70 - 1.5)
    expect(byName.hooked!.longestMs).toBeLessThan(130)
  })
})
