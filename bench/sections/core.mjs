// The core section: loopguard's detector against its peers on the same ground truth, each detector alone in a
// child process per workload; then the overhead on busy workloads and the cost of measureBlocking.
import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { DETECTORS, NONE, REPORT_FLOOR_MS } from '../core/detectors.mjs'
import { median } from '../core/stats.mjs'
import { BLOCKERS, BUSY_WORKLOADS, LENGTHS_MS, PLACES } from '../core/workloads.mjs'

export const title = 'Core detector: accuracy and overhead against the peers'

const execFileAsync = promisify(execFile)
const child = (name) => fileURLToPath(new URL(`../core/${name}`, import.meta.url))

/** Blocks of each source, place and length, per detector. */
const ACCURACY_REPEATS = 1
/** Child processes per detector and busy workload, each timing PAIRS interleaved pairs; the median is kept. */
const OVERHEAD_ROUNDS = 5
const PAIRS = 20
/** Runs of the workloads that hold no block, per detector; the median is kept. */
const QUIET_ROUNDS = 2
/** A promise-heavy sample runs the workload 10 times (one run is ~10 ms). */
const REPEATS = { promise: 10, timer: 1 }
/** blocked-at makes the promise-heavy workload several hundred times slower: fewer, shorter rounds. */
const SLOW_DETECTOR = 'blocked-at'
const SLOW_ROUNDS = 3
const SLOW_PAIRS = 2
const PLACES_TIMED = [...PLACES, 'script top level']
/**
 * A window in which the thread waited this long for a CPU while ready to run was disturbed by other work on the
 * machine, whatever the detector: it is set aside (the spec's own tolerance).
 */
const DISTURBED_MS = 1.5
const undisturbed = (w) => !(w.waitedMs >= DISTURBED_MS)

/** Environment of the child processes: where the copy of the built package is. */
let childEnv = process.env

/**
 * Copies the built @loopguard/core aside for the length of the run: other work in the tree may rebuild it
 * (and delete it meanwhile) while the section runs.
 */
