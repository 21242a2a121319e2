// The detector as a guest in someone else's process: it keeps nothing alive, changes no process-wide state,
// tolerates being started twice, and works in worker threads and vm contexts.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import vm from 'node:vm'
import { Worker } from 'node:worker_threads'
import { beforeAll, describe, expect, it } from 'vitest'
import { createMonitor, measureBlocking, monitorBlocking, type Block } from '../src/index.js'
import { isRunning } from '../src/monitor/sampler.js'
import { BUILT_CJS, BUILT_ESM, requireBuild } from './support/built-package.js'
import { CLOCKS_EPSILON_MS, atomicsWait, idle, nextTurn } from './support/ground-truth.js'

beforeAll(requireBuild)

interface ChildResult {
  code: number | null
  signal: NodeJS.Signals | null
  output: string
  ms: number
}

/** Runs a script in a fresh Node process (the one running these tests) and waits, at most 20 s, for it to exit. */
function runNode(args: string[]): Promise<ChildResult> {
  const from = performance.now()
  return new Promise((resolve) => {
    execFile(process.execPath, args, { timeout: 20_000, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0
      resolve({ code, signal: error?.signal ?? null, output: stdout + stderr, ms: performance.now() - from })
    })
  })
}

describe('never keeps a process alive', () => {
  const everyApiLeftRunning = (load: string) => `
    ${load}
    const monitor = core.createMonitor({ thresholdMs: 5, onBlock() {} })
    monitor.start()
    monitor.start()
    core.monitorBlocking({ onBlock() {} })
    core.measureBlocking(async () => { await null })
    core.measureBlocking(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20))
    process.on('exit', () => { process.exitCode = monitor.running ? 0 : 3 })
  `

  it.each([
    ['as an ES module', ['--input-type=module', '-e', everyApiLeftRunning(`import * as core from ${JSON.stringify(pathToFileURL(BUILT_ESM).href)}`)]],
    ['as CommonJS', ['-e', everyApiLeftRunning(`const core = require(${JSON.stringify(BUILT_CJS)})`)]],
  ])('a script that loads it %s and leaves every API running exits by itself, silently', async (_how, args) => {
    const result = await runNode(args)

    expect(result.signal).toBeNull()
    expect(result.code).toBe(0)
    expect(result.output).toBe('')
  })

  it('an error thrown by onBlock reaches the process as an uncaught exception, and the monitor goes on', async () => {
    const script = `
      const core = require(${JSON.stringify(BUILT_CJS)})
      const block = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
      let calls = 0
      let uncaught = 0
      process.on('uncaughtException', (error) => { if (error.message === 'from onBlock') uncaught++ })
      const stop = core.monitorBlocking({ thresholdMs: 20, onBlock() { calls++; throw new Error('from onBlock') } })
      setTimeout(() => block(30), 5)
      setTimeout(() => block(30), 60)
      setTimeout(() => { stop(); console.log(JSON.stringify({ calls, uncaught })) }, 150)
    `
    const result = await runNode(['-e', script])
    const { calls, uncaught } = JSON.parse(result.output) as { calls: number; uncaught: number }

    expect(result.code).toBe(0)
    // Two blocks at least (a busy machine can stretch another turn past 20 ms); every error surfaced.
    expect(calls).toBeGreaterThanOrEqual(2)
    expect(uncaught).toBe(calls)
  })
})

describe('never wakes an idle loop', () => {
  // libuv counts the loop's turns (Node 20.18+, 22.8+): a 300 ms wait on one timer takes a couple of them, where an
  // interval of 1 ms would add one a millisecond. The script waits once without a monitor and once with each API.
  const script = `
    const core = require(${JSON.stringify(BUILT_CJS)})
    const turns = () => performance.nodeTiming.uvMetricsInfo.loopCount
    const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
    async function turnsOfAWait() {
      await wait(20)
      const before = turns()
      await wait(300)
      return turns() - before
    }
    ;(async () => {
      const none = await turnsOfAWait()
      const monitor = core.createMonitor()
      monitor.start()
      const monitored = await turnsOfAWait()
      monitor.stop()
      const production = core.monitorBlocking({ onBlock() {} })
      const inProduction = await turnsOfAWait()
      production()
      process.stdout.write(JSON.stringify({ none, monitored, inProduction }))
    })()
  `

  it('a 300 ms wait takes as many turns of the loop with a monitor running as without, give or take two', async () => {
    const result = await runNode(['-e', script])

    expect(result.code, result.output).toBe(0)
    const turns = JSON.parse(result.output) as { none: number; monitored: number; inProduction: number }
    expect(turns.none).toBeLessThan(5)
    expect(turns.monitored).toBeLessThanOrEqual(turns.none + 2)
    expect(turns.inProduction).toBeLessThanOrEqual(turns.none + 2)
  })
})

