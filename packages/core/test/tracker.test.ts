import { describe, expect, test } from 'vitest'
import { BlockingTracker, resolveOptions } from '../src/index.js'
import { CLOCKS_EPSILON_MS, cpuSpin } from './support/ground-truth.js'

const block = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
const tick = () => new Promise<void>((resolve) => setImmediate(resolve))
const identity = (id: string, file = 'test/a.test.ts') => ({ id, file, name: id, fullName: `suite > ${id}` })

describe('BlockingTracker', () => {
  test('charges a block to the test whose window holds it and judges it against the budget', async () => {
    const tracker = new BlockingTracker(resolveOptions({ budgetMs: 30, thresholdMs: 5 }, 'test', {}))
    tracker.beginTest(identity('slow'))
    block(60)
    const slow = tracker.endTest('slow')!
    await tick()
    tracker.beginTest(identity('fast'))
    // Computes 2 ms: a short sleep would keep the wait for a CPU at its end, which a loaded machine makes longer.
    cpuSpin(2)
    const fast = tracker.endTest('fast')!

    expect(slow.figures.longestMs).toBeGreaterThanOrEqual(60 - CLOCKS_EPSILON_MS)
    expect(slow.figures.longestMs).toBeLessThan(60 + 20)
    expect(slow.figures.overBudget).toBe(true)
    expect(slow.figures.count).toBe(1)
    expect(slow.failure).toMatch(/^blocked the event loop for \d+\.\d ms \(budget 30 ms\), 1 block$/)
    expect(fast.figures.overBudget).toBe(false)
    expect(fast.figures.count).toBe(0)
    expect(fast.failure).toBeUndefined()
  })

  test('allowBlocking beats a budgets glob, which beats budgetMs; Infinity exempts', () => {
    const tracker = new BlockingTracker(resolveOptions({ budgetMs: 10, budgets: { 'test/slow/**': 200 } }, 'test', {}))
    tracker.beginTest(identity('plain'))
    tracker.beginTest(identity('globbed', 'test/slow/x.test.ts'))
    tracker.beginTest(identity('allowed', 'test/slow/y.test.ts'))
    tracker.beginTest(identity('exempt'))
    tracker.allowBlocking('allowed', 500)
    tracker.allowBlocking('exempt', Infinity)
    expect(tracker.budgetFor('plain')).toBe(10)
    expect(tracker.budgetFor('globbed')).toBe(200)
    expect(tracker.budgetFor('allowed')).toBe(500)
    block(30)
    const exempt = tracker.endTest('exempt')!
    expect(exempt.figures.budgetMs).toBeNull()
    expect(exempt.figures.overBudget).toBe(false)
    expect(tracker.endTest('plain')!.figures.overBudget).toBe(true)
  })

  test('mode report judges but never fails; mode off judges nothing', () => {
    for (const mode of ['report', 'off'] as const) {
      const tracker = new BlockingTracker(resolveOptions({ budgetMs: 5, mode }, 'test', {}))
      tracker.beginTest(identity('t'))
      block(30)
      const end = tracker.endTest('t')!
      expect(end.failure).toBeUndefined()
      expect(end.figures.overBudget).toBe(mode === 'report')
    }
  })

  test('a block while several tests are open is marked as shared by all of them', async () => {
    const tracker = new BlockingTracker(resolveOptions({ budgetMs: 10, thresholdMs: 5 }, 'test', {}))
    tracker.beginTest(identity('a'))
    tracker.beginTest(identity('b'))
    tracker.beginTest(identity('c'))
    block(30)
    const a = tracker.endTest('a')!
    await tick()
    block(30) // after a ended: shared by b and c only
    const b = tracker.endTest('b')!
    const c = tracker.endTest('c')!
    expect(a.figures.blocks.map((x) => x.sharedBy)).toEqual([3])
    expect(b.figures.blocks.map((x) => x.sharedBy)).toEqual([3, 2])
    expect(c.figures.concurrent).toBe(true)
    expect(a.failure).toContain('shared by 3 concurrent tests')
  })

  test('blocks outside every test go to the file, under the phase they happened in', async () => {
    const tracker = new BlockingTracker(resolveOptions({ thresholdMs: 5 }, 'test', {}))
    tracker.beginFile('test/a.test.ts')
    block(40) // collection
    await tick()
    tracker.phase('beforeAll')
    block(35)
    await tick()
    tracker.beginTest(identity('t'))
    block(200) // far longer than any block outside the test, so a leak of it into the file cannot hide in noise
    tracker.endTest('t')
    await tick()
    tracker.phase('afterAll')
    block(30)
    const file = tracker.endFile()!
    expect(file.file).toBe('test/a.test.ts')
    expect(file.blocks.map((b) => b.phase)).toEqual(['collect', 'beforeAll', 'afterAll'])
    const [collect, beforeAll, afterAll] = file.blocks
    expect(collect!.durationMs).toBeGreaterThanOrEqual(40 - CLOCKS_EPSILON_MS)
    expect(beforeAll!.durationMs).toBeGreaterThanOrEqual(35 - CLOCKS_EPSILON_MS)
    expect(afterAll!.durationMs).toBeGreaterThanOrEqual(30 - CLOCKS_EPSILON_MS)
    expect(Math.max(...file.blocks.map((b) => b.durationMs))).toBeLessThan(200)
  })
})
