// A busy machine and the garbage collector are not the code's blocking: with other processes on every core, a
// block's judged length stays the code's own time, and V8's pauses are shown beside a block, not charged to it.
import { spawn, execFile, type ChildProcess } from 'node:child_process'
import { cpus } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { excludesMachineLoad, measureBlocking } from '../src/index.js'
import { BUILT_CJS, requireBuild } from './support/built-package.js'
import { CLOCKS_EPSILON_MS, cpuSpin, upperBoundMs } from './support/ground-truth.js'

const linux = process.platform === 'linux'

describe.runIf(linux)('on a machine whose cores are all busy (Linux)', () => {
  let hogs: ChildProcess[] = []
  beforeAll(async () => {
    // One more runnable thread than there are cores: the measured thread must wait for a CPU.
    hogs = Array.from({ length: cpus().length + 1 }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }))
    await new Promise((resolve) => setTimeout(resolve, 200))
  })
  afterAll(() => hogs.forEach((hog) => hog.kill('SIGKILL')))

  it('a CPU-bound block reads its own CPU time, the wait for a CPU kept apart', () => {
    let span = { fromMs: 0, toMs: 0, trueMs: 0 }
    const stats = measureBlocking(() => (span = cpuSpin(100)))
    const block = stats.blocks[0]!

    expect(excludesMachineLoad()).toBe(false) // the sampler stopped with measureBlocking
    // The hogs did make the thread wait: the wall time is well over the CPU time.
    expect(span.toMs - span.fromMs).toBeGreaterThan(span.trueMs + 20)
    expect(block.wallMs).toBeGreaterThanOrEqual(span.toMs - span.fromMs)
    expect(block.durationMs).toBeGreaterThanOrEqual(span.trueMs - CLOCKS_EPSILON_MS)
    // The wait is taken out: what remains is far under the wall time (steal time on a VM, which no per-thread figure
    // shows, can still lengthen it by a few ms).
    expect(block.durationMs).toBeLessThan(span.toMs - span.fromMs - 20)
    expect(block.waitMs).toBeGreaterThan(20)
    expect(block.durationMs + block.waitMs + block.gcMs).toBeCloseTo(block.wallMs, 6)
  })

  it('a block that sleeps reads its sleep, however late the thread gets the CPU back', () => {
    const stats = measureBlocking(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50))
    expect(stats.longestMs).toBeGreaterThanOrEqual(50 - CLOCKS_EPSILON_MS)
    expect(stats.longestMs).toBeLessThan(upperBoundMs(50))
  })
})

describe('garbage collection', () => {
  beforeAll(requireBuild)

  // In a child with --expose-gc: a block that runs full collections, read with and without countGc. Node reports a
  // pause at the end of the loop turn it happened in, so the measured function lets one turn pass after the block.
  function readGcBlock(): Promise<{ plain: { durationMs: number; wallMs: number; gcMs: number }; counted: { durationMs: number; gcMs: number } }> {
    const script = `
      const { measureBlocking } = require(${JSON.stringify(BUILT_CJS)})
      const block = () => { let keep = []; for (let i = 0; i < 20; i++) { keep.push(new Array(200000).fill(i)); gc() } return keep.length }
      const run = async () => { block(); await new Promise((resolve) => setImmediate(resolve)) }
      const longest = (stats) => stats.blocks.reduce((a, b) => (b.wallMs > a.wallMs ? b : a))
      ;(async () => {
        const plain = longest(await measureBlocking(run))
        const counted = longest(await measureBlocking(run, { countGc: true }))
        process.stdout.write(JSON.stringify({ plain, counted }))
      })()`
    return new Promise((resolve, reject) =>
      execFile(process.execPath, ['--expose-gc', '-e', script], { timeout: 30_000 }, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
      ),
    )
  }

  it('pauses inside a block are shown as gcMs and left out of durationMs, unless countGc', async () => {
    const { plain, counted } = await readGcBlock()
    expect(plain.gcMs).toBeGreaterThan(5)
    expect(plain.durationMs).toBeLessThanOrEqual(plain.wallMs - plain.gcMs + 1e-6)
    expect(counted.gcMs).toBeGreaterThan(5)
    // Counted, the pauses are part of the time judged.
    expect(counted.durationMs).toBeGreaterThan(counted.gcMs)
  })
})
