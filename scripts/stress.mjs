// `pnpm test:stress [runs]`: runs the whole test suite `runs` times (default 5) while two CPU hogs keep both cores
// busy, as on a shared CI machine, and prints how many runs passed.
import { spawn, spawnSync } from 'node:child_process'

const runs = Number(process.argv[2] ?? 5)
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`pnpm test:stress [runs]: runs must be a whole number, 1 or more; received ${process.argv[2]}`)
  process.exit(2)
}

const hogs = [0, 1].map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }))
const stopHogs = () => hogs.forEach((hog) => hog.kill('SIGKILL'))
process.on('exit', stopHogs)
process.on('SIGINT', () => process.exit(130))

const outcomes = []
for (let run = 1; run <= runs; run++) {
  const started = Date.now()
  const { status } = spawnSync('node', ['scripts/test-all.mjs'], { stdio: 'inherit' })
  outcomes.push({ run, passed: status === 0, seconds: Math.round((Date.now() - started) / 1000) })
  console.log(`\nstress run ${run} of ${runs}: ${status === 0 ? 'passed' : 'FAILED'} (${outcomes.at(-1).seconds} s)\n`)
}
stopHogs()
const passed = outcomes.filter((o) => o.passed).length
console.log(`test:stress, two CPU hogs on ${runs} runs: ${outcomes.map((o) => (o.passed ? 'pass' : 'FAIL')).join(', ')}`)
console.log(`${passed} passed, ${runs - passed} failed`)
process.exit(passed === runs ? 0 : 1)
