import { describe, expect, it } from 'vitest'
import { createMonitor, measureBlocking, monitorBlocking, type Block } from '../src/index.js'
import { isRunning } from '../src/monitor/sampler.js'
import { CLOCKS_EPSILON_MS, atomicsWait, idle, nextTurn } from './support/ground-truth.js'

describe('measureBlocking', () => {
  it('measures a synchronous call as one block and returns the stats at once', () => {
    let span = { fromMs: 0, toMs: 0, trueMs: 0 }
    const stats = measureBlocking(() => (span = atomicsWait(30)), { thresholdMs: 10 })

    expect(stats.count).toBe(1)
    expect(stats.blocks[0]!.startMs).toBeLessThanOrEqual(span.fromMs)
    expect(stats.blocks[0]!.wallMs).toBeGreaterThanOrEqual(span.toMs - span.fromMs)
    expect(stats.longestMs).toBeGreaterThanOrEqual(span.trueMs - CLOCKS_EPSILON_MS)
    expect(isRunning()).toBe(false)
  })

  it('measures an async function until it settles, its synchronous start included', async () => {
    const stats = await measureBlocking(
      async () => {
        atomicsWait(30)
        // A timer, not setImmediate: an immediate could run in this same loop iteration, and one iteration
        // reads as one stretch (see the README).
        await idle(5)
        atomicsWait(35)
        await idle(20)
      },
      { thresholdMs: 10 },
    )

    expect(stats.count).toBe(2)
    expect(stats.blocks[0]!.durationMs).toBeGreaterThanOrEqual(30 - CLOCKS_EPSILON_MS)
    expect(stats.blocks[1]!.durationMs).toBeGreaterThanOrEqual(35 - CLOCKS_EPSILON_MS)
    expect(stats.longestMs).toBe(stats.blocks[1]!.durationMs)
    expect(stats.totalMs).toBeCloseTo(stats.blocks[0]!.durationMs + stats.blocks[1]!.durationMs, 9)
    expect(isRunning()).toBe(false)
  })

  it('counts the last stretch of an async function up to the moment it settles', async () => {
    const stats = await measureBlocking(
      async () => {
        await nextTurn()
        atomicsWait(25)
      },
      { thresholdMs: 10 },
    )

    expect(stats.count).toBe(1)
    expect(stats.longestMs).toBeGreaterThanOrEqual(25 - CLOCKS_EPSILON_MS)
  })

  it('takes any thenable', async () => {
    const thenable = {
      then(resolve: (value: string) => void) {
        setTimeout(() => {
          atomicsWait(30)
          resolve('done')
        }, 5)
      },
    }
    const stats = await measureBlocking(() => thenable, { thresholdMs: 10 })

    expect(stats.count).toBe(1)
    expect(stats.longestMs).toBeGreaterThanOrEqual(30 - CLOCKS_EPSILON_MS)
  })

  it('lets what the function throws or rejects with through unchanged, and lets go of the sampler', async () => {
    const thrown = new RangeError('sync')
    const rejected = new RangeError('async')
    expect(() =>
      measureBlocking(() => {
        throw thrown
      }),
    ).toThrow(thrown)
    expect(isRunning()).toBe(false)
    await expect(
      measureBlocking(async () => {
        await null
        throw rejected
      }),
    ).rejects.toBe(rejected)
    expect(isRunning()).toBe(false)
  })

  it('lists every stretch by default (threshold 0) and knows the longest under a threshold', () => {
    const all = measureBlocking(() => atomicsWait(30))
    const over = measureBlocking(() => atomicsWait(30), { thresholdMs: 50 })

    expect(all.count).toBe(1)
    expect(all.longestMs).toBeGreaterThanOrEqual(30 - CLOCKS_EPSILON_MS)
    expect(over.count).toBe(0)
    expect(over.longestMs).toBeGreaterThanOrEqual(30 - CLOCKS_EPSILON_MS)
  })

  it('works inside a running monitor and leaves it running', async () => {
    const monitor = createMonitor({ thresholdMs: 10 })
    monitor.start()
    const mark = monitor.mark()
    const inner = measureBlocking(() => atomicsWait(30), { thresholdMs: 10 })
    await nextTurn()
    const outer = monitor.since(mark)
    const running = isRunning()
    monitor.stop()

    expect(running).toBe(true)
    // Both hold the 30 ms sleep. (The outer window also holds the code around it, whose waits for a CPU on a busy
    // machine are taken out in another share: it is compared with the ground truth, not with the inner reading.)
    expect(inner.longestMs).toBeGreaterThanOrEqual(30 - CLOCKS_EPSILON_MS)
    expect(outer.longestMs).toBeGreaterThanOrEqual(30 - CLOCKS_EPSILON_MS)
    expect(outer.count).toBe(1)
  })
})

describe('monitorBlocking', () => {
  it('reports each block over its threshold until stopped', async () => {
    const seen: Block[] = []
    const stop = monitorBlocking({ thresholdMs: 20, onBlock: (block) => seen.push(block) })
    await nextTurn()
    atomicsWait(30)
    await idle(5)
    atomicsWait(5)
    await idle(5)
    stop()
    atomicsWait(30)
    await idle(5)

    expect(seen).toHaveLength(1)
    expect(seen[0]!.durationMs).toBeGreaterThanOrEqual(30 - CLOCKS_EPSILON_MS)
    expect(isRunning()).toBe(false)
  })

  it('defaults to a 100 ms threshold', async () => {
    const seen: Block[] = []
    const stop = monitorBlocking({ onBlock: (block) => seen.push(block) })
    await nextTurn()
    atomicsWait(60)
    await idle(5)
    atomicsWait(110)
    await idle(5)
    stop()

    expect(seen).toHaveLength(1)
    expect(seen[0]!.durationMs).toBeGreaterThanOrEqual(110 - CLOCKS_EPSILON_MS)
  })
})
