// Runs the example suites the way their users would, one after the other, and checks that each caught the
// blocking it was written to catch: the suites contain tests that block over budget, so the runners exit 1.
import { spawnSync } from 'node:child_process'

const demos = [
  { title: 'Vitest', filter: '@loopguard/vitest-demo' },
  { title: 'Jest', filter: '@loopguard/jest-demo' },
]

let unexpected = 0
for (const demo of demos) {
  console.log(`\n━━━ ${demo.title} demo: pnpm --filter ${demo.filter} demo ━━━\n`)
  const run = spawnSync('pnpm', ['--silent', '--filter', demo.filter, 'demo'], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' })
  process.stdout.write(run.stdout)
  process.stdout.write(run.stderr)
  const output = run.stdout + run.stderr
  const caught = run.status === 1 && /Event-loop blocking/.test(output)
  console.log(
    caught
      ? `\n→ ${demo.title}: the tests that block the event loop over budget failed, and the summary above names them.`
      : `\n→ ${demo.title}: unexpected result (exit code ${run.status}); expected over-budget failures and a summary.`,
  )
  if (!caught) unexpected++
}
process.exitCode = unexpected === 0 ? 0 : 1
