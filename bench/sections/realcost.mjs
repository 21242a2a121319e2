// pnpm bench realcost: what loopguard costs a real suite, by attribution mode. Runs hono (Vitest) and luxon (Jest)
// interleaved: the project as it is, loopguard with attribution 'off', loopguard with attribution 'auto' (the
// default), round after round, and compares CPU time (user + system of the whole run, workers included) and wall
// time. Mode 'report', so that no run formats failures the others do not. The checkouts are not part of this
// repository: set LOOPGUARD_HONO and LOOPGUARD_LUXON (see ../shared/REALWORLD.md); a suite whose variable is unset is
// skipped. Run alone with `node bench/sections/realcost.mjs` (after `pnpm build`), or through `pnpm bench realcost`.
import { spawnSync } from 'node:child_process'
import { checkouts } from './stability.mjs'
import { childrenCpuMs } from './vitest.mjs'
import { runAlone } from '../run-alone.mjs'

export const title = 'Cost on real suites: loopguard with attribution off and auto, over the suite alone'

const ROUNDS = Number(process.env.LOOPGUARD_COST_ROUNDS ?? 3)
const VARIANTS = ['none', 'off', 'auto']

function runOnce(suite, checkout, configArgs) {
  const cpuBefore = childrenCpuMs()
  const started = performance.now()
  const result = spawnSync(process.execPath, suite.command(checkout, configArgs), {
    cwd: checkout,
    env: { ...process.env, ...suite.env2, CI: '', NO_COLOR: '1', LOOPGUARD_OUTPUT_FILE: '' },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  })
  if (result.error) throw result.error
  return { wallMs: performance.now() - started, cpuMs: childrenCpuMs() - cpuBefore }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
const added = (ratio) => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)} %`

export async function run({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  if (childrenCpuMs() === undefined) return { title, rows: [{ measure: 'all suites', value: 'skipped: CPU time of children is read from /proc (Linux)' }] }
  const rows = []
  for (const { name, suite, checkout } of checkouts(rows)) {
    const configure = (attribution) => suite.configure(checkout, { mode: 'report', attribution }, `lg-${attribution}`)
    const args = { none: [], off: configure('off'), auto: configure('auto') }
    log(`${name}: a warm-up round`)
    for (const variant of VARIANTS) runOnce(suite, checkout, args[variant])
    const runs = Object.fromEntries(VARIANTS.map((v) => [v, []]))
    for (let round = 0; round < ROUNDS; round++) {
      for (const variant of VARIANTS) runs[variant].push(runOnce(suite, checkout, args[variant]))
      log(`  round ${round + 1}: ${VARIANTS.map((v) => `${v} ${(runs[v][round].cpuMs / 1000).toFixed(2)} s CPU`).join(', ')}`)
    }
    const ratio = (v, base, key) => median(runs[v].map((r, i) => r[key] / runs[base][i][key]))
    const figures = (v) => `${(median(runs[v].map((r) => r.cpuMs)) / 1000).toFixed(2)} s CPU, ${(median(runs[v].map((r) => r.wallMs)) / 1000).toFixed(2)} s wall`
    rows.push({ measure: `${name} (${suite.runner}), medians of ${ROUNDS}: alone; attribution off; auto`, value: VARIANTS.map(figures).join('; ') })
    for (const [v, base] of [['off', 'none'], ['auto', 'none'], ['auto', 'off']]) {
      rows.push({ measure: `${name} (${suite.runner}): ${v} over ${base === 'none' ? 'the suite alone' : 'off'}`, value: `CPU ${added(ratio(v, base, 'cpuMs'))}, wall ${added(ratio(v, base, 'wallMs'))}` })
    }
  }
  const notes =
    `${ROUNDS} rounds after a warm-up round, each running the suite alone, with loopguard (attribution 'off') and with ` +
    "loopguard (attribution 'auto', the default), in that order; mode 'report'; the built packages copied into the " +
    'checkout as an install has them. Ratios are medians of the per-round ratios. CPU time is user + system of the ' +
    'whole run and its workers, counted in 10 ms ticks. hono: `vitest run --project main` with the plugin added to its ' +
    "config; luxon: `jest --ci` with its `testEnvironment: 'node'` replaced by `@loopguard/jest/node`, the setup file and the reporter."
  return { title, rows, notes }
}

await runAlone(import.meta.url, { title, run })
