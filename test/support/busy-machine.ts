// The busy-machine fixture of each runner, run beside a CPU hog on every core (see hogs.ts): the clean tests read
// no block over 5 ms, the ground-truth blocks read within spec, and the concurrent test that only waited passes
// while its sibling that blocked fails.
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, test } from 'vitest'
import { busyEveryCore } from './hogs.js'
import { reportTest } from './report.js'
import { prepareProject, runFixture, type FixtureRun } from './run-fixture.js'
import type { RunnerName } from './runners.js'

const cpuTime = fileURLToPath(new URL('../../packages/core/test/fixtures/attribution/cpu-time.cjs', import.meta.url))

export interface BusyMachineFixture {
  fixtureDir: string
  /** Where the fixture's tests find the thread's CPU time, relative to the project. */
  cpuTimeFile: string
  args?: string[]
  /** The runner's bounds for a reading of a block of `ms`. */
  within: (ms: number) => { asymmetricMatch: (value: number) => boolean }
}

/** The shared tests; `more` adds a runner's own, given the run. */
export function describeBusyMachine(runners: readonly RunnerName[], fixture: BusyMachineFixture, more?: (run: () => FixtureRun) => void): void {
  describe.runIf(process.platform === 'linux').each(runners)('%s beside a CPU hog on every core', (runner) => {
    let run: FixtureRun
    beforeAll(async () => {
      const cwd = prepareProject(runner, fixture.fixtureDir)
      copyFileSync(cpuTime, join(cwd, fixture.cpuTimeFile))
      const hogs = await busyEveryCore()
      try {
        run = await runFixture(runner, fixture.fixtureDir, { cwd, args: fixture.args })
      } finally {
        hogs.stop()
      }
    })

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
        expect(truth, `${name}: ${JSON.stringify(truth.blocks)}`).toMatchObject({ status: 'failed', overBudget: true, longestMs: fixture.within(ms) })
      }
    })

    test('c-block fails and c-clean passes', () => {
      expect(reportTest(run.report, 'concurrent > c-block')).toMatchObject({ status: 'failed', overBudget: true, longestMs: fixture.within(150) })
      const clean = reportTest(run.report, 'concurrent > c-clean')
      expect(clean, run.output).toMatchObject({ status: 'passed', overBudget: false })
    })

    more?.(() => run)
  })
}
