// The monitor keeps the real clock and timers whatever a test fakes, before or after it starts; blocking that a
// fake clock causes by running callbacks is real blocking and is counted.
import FakeTimers, { type InstalledClock } from '@sinonjs/fake-timers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMonitor, measureBlocking, now, type Block, type Monitor } from '../src/index.js'
import { atomicsWait, blockAt, idle, nextTurn, upperBoundMs } from './support/ground-truth.js'

/** Every API the fake clock can take over in Node, as the issue lists them. */
const EVERY_API: FakeTimers.FakeMethod[] = [
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

let clock: InstalledClock | undefined
let monitor: Monitor | undefined

function installFakeTimers(): InstalledClock {
  clock = FakeTimers.install({ toFake: EVERY_API, now: Date.now() })
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
  it('a 50 ms synchronous block reads 50 ms', () => {
    const m = startMonitor(setup)
    const mark = m.mark()
    const span = atomicsWait(50)
    const stats = m.since(mark)

    expect(stats.longestMs).toBeGreaterThanOrEqual(span.toMs - span.fromMs)
    expect(stats.longestMs).toBeLessThan(upperBoundMs(50))
    expect(stats.count).toBe(1)
  })

  it('moving the fake clock on by a minute adds no block and no time', () => {
    const m = startMonitor(setup)
    const mark = m.mark()
    const fromMs = now()
    clock?.tick(60_000)
    clock?.setSystemTime(Date.now() + 3_600_000)
    const stats = m.since(mark)

    expect(now() - fromMs).toBeLessThan(1_000)
    expect(stats.count).toBe(0)
    expect(stats.longestMs).toBeLessThan(5)
  })

  it('blocking in callbacks that clock.tick() runs is counted', () => {
    const m = startMonitor(setup)
    const schedule = clock ? clock.setTimeout.bind(clock) : undefined
    const mark = m.mark()
    let span = { fromMs: 0, toMs: 0 }
    if (schedule && clock) {
      schedule(() => (span = atomicsWait(30)), 100)
      clock.tick(100)
    } else {
      span = atomicsWait(30)
    }
    const stats = m.since(mark)

    expect(span.toMs - span.fromMs).toBeGreaterThanOrEqual(30)
    expect(stats.longestMs).toBeGreaterThanOrEqual(span.toMs - span.fromMs)
    expect(stats.longestMs).toBeLessThan(upperBoundMs(30))
  })

  it('blocks in real timer callbacks and between awaits read the same, and onBlock is called after each', async () => {
    const seen: Block[] = []
    const m = startMonitor(setup, { onBlock: (block) => seen.push(block) })
    try {
      const readings: number[] = []
      for (const place of ['timer callback', 'between awaits'] as const) {
        await nextTurn()
        const mark = m.mark()
        await blockAt(place, () => atomicsWait(40))
        readings.push(m.since(mark).longestMs)
        await nextTurn()
        await idle(5)
      }

      for (const reading of readings) {
        expect(reading).toBeGreaterThanOrEqual(40)
        expect(reading).toBeLessThan(upperBoundMs(40))
      }
      // onBlock is called from the monitor's own interval: it runs, fakes or not.
      expect(seen.filter((b) => b.durationMs >= 40)).toHaveLength(2)
    } finally {
      clock?.uninstall()
      clock = undefined
    }
  })

  it('measureBlocking reads the same', async () => {
    if (setup !== 'real timers') installFakeTimers()
    const sync = measureBlocking(() => atomicsWait(25), { thresholdMs: 5 })
    const async = await measureBlocking(
      async () => {
        await null
        atomicsWait(25)
      },
      { thresholdMs: 5 },
    )
    clock?.uninstall()
    clock = undefined

    for (const stats of [sync, async]) {
      expect(stats.longestMs).toBeGreaterThanOrEqual(25)
      expect(stats.longestMs).toBeLessThan(upperBoundMs(25))
      expect(stats.count).toBe(1)
    }
  })
})

describe('with the test runner’s own fake timers (vi.useFakeTimers, its defaults)', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('counts blocking in the callbacks vi.advanceTimersByTime runs, and nothing for the fake time it skips', () => {
    monitor = createMonitor({ thresholdMs: 5 })
    monitor.start()
    // Vitest refuses to fake nextTick in its default pool; everything else is faked by default.
    vi.useFakeTimers()
    let span = { fromMs: 0, toMs: 0 }
    setTimeout(() => (span = atomicsWait(30)), 10_000)
    const mark = monitor.mark()
    vi.advanceTimersByTime(60_000)
    const stats = monitor.since(mark)
    vi.useRealTimers()

    expect(span.toMs - span.fromMs).toBeGreaterThanOrEqual(30)
    expect(stats.longestMs).toBeGreaterThanOrEqual(span.toMs - span.fromMs)
    expect(stats.longestMs).toBeLessThan(upperBoundMs(30))
    expect(stats.count).toBe(1)
  })
})
