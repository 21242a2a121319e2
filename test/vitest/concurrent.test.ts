// test.concurrent / describe.concurrent: a block goes to the test whose function ran it, and is never charged to one
// test by guess; allowBlocking and the matcher's default budget find the test that called them, even after an await.
import { beforeAll, describe, expect, test } from 'vitest'
import { runFixture, type FixtureRun } from '../support/run-fixture.js'
import { atLeast, fixture, reportTest, summaryOf, TOLERANCE_MS, vitestRunners, within } from './support.js'

describe.each(vitestRunners)('%s', (runner) => {
  let run: FixtureRun
  beforeAll(async () => {
    run = await runFixture(runner, fixture('concurrent'))
  })

  test('a block while three tests run is charged to the one whose function ran it, and the others pass', () => {
    expect(run.exitCode, run.output).toBe(1)
    const blocker = reportTest(run.report, 'three at once > blocks while the others wait')
    expect(blocker).toMatchObject({ status: 'failed', overBudget: true, concurrent: true })
    expect(blocker.blocks.filter((b) => b.durationMs >= 100)).toEqual([
      expect.objectContaining({ durationMs: within(120), frame: expect.objectContaining({ file: 'test/block.ts', line: 3 }) }),
    ])
    expect(blocker.blocks.filter((b) => b.sharedBy !== undefined)).toEqual([])
    for (const name of ['three at once > waits first', 'three at once > waits second']) {
      expect(reportTest(run.report, name), name).toMatchObject({ status: 'passed', overBudget: false, concurrent: true })
    }
    expect(summaryOf(run.output)).toMatch(/test\/shared\.spec\.ts > three at once > blocks while the others wait +test\/block\.ts:3 +over 50 ms$/m)
  })

  test('tests that run one function carry its block, marked as shared, and the failure says so', () => {
    for (const name of ['made in a loop > blocks', 'made in a loop > waits']) {
      const t = reportTest(run.report, name)
      expect(t, name).toMatchObject({ status: 'failed', overBudget: true, concurrent: true })
      const shared = t.blocks.filter((b) => b.durationMs >= 100)
      expect(shared.map((b) => b.sharedBy), name).toEqual([2])
      expect(shared[0]!.durationMs).toBeGreaterThanOrEqual(atLeast(120))
      expect(shared[0]!.durationMs).toBeLessThan(120 + TOLERANCE_MS)
    }
    // The fixture sets includeTaskLocation: the failure points at the test's declaration (Vitest 5 heads it with the
    // line alone). The two failures read the same, and Vitest may print them once under both names.
    expect(run.output).toMatch(
      /FAIL +test\/loop\.spec\.ts:9(:5)? > made in a loop > waits\nEventLoopBlockedError: blocked the event loop for \d+\.\d ms \(budget 50 ms\), \d+ blocks?\n {2}shared by 2 concurrent tests: the block may come from another of them \("made in a loop > (?:blocks|waits)"\)\n/,
    )
    // Attribution names the line, in the test that ran it: the code frame is the blocking line, the declaration last.
    expect(run.output).toMatch(
      /loop > waits\n.*\n.*\n {2}at block \(test\/block\.ts:3:\d+\) +Atomics\.wait\n {2}at test\/loop\.spec\.ts:11:\d+\n(?:.*\n)*? ❯ block test\/block\.ts:3:\d+\n(?:.*\n)*? ❯ test\/loop\.spec\.ts:9:5\n/,
    )
    expect(summaryOf(run.output)).toMatch(/test\/loop\.spec\.ts > made in a loop > waits +test\/block\.ts:3 \(shared by 2 concurrent tests\) +over 50 ms$/m)
  })

  test('allowBlocking after an await raises the budget of the test that called it, and only that one', () => {
    expect(reportTest(run.report, 'allowances > raised after an await')).toMatchObject({ status: 'passed', budgetMs: 400, concurrent: true })
    // The 70 ms block of the other test happened while this one ran: the stacks show it was the other's.
    const other = reportTest(run.report, 'allowances > keeps its own budget')
    expect(other).toMatchObject({ budgetMs: 50, status: 'passed', overBudget: false })
    expect(other.blocks.filter((b) => b.durationMs >= atLeast(70))).toEqual([])
  })
})
