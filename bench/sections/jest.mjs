// The Jest environment's cost on a whole run: a 500-test suite run by the real Jest with its own node environment,
// and with @loopguard/jest's (environment, setup file and reporter) at attribution 'off' and 'auto' (the default);
// then its parts (per run, per test file, per test) from suites of trivial tests (../runner-parts.mjs).
// Run alone with `node bench/sections/jest.mjs` (after `pnpm build`), or through `pnpm bench jest`.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { median } from '../core/stats.mjs'
import { measureParts, partsRows, PARTS_NOTE, serviceTests, trivialTests } from '../runner-parts.mjs'
import { childrenCpuMs, installPackages } from './vitest.mjs'
import { runAlone } from '../run-alone.mjs'

export const title = 'Jest environment: CPU of a 500-test suite with @loopguard/jest, by attribution mode; CPU per run, per test file, per test'

const FILES = 10
const TESTS_PER_FILE = 50
const ROUNDS = 10
const VARIANTS = ['none', 'off', 'auto']

// The suites live in the Jest demo's folder, whose node_modules resolve jest.
const demo = fileURLToPath(new URL('../../examples/jest-demo/', import.meta.url))
const jestBin = join(demo, 'node_modules', 'jest', 'bin', 'jest.js')
const jestEnv = fileURLToPath(new URL('../../packages/jest-env/', import.meta.url))
const wholeDir = join(demo, '.tmp', 'bench-suite')
const partsDir = (shape) => join(demo, '.tmp', `bench-parts-${shape.name}`)

/**
 * Writes a suite: by default 500 tests that each await a few promises and do a little JSON work, as unit tests of a
 * service do; given a shape, `shape.files` files of `shape.tests` trivial tests. Plain CommonJS, no transform, so
 * that what is timed is Jest and loopguard. `LOOPGUARD` picks the variant: 'none' (Jest's node environment) or an
 * attribution mode for loopguard's environment, setup file and reporter, as its README adds them. Returns the
 * suite's folder.
 */
function writeSuite(project, shape = undefined) {
  rmSync(project, { recursive: true, force: true })
  mkdirSync(join(project, 'test'), { recursive: true })
  writeFileSync(join(project, 'package.json'), '{ "name": "bench-jest-suite", "private": true, "type": "commonjs" }\n')
  installPackages(project, [
    ['@loopguard/core', 'core'],
    ['@loopguard/jest', 'jest-env'],
  ])
  // The environment's peer, as a user's install has it beside the package.
  const peer = join(project, 'node_modules', 'jest-environment-node')
  if (!existsSync(peer)) symlinkSync(realpathSync(join(jestEnv, 'node_modules', 'jest-environment-node')), peer, 'dir')
  writeFileSync(
    join(project, 'jest.config.js'),
    `const variant = process.env.LOOPGUARD
module.exports = {
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.test.js'],
  transform: {},
  ...(variant === 'none'
    ? { testEnvironment: 'node' }
    : {
        testEnvironment: '@loopguard/jest/node',
        // 'report' measures exactly as 'fail' does; a busy machine must not fail the run being timed.
        testEnvironmentOptions: { loopguard: { budgetMs: 50, mode: 'report', attribution: variant } },
        setupFilesAfterEnv: ['@loopguard/jest/setup'],
        reporters: ['default', '@loopguard/jest/reporter'],
      }),
}
`,
  )
  if (shape) {
    for (let f = 0; f < shape.files; f++) writeFileSync(join(project, 'test', `trivial-${f}.test.js`), `${trivialTests(shape.tests)}\n`)
    return project
  }
  for (let f = 0; f < FILES; f++) {
    writeFileSync(
      join(project, 'test', `service-${f}.test.js`),
      `async function handle(body, i) {
  await Promise.resolve()
  return JSON.parse(body).items.length + i
}

${serviceTests(TESTS_PER_FILE)}
`,
    )
  }
  return project
}

