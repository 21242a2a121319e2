// Whose block it was, among tests that ran at once: the one whose function the profile's samples show on the stack,
// before or after an await; nobody's when the samples cannot tell (a timer's callback blocked).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMonitor } from '../src/index.js'
import { blockOwners, startProfiler, type Profiler } from '../src/attribution/index.js'
import { atomicsWait, cpuSpin, idle } from './support/ground-truth.js'

function unrelated(): void {}

describe('blockOwners', () => {
  let profiler: Profiler
  beforeAll(() => {
    profiler = startProfiler()
  })
  afterAll(() => profiler.stop())

  it('gives a block to the concurrent function on its stack, and none where no candidate is on it', async () => {
    const monitor = createMonitor({ thresholdMs: 20 })
    monitor.start()
    const mark = monitor.mark()
    // Three "tests" run at once: one blocks after an await, one only waits, one sets a timer whose callback blocks.
    const blocksAfterAwait = async () => {
      await idle(10)
      cpuSpin(60)
    }
    const waits = async () => {
      await idle(300)
    }
    const viaTimer = () => new Promise<void>((resolve) => setTimeout(() => resolve(void atomicsWait(60)), 150))
    await Promise.all([blocksAfterAwait(), waits(), viaTimer()])
    const stats = monitor.since(mark)
    monitor.stop()
    const profile = profiler.takeProfile()

    const candidates = [
      { id: 'after-await', location: profiler.functionLocation(blocksAfterAwait)! },
      { id: 'waits', location: profiler.functionLocation(waits)! },
      { id: 'via-timer', location: profiler.functionLocation(viaTimer)! },
    ]
    expect(candidates.every((c) => c.location && typeof c.location.scriptId === 'string')).toBe(true)
    const windows = stats.blocks.map((b) => ({ startMs: b.startMs, durationMs: b.wallMs }))
    expect(windows.length).toBeGreaterThanOrEqual(2)
    const owners = blockOwners(profile, windows, candidates)
    // The spin ran first (after 10 ms), the timer's sleep later (at 150 ms).
    expect(owners[0]).toEqual(['after-await'])
    expect(owners.at(-1)).toBeUndefined()
    // Two tests that run one function: the block is one of theirs, which of them the samples cannot tell.
    const twins = [...candidates, { id: 'twin', location: candidates[0]!.location }]
    expect(blockOwners(profile, windows, twins)[0]).toEqual(['after-await', 'twin'])
  })

  it("finds the function a runner's wrapper holds in its closures, and not the other functions of the file", () => {
    const handler = async () => {}
    const withContext = (fn: (context: object) => Promise<void>) => async (context: object) => fn(context)
    function withTimeout(fn: (context: object) => Promise<void>, ms: number) {
      return function timed(this: unknown, context: object) {
        return Promise.race([fn.call(this, context), new Promise((resolve) => setTimeout(resolve, ms).unref())]).then(unrelated)
      }
    }
    const wrapper = withTimeout(withContext(handler), 5)
    const locations = profiler.wrappedFunctionLocations(wrapper)
    expect(locations[0]).toEqual(profiler.functionLocation(wrapper))
    expect(locations).toContainEqual(profiler.functionLocation(handler))
    // A function of the file's own scope, which every function of the file can see, is not one the wrapper holds.
    expect(locations).not.toContainEqual(profiler.functionLocation(unrelated))
    expect(profiler.wrappedFunctionLocations(wrapper, 1)).toEqual([profiler.functionLocation(wrapper)])
  })

  it('returns nothing for a function V8 cannot place, and every owner unknown without candidates', () => {
    expect(profiler.functionLocation(Math.max)).toBeUndefined()
    expect(blockOwners(profiler.takeProfile(), [{ startMs: 0, durationMs: 1 }], [])).toEqual([undefined])
  })
})