async function snapshotBuiltPackage(log) {
  const dist = dirname(fileURLToPath(import.meta.resolve('@loopguard/core')))
  for (let waited = 0; !existsSync(join(dist, 'index.js')); waited++) {
    if (waited === 60) throw new Error(`${dist}/index.js is missing: run \`pnpm build\` first.`)
    if (waited === 0) log('  waiting for packages/core/dist (a build is running?)')
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  const scratch = fileURLToPath(new URL('../.tmp/', import.meta.url))
  mkdirSync(scratch, { recursive: true })
  const copy = mkdtempSync(join(scratch, 'core-'))
  cpSync(dist, copy, { recursive: true })
  childEnv = { ...process.env, LOOPGUARD_CORE_ENTRY: pathToFileURL(join(copy, 'index.js')).href }
  return () => rmSync(copy, { recursive: true, force: true })
}

async function childLines(script, args) {
  const { stdout } = await execFileAsync(process.execPath, [child(script), ...args.map(String)], {
    maxBuffer: 64 << 20,
    env: childEnv,
  })
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
}

const mean = (values) => values.reduce((sum, v) => sum + v, 0) / values.length
const fixed = (value, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '—')
const percent = (part, whole) => `${((100 * part) / whole).toFixed(0)} %`

/** The spec: a block of N ms reads between N and N + max(1.5 ms, 3 %). */
function withinSpec(window) {
  // execSync's N is the wall time around the call (the spawn adds to the sleep); the other sources' N is what
  // they were asked for. The bound is taken above the true length, which a busy machine can stretch.
  const nominal = window.source === "execSync('sleep')" ? window.trueMs : window.ms
  const reading = Math.max(0, ...window.reports)
  return reading >= nominal && reading <= window.trueMs + Math.max(1.5, 0.03 * nominal)
}

/**
 * Runs every detector on every workload, the detectors taking turns within each workload so that a burst of
 * load from elsewhere on the machine falls on all of them alike.
 */
async function accuracies(log) {
  const names = Object.keys(DETECTORS)
  const windows = Object.fromEntries(names.map((name) => [name, []]))
  const quiet = Object.fromEntries(names.map((name) => [name, []]))
  for (const source of Object.keys(BLOCKERS)) {
    log(`  blocks made by ${source}`)
    for (const name of names) windows[name].push(...(await childLines('accuracy-child.mjs', [name, source, ACCURACY_REPEATS])))
    for (const ms of LENGTHS_MS) {
      for (const name of names) windows[name].push(...(await childLines('top-level-child.mjs', [name, source, ms])))
    }
  }
  for (let round = 0; round < QUIET_ROUNDS; round++) {
    log(`  no blocks, round ${round + 1}/${QUIET_ROUNDS}`)
    for (const name of names) quiet[name].push(await childLines('accuracy-child.mjs', [name, 'no blocks']))
  }
  const result = {}
  for (const name of names) {
    const allBlocks = windows[name].filter((w) => w.kind === 'block')
    const blocks = allBlocks.filter(undisturbed)
    const detected = blocks.filter((w) => w.reports.length > 0)
    const errors = detected.map((w) => Math.abs(Math.max(...w.reports) - w.trueMs))
    const quietKept = quiet[name].map((run) => run.filter(undisturbed))
    const tasks = quietKept.flat().filter((w) => w.kind === '2 ms tasks')
    result[name] = {
      blocks,
      allBlocks,
      kept: blocks.length + quietKept.flat().length,
      windows: allBlocks.length + quiet[name].flat().length,
      detectionRate: detected.length / blocks.length,
      meanErrorMs: errors.length ? mean(errors) : NaN,
      maxErrorMs: errors.length ? Math.max(...errors) : NaN,
      withinSpec: blocks.filter(withinSpec).length,
      falseBlocks: quietKept.flat().reduce((sum, w) => sum + w.reports.length, 0),
      falseBlocksAll: quiet[name].flat().reduce((sum, w) => sum + w.reports.length, 0),
      shortTasksLongestMs: Math.max(0, ...tasks.map((w) => w.longestMs)),
      shortTasksMerged: Math.max(0, ...quiet[name].flat().map((w) => w.merged ?? 0)),
    }
  }
  return result
}

async function overheads(log) {
  const workloads = Object.keys(BUSY_WORKLOADS)
  const names = Object.keys(DETECTORS)
  const samples = Object.fromEntries(workloads.map((w) => [w, { baselines: [], ratios: {}, cpuRatios: {} }]))
  for (let round = 0; round < OVERHEAD_ROUNDS; round++) {
    log(`  overhead round ${round + 1}/${OVERHEAD_ROUNDS}`)
    // Rotate the order each round, so that a burst of load from elsewhere does not fall on one detector.
    const order = names.map((_, i) => names[(i + round) % names.length])
    for (const workload of workloads) {
      const kind = workload.startsWith('promise') ? 'promise' : 'timer'
      for (const name of order) {
        const slow = name === SLOW_DETECTOR
        if (slow && round >= SLOW_ROUNDS) continue
        const repeats = slow && kind === 'promise' ? 1 : REPEATS[kind]
        const [timed] = await childLines('overhead-child.mjs', [name, workload, slow ? SLOW_PAIRS : PAIRS, repeats])
        if (!slow) samples[workload].baselines.push(timed.baselineMs)
        ;(samples[workload].ratios[name] ??= []).push(timed.wallRatio)
        ;(samples[workload].cpuRatios[name] ??= []).push(timed.cpuRatio)
      }
    }
  }
  const ratios = {}
  for (const workload of workloads) {
    const s = samples[workload]
    ratios[workload] = { baselineMs: median(s.baselines), cpu: {}, range: {} }
    for (const name of names) {
      ratios[workload][name] = median(s.ratios[name])
      ratios[workload].cpu[name] = median(s.cpuRatios[name])
      ratios[workload].range[name] = [Math.min(...s.ratios[name]), Math.max(...s.ratios[name])]
    }
  }
  return ratios
}

async function measureBlockingCost() {
  const script = `
    const { createMonitor, measureBlocking } = await import(process.env.LOOPGUARD_CORE_ENTRY)
    const wallUs = () => Number(process.hrtime.bigint()) / 1e3
    const trivial = () => 1
    function perCallUs() {
      const batches = []
      for (let b = 0; b < 7; b++) {
        const from = wallUs()
        for (let i = 0; i < 20000; i++) measureBlocking(trivial)
        batches.push((wallUs() - from) / 20000)
      }
      return batches.sort((a, b) => a - b)[3]
    }
    perCallUs()
    const alone = perCallUs()
    const monitor = createMonitor()
    monitor.start()
    const beside = perCallUs()
    monitor.stop()
    console.log(JSON.stringify({ alone, beside }))
  `
  const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', script], { env: childEnv })
  return JSON.parse(stdout)
}

const IDLE_SECONDS = 3
const IDLE_PROCESSES = 3

/**
 * CPU time per second of a process that does nothing but wait on a timer, with no monitor, with a monitor running
 * and under `monitorBlocking`: the cost of the sampler's wake-ups, which busy workloads do not show. Processes
 * alternate; medians.
 */
async function idleCost(log) {
  log(`  idle cost: ${IDLE_PROCESSES} processes idling ${IDLE_SECONDS} s per variant (none, a monitor, monitorBlocking)`)
  const script = `
    const core = await import(process.env.LOOPGUARD_CORE_ENTRY)
    let stop = () => {}
    if (process.argv[1] === 'monitor') {
      const monitor = core.createMonitor()
      monitor.start()
      stop = () => monitor.stop()
    } else if (process.argv[1] === 'production') stop = core.monitorBlocking({ onBlock() {} })
    await new Promise((resolve) => setTimeout(resolve, 50))
    const from = process.cpuUsage()
    await new Promise((resolve) => setTimeout(resolve, ${IDLE_SECONDS * 1000}))
    const used = process.cpuUsage(from)
    stop()
    console.log((used.user + used.system) / 1000 / ${IDLE_SECONDS})
  `
  const perSecond = { none: [], monitor: [], production: [] }
  for (let i = 0; i < IDLE_PROCESSES; i++) {
    for (const variant of Object.keys(perSecond)) {
      const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', script, variant], { env: childEnv })
      perSecond[variant].push(Number(stdout))
    }
  }
  return { monitor: median(perSecond.monitor), production: median(perSecond.production), none: median(perSecond.none) }
}

export async function run({ log = () => {} } = {}) {
  const removeSnapshot = await snapshotBuiltPackage(log)
  let accuracy, ratios, cost, idle
  try {
    accuracy = await accuracies(log)
    ratios = await overheads(log)
    cost = await measureBlockingCost()
    idle = await idleCost(log)
  } finally {
    removeSnapshot()
  }
  const [promiseWorkload, timerWorkload] = Object.keys(BUSY_WORKLOADS)
  const ratio = (value) => `${fixed(value, 3)}×`
  const overhead = (of, name) => `${ratio(of[name])} (${of.range[name].map((r) => fixed(r, 3)).join('–')}; CPU ${ratio(of.cpu[name])})`
  const total = accuracy.loopguard.allBlocks.length

  const lines = []
  lines.push(
    `${total} ground-truth blocks per detector: ${Object.keys(BLOCKERS).join(', ')} × ${LENGTHS_MS.join(', ')} ms, ` +
      `from ${PLACES.join(', ')} and the top level of a script. Every detector reports blocks of ${REPORT_FLOOR_MS} ms and more. ` +
      `Windows in which this thread waited ${DISTURBED_MS} ms or more for a CPU (Linux schedstat) are set aside: ` +
      'another job on the machine, not the code, held the loop up there.',
    '',
    '| detector | windows kept | detected | mean abs. error | max abs. error | within spec | false blocks | longest of 1,000 × 2 ms tasks | overhead, promise-heavy | overhead, timer/I/O-heavy |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  )
  for (const [name, detector] of Object.entries(DETECTORS)) {
    const a = accuracy[name]
    const kept = a.blocks.length
    lines.push(
      `| ${detector.label} | ${a.kept} of ${a.windows} | ${percent(a.detectionRate * kept, kept)} | ${fixed(a.meanErrorMs)} ms | ${fixed(a.maxErrorMs)} ms | ` +
        `${percent(a.withinSpec, kept)} | ${a.falseBlocks} (${a.falseBlocksAll} in all windows) | ${fixed(a.shortTasksLongestMs)} ms | ` +
        `${overhead(ratios[promiseWorkload], name)} | ${overhead(ratios[timerWorkload], name)} |`,
    )
  }
  lines.push(
    '',
    '- **windows kept**: of the ground-truth windows and the windows of the no-block workloads, those not set aside.',
    '- **detected**: the detector reported a block in the window of a ground-truth block (of the blocks kept).',
    '- **mean / max abs. error**: |longest block reported in the window − the wall time of the blocking call|, over the detected blocks.',
    '- **within spec**: the reading lies between N and the true length + max(1.5 ms, 3 % of N), of the blocks kept ' +
      "(N is the length asked for; for execSync, the wall time of the call, spawn included).",
    `- **false blocks**: blocks reported where there are none, in windows kept: ${QUIET_ROUNDS} runs of 5 idle awaits of a 200 ms ` +
      'timer, 1,000 tasks of 2 ms chained with `setImmediate` (100 windows of 10), the promise-heavy workload (10 windows of ' +
      '20,000 awaits) and the timer/I/O-heavy workload (twice). **longest of 1,000 × 2 ms tasks**: the longest reading in the ' +
      'windows kept of those runs. loopguard, which says when each block was, read ' +
      `${accuracy.loopguard.shortTasksMerged} of its blocks as holding two tasks or more, in any window.`,
    `- **overhead**: wall time with the detector ÷ wall time with none, measured inside one process: samples with the detector ` +
      `installed and samples without it take turns (ABBA) on the same compiled code, after a warm-up pair; a process gives the ` +
      `median ratio of its ${PAIRS} pairs, and the table shows the median over ${OVERHEAD_ROUNDS} processes with, in brackets, the ` +
      `lowest and highest of them, then the same ratio of CPU time (\`blocked-at\`, which slows the promise-heavy workload several ` +
      `hundred times: ${SLOW_ROUNDS} processes of ${SLOW_PAIRS} pairs, one run per sample). ` +
      `${promiseWorkload}: 2,000 macrotasks of 100 awaits, timed 10 runs at a time, ${fixed(ratios[promiseWorkload].baselineMs, 1)} ms with no detector; ` +
      `${timerWorkload}: 50 concurrent chains of a 0 ms timer, an \`fs.stat\` and an immediate, 100 rounds each, ${fixed(ratios[timerWorkload].baselineMs, 1)} ms. ` +
      'Nothing is set aside here: the spread between processes is the noise of a shared machine.',
    '',
    'How each detector was read, per window:',
    '',
    ...Object.values(DETECTORS).map((d) => `- ${d.label}: ${d.reads}.`),
    '',
    `\`measureBlocking(() => 1)\` costs ${fixed(cost.alone)} µs per call with no monitor running and ` +
      `${fixed(cost.beside)} µs with one running (median of 7 batches of 20,000 calls). ` +
      `A process that only waits on a timer uses ${fixed(idle.monitor, 2)} ms of CPU per second with a monitor running, ` +
      `${fixed(idle.production, 2)} ms under \`monitorBlocking\` and ${fixed(idle.none, 2)} ms with none (medians of ` +
      `${IDLE_PROCESSES} processes idling ${IDLE_SECONDS} s after 50 ms; target: at most 2 ms over none): the sampler leaves an ` +
      'idle loop asleep.',
  )
  lines.push('', '<details><summary>loopguard block by block, every window: over-read (reading − true length, ms) per source, place and length; ✗ outside the spec</summary>', '')
  lines.push(`| source | place | ${LENGTHS_MS.map((ms) => `${ms} ms`).join(' | ')} |`, `| --- | --- | ${LENGTHS_MS.map(() => '---').join(' | ')} |`)
  for (const source of Object.keys(BLOCKERS)) {
    for (const place of PLACES_TIMED) {
      const cells = LENGTHS_MS.map((ms) => {
        const mine = accuracy.loopguard.allBlocks.filter((w) => w.source === source && w.place === place && w.ms === ms)
        const over = Math.max(...mine.map((w) => Math.max(0, ...w.reports) - w.trueMs))
        const mark = mine.every(withinSpec) ? '' : mine.every(undisturbed) ? ' ✗' : ' (set aside)'
        return `${over >= 0 ? '+' : ''}${fixed(over)}${mark}`
      })
      lines.push(`| ${source} | ${place} | ${cells.join(' | ')} |`)
    }
  }
  lines.push('', '</details>')
  return lines.join('\n')
}
