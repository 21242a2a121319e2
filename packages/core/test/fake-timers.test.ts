// The monitor keeps the real clock and timers whatever a test fakes, before or after it starts; blocking that a
// fake clock causes by running callbacks is real blocking and is counted.
import { install, type FakeMethod } from '@sinonjs/fake-timers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMonitor, measureBlocking, now, type Block, type Monitor } from '../src/index.js'
import { COUNTS_BLOCKS, atomicsWait, blockAt, expectReadingWithinBound, idle, lengthOf, nextTurn } from './support/ground-truth.js'

/** Every API the fake clock can take over in Node, as the issue lists them. */
const EVERY_API: FakeMethod[] = [
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'setImmediate',
  'clearImmediate',
  'Date',
  'performance',
  'hrtime',
  'nextTick',
  'queueMicrotask',
]

type InstalledClock = ReturnType<typeof install>

let clock: InstalledClock | undefined
let monitor: Monitor | undefined

function installFakeTimers(): InstalledClock {
  clock = install({ toFake: EVERY_API, now: Date.now() })
  return clock
}

// The fakes must be gone before the test runner awaits anything of its own.
afterEach(() => {
  clock?.uninstall()
  clock = undefined
  monitor?.stop()
  monitor = undefined
})

type Setup = 'real timers' | 'fake timers installed before start()' | 'fake timers installed after start()'
const SETUPS: Setup[] = ['real timers', 'fake timers installed before start()', 'fake timers installed after start()']

function startMonitor(setup: Setup, options?: Parameters<typeof createMonitor>[0]): Monitor {
  monitor = createMonitor({ thresholdMs: 5, ...options })
  if (setup === 'fake timers installed before start()') installFakeTimers()
  monitor.start()
  if (setup === 'fake timers installed after start()') installFakeTimers()
  return monitor
}

describe.each(SETUPS)('with %s', (setup) => {
  it('a 50 ms synchronous block reads 50 ms', COUNTS_BLOCKS, async () => {
    const m = startMonitor(setup)
    await expectReadingWithinBound(() => {
      const mark = m.mark()
      const span = atomicsWait(50)
      const stats = m.since(mark)
      expect(stats.count).toBe(1)
      return { readMs: stats.longestMs, trueMs: lengthOf(span) }
    })
  })

  it('moving the fake clock on by a minute adds no block and no time', COUNTS_BLOCKS, () => {
    const m = startMonitor(setup)
    const mark = m.mark()
    const fromMs = now()
    clock?.tick(60_000)
    clock?.setSystemTime(Date.now() + 3_600_000)
    const stats = m.since(mark)

    expect(now() - fromMs).toBeLessThan(1_000)
    expect(stats.count).toBe(0)
    expect(stats.longestMs).toBeLessThan(1_000)
  })

  it('blocking in callbacks that clock.tick() runs is counted', async () => {
    const m = startMonitor(setup)
    await expectReadingWithinBound(() => {
      const mark = m.mark()
      let span = { fromMs: 0, toMs: 0 }
      if (clock) {
        clock.setTimeout(() => (span = atomicsWait(30)), 100)
        clock.tick(100)
      } else {
        span = atomicsWait(30)
      }
      expect(lengthOf(span)).toBeGreaterThanOrEqual(30)
      return { readMs: m.since(mark).longestMs, trueMs: lengthOf(span) }
    })
  })

  it.each(['timer callback', 'between awaits'] as const)(
    'a block in a real %s reads the same, and onBlock is called after it',
    async (place) => {
      const seen: Block[] = []
      const m = startMonitor(setup, { onBlock: (block) => seen.push(block) })
      try {
        await expectReadingWithinBound(async () => {
          await nextTurn()
          const mark = m.mark()
          const span = await blockAt(place, () => atomicsWait(40))
          return { readMs: m.since(mark).longestMs, trueMs: lengthOf(span) }
        })
        await idle(5)
        // onBlock is called from the monitor's own interval: it runs, fakes or not.
        expect(seen.filter((b) => b.durationMs >= 40).length).toBeGreaterThanOrEqual(1)
      } finally {
        clock?.uninstall()
        clock = undefined
      }
    },
  )

  it('measureBlocking reads the same, sync or async', COUNTS_BLOCKS, async () => {
    if (setup !== 'real timers') installFakeTimers()
    try {
      await expectReadingWithinBound(() => {
        let span = { fromMs: 0, toMs: 0 }
        const stats = measureBlocking(() => (span = atomicsWait(25)), { thresholdMs: 5 })
        expect(stats.count).toBe(1)
        return { readMs: stats.longestMs, trueMs: lengthOf(span) }
      })
      await expectReadingWithinBound(async () => {
        let span = { fromMs: 0, toMs: 0 }
        const stats = await measureBlocking(
          async () => {
            await null
            span = atomicsWait(25)
          },
          { thresholdMs: 5 },
        )
        return { readMs: stats.longestMs, trueMs: lengthOf(span) }
      })
    } finally {
      clock?.uninstall()
      clock = undefined
    }
  })
})

describe('with the test runner’s own fake timers (vi.useFakeTimers, its defaults)', COUNTS_BLOCKS, () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('counts blocking in the callbacks vi.advanceTimersByTime runs, and nothing for the fake time it skips', async () => {
    monitor = createMonitor({ thresholdMs: 5 })
    monitor.start()
    // Vitest refuses to fake nextTick in its default pool; everything else is faked by default.
    vi.useFakeTimers()
    const m = monitor
    await expectReadingWithinBound(() => {
      let span = { fromMs: 0, toMs: 0 }
      setTimeout(() => (span = atomicsWait(30)), 10_000)
      const mark = m.mark()
      vi.advanceTimersByTime(60_000)
      const stats = m.since(mark)

      expect(lengthOf(span)).toBeGreaterThanOrEqual(30)
      expect(stats.count).toBe(1)
      return { readMs: stats.longestMs, trueMs: lengthOf(span) }
    })
  })
})
