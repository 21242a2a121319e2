// Vitest before 4.1 has no around-hooks. On 3.2 and 4.0 the setup file's own before- and after-hooks open and close
// the windows, which with the default sequence.hooks ('stack') hold the same blocks; with 'list' the after-hooks at
// a file's top level run after its windows have closed. Vitest 3.1 (installed past the peer range) is refused when the config loads, in
// one line naming both versions, and nothing runs or is written.
import { beforeAll, describe, expect, test } from 'vitest'
import { runFixture, type FixtureRun } from '../support/run-fixture.js'
import { RUNNERS, selectedRunners, type RunnerName } from '../support/runners.js'
import { expectSummaryShape } from '../support/report.js'
import { fixture, reportTest, summaryOf, within } from './support.js'

const older = selectedRunners().filter((name): name is RunnerName => name.startsWith('vitest') && RUNNERS[name].oldest === true)

describe.runIf(older.length > 0).each(older)('%s, without around-hooks', (runner) => {
  let run: FixtureRun
  beforeAll(async () => {
    run = await runFixture(runner, fixture('measuring'), { args: ['--project=forks'] })
  })

  test('a test is charged for its body, beforeEach and afterEach, and fails with the line that blocked', () => {
    expect(run.exitCode, run.output).toBe(1)
    expect(run.output).not.toContain('aroundAll is not a function')
    const body = reportTest(run.report, 'over budget in its body')
    expect(body).toMatchObject({ file: 'test/windows.spec.ts', status: 'failed', overBudget: true, budgetMs: 50, longestMs: within(120) })
    expect(body.blocks.filter((b: { durationMs: number }) => b.durationMs >= 55)).toEqual([
      expect.objectContaining({ durationMs: within(120), frame: expect.objectContaining({ file: 'test/block.ts', line: 3, function: 'block' }), activity: 'Atomics.wait' }),
    ])
    expect(run.output).toMatch(/EventLoopBlockedError: blocked the event loop for \d+\.\d ms \(budget 50 ms\), \d+ blocks?\n/)
    expect(reportTest(run.report, 'hooks > charged for its beforeEach')).toMatchObject({ status: 'failed', longestMs: within(80) })
    expect(reportTest(run.report, 'after hooks > charged for its afterEach')).toMatchObject({ status: 'failed', longestMs: within(85) })
    expect(reportTest(run.report, 'under budget')).toMatchObject({ status: 'passed', overBudget: false, longestMs: within(25) })
  })

  test('collection, beforeAll and afterAll are the file’s, charged to no test', () => {
    const file = run.report.files.find((f: { file: string }) => f.file === 'test/windows.spec.ts')
    const longest = (phase: string) => Math.max(0, ...file.blocks.filter((b: { phase: string }) => b.phase === phase).map((b: { durationMs: number }) => b.durationMs))
    expect({ collect: longest('collect'), beforeAll: longest('beforeAll'), afterAll: longest('afterAll') }).toEqual({ collect: within(70), beforeAll: within(60), afterAll: within(65) })
  })

  test('budgets, allowBlocking, retry and test.fails', () => {
    expect(reportTest(run.report, 'raised with allowBlocking')).toMatchObject({ status: 'passed', budgetMs: 200, allowedMs: 200, overBudget: false })
    expect(reportTest(run.report, 'exempt with allowBlocking(Infinity)')).toMatchObject({ status: 'passed', budgetMs: null, overBudget: false })
    expect(reportTest(run.report, 'within the budget of its folder')).toMatchObject({ file: 'test/slow/budget.spec.ts', status: 'passed', budgetMs: 300 })
    expect(reportTest(run.report, 'blocks only on its first attempt')).toMatchObject({ status: 'passed', overBudget: false })
  })

  test('the summary follows Vitest’s, and the report is written', () => {
    expect(run.report?.schema).toBe('loopguard-report@1')
    const summary = summaryOf(run.output)
    expect(run.output.indexOf('Event-loop blocking')).toBeGreaterThan(run.output.indexOf('Test Files'))
    expectSummaryShape(summary, run.report, 10)
    expect(summary).toMatch(/test\/windows\.spec\.ts > over budget in its body +test\/block\.ts:3 +over 50 ms$/m)
  })

  test('with sequence.hooks list, the afterAll at the file’s top level runs after its window: not measured, as the docs say', async () => {
    const list = await runFixture(runner, fixture('measuring'), { args: ['--sequence.hooks=list', '--project=forks'] })
    // Hooks of a describe block run before the file's own after-hooks, whatever the order: still in the window.
    expect(reportTest(list.report, 'after hooks > charged for its afterEach')).toMatchObject({ status: 'failed', longestMs: within(85) })
    const file = list.report.files.find((f: { file: string }) => f.file === 'test/windows.spec.ts')
    const phase = (name: string) => file.blocks.filter((b: { phase: string; durationMs: number }) => b.phase === name && b.durationMs >= 55)
    expect(phase('beforeAll')).toHaveLength(1)
    expect(phase('afterAll')).toEqual([])
  })
})

describe.runIf(selectedRunners().includes('vitest3.1'))('Vitest 3.1', () => {
  test('refuses to start, saying which Vitest it found and which it needs, and writes no report', async () => {
    const run = await runFixture('vitest3.1', fixture('shard'), { env: { RUN_NAME: 'old' } })
    expect(run.exitCode).not.toBe(0)
    expect(run.output).toMatch(
      /loopguard\(\): @loopguard\/vitest needs Vitest 3\.2 or later; this project has Vitest 3\.1\.\d+\. Upgrade Vitest, or take loopguard\(\) out of the config\./,
    )
    expect(run.report).toBeUndefined()
  })
})
