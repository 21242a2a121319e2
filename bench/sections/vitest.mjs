// The Vitest plugin's cost on a whole run: a 500-test suite run by the real Vitest without loopguard(), and with it
// at each attribution mode ('off', 'auto' the default, 'full'); then its parts (per run, per worker, per test) from
// suites of trivial tests (../runner-parts.mjs).
// Run alone with `node bench/sections/vitest.mjs` (after `pnpm build`), or through `pnpm bench`.
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { median } from '../core/stats.mjs'
import { measureParts, partsRows, PARTS_NOTE, serviceTests, trivialTests } from '../runner-parts.mjs'
import { runAlone } from '../run-alone.mjs'

export const title = 'Vitest plugin: wall time of a 500-test suite, loopguard() off and on, by attribution mode; CPU per run, per worker, per test'

const FILES = 10
const TESTS_PER_FILE = 50
const ROUNDS = 15
/**
 * 'none': no plugin; 'setup-file': no plugin, and a setup file in node_modules that imports what loopguard's imports
 * from vitest and does nothing (the floor of any plugin that adds a setup file); 'off-idle-tick': a diagnostic, the
 * plugin with attribution 'off' and the detector's interval set to 1 s in its installed copy (it then measures
 * nothing useful), to show what the 1 ms wake-ups cost; otherwise the plugin with that `attribution` option.
 */
const VARIANTS = ['none', 'setup-file', 'off', 'off-idle-tick', 'auto', 'full']

// The suite lives in the Vitest demo's folder, whose node_modules resolve vitest.
const demo = fileURLToPath(new URL('../../examples/vitest-demo/', import.meta.url))
const suites = { plain: join(demo, '.tmp', 'bench-suite'), idleTick: join(demo, '.tmp', 'bench-suite-idle-tick') }
const partsDir = (shape) => join(demo, '.tmp', `bench-parts-${shape.name}`)
const suiteOf = (variant) => (variant === 'off-idle-tick' ? suites.idleTick : suites.plain)
const vitestBin = join(demo, 'node_modules', 'vitest', 'vitest.mjs')
const packagesDir = fileURLToPath(new URL('../../packages/', import.meta.url))

/**
 * Installs copies of the built packages in the suite's node_modules, as a user's install has them: Vitest runs
 * the plugin's setup file through its module runner and loads the rest with Node.js from node_modules. (A
 * workspace link would resolve to the package's source folder, out of node_modules, where Vitest transforms the
 * plugin's worker code too.) Their dependencies are linked to the workspace's own copies.
 */
export function installPackages(project, packages = [['@loopguard/core', 'core'], ['@loopguard/vitest', 'vitest-plugin']]) {
  for (const [name, folder] of packages) {
    const from = join(packagesDir, folder)
    const to = join(project, 'node_modules', name)
    rmSync(to, { recursive: true, force: true })
    mkdirSync(to, { recursive: true })
    cpSync(join(from, 'package.json'), join(to, 'package.json'))
    cpSync(join(from, 'dist'), join(to, 'dist'), { recursive: true })
    const { dependencies = {} } = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8'))
    for (const dependency of Object.keys(dependencies).filter((d) => !d.startsWith('@loopguard/'))) {
      const link = join(project, 'node_modules', dependency)
      if (existsSync(link)) continue
      mkdirSync(dirname(link), { recursive: true })
      symlinkSync(realpathSync(join(from, 'node_modules', dependency)), link, 'dir')
    }
  }
}

/** The diagnostic copy: core's interval at 1 s instead of 1 ms, in the installed build. */
function slowDetectorInterval(project) {
  for (const file of ['index.js', 'index.cjs']) {
    const path = join(project, 'node_modules', '@loopguard', 'core', 'dist', file)
    const text = readFileSync(path, 'utf8')
    if (!text.includes('var TICK_MS = 1;')) throw new Error(`bench vitest: no 'var TICK_MS = 1;' in ${path}; update the diagnostic variant`)
    writeFileSync(path, text.replace('var TICK_MS = 1;', 'var TICK_MS = 1e3;'))
  }
}

/**
 * Writes the suite: each test awaits a few promises and does a little JSON work, as unit tests of a service do; or,
 * given a shape, `shape.files` files of `shape.tests` trivial tests. Returns the suite's folder.
 */
