// Attribution's cost: the always-on 1 ms CPU profiler on a promise-heavy suite, slicing the profile after a
// test against restarting the profiler, and naming the blocking lines of a test over budget.
// Run alone with `node bench/sections/attribution.mjs` (after `pnpm build`), or through `pnpm bench`.
import { createRequire } from 'node:module'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { Session } from 'node:inspector'
import { createMonitor, now } from '@loopguard/core'
import { attributeBlocks, startProfiler } from '@loopguard/core/attribution'
import { runAlone } from '../run-alone.mjs'

export const title = 'Attribution: profiler overhead and per-test cost'

const TESTS = 500
const OVER_BUDGET_EVERY = 50 // 10 of 500 tests block for 60 ms (over a 50 ms budget)
const LISTED_EVERY = 10 // 50 more block for 15 ms (listed, under budget)

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[sorted.length >> 1]
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]
}

// One test: a chain of awaits (the shape of async application code); every OVER_BUDGET_EVERY-th test also
// blocks for 60 ms at a known line, every LISTED_EVERY-th for 15 ms.
async function leaf(i) {
  return i & 1
}
async function handler(i) {
  let total = 0
  for (let k = 0; k < 8; k++) total += await leaf(i + k)
  return total
}
function blockFor(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}
async function oneTest(n, { blocks = true } = {}) {
  let total = 0
  for (let i = 0; i < 2000; i++) total += await handler(i)
  if (blocks && n % OVER_BUDGET_EVERY === OVER_BUDGET_EVERY - 1) blockFor(60)
  else if (blocks && n % LISTED_EVERY === LISTED_EVERY - 1) blockFor(15)
  await nextTurn()
  return total
}

/**
 * A 500-test suite in one worker, the way a runner integration drives it: a window per test, judged against
 * a 50 ms budget. `mode`: 'off' (no profiler), 'sampling' (profiler on, never read), 'auto' (profile sliced and
 * attributed only for tests over budget), 'full' (sliced after every test, every listed block attributed).
 * The profiler's start is left out: a runner pays it once per worker, reported on its own.
 */
async function suite(mode) {
  const profiler = mode === 'off' ? undefined : startProfiler()
  const monitor = createMonitor({ thresholdMs: 10 })
  monitor.start()
  const started = now()
  const cpuBefore = process.cpuUsage()
  let attributed = 0
  let lastTake = started
  for (let n = 0; n < TESTS; n++) {
    const mark = monitor.mark()
    await oneTest(n)
    const stats = monitor.since(mark)
    if (mode === 'off' || mode === 'sampling') continue
    const wanted = mode === 'full' ? stats.blocks.length > 0 : stats.longestMs > 50
    // A recording holds every sample since the last take: slice at least every 5 s even when nothing is wanted.
    if (wanted || now() - lastTake > 5000) {
      const profile = profiler.takeProfile()
      lastTake = now()
      if (wanted) attributed += attributeBlocks(profile, stats.blocks, { root: process.cwd() }).filter((f) => f.frame).length
    }
  }
  const wallMs = now() - started
  const cpu = process.cpuUsage(cpuBefore)
  monitor.stop()
  profiler?.stop()
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, attributed }
}

function postSync(session, method, params) {
  let result
  session.post(method, params, (error, value) => {
    if (error) throw error
    result = value
  })
  return result
}

function loadMuchCode() {
  // A test worker holds its runner, transformers and the app: TypeScript's compiler stands in for them.
  try {
    createRequire(import.meta.url)('typescript')
    return 'typescript loaded'
  } catch {
    return 'little code loaded'
  }
}

export const notes = [
  'One worker, in process: a 500-test suite of promise chains (2,000 awaited calls a test), 10 tests blocking 60 ms',
  '(over a 50 ms budget) and 50 blocking 15 ms (listed, under budget), each test in a window of the monitor.',
  "Modes: off (no profiler), sampling (profiler on, never read), auto (profile taken and attributed after tests over",
  'budget), full (after every test with a listed block). 7 rounds run the modes in rotating order; each mode is',
  "compared with the same round's 'off' run. CPU time includes V8's sampling thread. The profiler start is paid",
  "once per worker and shown on its own row. Negative overheads are the machine's noise.",
].join('\n')

