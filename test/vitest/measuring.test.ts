// The plugin on two projects (the default pool, and threads for fake timers that fake nextTick): per-test windows, file phases, budgets, allowBlocking,
// retry, test.fails, fake timers, onBlock, the summary and the JSON report.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { runFixture, type FixtureRun } from '../support/run-fixture.js'
import { expectSummaryShape } from '../support/report.js'
import { fixture, reportTest, summaryOf, vitestRunners, within } from './support.js'

/** The blocks long enough to be the fixture's own (55 ms and more), not a busy machine's. */
const long = <B extends { durationMs: number }>(blocks: B[]) => blocks.filter((b) => b.durationMs >= 55)

describe.each(vitestRunners)('%s', (runner) => {
  let run: FixtureRun
  beforeAll(async () => {
    run = await runFixture(runner, fixture('measuring'))
  })

  test('the run fails because tests went over budget', () => {
    expect(run.exitCode, run.output).toBe(1)
    expect(run.report?.schema).toBe('loopguard-report@1')
    expect(run.report.runner).toBe('vitest')
  })

  test('a test is charged for the blocks of its body, beforeEach and afterEach, and fails like a Vitest test', () => {
    const body = reportTest(run.report, 'over budget in its body')
    expect(body).toMatchObject({ file: 'test/windows.spec.ts', status: 'failed', overBudget: true, budgetMs: 50, longestMs: within(120) })
    // Over budget, so attribution ('auto') names the line that blocked: the helper's Atomics.wait, called by the test.
    // A busy machine adds the wall time and the wait beside durationMs.
    expect(long(body.blocks)).toEqual([
      expect.objectContaining({
        startMs: expect.any(Number),
        durationMs: within(120),
        frame: { file: 'test/block.ts', line: 3, column: expect.any(Number), function: 'block' },
        frames: [expect.objectContaining({ file: 'test/block.ts', line: 3 }), expect.objectContaining({ file: 'test/windows.spec.ts' })],
        activity: 'Atomics.wait',
        inScope: true,
      }),
    ])
    expect(reportTest(run.report, 'hooks > charged for its beforeEach')).toMatchObject({ status: 'failed', longestMs: within(80) })
    expect(reportTest(run.report, 'after hooks > charged for its afterEach')).toMatchObject({ status: 'failed', longestMs: within(85) })
    expect(run.output).toMatch(
      /FAIL +\|forks\| test\/windows\.spec\.ts > over budget in its body\nEventLoopBlockedError: blocked the event loop for \d+\.\d ms \(budget 50 ms\), \d+ blocks?\n/,
    )
    expect(reportTest(run.report, 'under budget')).toMatchObject({ status: 'passed', overBudget: false, longestMs: within(25) })
  })

  test('budgets: allowBlocking over a budgets glob over budgetMs', () => {
    expect(reportTest(run.report, 'raised with allowBlocking')).toMatchObject({ status: 'passed', budgetMs: 200, allowedMs: 200, overBudget: false, longestMs: within(120) })
    expect(reportTest(run.report, 'exempt with allowBlocking(Infinity)')).toMatchObject({ status: 'passed', budgetMs: null, allowedMs: null, overBudget: false, longestMs: within(150) })
    expect(reportTest(run.report, 'within the budget of its folder')).toMatchObject({ file: 'test/slow/budget.spec.ts', status: 'passed', budgetMs: 300 })
    expect(reportTest(run.report, 'allowBlocking rejects what is not a budget').status).toBe('passed')
  })

  test('collection, beforeAll and afterAll are reported for the file and never charged to a test', () => {
    const file = run.report.files.find((f: { file: string }) => f.file === 'test/windows.spec.ts')
    // The longest block of each phase (a busy machine may add shorter ones anywhere).
    const longest = (phase: string) => Math.max(0, ...file.blocks.filter((b: { phase: string }) => b.phase === phase).map((b: { durationMs: number }) => b.durationMs))
    expect({ collect: longest('collect'), beforeAll: longest('beforeAll'), afterAll: longest('afterAll') }).toEqual({ collect: within(70), beforeAll: within(60), afterAll: within(65) })
    // The file's blocks are 60 ms and more: none of them is in a test.
    expect(long(reportTest(run.report, 'over budget in its body').blocks)).toHaveLength(1)
    expect(long(reportTest(run.report, 'under budget').blocks)).toHaveLength(0)
    expect(long(reportTest(run.report, 'hooks > charged for its beforeEach').blocks)).toHaveLength(1)
  })

  test('an over-budget failure counts for retry, and test.fails passes by failing', () => {
    expect(reportTest(run.report, 'blocks only on its first attempt')).toMatchObject({ status: 'passed', overBudget: false })
    expect(reportTest(run.report, 'an expected failure that blocks')).toMatchObject({ status: 'passed', overBudget: true, longestMs: within(95) })
  })

  test('fake timers with every API faked change nothing', () => {
    expect(reportTest(run.report, 'blocks 110 ms under fake timers')).toMatchObject({ status: 'failed', longestMs: within(110) })
    expect(reportTest(run.report, 'a timer callback run by advanceTimersByTime blocks 75 ms')).toMatchObject({ status: 'failed', longestMs: within(75) })
    expect(reportTest(run.report, 'toBlockLoop under fake timers').status).toBe('passed')
  })

  test('the summary follows Vitest’s: the tests over budget first, then those within it, then blocks outside tests', () => {
    const summary = summaryOf(run.output)
    expect(run.output.indexOf('Event-loop blocking')).toBeGreaterThan(run.output.indexOf('Test Files'))
    expect(summary.split('\n')[0]).toBe(' Event-loop blocking   6 of 13 tests over budget (50 ms)')
    const rows = expectSummaryShape(summary, run.report, 10)
    expect(rows.filter((r) => r.why === 'over 50 ms')).toHaveLength(6)
    // Each row says why it is listed, in words: no colour is needed to tell them apart.
    expect(summary).toMatch(/^ +\d+\.\d ms {2}test\/windows\.spec\.ts > exempt with allowBlocking\(Infinity\) +exempt$/m)
  })

  test('onBlock runs in the main process with the test’s file and full name', () => {
    const mainPid = Number(readFileSync(join(run.cwd, 'main-pid.txt'), 'utf8'))
    const calls = readFileSync(join(run.cwd, 'on-block.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    expect(new Set(calls.map((c) => c.pid))).toEqual(new Set([mainPid]))
    expect(calls).toContainEqual({ pid: mainPid, durationMs: within(120), file: 'test/windows.spec.ts', fullName: 'over budget in its body' })
    expect(calls).toContainEqual({ pid: mainPid, durationMs: within(80), file: 'test/windows.spec.ts', fullName: 'hooks > charged for its beforeEach' })
  })

  test.each(['list', 'parallel'])('with sequence.hooks %s, a test is still charged for its beforeEach and afterEach', async (order) => {
    const other = await runFixture(runner, fixture('measuring'), { args: [`--sequence.hooks=${order}`, '--project=forks'] })
    expect(reportTest(other.report, 'hooks > charged for its beforeEach')).toMatchObject({ status: 'failed', longestMs: within(80) })
    expect(reportTest(other.report, 'after hooks > charged for its afterEach')).toMatchObject({ status: 'failed', longestMs: within(85) })
  })
})
