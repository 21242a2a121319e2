// V8's garbage collector is not the code's blocking: the profile's samples show how much of a block it took,
// including the marking and sweeping steps its 'gc' entries leave out, and the runners move that share to `gcMs`.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { judgeInScope, moveToGc, refigure, type ReportBlock } from '../src/index.js'
import { test } from './cli-fixtures.js'
import { BUILT_CJS, requireBuild } from './support/built-package.js'

const BUILT_ATTRIBUTION = fileURLToPath(new URL('../dist/attribution.cjs', import.meta.url))

/** In a child with --expose-gc: a block that runs full collections, its share of GC samples, and a block that does not. */
function collectingBlock(): Promise<{ collecting: { gcShare?: number; samples: number }; computing: { gcShare?: number; samples: number } }> {
  const script = `
    const { measureBlocking } = require(${JSON.stringify(BUILT_CJS)})
    const { startProfiler, attributeBlocks } = require(${JSON.stringify(BUILT_ATTRIBUTION)})
    const profiler = startProfiler()
    const keep = []
    for (let i = 0; i < 40; i++) keep.push(new Array(100000).fill({ i }))
    const window = (stats) => { const b = stats.blocks.reduce((a, b) => (b.wallMs > a.wallMs ? b : a)); return { startMs: b.startMs, durationMs: b.wallMs } }
    const collecting = window(measureBlocking(() => { for (let i = 0; i < 15; i++) gc() }, { thresholdMs: 1, countGc: true }))
    const computing = window(measureBlocking(() => { const end = performance.now() + 40; let x = 0; while (performance.now() < end) x++ }, { thresholdMs: 1 }))
    const [a, b] = attributeBlocks(profiler.takeProfile(), [collecting, computing], { root: process.cwd() })
    profiler.stop()
    process.stdout.write(JSON.stringify({ collecting: a, computing: b, kept: keep.length }))`
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['--expose-gc', '-e', script], { timeout: 30_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
    ),
  )
}

describe('garbage collection in the profile', () => {
  beforeAll(requireBuild)

  it('gives the share of a block the collector ran, and none where it did not', async () => {
    const { collecting, computing } = await collectingBlock()
    expect(collecting.samples).toBeGreaterThan(3)
    expect(collecting.gcShare).toBeGreaterThan(0.5)
    expect(collecting.gcShare).toBeLessThanOrEqual(1)
    expect(computing.samples).toBeGreaterThan(3)
    expect(computing.gcShare ?? 0).toBeLessThan(0.2)
  })

  it('moves to gcMs what the reported pauses did not cover, unless GC counts', () => {
    // 60 ms judged, 20 ms of reported pauses already out: the profile saw GC in half of the 80 ms, so 20 ms more.
    expect(moveToGc({ startMs: 0, durationMs: 60, gcMs: 20 }, 0.5, false)).toEqual({ startMs: 0, durationMs: 40, wallMs: 60, gcMs: 40 })
    // The reported pauses already cover what the profile saw: nothing moves.
    expect(moveToGc({ startMs: 0, durationMs: 60, gcMs: 20 }, 0.2, false)).toEqual({ startMs: 0, durationMs: 60, gcMs: 20 })
    // All of it GC: nothing left to charge.
    expect(moveToGc({ startMs: 0, durationMs: 70 }, 1, false)).toMatchObject({ durationMs: 0, gcMs: 70 })
    expect(moveToGc({ startMs: 0, durationMs: 70 }, 1, true)).toEqual({ startMs: 0, durationMs: 70 })
    expect(moveToGc({ startMs: 0, durationMs: 70 }, undefined, false)).toEqual({ startMs: 0, durationMs: 70 })
  })
  it('judged again, a test whose longest block was mostly GC falls under its budget', () => {
    const block: ReportBlock = { startMs: 1, durationMs: 60, wallMs: 70, gcMs: 5, frame: null }
    const other: ReportBlock = { startMs: 90, durationMs: 12, frame: null }
    const figures = test('a.test.ts', 't', [block, other])
    const moved = moveToGc(block, 0.6, false)
    const judged = judgeInScope(refigure(figures, [moved, other], 10), 'fail')
    // 65 ms of own time, 60 % of it GC: 39 ms, of which 5 were already out. 26 ms left.
    expect(judged.figures).toMatchObject({ longestMs: 26, overBudget: false, count: 2 })
    expect(judged.failure).toBeUndefined()
  })
})
