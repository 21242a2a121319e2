// The runner's own work, marked by a runner integration, is left out of a block, as a GC pause is: the block keeps
// it as `runnerMs` beside its judged length, and a stretch that was all the runner's lists no block.
import { describe, expect, it } from 'vitest'
import { asRunnerWork, measureBlocking } from '../src/index.js'
import { CLOCKS_EPSILON_MS, atomicsWait, upperBoundMs } from './support/ground-truth.js'

const RUNNER_AT_LEAST = (ms: number) => ms * 0.95 - CLOCKS_EPSILON_MS

describe('asRunnerWork', () => {
  it('is the same function to its callers: this, arguments, result, errors, name and length', () => {
    const target = { base: 2 }
    function scale(this: { base: number }, a: number, b: number): number {
      return this.base * a * b
    }
    const wrapped = asRunnerWork(scale)
    expect(wrapped.call(target, 3, 4)).toBe(24)
    expect(wrapped.name).toBe('scale')
    expect(wrapped.length).toBe(2)
    const failing = asRunnerWork(() => {
      throw new RangeError('no')
    })
    expect(() => failing()).toThrow(RangeError)
  })
})

describe('a block with the runner’s work inside', () => {
  const runnerSleep = asRunnerWork((ms: number) => atomicsWait(ms))

  it('is judged on the rest, the runner’s part shown as runnerMs', () => {
    let own = 0
    const stats = measureBlocking(
      () => {
        own += atomicsWait(30).trueMs
        runnerSleep(60)
        own += atomicsWait(30).trueMs
      },
      { thresholdMs: 10 },
    )
    expect(stats.count).toBe(1)
    const block = stats.blocks[0]!
    expect(block.durationMs).toBeGreaterThanOrEqual(own - CLOCKS_EPSILON_MS)
    expect(block.durationMs).toBeLessThan(upperBoundMs(own))
    // The runner's part is its wall time's share of the stretch's own time: a busy machine's wait, taken out of the
    // stretch, is taken out of it in proportion.
    expect(block.runnerMs).toBeGreaterThanOrEqual(RUNNER_AT_LEAST(60))
    expect(block.runnerMs).toBeLessThan(upperBoundMs(60))
    expect(stats.runnerMs).toBeCloseTo(block.runnerMs, 6)
  })

  it('lists no block where the stretch was all the runner’s, and tells its time', () => {
    // Nested work is the runner's once.
    const outer = asRunnerWork(() => {
      runnerSleep(30)
      runnerSleep(30)
    })
    const stats = measureBlocking(() => outer(), { thresholdMs: 10 })
    expect(stats.count).toBe(0)
    expect(stats.longestMs).toBeLessThan(10)
    expect(stats.runnerMs).toBeGreaterThanOrEqual(RUNNER_AT_LEAST(60))
    expect(stats.runnerMs).toBeLessThan(upperBoundMs(60))
  })
})
