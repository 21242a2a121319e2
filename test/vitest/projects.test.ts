// The plugin in several projects' configs: one summary and one report for the run, each project's tests judged by
// its own options, and a project without the plugin named once.
import { describe, expect, test } from 'vitest'
import { runFixture } from '../support/run-fixture.js'
import { atLeast, fixture, reportTest, vitestRunners } from './support.js'

describe.each(vitestRunners)('%s', (runner) => {
  test('a loopguard() per project: one summary, one report, each project judged by its own budget', async () => {
    const run = await runFixture(runner, fixture('projects'))
    expect(run.exitCode, run.output).toBe(1)
    expect(run.output.match(/Event-loop blocking/g)).toHaveLength(1)
    expect(run.report.tests).toHaveLength(2)
    const strict = reportTest(run.report, 'a: blocks 120 ms')
    const lenient = reportTest(run.report, 'b: blocks 120 ms')
    expect(strict).toMatchObject({ status: 'failed', budgetMs: 50, overBudget: true })
    expect(lenient).toMatchObject({ status: 'passed', budgetMs: 300, overBudget: false })
    for (const t of [strict, lenient]) expect(t.longestMs).toBeGreaterThanOrEqual(atLeast(120))
    expect(run.output).toContain(
      'loopguard: 1 test file of the project "plain" ran without loopguard and was not measured: add loopguard() to that project\'s plugins, or extends: true to its config to inherit the root config\'s.',
    )
  })
})
