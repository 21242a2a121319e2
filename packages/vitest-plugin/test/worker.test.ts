// The worker side's pure parts: how a test is named, and which test allowBlocking applies to.
import { describe, expect, it } from 'vitest'
import { resolveOptions } from '@loopguard/core'
import { identify } from '../src/runtime/identity.js'
import { WorkerState } from '../src/runtime/worker-state.js'
import { vitestUsesColors } from '../src/node/colors.js'
import rainbow from 'tinyrainbow'

describe('identify', () => {
  it('names a test by its suites, relative to the root, and keeps its concurrent flag', () => {
    const file = { id: 'f', name: 'test/a.test.ts', type: 'suite', meta: {}, filepath: '/project/test/a.test.ts' }
    const outer = { id: 's1', name: 'parser', type: 'suite', meta: {}, file, suite: file }
    const inner = { id: 's2', name: 'json', type: 'suite', meta: {}, file, suite: outer }
    const test = { id: 't', name: 'parses', type: 'test', meta: {}, file, suite: inner, concurrent: true }
    expect(identify(test, '/project')).toEqual({ id: 't', file: 'test/a.test.ts', name: 'parses', fullName: 'parser > json > parses', concurrent: true })
  })
})

describe('WorkerState.currentTest', () => {
  it('is the one running test, the concurrent test whose context the caller runs in, or says why there is none', async () => {
    const state = new WorkerState(resolveOptions({}, 'test', {}), '/project')
    expect(state.currentTest()).toEqual({ error: 'outside' })
    state.running.set('a', { file: 'x' })
    expect(state.currentTest()).toEqual({ id: 'a' })
    state.running.set('b', { file: 'x' })
    expect(state.currentTest()).toEqual({ error: 'ambiguous' })
    const seen = await state.concurrentTest.run('b', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1))
      return state.currentTest()
    })
    expect(seen).toEqual({ id: 'b' })
  })
})

describe('vitestUsesColors', () => {
  it("turns colours off where Vitest does for an agent, and otherwise follows tinyrainbow's decision", () => {
    expect(vitestUsesColors({ disableColors: true })).toBe(false)
    expect(vitestUsesColors({ isAgent: true })).toBe(false)
    expect(vitestUsesColors({ disableColors: false, isAgent: true })).toBe(rainbow.isColorSupported)
    expect(vitestUsesColors({})).toBe(rainbow.isColorSupported)
  })
})
