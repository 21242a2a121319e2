// The monitor keeps the real clock and timers whatever a test fakes, before or after it starts; blocking that a
// fake clock causes by running callbacks is real blocking and is counted.
//
// The fakes are installed and removed within each synchronous stretch here: with nextTick and queueMicrotask
// faked, the test runner's own messages would be lost if a test awaited. The asynchronous cases run in a
// child process of their own (support/fake-timers-child.cjs).
import { install, type FakeMethod } from '@sinonjs/fake-timers'
import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { createMonitor, measureBlocking, now, type Monitor } from '../src/index.js'
import { BUILT_CJS, requireBuild } from './support/built-package.js'
import { CLOCKS_EPSILON_MS, atomicsWait, expectReadingWithinBound, lengthOf, upperBoundMs } from './support/ground-truth.js'

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
type Setup = 'real timers' | 'fake timers installed before start()' | 'fake timers installed after start()'
const SETUPS: Setup[] = ['real timers', 'fake timers installed before start()', 'fake timers installed after start()']

/** Runs `body` synchronously with a started monitor and the fakes `setup` asks for; removes both after. */
function withMonitor<T>(setup: Setup, body: (monitor: Monitor, clock: InstalledClock | undefined) => T): T {
  const monitor = createMonitor({ thresholdMs: 5 })
  let clock: InstalledClock | undefined
  try {
    if (setup === 'fake timers installed before start()') clock = install({ toFake: EVERY_API, now: Date.now() })
    monitor.start()
    if (setup === 'fake timers installed after start()') clock = install({ toFake: EVERY_API, now: Date.now() })
    return body(monitor, clock)
  } finally {
    clock?.uninstall()
    monitor.stop()
  }
}

describe.each(SETUPS)('with %s', (setup) => {
  it('a 50 ms synchronous block reads 50 ms', async () => {
    await expectReadingWithinBound(() =>
      withMonitor(setup, (monitor) => {
        const mark = monitor.mark()
        const span = atomicsWait(50)
        const stats = monitor.since(mark)
        expect(stats.count).toBe(1)
        return { readMs: stats.longestMs, trueMs: lengthOf(span) }
      }),
    )
  })

  it('moving the fake clock on by a minute adds no block and no time', () => {
    const { stats, elapsedMs } = withMonitor(setup, (monitor, clock) => {
      const mark = monitor.mark()
      const fromMs = now()
      clock?.tick(60_000)
      clock?.setSystemTime(Date.now() + 3_600_000)
      return { stats: monitor.since(mark), elapsedMs: now() - fromMs }
    })

    expect(elapsedMs).toBeLessThan(1_000)
    expect(stats.count).toBe(0)
    expect(stats.longestMs).toBeLessThan(1_000)
  })

  it('blocking in callbacks that clock.tick() runs is counted', async () => {
    await expectReadingWithinBound(() =>
      withMonitor(setup, (monitor, clock) => {
        const mark = monitor.mark()
        let span = { fromMs: 0, toMs: 0, trueMs: 0 }
        if (clock) {
          clock.setTimeout(() => (span = atomicsWait(30)), 100)
          clock.tick(100)
        } else {
          span = atomicsWait(30)
        }
        expect(lengthOf(span)).toBeGreaterThanOrEqual(30)
        return { readMs: monitor.since(mark).longestMs, trueMs: lengthOf(span) }
      }),
    )
  })

  it('measureBlocking of a synchronous call reads the same', async () => {
    await expectReadingWithinBound(() =>
      withMonitor(setup, () => {
        let span = { fromMs: 0, toMs: 0, trueMs: 0 }
        const stats = measureBlocking(() => (span = atomicsWait(25)), { thresholdMs: 5 })
        expect(stats.count).toBe(1)
        return { readMs: stats.longestMs, trueMs: lengthOf(span) }
      }),
    )
  })
})

describe('with every API faked while the code awaits (in a child process)', () => {
  beforeAll(requireBuild)

  interface ChildReading {
    setup: string
    place: string
    trueMs: number
    readMs: number
  }

  function runChild(): Promise<{ readings: ChildReading[]; calls: Record<string, number[]> }> {
    const script = fileURLToPath(new URL('./support/fake-timers-child.cjs', import.meta.url))
    const fakeTimers = createRequire(import.meta.url).resolve('@sinonjs/fake-timers')
    return new Promise((resolve, reject) => {
      execFile(process.execPath, [script, BUILT_CJS, fakeTimers], { timeout: 20_000 }, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
      )
    })
  }

  it('blocks between awaits, in real timer and I/O callbacks and under measureBlocking read the same, and onBlock hears of them', async () => {
    const result = await runChild()
    for (const r of result.readings) expect(r.readMs, `${r.setup}, ${r.place}`).toBeGreaterThanOrEqual(r.trueMs - CLOCKS_EPSILON_MS)
    expect(result.readings).toHaveLength(8)
    for (const r of result.readings) {
      expect(r.trueMs).toBeGreaterThanOrEqual(40)
      expect(r.readMs, `${r.setup}, ${r.place}`).toBeLessThan(upperBoundMs(r.trueMs))
    }
    // onBlock runs from the monitor's own interval, so it runs whatever is faked: one call per block of 40 ms.
    for (const setup of ['before start()', 'after start()']) {
      const calls = result.calls[setup]!
      expect(calls.filter((ms) => ms >= 40 - CLOCKS_EPSILON_MS).length, `${setup}: ${calls.join(', ')}`).toBeGreaterThanOrEqual(3)
    }
  })
})

describe('with the test runner’s own fake timers (vi.useFakeTimers, its defaults)', () => {
  it('counts blocking in the callbacks vi.advanceTimersByTime runs, and nothing for the fake time it skips', async () => {
    const monitor = createMonitor({ thresholdMs: 5 })
    monitor.start()
    try {
      await expectReadingWithinBound(() => {
        // Vitest refuses to fake nextTick in its default pool; everything else is faked by default.
        vi.useFakeTimers()
        try {
          let span = { fromMs: 0, toMs: 0, trueMs: 0 }
          setTimeout(() => (span = atomicsWait(30)), 10_000)
          const mark = monitor.mark()
          vi.advanceTimersByTime(60_000)
          const stats = monitor.since(mark)

          expect(lengthOf(span)).toBeGreaterThanOrEqual(30)
          expect(stats.count).toBe(1)
          return { readMs: stats.longestMs, trueMs: lengthOf(span) }
        } finally {
          vi.useRealTimers()
        }
      })
    } finally {
      monitor.stop()
    }
  })
})
