// Every pool, with isolation on and off, measures the same; mode 'report' and 'off'; colours follow Vitest's.
import { describe, expect, test } from 'vitest'
import { runFixture, type FixtureRun } from '../support/run-fixture.js'
import { atLeast, fixture, reportTest, summaryOf, vitestRunners } from './support.js'

// One worker at a time: two worker threads of one process would compete for this machine's two cores with the
// main thread and with the other integration tests. With isolate off, both files then share one worker: the second
// must be measured although modules persist there.
const pools = [
  ['threads', '--maxWorkers=1'],
  ['vmThreads', '--maxWorkers=1'],
  ['vmForks', '--maxWorkers=1'],
  ['forks', '--no-isolate', '--maxWorkers=1'],
  ['threads', '--no-isolate', '--maxWorkers=1'],
] as const

function expectMeasured(run: FixtureRun): void {
  for (const file of ['first', 'second']) {
    expect(reportTest(run.report, `${file}: over budget`)).toMatchObject({ status: 'failed', overBudget: true, budgetMs: 80 })
    expect(reportTest(run.report, `${file}: under budget`)).toMatchObject({ status: 'passed', overBudget: false })
    expect(reportTest(run.report, `${file}: allowed`)).toMatchObject({ status: 'passed', budgetMs: 200 })
    const over = reportTest(run.report, `${file}: over budget`).longestMs
    expect(over).toBeGreaterThanOrEqual(atLeast(100))
    // Accuracy is the core's tests' business: here, a pool must not lose or double the block.
    expect(over).toBeLessThan(200)
    const blocks: { phase: string; durationMs: number }[] = run.report.files.find((f: { file: string }) => f.file === `test/${file}.spec.ts`)?.blocks ?? []
    const collect = Math.max(0, ...blocks.filter((b) => b.phase === 'collect').map((b) => b.durationMs))
    expect(collect, `collect of ${file}`).toBeGreaterThanOrEqual(atLeast(60))
  }
}

describe.each(vitestRunners)('%s', (runner) => {
  test.each(pools)('pool %s %s %s', async (pool, ...flags: string[]) => {
    const run = await runFixture(runner, fixture('pools'), { args: [`--pool=${pool}`, ...flags] })
    expect(run.exitCode, run.output).toBe(1)
    expectMeasured(run)
    expect(summaryOf(run.output)).toMatch(/^ Event-loop blocking {3}2 of 8 tests over budget \(80 ms\)$/m)
    expect(summaryOf(run.output)).toMatch(/^ +\d+\.\d ms {2}test\/first\.spec\.ts +\(collect\) +outside tests$/m)
  })

  test("mode 'report' fails nothing and still reports; colours follow Vitest's (FORCE_COLOR)", async () => {
    const run = await runFixture(runner, fixture('pools'), { env: { LOOPGUARD_MODE: 'report', NO_COLOR: undefined, FORCE_COLOR: '1' } })
    expect(run.exitCode, run.output).toBe(0)
    expect(reportTest(run.report, 'first: over budget')).toMatchObject({ status: 'passed', overBudget: true })
    expect(run.stdout).toContain('\u001b[7m Event-loop blocking \u001b[27m')
  })

  test("mode 'off' measures nothing and prints nothing, and the matcher still works; no colours under NO_COLOR", async () => {
    const run = await runFixture(runner, fixture('pools'), { env: { LOOPGUARD_MODE: 'off' } })
    expect(run.exitCode, run.output).toBe(0)
    expect(run.output).not.toContain('Event-loop blocking')
    expect(run.report.tests).toEqual([])
    expect(run.output).toMatch(/Tests +8 passed/)
    expect(run.stdout).not.toContain('\u001b[')
  })
})
