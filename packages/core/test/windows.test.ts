// What a window [mark, now] answers: the longest block in it (clipped to it), the total, the count and the
// list, a stretch still running when it closes counted up to that moment.
import { afterEach, describe, expect, it } from 'vitest'
import { createMonitor, now, type Block, type Monitor } from '../src/index.js'
import { CLOCKS_EPSILON_MS, atomicsWait, idle, nextTurn } from './support/ground-truth.js'

let monitor: Monitor | undefined
function started(options?: Parameters<typeof createMonitor>[0]): Monitor {
  monitor = createMonitor(options)
  monitor.start()
  return monitor
}
afterEach(() => {
  monitor?.stop()
  monitor = undefined
})

describe('a window', () => {
  it('counts, totals and lists the blocks at or over the threshold, oldest first', async () => {
    const m = started({ thresholdMs: 10 })
    await nextTurn()
    const mark = m.mark()
    const spans = []
    for (const ms of [30, 3, 40]) {
      await nextTurn()
      spans.push(atomicsWait(ms))
    }
    await nextTurn()
    const stats = m.since(mark)

    expect(stats.count).toBe(2)
    expect(stats.blocks).toHaveLength(2)
    expect(stats.blocks[0]!.startMs).toBeLessThanOrEqual(spans[0]!.fromMs)
    expect(stats.blocks[1]!.startMs).toBeLessThanOrEqual(spans[2]!.fromMs)
    expect(stats.blocks[1]!.startMs).toBeGreaterThan(spans[1]!.toMs)
    expect(stats.blocks[0]!.durationMs).toBeGreaterThanOrEqual(30 - CLOCKS_EPSILON_MS)
    expect(stats.blocks[1]!.durationMs).toBeGreaterThanOrEqual(40 - CLOCKS_EPSILON_MS)
    expect(stats.totalMs).toBeCloseTo(stats.blocks[0]!.durationMs + stats.blocks[1]!.durationMs, 9)
    expect(stats.longestMs).toBe(stats.blocks[1]!.durationMs)
  })

  it('knows the longest block even when it is under the threshold', async () => {
    const m = started({ thresholdMs: 50 })
    await nextTurn()
    const mark = m.mark()
    await nextTurn()
    atomicsWait(30)
    await nextTurn()
    const stats = m.since(mark)

    expect(stats.count).toBe(0)
    expect(stats.totalMs).toBe(0)
    expect(stats.blocks).toEqual([])
    expect(stats.longestMs).toBeGreaterThanOrEqual(30 - CLOCKS_EPSILON_MS)
  })

  it('holds nothing from before its mark', async () => {
    const m = started({ thresholdMs: 5 })
    await nextTurn()
    atomicsWait(60)
    await nextTurn()
    const mark = m.mark()
    await nextTurn()
    atomicsWait(30)
    await nextTurn()
    const stats = m.since(mark)

    expect(stats.count).toBe(1)
    expect(stats.longestMs).toBeGreaterThanOrEqual(30 - CLOCKS_EPSILON_MS)
    expect(stats.longestMs).toBeLessThan(60)
  })

  it('clips a block that began before the mark to the part after it', async () => {
    const m = started({ thresholdMs: 5 })
    await nextTurn()
    const before = atomicsWait(40)
    const mark = m.mark()
    const after = atomicsWait(30)
    await nextTurn()
    const stats = m.since(mark)

    expect(stats.count).toBe(1)
    expect(stats.blocks[0]!.startMs).toBe(mark.atMs)
    // Positions are wall-clock: the block's wall length is what the window clips.
    expect(stats.blocks[0]!.wallMs).toBeGreaterThanOrEqual(after.toMs - mark.atMs)
    expect(stats.blocks[0]!.wallMs).toBeLessThan(after.toMs - before.fromMs)
  })

  it('counts a synchronous stretch still running when it closes, up to that moment', () => {
    const m = started({ thresholdMs: 5 })
    const mark = m.mark()
    const span = atomicsWait(50)
    const stats = m.since(mark)
    const closedAtMs = now()

    expect(stats.count).toBe(1)
    expect(stats.blocks[0]!.startMs).toBe(mark.atMs)
    expect(stats.blocks[0]!.wallMs).toBeGreaterThanOrEqual(span.toMs - mark.atMs)
    expect(mark.atMs + stats.blocks[0]!.wallMs).toBeLessThanOrEqual(closedAtMs)
  })

  it('starts no earlier than start() and ends at stop()', async () => {
    const m = createMonitor({ thresholdMs: 5 })
    monitor = m
    const early = m.mark()
    atomicsWait(60)
    m.start()
    await nextTurn()
    atomicsWait(30)
    await nextTurn()
    m.stop()
    atomicsWait(80)
    await nextTurn()
    const stats = m.since(early)

    expect(stats.count).toBe(1)
    expect(stats.longestMs).toBeGreaterThanOrEqual(30 - CLOCKS_EPSILON_MS)
    expect(stats.longestMs).toBeLessThan(60)
  })

  it('closed by stop() in the middle of a stretch, counts that stretch up to stop()', () => {
    const m = started({ thresholdMs: 5 })
    const mark = m.mark()
    const span = atomicsWait(30)
    m.stop()
    const stoppedAtMs = now()
    atomicsWait(20)
    const stats = m.since(mark)

    expect(stats.count).toBe(1)
    expect(stats.blocks[0]!.wallMs).toBeGreaterThanOrEqual(span.toMs - mark.atMs)
    expect(mark.atMs + stats.blocks[0]!.wallMs).toBeLessThanOrEqual(stoppedAtMs)
  })

  it('counts that stretch once when another monitor kept the sampler recording it', async () => {
    const other = createMonitor()
    other.start()
    try {
      const m = started({ thresholdMs: 5 })
      await nextTurn()
      const mark = m.mark()
      const span = atomicsWait(30)
      m.stop()
      const stoppedAtMs = now()
      atomicsWait(10)
      await idle(5)
      const stats = m.since(mark)

      expect(stats.count).toBe(1)
      expect(stats.blocks[0]!.wallMs).toBeGreaterThanOrEqual(span.toMs - span.fromMs)
      expect(stats.blocks[0]!.startMs + stats.blocks[0]!.wallMs).toBeLessThanOrEqual(stoppedAtMs)
    } finally {
      other.stop()
    }
  })

  it('is empty on a monitor never started', () => {
    const m = createMonitor({ thresholdMs: 0 })
    const mark = m.mark()
    atomicsWait(10)
    expect(m.since(mark)).toEqual({ longestMs: 0, totalMs: 0, count: 0, blocks: [], runnerMs: 0 })
  })

  it('can be read again later, and then holds what came since', async () => {
    // Sleeps longer than a wait a busy machine's scheduler could impose: Linux (6.12+) can count a whole short sleep
    // as run-queue wait, and a stretch whose wait a fair scheduler could explain has all of it taken out.
    const m = started({ thresholdMs: 5 })
    const mark = m.mark()
    await nextTurn()
    atomicsWait(30)
    await nextTurn()
    const first = m.since(mark)
    atomicsWait(45)
    await nextTurn()
    const second = m.since(mark)

    expect(first.count).toBe(1)
    expect(second.count).toBe(2)
    expect(second.blocks[0]).toEqual(first.blocks[0])
    expect(second.longestMs).toBeGreaterThanOrEqual(45 - CLOCKS_EPSILON_MS)
  })
})