function runOnce(project, variant, expectedTests) {
  const cpuBefore = childrenCpuMs()
  const started = performance.now()
  const result = spawnSync(process.execPath, [jestBin, '--ci'], {
    cwd: project,
    env: { ...process.env, LOOPGUARD: variant, NO_COLOR: '1', CI: '', LOOPGUARD_OUTPUT_FILE: '' },
    encoding: 'utf8',
  })
  const wallMs = performance.now() - started
  if (result.status !== 0 || !result.stderr.includes(`${expectedTests} passed`)) {
    throw new Error(`jest failed or ran other tests (${variant}, ${project}):\n${result.stdout}\n${result.stderr}`)
  }
  return { wallMs, cpuMs: cpuBefore === undefined ? undefined : childrenCpuMs() - cpuBefore }
}

const percent = (ratio) => `${(ratio * 100).toFixed(1)} %`

export async function run({ log = () => {} } = {}) {
  const rows = []
  log(`  writing ${FILES * TESTS_PER_FILE} tests in ${FILES} files, then ${VARIANTS.length * (ROUNDS + 1)} runs of jest`)
  writeSuite(wholeDir)
  const runs = new Map(VARIANTS.map((v) => [v, []]))
  try {
    for (const variant of VARIANTS) runOnce(wholeDir, variant, FILES * TESTS_PER_FILE)
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < VARIANTS.length; k++) {
        const variant = VARIANTS[(round + k) % VARIANTS.length]
        runs.get(variant).push(runOnce(wholeDir, variant, FILES * TESTS_PER_FILE))
      }
    }
  } finally {
    rmSync(wholeDir, { recursive: true, force: true })
  }
  const hasCpu = runs.get('none')[0].cpuMs !== undefined
  const label = { none: "Jest's node environment", off: "@loopguard/jest, attribution 'off'", auto: "@loopguard/jest, attribution 'auto' (default)" }
  for (const v of VARIANTS) {
    const wall = median(runs.get(v).map((r) => r.wallMs))
    const cpu = hasCpu ? median(runs.get(v).map((r) => r.cpuMs)) : undefined
    rows.push({ measure: `${FILES * TESTS_PER_FILE} tests in ${FILES} files, ${label[v]}`, value: `${wall.toFixed(0)} ms wall${cpu === undefined ? '' : `, ${cpu} ms CPU`}, medians of ${ROUNDS}` })
  }
  const added = (v, base, key) => {
    const ratios = runs.get(v).map((r, i) => r[key] / runs.get(base)[i][key] - 1)
    return `${percent(median(ratios))} (rounds ${percent(Math.min(...ratios))} to ${percent(Math.max(...ratios))})`
  }
  const both = (v, base) => `wall ${added(v, base, 'wallMs')}${hasCpu ? `; CPU ${added(v, base, 'cpuMs')}` : ''}`
  rows.push({ measure: "added by @loopguard/jest, attribution 'off' (target: at most 3 %)", value: both('off', 'none') })
  rows.push({ measure: "added by attribution 'auto' over 'off' (target: at most 5 %)", value: both('auto', 'off') })

  if (hasCpu) {
    const writeShape = (shape) => writeSuite(partsDir(shape), shape)
    const runShape = (folder, shape, variant) => runOnce(folder, variant, shape.files * shape.tests)
    rows.push(...partsRows(measureParts({ writeShape, runOnce: runShape }, log), { fileLabel: 'test file (an environment each)' }))
  }
  const notes =
    "Jest as the Jest demo installs it, `jest --ci`, no transform (plain CommonJS specs), mode 'report' (it measures as " +
    "'fail' does), copies of the built packages installed in the suite's node_modules as a user's install has them. On " +
    'a 2-core machine Jest runs the files in its own process (one worker or fewer), so what loads once per worker is ' +
    'part of the cost per run. Each round runs the variants in turn, starting at another one each round, after one ' +
    "warm-up run each; an added cost is the median of the rounds' ratios, each against the run of the same round. " +
    PARTS_NOTE
  return { title, rows, notes }
}

await runAlone(import.meta.url, { title, run })
