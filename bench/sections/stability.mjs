// pnpm bench stability: does a real suite fail the same tests run after run, on a quiet machine and beside two CPU
// hogs? Runs hono (Vitest) and luxon (Jest) with loopguard in mode 'fail', three times each way, and compares the
// sets of tests over budget. The checkouts are not part of this repository: set LOOPGUARD_HONO and LOOPGUARD_LUXON
// to them (see ../shared/REALWORLD.md for the commits and installs); a suite whose variable is unset is skipped.
// Run alone with `node bench/sections/stability.mjs` (after `pnpm build`), or through `pnpm bench stability`.
import { spawn, spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { installPackages } from './vitest.mjs'
import { median } from '../core/stats.mjs'
import { runAlone } from '../run-alone.mjs'

export const title = 'Stability: the tests a real suite fails, run after run, quiet and beside two CPU hogs'

const RUNS = Number(process.env.LOOPGUARD_STABILITY_RUNS ?? 3)

/**
 * The real suites, each with loopguard added as its README says. `configure(checkout, options, tag)` writes a config
 * with `options` given to loopguard and returns the arguments that pick it; `command(checkout, configArgs)` runs the
 * suite with those arguments (none: the project's own config, without loopguard).
 */
export const suites = {
  hono: {
    env: 'LOOPGUARD_HONO',
    runner: 'Vitest',
    packages: [['@loopguard/core', 'core'], ['@loopguard/vitest', 'vitest-plugin']],
    // The project's own config with the plugin added (one line in the plugins).
    configure(checkout, options = {}, tag = 'loopguard') {
      const file = `vitest.${tag}.config.ts`
      writeFileSync(
        join(checkout, file),
        [
          "import { mergeConfig } from 'vitest/config'",
          "import { loopguard } from '@loopguard/vitest'",
          "import base from './vitest.config'",
          `export default mergeConfig(base, { plugins: [loopguard(${JSON.stringify(options)})] })`,
          '',
        ].join('\n'),
      )
      return ['--config', file]
    },
    command: (checkout, configArgs) => [join(checkout, 'node_modules/vitest/vitest.mjs'), 'run', ...configArgs, '--project', 'main', '--coverage.enabled=false'],
    env2: {},
  },
  luxon: {
    env: 'LOOPGUARD_LUXON',
    runner: 'Jest',
    packages: [['@loopguard/core', 'core'], ['@loopguard/jest', 'jest-env']],
    // The project's config with its `testEnvironment: 'node'` replaced by loopguard's, the setup file and reporter.
    configure(checkout, options = {}, tag = 'loopguard') {
      const file = `jest.${tag}.config.js`
      writeFileSync(
        join(checkout, file),
        [
          "const base = require('./jest.config.js')",
          'module.exports = {',
          '  ...base,',
          "  testEnvironment: '@loopguard/jest/node',",
          `  testEnvironmentOptions: { ...base.testEnvironmentOptions, loopguard: ${JSON.stringify(options)} },`,
          "  setupFilesAfterEnv: [...(base.setupFilesAfterEnv ?? []), '@loopguard/jest/setup'],",
          "  reporters: ['default', '@loopguard/jest/reporter'],",
          '}',
          '',
        ].join('\n'),
      )
      return ['--config', file]
    },
    command: (checkout, configArgs) => [join(checkout, 'node_modules/jest/bin/jest.js'), '--ci', ...configArgs],
    env2: { TZ: 'America/New_York', LANG: 'en_US.utf8' },
  },
}

/** The real suites whose checkouts are set, with the packages installed into them; a row saying why for the others. */
export function* checkouts(rows) {
  for (const [name, suite] of Object.entries(suites)) {
    const checkout = process.env[suite.env]
    if (!checkout || !existsSync(join(checkout, 'package.json'))) {
      rows.push({ measure: `${name} (${suite.runner})`, value: `skipped: set ${suite.env} to a checkout (../shared/REALWORLD.md)` })
      continue
    }
    installPackages(checkout, suite.packages)
    yield { name, suite, checkout }
  }
}

function startHogs() {
  return [0, 1].map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }))
}

/** One run in mode 'fail': the tests over budget, each with whether its blamed block is in the project's code. */
function runOnce(suite, checkout, configArgs, reportFile, log) {
  rmSync(reportFile, { force: true })
  const started = Date.now()
  const result = spawnSync(process.execPath, suite.command(checkout, configArgs), {
    cwd: checkout,
    env: { ...process.env, ...suite.env2, CI: '', LOOPGUARD_OUTPUT_FILE: reportFile, NO_COLOR: '1' },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  })
  const seconds = (Date.now() - started) / 1000
  if (!existsSync(reportFile)) throw new Error(`${suite.runner} wrote no report (exit ${result.status}):\n${result.stderr.slice(-2000)}`)
  const report = JSON.parse(readFileSync(reportFile, 'utf8'))
  const over = report.tests.filter((t) => t.overBudget)
  const own = over.filter((t) => {
    const block = [...t.blocks].filter((b) => b.inScope !== false).sort((a, b) => b.durationMs - a.durationMs)[0]
    return block?.frame && !block.frame.file.includes('node_modules') && !block.frame.file.startsWith('node:')
  })
  log(`  ${suite.runner}: ${over.length} over budget (${own.length} named in the project's code), ${seconds.toFixed(0)} s`)
  const kept = `${reportFile.replace(/\.json$/, '')}-${keptReports++}.json`
  copyFileSync(reportFile, kept)
  // Each test's longest block in scope, as judged: what a test over budget in some runs only read in each.
  const longest = new Map(report.tests.map((t) => [`${t.file} > ${t.fullName}`, Math.max(0, ...t.blocks.filter((b) => b.inScope !== false).map((b) => b.durationMs))]))
  return { over: new Set(over.map((t) => `${t.file} > ${t.fullName}`)), own: own.length, seconds, machineLoad: report.machineLoad, report: kept, longest }
}

