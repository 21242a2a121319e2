// The Vitest plugin's cost on a whole run: a 500-test suite run by the real Vitest with loopguard() on and off.
// Run alone with `node bench/sections/vitest.mjs` (after `pnpm build`), or through `pnpm bench`.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

export const title = 'Vitest plugin: wall time of a 500-test suite, loopguard() on and off'

const FILES = 10
const TESTS_PER_FILE = 50
const ROUNDS = 7

// The suite lives in the Vitest demo's folder, whose node_modules resolve vitest and @loopguard/vitest.
const demo = fileURLToPath(new URL('../../examples/vitest-demo/', import.meta.url))
const project = join(demo, '.tmp', 'bench-suite')
const vitestBin = join(demo, 'node_modules', 'vitest', 'vitest.mjs')

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[sorted.length >> 1]
}

/** Writes the suite: each test awaits a few promises and does a little JSON work, as unit tests of a service do. */
export function writeSuite() {
  rmSync(project, { recursive: true, force: true })
  mkdirSync(join(project, 'test'), { recursive: true })
  writeFileSync(join(project, 'package.json'), '{ "name": "bench-suite", "private": true, "type": "module" }\n')
  writeFileSync(
    join(project, 'vitest.config.ts'),
    `import { defineConfig } from 'vitest/config'
import { loopguard } from '@loopguard/vitest'

export default defineConfig({
  // 'report' measures exactly as 'fail' does; a busy machine must not fail the run being timed.
  plugins: process.env.LOOPGUARD === 'off' ? [] : [loopguard({ budgetMs: 50, mode: 'report' })],
  // The workspace links the packages from their source folders; keeping the node_modules path makes Vitest
  // load them the way it does from a user's install (externalized, not transformed).
  resolve: { preserveSymlinks: true },
})
`,
  )
  for (let f = 0; f < FILES; f++) {
    const tests = Array.from(
      { length: TESTS_PER_FILE },
      (_, t) => `test('request ${t}', async () => {
  const body = JSON.stringify({ id: ${t}, items: Array.from({ length: 200 }, (_, i) => ({ i, name: 'item ' + i })) })
  let total = 0
  for (let i = 0; i < 20; i++) total += await handle(body, i)
  expect(total).toBeGreaterThan(0)
})`,
    ).join('\n\n')
    writeFileSync(
      join(project, 'test', `service-${f}.test.ts`),
      `import { expect, test } from 'vitest'

async function handle(body: string, i: number): Promise<number> {
  await Promise.resolve()
  return JSON.parse(body).items.length + i
}

${tests}
`,
    )
  }
}

/**
 * CPU time of this process's finished children (Vitest and its workers), in ms, on Linux: steadier than wall time
 * on a shared machine. undefined elsewhere.
 */
function childrenCpuMs() {
  if (!existsSync('/proc/self/stat')) return undefined
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')
  // cutime and cstime, in clock ticks of 10 ms.
  return (Number(fields[13]) + Number(fields[14])) * 10
}

function runOnce(loopguard) {
  const cpuBefore = childrenCpuMs()
  const started = performance.now()
  const result = spawnSync(process.execPath, [vitestBin, 'run'], {
    cwd: project,
    env: { ...process.env, LOOPGUARD: loopguard, NO_COLOR: '1', CI: '' },
    encoding: 'utf8',
  })
  const wallMs = performance.now() - started
  if (result.status !== 0) throw new Error(`vitest run failed (loopguard ${loopguard}):\n${result.stdout}\n${result.stderr}`)
  if (!result.stdout.includes(`${FILES * TESTS_PER_FILE} passed`)) throw new Error(`unexpected run:\n${result.stdout}`)
  const cpuAfter = childrenCpuMs()
  return { wallMs, cpuMs: cpuBefore === undefined ? undefined : cpuAfter - cpuBefore }
}

const percentOver = (on, off) => `${(((on - off) / off) * 100).toFixed(1)} %`

export async function run({ log = () => {} } = {}) {
  log(`  writing ${FILES * TESTS_PER_FILE} tests in ${FILES} files, then ${2 + 2 * ROUNDS} runs of vitest`)
  writeSuite()
  // Warm both paths (Vite's transform cache), then alternate so drift on a shared machine hits both alike.
  runOnce('off')
  runOnce('on')
  const off = []
  const on = []
  for (let round = 0; round < ROUNDS; round++) {
    off.push(runOnce('off'))
    on.push(runOnce('on'))
  }
  rmSync(project, { recursive: true, force: true })
  const offMs = median(off.map((r) => r.wallMs))
  const onMs = median(on.map((r) => r.wallMs))
  const rows = [
    { measure: `${FILES * TESTS_PER_FILE} tests in ${FILES} files, loopguard() off`, value: `${offMs.toFixed(0)} ms wall, median of ${ROUNDS}` },
    { measure: `${FILES * TESTS_PER_FILE} tests in ${FILES} files, loopguard() on`, value: `${onMs.toFixed(0)} ms wall, median of ${ROUNDS}` },
    { measure: 'wall time added by the plugin (target: at most 3 %)', value: percentOver(onMs, offMs) },
  ]
  if (off[0].cpuMs !== undefined) {
    const offCpu = median(off.map((r) => r.cpuMs))
    const onCpu = median(on.map((r) => r.cpuMs))
    rows.push({ measure: 'CPU time of Vitest and its workers, off -> on', value: `${offCpu} -> ${onCpu} ms, median of ${ROUNDS} (${percentOver(onCpu, offCpu)})` })
  }
  const notes =
    'Vitest 4 on this Node, default pool (forks, one worker process per file), `mode: \'report\'` (it measures as ' +
    "'fail' does), the packages loaded from node_modules as a user installs them. Runs alternate off and on after " +
    'one warm-up each. The plugin costs a setup file per test file (its worker code loads once per worker) and an ' +
    '`aroundEach` per test; the wall time moves with the load of the machine, the CPU time much less.'
  return { title, rows, notes }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { rows } = await run()
  const width = Math.max(...rows.map((r) => r.measure.length))
  process.stdout.write(`${title}\n${rows.map((r) => `  ${r.measure.padEnd(width)}  ${r.value}`).join('\n')}\n`)
}