export function writeSuite(project = suites.plain, shape = undefined) {
  rmSync(project, { recursive: true, force: true })
  mkdirSync(join(project, 'test'), { recursive: true })
  writeFileSync(join(project, 'package.json'), '{ "name": "bench-suite", "private": true, "type": "module" }\n')
  installPackages(project)
  writeFileSync(
    join(project, 'vitest.config.ts'),
    `import { defineConfig } from 'vitest/config'
import { loopguard } from '@loopguard/vitest'

export default defineConfig({
  // 'report' measures exactly as 'fail' does; a busy machine must not fail the run being timed.
  plugins: ['none', 'setup-file'].includes(process.env.LOOPGUARD!) ? [] : [loopguard({ budgetMs: 50, mode: 'report', attribution: process.env.LOOPGUARD === 'off-idle-tick' ? 'off' : (process.env.LOOPGUARD as 'off' | 'auto' | 'full') })],
  test: { setupFiles: process.env.LOOPGUARD === 'setup-file' ? [${JSON.stringify(join(project, 'node_modules', 'empty-setup', 'setup.js'))}] : [] },
})
`,
  )
  mkdirSync(join(project, 'node_modules', 'empty-setup'), { recursive: true })
  writeFileSync(join(project, 'node_modules', 'empty-setup', 'package.json'), '{ "name": "empty-setup", "type": "module" }\n')
  writeFileSync(join(project, 'node_modules', 'empty-setup', 'setup.js'), "import { aroundAll, aroundEach, expect, inject } from 'vitest'\n")
  if (shape) {
    for (let f = 0; f < shape.files; f++) {
      writeFileSync(join(project, 'test', `trivial-${f}.test.ts`), `import { expect, test } from 'vitest'\n\n${trivialTests(shape.tests)}\n`)
    }
    return project
  }
  for (let f = 0; f < FILES; f++) {
    writeFileSync(
      join(project, 'test', `service-${f}.test.ts`),
      `import { expect, test } from 'vitest'

async function handle(body: string, i: number): Promise<number> {
  await Promise.resolve()
  return JSON.parse(body).items.length + i
}

${serviceTests(TESTS_PER_FILE)}
`,
    )
  }
  return project
}

/**
 * CPU time of this process's finished children (Vitest and its workers), in ms, on Linux: steadier than wall time
 * on a shared machine. undefined elsewhere.
 */
export function childrenCpuMs() {
  if (!existsSync('/proc/self/stat')) return undefined
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')
  // cutime and cstime, in clock ticks of 10 ms.
  return (Number(fields[13]) + Number(fields[14])) * 10
}

function runOnce(variant, project = suiteOf(variant), expectedTests = FILES * TESTS_PER_FILE) {
  const cpuBefore = childrenCpuMs()
  const started = performance.now()
  const result = spawnSync(process.execPath, [vitestBin, 'run'], {
    cwd: project,
    env: { ...process.env, LOOPGUARD: variant, NO_COLOR: '1', CI: '' },
    encoding: 'utf8',
  })
  const wallMs = performance.now() - started
  if (result.status !== 0) throw new Error(`vitest run failed (${variant}):\n${result.stdout}\n${result.stderr}`)
  if (!result.stdout.includes(`${expectedTests} passed`)) throw new Error(`unexpected run:\n${result.stdout}`)
  const cpuAfter = childrenCpuMs()
  return { wallMs, cpuMs: cpuBefore === undefined ? undefined : cpuAfter - cpuBefore }
}

/** The plugin's CPU per run, per worker and per test; undefined where CPU time cannot be read. */
function cpuParts(log) {
  if (childrenCpuMs() === undefined) return undefined
  const writeShape = (shape) => writeSuite(partsDir(shape), shape)
  return measureParts({ writeShape, runOnce: (folder, shape, variant) => runOnce(variant, folder, shape.files * shape.tests) }, log)
}

const percent = (ratio) => `${(ratio * 100).toFixed(1)} %`