let keptReports = 0
const cli = fileURLToPath(new URL('../../packages/core/dist/cli.js', import.meta.url))

/** `loopguard check <later> --baseline <earlier>` with the default tolerance: the tests it calls regressions. */
function regressions(earlier, later) {
  const result = spawnSync(process.execPath, [cli, 'check', later.report, '--baseline', earlier.report, '--format', 'json'], { encoding: 'utf8' })
  const verdict = JSON.parse(result.stdout)
  return verdict.regressions.map((r) => `${r.title} (${r.kind}, ${r.baselineMs ?? '-'} -> ${r.currentMs} ms)`)
}

function describeRuns(runs) {
  const sets = runs.map((r) => r.over)
  const union = new Set(sets.flatMap((s) => [...s]))
  const inAll = [...union].filter((name) => sets.every((s) => s.has(name)))
  return {
    counts: runs.map((r) => r.over.size).join(', '),
    union: union.size,
    inAll: inAll.length,
    own: runs.map((r) => r.own).join(', '),
    names: [...union].sort(),
    // Over budget in some runs only, with the longest block each run read (ms).
    unsteady: [...union].filter((name) => !inAll.includes(name)).sort().map((name) => `\`${name}\` ${runs.map((r) => (r.longest.get(name) ?? 0).toFixed(1)).join(', ')}`),
  }
}

export async function run({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const rows = []
  const details = []
  for (const { name, suite, checkout } of checkouts(rows)) {
    const configArgs = suite.configure(checkout)
    const reportFile = join(checkout, 'loopguard-stability.json')
    log(`${name}: a warm-up run`)
    runOnce(suite, checkout, configArgs, reportFile, log)
    const quiet = []
    for (let i = 0; i < RUNS; i++) quiet.push(runOnce(suite, checkout, configArgs, reportFile, log))
    log(`${name}: beside two CPU hogs`)
    const busy = []
    const hogs = startHogs()
    try {
      for (let i = 0; i < RUNS; i++) busy.push(runOnce(suite, checkout, configArgs, reportFile, log))
    } finally {
      hogs.forEach((hog) => hog.kill('SIGKILL'))
    }
    const baselines = [quiet, busy].map((runs) => runs.slice(1).map((later, i) => regressions(runs[i], later)))
    for (const run of [...quiet, ...busy]) rmSync(run.report, { force: true })
    const q = describeRuns(quiet)
    const b = describeRuns(busy)
    const all = describeRuns([...quiet, ...busy])
    rows.push({ measure: `${name} (${suite.runner}), quiet: tests over budget per run; in every run / in any`, value: `${q.counts}; ${q.inAll} / ${q.union}` })
    rows.push({ measure: `${name} (${suite.runner}), two CPU hogs: tests over budget per run; in every run / in any`, value: `${b.counts}; ${b.inAll} / ${b.union}` })
    rows.push({ measure: `${name} (${suite.runner}), all ${2 * RUNS} runs: in every run / in any`, value: `${all.inAll} / ${all.union}` })
    rows.push({ measure: `${name} (${suite.runner}): of those over budget, named in the project's code, per run`, value: `${q.own} quiet; ${b.own} busy` })
    // What the load still adds once the wait for a CPU is out: each test over budget in any run, the median of its
    // busy runs' longest block over the median of its quiet runs'.
    const ratios = all.names
      .map((name) => median(busy.map((r) => r.longest.get(name) ?? 0)) / median(quiet.map((r) => r.longest.get(name) ?? 0)))
      .filter(Number.isFinite)
    if (ratios.length) {
      rows.push({
        measure: `${name} (${suite.runner}): each test over budget, its longest block beside the hogs over quiet (medians of its runs); median of the tests (range)`,
        value: `${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}), ${ratios.length} tests`,
      })
    }
    const [quietRegressions, busyRegressions] = baselines.map((pairs) => pairs.map((found) => found.length).join(', '))
    rows.push({ measure: `${name} (${suite.runner}): \`check --baseline\` of each run against the one before, regressions`, value: `${quietRegressions} quiet; ${busyRegressions} busy` })
    details.push(`${name}: tests over budget in any run: ${all.names.length ? all.names.map((n) => `\`${n}\``).join(', ') : 'none'}.`)
    if (all.unsteady.length) details.push(`${name}: over budget in some runs only, the longest block each of the ${2 * RUNS} runs read (quiet, then busy; ms): ${all.unsteady.join('; ')}.`)
    const regressed = baselines.flat(2)
    if (regressed.length) details.push(`${name}: regressions \`check --baseline\` reported: ${regressed.map((r) => `\`${r}\``).join(', ')}.`)
    rmSync(reportFile, { force: true })
  }
  const notes =
    `Mode 'fail', budget 50 ms, attribution 'auto' (the defaults), ${RUNS} runs on a quiet machine then ${RUNS} beside two ` +
    'busy loops on the 2 cores, after one warm-up run; the built packages copied into the checkout as an install has ' +
    "them. hono: `vitest run --project main` with the plugin added to its config; luxon: `jest --ci` with its " +
    "`testEnvironment: 'node'` replaced by `@loopguard/jest/node`, the setup file and the reporter. A test " +
    "\"named in the project's code\" has its longest block in scope named at a line outside node_modules. " +
    '`loopguard check <run n> --baseline <run n-1> --format json`, default tolerance (50 %, 50 ms), compares each ' +
    'run with the one before it on the same machine state: unchanged code, so every regression it reports is a false one. ' +
    details.join(' ')
  return { title, rows, notes }
}

await runAlone(import.meta.url, { title, run })