describe('onBlock', () => {
  it('is called once per block at or over the threshold, after the block, with its start and length', async () => {
    const calls: { block: Block; atMs: number }[] = []
    const m = started({ thresholdMs: 15, onBlock: (block) => calls.push({ block, atMs: now() }) })
    await nextTurn()
    const long = atomicsWait(30)
    await nextTurn()
    atomicsWait(5)
    await idle(5)
    const m2 = atomicsWait(30)
    await idle(5)

    expect(calls).toHaveLength(2)
    const [first, second] = calls
    expect(first!.block.startMs).toBeLessThanOrEqual(long.fromMs)
    expect(first!.block.wallMs).toBeGreaterThanOrEqual(long.toMs - long.fromMs)
    expect(first!.atMs).toBeGreaterThanOrEqual(long.toMs)
    expect(second!.block.startMs).toBeLessThanOrEqual(m2.fromMs)
    expect(second!.atMs).toBeGreaterThanOrEqual(m2.toMs)
  })

  it('hears of a block only from the moment its monitor started, as since() does', async () => {
    const other = createMonitor()
    other.start()
    try {
      const calls: Block[] = []
      await nextTurn()
      atomicsWait(60)
      const m = started({ thresholdMs: 15, onBlock: (block) => calls.push(block) })
      const mark = m.mark()
      atomicsWait(30)
      await idle(5)
      const stats = m.since(mark)

      expect(calls).toHaveLength(1)
      expect(calls[0]!.startMs).toBeGreaterThanOrEqual(mark.atMs - 1)
      expect(calls[0]!.durationMs).toBeLessThan(60)
      expect(calls[0]!.durationMs).toBeCloseTo(stats.blocks[0]!.durationMs, 0)
    } finally {
      other.stop()
    }
  })

  it('is not called once the monitor has stopped', async () => {
    const calls: Block[] = []
    const m = started({ thresholdMs: 5, onBlock: (block) => calls.push(block) })
    m.stop()
    await nextTurn()
    atomicsWait(20)
    await idle(5)

    expect(calls).toEqual([])
  })
})
