// Attribution's cost: the always-on 1 ms CPU profiler on a promise-heavy suite, slicing the profile after a
// test against restarting the profiler, and naming the blocking lines of a test over budget.
// Run alone with `node bench/sections/attribution.mjs` (after `pnpm build`), or through `pnpm bench`.
import { createRequire } from 'node:module'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { Session } from 'node:inspector'
import { createMonitor, now } from '@loopguard/core'
import { attributeBlocks, startProfiler } from '@loopguard/core/attribution'

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
  monitor.stop()
  profiler?.stop()
  return { wallMs, attributed }
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

export async function run() {
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

  // Warm up every path, then alternate so drift on a shared machine hits all alike.
  const MODES = ['off', 'sampling', 'auto', 'full']
  for (const mode of MODES) await suite(mode)
  const runs = Object.fromEntries(MODES.map((m) => [m, []]))
  let attributed = 0
  for (let round = 0; round < 5; round++) {
    for (const mode of MODES) {
      const result = await suite(mode)
      runs[mode].push(result.wallMs)
      if (mode === 'auto') attributed = result.attributed
    }
  }
  const off = median(runs.off)
  for (const mode of MODES) {
    const ms = median(runs[mode])
    const overhead = mode === 'off' ? '' : ` (${(((ms - off) / off) * 100).toFixed(1)} % over off)`
    rows.push({ measure: `${TESTS}-test suite, attribution ${mode}`, value: `${ms.toFixed(0)} ms median of 5${overhead}` })
  }
  rows.push({ measure: 'blocks attributed per auto run', value: `${attributed} of ${TESTS / OVER_BUDGET_EVERY}` })

  // Sampling alone on promise-heavy code with no blocking: the profiler's cost where it has nothing to find.
  for (const interval of [1000, 100]) {
    const off = []
    const on = []
    for (let round = 0; round < 7; round++) {
      t = now()
      for (let n = 0; n < 150; n++) await oneTest(n, { blocks: false })
      off.push(now() - t)
      const sampling = startProfiler({ samplingIntervalUs: interval })
      t = now()
      for (let n = 0; n < 150; n++) await oneTest(n, { blocks: false })
      on.push(now() - t)
      sampling.stop()
    }
    const overhead = ((median(on) - median(off)) / median(off)) * 100
    rows.push({ measure: `promise-heavy code, sampling every ${interval} µs`, value: `${median(off).toFixed(0)} -> ${median(on).toFixed(0)} ms median of 7 (${overhead.toFixed(1)} %)` })
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
  return { title, rows }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { rows } = await run()
  const width = Math.max(...rows.map((r) => r.measure.length))
  process.stdout.write(`${title}\n${rows.map((r) => `  ${r.measure.padEnd(width)}  ${r.value}`).join('\n')}\n`)
}