describe('never changes process-wide state', () => {
  function snapshot() {
    return {
      stackTraceLimit: Error.stackTraceLimit,
      globals: Reflect.ownKeys(globalThis).map(String).sort(),
      listeners: process.eventNames().map((name) => `${String(name)}:${process.listenerCount(name)}`).sort(),
      prepareStackTrace: Error.prepareStackTrace,
    }
  }

  it('leaves Error.stackTraceLimit, the globals and the process listeners as they were', async () => {
    const before = snapshot()
    const monitor = createMonitor({ thresholdMs: 1, onBlock() {} })
    monitor.start()
    const stop = monitorBlocking({ onBlock() {} })
    measureBlocking(() => atomicsWait(15))
    await measureBlocking(async () => {
      await nextTurn()
      atomicsWait(15)
    })
    const during = snapshot()
    monitor.since(monitor.mark())
    stop()
    monitor.stop()

    expect(during).toEqual(before)
    expect(snapshot()).toEqual(before)
  })
})

describe('starting twice is harmless', () => {
  it('start() twice then stop() once stops it; stop() again does nothing', () => {
    const monitor = createMonitor()
    monitor.start()
    monitor.start()
    expect(monitor.running).toBe(true)
    monitor.stop()
    expect(monitor.running).toBe(false)
    expect(isRunning()).toBe(false)
    monitor.stop()
    expect(isRunning()).toBe(false)
  })

  it('a block is reported once however often start() was called', async () => {
    const seen: Block[] = []
    const monitor = createMonitor({ thresholdMs: 20, onBlock: (block) => seen.push(block) })
    monitor.start()
    monitor.start()
    await nextTurn()
    atomicsWait(30)
    await idle(5)
    monitor.stop()

    expect(seen).toHaveLength(1)
    expect(seen[0]!.durationMs).toBeGreaterThanOrEqual(30 - CLOCKS_EPSILON_MS)
  })

  it('monitors share one sampler: stopping one leaves the others reading', async () => {
    const first = createMonitor({ thresholdMs: 5 })
    const second = createMonitor({ thresholdMs: 5 })
    first.start()
    second.start()
    first.stop()
    await nextTurn()
    const mark = second.mark()
    await nextTurn()
    atomicsWait(25)
    await nextTurn()
    const stats = second.since(mark)
    second.stop()

    expect(stats.count).toBe(1)
    expect(stats.longestMs).toBeGreaterThanOrEqual(25 - CLOCKS_EPSILON_MS)
    expect(isRunning()).toBe(false)
  })
})

describe('works in a worker thread', () => {
  it("reads the worker's own blocks, and the main thread reads none of them", async () => {
    const code = `
      const { parentPort } = require('node:worker_threads')
      const { createMonitor } = require(${JSON.stringify(BUILT_CJS)})
      const block = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
      const monitor = createMonitor({ thresholdMs: 10 })
      monitor.start()
      let mark
      setTimeout(() => {
        mark = monitor.mark()
        block(100)
        setImmediate(() => {
          parentPort.postMessage(monitor.since(mark))
          monitor.stop()
        })
      }, 20)
    `
    const main = createMonitor({ thresholdMs: 10 })
    main.start()
    const mark = main.mark()
    const worker = new Worker(code, { eval: true })
    const [workerStats] = await Promise.all([
      new Promise<{ longestMs: number; count: number }>((resolve, reject) => {
        worker.once('message', resolve)
        worker.once('error', reject)
      }),
      new Promise((resolve) => worker.once('exit', resolve)),
    ])
    // The worker starts up on this thread's loop: what matters is that its 100 ms block is not read here.
    const mainStats = main.since(mark)
    main.stop()

    expect(workerStats.count).toBe(1)
    expect(workerStats.longestMs).toBeGreaterThanOrEqual(100 - CLOCKS_EPSILON_MS)
    // Loose on the right: this checks the worker reads its own loop, the bound is checked elsewhere.
    expect(workerStats.longestMs).toBeLessThan(200)
    expect(mainStats.longestMs).toBeLessThan(100)
  })
})

describe('works in a vm context', () => {
  it('the built module evaluated inside a context reads blocks made there', () => {
    // As a vm-based test pool loads a module: its code compiled in the context, its builtins from the host.
    const context = vm.createContext({ process })
    const load = vm.runInContext(
      `(function (exports, require, module) {\n${readFileSync(BUILT_CJS, 'utf8')}\n})`,
      context,
      { filename: BUILT_CJS },
    ) as (exports: object, require: NodeJS.Require, module: { exports: object }) => void
    const module = { exports: {} }
    load(module.exports, createRequire(BUILT_CJS), module)
    context.core = module.exports
    const stats = vm.runInContext(
      `(() => {
        const block = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
        const monitor = core.createMonitor({ thresholdMs: 10 })
        monitor.start()
        const mark = monitor.mark()
        block(40)
        const result = { since: monitor.since(mark), measured: core.measureBlocking(() => block(30)) }
        monitor.stop()
        return result
      })()`,
      context,
    ) as { since: { longestMs: number; count: number }; measured: { longestMs: number } }

    expect(stats.since.count).toBe(1)
    expect(stats.since.longestMs).toBeGreaterThanOrEqual(40 - CLOCKS_EPSILON_MS)
    expect(stats.since.longestMs).toBeLessThan(80)
    expect(stats.measured.longestMs).toBeGreaterThanOrEqual(30 - CLOCKS_EPSILON_MS)
    expect(stats.measured.longestMs).toBeLessThan(60)
  })
})