export async function run({ log = () => {} } = {}) {
  log(`  writing ${FILES * TESTS_PER_FILE} tests in ${FILES} files, then ${VARIANTS.length * (ROUNDS + 1)} runs of vitest`)
  writeSuite(suites.plain)
  writeSuite(suites.idleTick)
  slowDetectorInterval(suites.idleTick)
  // Warm every path (Vite's transform cache), then take the variants in turn, each round starting at another one, so
  // that drift on a shared machine hits all alike.
  for (const variant of VARIANTS) runOnce(variant)
  const runs = new Map(VARIANTS.map((v) => [v, []]))
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < VARIANTS.length; k++) {
      const variant = VARIANTS[(round + k) % VARIANTS.length]
      runs.get(variant).push(runOnce(variant))
    }
  }
  for (const suite of Object.values(suites)) rmSync(suite, { recursive: true, force: true })
  const parts = cpuParts(log)
  const wall = (v) => median(runs.get(v).map((r) => r.wallMs))
  const cpu = (v) => (runs.get(v)[0].cpuMs === undefined ? undefined : median(runs.get(v).map((r) => r.cpuMs)))
  /** The cost of `v` over `base` as the median of each round's ratio, with the lowest and highest round. */
  const added = (v, base, key) => {
    const ratios = runs.get(v).map((r, i) => r[key] / runs.get(base)[i][key] - 1)
    return `${percent(median(ratios))} (rounds ${percent(Math.min(...ratios))} to ${percent(Math.max(...ratios))})`
  }
  const label = {
    none: 'loopguard() off',
    'setup-file': 'loopguard() off, an empty setup file',
    off: "loopguard(), attribution 'off'",
    'off-idle-tick': "loopguard(), attribution 'off', the detector's interval at 1 s (diagnostic)",
    auto: "loopguard(), attribution 'auto' (default)",
    full: "loopguard(), attribution 'full'",
  }
  const rows = VARIANTS.map((v) => ({
    measure: `${FILES * TESTS_PER_FILE} tests in ${FILES} files, ${label[v]}`,
    value: `${wall(v).toFixed(0)} ms wall${cpu(v) === undefined ? '' : `, ${cpu(v)} ms CPU`}, medians of ${ROUNDS}`,
  }))
  const withCpu = (v, base) => `${added(v, base, 'wallMs')}${cpu(v) === undefined ? '' : `; CPU ${added(v, base, 'cpuMs')}`}`
  rows.push({ measure: "wall time added by the plugin, attribution 'off' (target: at most 3 %)", value: withCpu('off', 'none') })
  rows.push({ measure: 'wall time added by an empty setup file (no plugin)', value: withCpu('setup-file', 'none') })
  rows.push({
    measure: "wall time added by the plugin with the detector's interval at 1 s (diagnostic: what remains without the 1 ms wake-ups)",
    value: withCpu('off-idle-tick', 'none'),
  })
  for (const v of ['auto', 'full']) {
    rows.push({ measure: `wall time added by attribution '${v}' over 'off' (target: at most 5 %)`, value: withCpu(v, 'off') })
  }
  if (parts) rows.push(...partsRows(parts, { fileLabel: 'worker (one per test file in the forks pool)' }))
  const notes =
    'Vitest 4 on this Node, default pool (forks, one worker process per file), `mode: \'report\'` (it measures as ' +
    "'fail' does), copies of the built packages installed in the suite's node_modules as a user's install has them. " +
    'Each round runs the variants in turn, starting at another one each round, after one warm-up run each; an ' +
    "added cost is the median of the rounds' ratios, each against the run of the same round. The plugin costs a setup " +
    'file per test file (its worker code loads once per worker) and an `aroundEach` per test; the empty setup file ' +
    "(no plugin) shows what Vitest's handling of any setup file costs. The diagnostic variant is the plugin with the " +
    "detector's 1 ms interval set to 1 s in its installed copy: it measures nothing useful, and what it saves is the " +
    'cost of the wake-ups. Attribution \'auto\' and ' +
    "'full' load the profiler's code and add V8's sampling profiler at 1 ms in each worker, started once per test " +
    "file, and read after each test over budget ('auto') or with a block listed ('full'): no test of this suite is " +
    'over budget, so this is the cost a passing suite pays. Both the wall and the CPU time (counted in 10 ms ticks) ' +
    "move with the load of a shared machine: the rounds' range says by how much. " +
    PARTS_NOTE
  return { title, rows, notes }
}

await runAlone(import.meta.url, { title, run })
