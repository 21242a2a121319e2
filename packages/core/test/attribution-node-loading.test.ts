// Node's own work is not the code's: the first `Request` of a process makes Node load its fetch implementation
// (tens of ms, once). Attribution says so, names no line of the code for it, and gives the share of the block it
// took, which the runners move out of the test's figures.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { moveToRunner, refigure, type ReportBlock, type TestFigures } from '../src/index.js'
import { BUILT_CJS, requireBuild } from './support/built-package.js'

const BUILT_ATTRIBUTION = fileURLToPath(new URL('../dist/attribution.cjs', import.meta.url))

/** In a fresh process: a block that makes the first Request (Node loads undici), measured and attributed. */
function firstRequest(): Promise<{ durationMs: number; attribution: { frame: unknown; activity?: string; nodeLoadingShare?: number; samples: number } }> {
  const script = `
    const { measureBlocking } = require(${JSON.stringify(BUILT_CJS)})
    const { startProfiler, attributeBlocks } = require(${JSON.stringify(BUILT_ATTRIBUTION)})
    const profiler = startProfiler()
    const stats = measureBlocking(() => new Request('http://localhost/'), { thresholdMs: 1 })
    const block = stats.blocks.reduce((a, b) => (b.wallMs > a.wallMs ? b : a))
    const [attribution] = attributeBlocks(profiler.takeProfile(), [{ startMs: block.startMs, durationMs: block.wallMs }], { root: process.cwd() })
    profiler.stop()
    process.stdout.write(JSON.stringify({ durationMs: block.durationMs, attribution }))`
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['-e', script], { timeout: 30_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
    ),
  )
}

describe("Node loading its own modules", () => {
  beforeAll(requireBuild)

  it('is named for what it is, with no line of the code, and its share of the block is given', async () => {
    const { durationMs, attribution } = await firstRequest()
    expect(durationMs).toBeGreaterThan(5)
    expect(attribution.samples).toBeGreaterThan(3)
    expect(attribution.frame).toBeNull()
    expect(attribution.activity).toBe('Node loading its fetch implementation (once per process)')
    expect(attribution.nodeLoadingShare).toBeGreaterThan(0.5)
    expect(attribution.nodeLoadingShare).toBeLessThanOrEqual(1)
  })

  it('moved to the runner’s work, leaves the test with the rest of its time', () => {
    const block: ReportBlock = { startMs: 10, durationMs: 80, frame: null }
    const other: ReportBlock = { startMs: 200, durationMs: 30, frame: null }
    const figures: TestFigures = {
      file: 'a.test.ts',
      name: 't',
      fullName: 't',
      budgetMs: 50,
      longestMs: 80,
      totalMs: 110,
      count: 2,
      overBudget: true,
      concurrent: false,
      blocks: [block, other],
    }
    const moved = moveToRunner(block, 0.75)
    expect(moved).toMatchObject({ durationMs: 20, wallMs: 80, runnerMs: 60 })
    expect(refigure(figures, [moved, other], 25)).toMatchObject({ longestMs: 30, totalMs: 30, count: 1, runnerMs: 60, blocks: [other] })
    // Nothing moved: the figures stand.
    expect(refigure(figures, [block, other], 25)).toMatchObject({ longestMs: 80, totalMs: 110, count: 2 })
  })
})
