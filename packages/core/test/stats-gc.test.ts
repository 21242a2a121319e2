// How a block's GC share is found from the stretch's figures: its own file, since the pauses it records are the
// GC store's only ones (a real pause recorded out of order would hide the ones before it from other tests).
import { describe, expect, it } from 'vitest'
import { recordGcPause } from '../src/monitor/gc.js'
import { StatsBuilder } from '../src/monitor/stats.js'

describe('a stretch with a GC pause', () => {
  // Seen in a Jest test's first stretch beside four CPU hogs: 17.96 ms long, 13.36 ms of it the thread's own (4.60 ms
  // of CPU, 2.55 ms off the CPU without waiting for one, the rest of the kept time Linux's wait), a 10.74 ms pause.
  recordGcPause(1000, 1010.74)
  const block = (ownMs: number, cpuMs: number, countGc = false) => {
    const builder = new StatsBuilder(990, 1100, 0, countGc)
    builder.add(995, 1012.96, ownMs, cpuMs)
    return builder.result().blocks[0]!
  }

  it('has what it kept beyond its CPU time taken out as the pause’s, up to the pause’s length', () => {
    const seen = block(13.36, 4.6)
    expect(seen.gcMs).toBeCloseTo(13.36 - 4.6, 9)
    expect(seen.durationMs).toBeCloseTo(4.6, 9)
    expect(seen.durationMs + seen.gcMs + seen.waitMs).toBeCloseTo(seen.wallMs, 9)
  })

  it('never has more than the pause taken out, nor less than the pause’s share of its own time', () => {
    // 2 ms of CPU: 11.36 ms kept beyond it, of which the pause's 10.74 ms at most.
    expect(block(13.36, 2).gcMs).toBeCloseTo(10.74, 9)
    // All of the own time on the CPU: the pause's share of the own time, as without the CPU figure.
    const share = 10.74 * (13.36 / 17.96)
    expect(block(13.36, 13.36).gcMs).toBeCloseTo(share, 9)
    expect(block(13.36, Number.NaN).gcMs).toBeCloseTo(share, 9)
  })

  it('keeps it all when GC counts', () => {
    expect(block(13.36, 4.6, true).durationMs).toBeCloseTo(13.36, 9)
  })
})
