// Readings against ground truth: blocks of known length, from every place in the loop a block can run.
import { stat } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startProfiler } from '../src/attribution/index.js'
import { createMonitor, keepSamplerAwake, type Block } from '../src/index.js'
import {
  BLOCKERS,
  PLACES,
  atomicsWait,
  blockAt,
  cpuSpin,
  expectReadingWithinBound,
  idle,
  inALaterTurn,
  lengthOf,
  nextTurn,
  realSetTimeout,
  type Span,
} from './support/ground-truth.js'

const LENGTHS_MS = [5, 20, 50, 100, 300]

// Ground truth is the code's own time. A GC pause that falls inside a block is counted here (countGc), so that a
// reading is compared with all of it; the CPU spin reads its clock without allocating, so it seldom sets one off.
const monitor = createMonitor({ thresholdMs: 1, countGc: true })
beforeAll(() => monitor.start())
afterAll(() => monitor.stop())

function blockCovering(blocks: readonly Block[], span: Span): Block | undefined {
  // The clocks are the same, so the block that holds the ground truth must contain it whole.
  return blocks.find((b) => b.startMs <= span.fromMs + 1e-3 && b.startMs + b.wallMs >= span.toMs - 1e-3)
}

describe.each(Object.entries(BLOCKERS))('a block made by %s', (_name, blocker) => {
  const cases = PLACES.flatMap((place) => LENGTHS_MS.map((ms) => ({ place, ms })))

  it.each(cases)('of $ms ms in a $place reads between its true length and the bound', async ({ place, ms }) => {
    await expectReadingWithinBound(async () => {
      await nextTurn()
      const mark = monitor.mark()
      const span = await blockAt(place, () => blocker(ms))
      const stats = monitor.since(mark)

      expect(lengthOf(span)).toBeGreaterThanOrEqual(ms)
      expect(blockCovering(stats.blocks, span)).toBeDefined()
      return { readMs: stats.longestMs, trueMs: lengthOf(span), keptWaitMs: span.keptWaitMs }
    })
  })
})

describe('blocks that are not there', () => {
  it('1,000 tasks of 2 ms separated by setImmediate read as 1,000 short blocks, never as one', async () => {
    const mark = monitor.mark()
    const tasks: Span[] = []
    for (let i = 0; i < 1000; i++) {
      await nextTurn()
      tasks.push(cpuSpin(2))
    }
    const stats = monitor.since(mark)

    // Each task lies in a block of its own; merged tasks would share one. (A task the machine preempts reads
    // longer, which is real blocking: the spec bound, longest < 5 ms, is checked by the benchmark.)
    const covering = tasks.map((task) => blockCovering(stats.blocks, task))
    expect(covering.every((block) => block !== undefined)).toBe(true)
    expect(new Set(covering).size).toBe(1000)
    const lengths = covering.map((block) => block!.durationMs).sort((a, b) => a - b)
    expect(lengths[500]).toBeLessThan(5)
  })

  it('an idle await of a 200 ms timer reads no block', async () => {
    const waiting = createMonitor({ thresholdMs: 10 })
    waiting.start()
    const mark = waiting.mark()
    await idle(200)
    const stats = waiting.since(mark)
    waiting.stop()

    expect(stats.count).toBe(0)
    expect(stats.totalMs).toBe(0)
    expect(stats.longestMs).toBeLessThan(10)
  })

  it('time spent waiting for I/O or timers is not blocking, however long the wait', async () => {
    await expectReadingWithinBound(async () => {
      const mark = monitor.mark()
      await blockAt('I/O callback', () => undefined)
      await idle(50)
      const span = atomicsWait(30)
      return { readMs: monitor.since(mark).longestMs, trueMs: lengthOf(span) }
    })
  })
})

describe('the work that ends an idle spell', () => {
  const loopCount = () => performance.nodeTiming.uvMetricsInfo.loopCount
  const wakers = {
    'a timer callback': (block: () => Span) => new Promise<Span>((resolve) => realSetTimeout(() => resolve(block()), 1)),
    'an I/O callback': (block: () => Span) =>
      new Promise<Span>((resolve, reject) => stat(import.meta.dirname, (error) => (error ? reject(error) : resolve(block())))),
  }

  it.each(Object.entries(wakers))("in %s reads as itself, apart from the next turn's block", async (_name, wake) => {
    await idle(100)
    const mark = monitor.mark()
    let next: Span | undefined
    const turns: number[] = []
    const first = await wake(() => {
      const span = cpuSpin(20)
      turns.push(loopCount())
      inALaterTurn(() => {
        turns.push(loopCount())
        next = cpuSpin(10)
      })
      return span
    })
    await idle(30)
    const stats = monitor.since(mark)

    // The loop turned between the two, so they are two blocks.
    expect(turns[1]).toBeGreaterThan(turns[0]!)

    // A stretch that holds an idle wait is placed at its end, later than its code ran by that wait (a millisecond on
    // a quiet machine, more on a loaded one): each span's block is the one that begins nearest to it.
    const nearest = (span: Span) =>
      stats.blocks.filter((b) => b.durationMs >= 5).sort((a, b) => Math.abs(a.startMs - span.fromMs) - Math.abs(b.startMs - span.fromMs))[0]
    const covering = [first, next!].map(nearest)
    expect(covering[0]).toBeDefined()
    expect(covering[1]).toBeDefined()
    expect(covering[0]).not.toBe(covering[1])
    await expectReadingWithinBound(() => ({ readMs: covering[0]!.durationMs, trueMs: lengthOf(first) }))
    await expectReadingWithinBound(() => ({ readMs: covering[1]!.durationMs, trueMs: lengthOf(next!) }))
  })
})

describe('beside a CPU profiler', () => {
  it("awaits read no block while the sampler is kept awake: the profiler's signals cannot cost libuv its idle time", async () => {
    const profiler = startProfiler()
    const letSleep = keepSamplerAwake()
    try {
      await idle(20)
      const mark = monitor.mark()
      for (let i = 0; i < 10; i++) await idle(20)
      // Without the interval, each 20 ms poll, cut short by a signal every millisecond, would read ~19 ms busy.
      expect(monitor.since(mark).longestMs).toBeLessThan(5)
    } finally {
      letSleep()
      profiler.stop()
    }
  })
})