export async function run({ log = () => {} } = {}) {
  const rows = []
  const code = loadMuchCode()

  // Start and restart cost of the profiler itself, against slicing a running one.
  let t = now()
  let profiler = startProfiler()
  rows.push({ measure: `startProfiler() (${code})`, value: `${(now() - t).toFixed(1)} ms` })
  profiler.stop()

  const session = new Session()
  session.connect()
  postSync(session, 'Profiler.enable')
  const restarts = []
  for (let i = 0; i < 5; i++) {
    postSync(session, 'Profiler.start')
    await oneTest(0)
    t = now()
    postSync(session, 'Profiler.stop')
    postSync(session, 'Profiler.start')
    restarts.push(now() - t)
    postSync(session, 'Profiler.stop')
  }
  session.disconnect()
  rows.push({ measure: 'Profiler.stop + Profiler.start (a second profiler, for comparison)', value: `${median(restarts).toFixed(1)} ms median` })

  // Warm up every path, then run the modes in rotating order, each round's timings paired with its own 'off'
  // run, so that drift on a shared machine hits all alike.
  const MODES = ['off', 'sampling', 'auto', 'full']
  const ROUNDS = 7
  for (const mode of MODES) await suite(mode)
  const runs = Object.fromEntries(MODES.map((m) => [m, []]))
  let attributed = 0
  for (let round = 0; round < ROUNDS; round++) {
    log(`  suite round ${round + 1} of ${ROUNDS}`)
    const order = MODES.map((_, i) => MODES[(i + round) % MODES.length])
    for (const mode of order) {
      const result = await suite(mode)
      runs[mode].push(result)
      if (mode === 'auto') attributed = result.attributed
    }
  }
  const percent = (ratio) => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)} %`
  for (const mode of MODES) {
    const wall = median(runs[mode].map((r) => r.wallMs))
    const cpu = median(runs[mode].map((r) => r.cpuMs))
    if (mode === 'off') {
      rows.push({ measure: `${TESTS}-test suite, attribution off`, value: `${wall.toFixed(0)} ms wall, ${cpu.toFixed(0)} ms CPU (medians of ${ROUNDS})` })
      continue
    }
    const wallRatio = median(runs[mode].map((r, i) => r.wallMs / runs.off[i].wallMs))
    const cpuRatio = median(runs[mode].map((r, i) => r.cpuMs / runs.off[i].cpuMs))
    rows.push({ measure: `${TESTS}-test suite, attribution ${mode}`, value: `${percent(wallRatio)} wall, ${percent(cpuRatio)} CPU (median of paired ratios)` })
  }
  const samplingCpu = median(runs.sampling.map((r, i) => (r.cpuMs - runs.off[i].cpuMs) / r.wallMs))
  rows.push({ measure: "sampling's own CPU time (V8's sampler and profile threads)", value: `${(samplingCpu * 100).toFixed(1)} % of one core while the suite runs` })
  rows.push({ measure: 'blocks attributed per auto run', value: `${attributed} of ${TESTS / OVER_BUDGET_EVERY}` })

  // Sampling alone on promise-heavy code with no blocking: the profiler's cost where it has nothing to find.
  for (const interval of [1000, 100]) {
    const ratios = []
    const offs = []
    for (let round = 0; round < 9; round++) {
      const timeOf = async () => {
        const from = now()
        for (let n = 0; n < 150; n++) await oneTest(n, { blocks: false })
        return now() - from
      }
      // Alternate which goes first, so that neither always follows the other.
      let off
      let on
      if (round % 2 === 0) off = await timeOf()
      const sampling = startProfiler({ samplingIntervalUs: interval })
      // A runner starts the profiler once per worker: time it settled, as the tests after the first see it.
      await timeOf()
      on = await timeOf()
      sampling.stop()
      if (round % 2 === 1) off = await timeOf()
      ratios.push(on / off)
      offs.push(off)
    }
    rows.push({
      measure: `promise-heavy code (no blocking), sampling every ${interval} µs`,
      value: `${percent(median(ratios))} wall over ${median(offs).toFixed(0)} ms (median of 9 paired ratios)`,
    })
  }

  // The per-test slice and attribution cost, after a test of typical length.
  profiler = startProfiler()
  const slices = []
  const attributions = []
  for (let i = 0; i < 40; i++) {
    profiler.takeProfile()
    const mark = now()
    await oneTest(OVER_BUDGET_EVERY - 1)
    const window = { startMs: mark, durationMs: now() - mark }
    t = now()
    const profile = profiler.takeProfile()
    slices.push(now() - t)
    t = now()
    attributeBlocks(profile, [window], { root: process.cwd() })
    attributions.push(now() - t)
  }
  rows.push({ measure: 'takeProfile() after a test', value: `${median(slices).toFixed(2)} ms median, ${percentile(slices, 0.95).toFixed(2)} ms p95` })
  rows.push({ measure: 'attributeBlocks() for one test', value: `${median(attributions).toFixed(2)} ms median, ${percentile(attributions, 0.95).toFixed(2)} ms p95` })
  profiler.stop()
  return { rows, notes }
}

await runAlone(import.meta.url, { title, run })
