// A busy machine is not blocking: the fixture runs beside CPU hogs on every core, which this test starts and stops.
// The clean tests read no block over 5 ms, the ground-truth blocks read within spec, the concurrent test that
// only waited passes while its sibling that blocked fails, and reading error stacks charges nobody.
import { spawn, type ChildProcess } from 'node:child_process'
import { copyFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { prepareProject, runFixture, type FixtureRun } from '../support/run-fixture.js'
import { fixture, jestRunners, reportTest, within } from './support.js'

const cpuTime = fileURLToPath(new URL('../../packages/core/test/fixtures/attribution/cpu-time.cjs', import.meta.url))
const linux = process.platform === 'linux'

describe.runIf(linux).each(jestRunners)('%s beside a CPU hog on every core', (runner) => {
  let run: FixtureRun
  let hogs: ChildProcess[] = []
  beforeAll(async () => {
    const cwd = prepareProject(runner, fixture('busy-machine'))
    copyFileSync(cpuTime, join(cwd, 'test', 'cpu-time.js'))
    hogs = cpus().map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }))
    try {
      run = await runFixture(runner, fixture('busy-machine'), { cwd, args: ['--runInBand'] })
    } finally {
      hogs.forEach((hog) => hog.kill('SIGKILL'))
    }
  })
  afterAll(() => hogs.forEach((hog) => hog.kill('SIGKILL')))

  test('clean tests read no block over 5 ms', () => {
    expect(run.report.machineLoad).toBe('excluded')
    for (const n of [1, 2, 3, 4, 5]) {
      const clean = reportTest(run.report, `clean > awaits ${n}`)
      expect(clean, run.output).toMatchObject({ status: 'passed', overBudget: false })
      expect(clean.longestMs, `awaits ${n}: ${JSON.stringify(clean.blocks)}`).toBeLessThan(5)
    }
  })

  test('ground-truth blocks read within spec, the wait for a CPU kept beside them', () => {
    for (const [name, ms] of [['sleeps 100 ms', 100], ['computes for 100 ms of CPU', 100]] as const) {
      const truth = reportTest(run.report, `ground truth > ${name}`)
      expect(truth, `${name}: ${JSON.stringify(truth.blocks)}`).toMatchObject({ status: 'failed', overBudget: true, longestMs: within(ms) })
    }
  })

  test('c-block fails and c-clean passes', () => {
    expect(reportTest(run.report, 'concurrent > c-block')).toMatchObject({ status: 'failed', overBudget: true, longestMs: within(150) })
    const clean = reportTest(run.report, 'concurrent > c-clean')
    expect(clean, run.output).toMatchObject({ status: 'passed', overBudget: false })
  })

  test('a toThrow-heavy test is not charged for Jest mapping the stacks', () => {
    const throws = reportTest(run.report, 'reads the stack of thrown errors')
    expect(throws, run.output).toMatchObject({ status: 'passed', overBudget: false })
    expect(run.output).toMatch(/Tests: +3 failed, 7 passed, 10 total/)
  })
})
