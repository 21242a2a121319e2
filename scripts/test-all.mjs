// `pnpm test`: every step runs, whatever an earlier one did, so one failure never hides the rest; the run fails
// if any step failed, and ends with a line per step.
import { spawnSync } from 'node:child_process'

const steps = [
  ['Chromium for the browser tests', 'node scripts/ensure-chromium.mjs'],
  ['build', 'pnpm build'],
  ['typecheck', 'pnpm typecheck'],
  ['unit tests, Node 20', 'pnpm test:unit'],
  ['unit tests, Node 24', 'pnpm test:unit:node24'],
  ['integration tests', 'pnpm test:integration'],
]
// Nothing after a failed build can run on what it built.
const needed = new Set(['Chromium for the browser tests', 'build'])

const results = []
for (const [name, command] of steps) {
  if (results.some((r) => !r.passed && needed.has(r.name))) {
    results.push({ name, passed: false, skipped: true })
    continue
  }
  const started = Date.now()
  const { status } = spawnSync(command, { shell: true, stdio: 'inherit' })
  results.push({ name, passed: status === 0, seconds: Math.round((Date.now() - started) / 1000) })
}

console.log('\nloopguard tests:')
for (const r of results) console.log(`  ${r.skipped ? 'skipped' : r.passed ? 'passed ' : 'FAILED '}  ${r.name}${r.seconds === undefined ? '' : ` (${r.seconds} s)`}`)
const failed = results.filter((r) => !r.passed).length
console.log(`steps: ${results.length - failed} passed, ${failed} failed`)
process.exit(failed > 0 ? 1 : 0)
