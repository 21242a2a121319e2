// test.concurrent / describe.concurrent: a block is never charged to one test by guess; allowBlocking and the
// matcher's default budget find the test that called them, even after an await.
import { beforeAll, describe, expect, test } from 'vitest'
import { runFixture, type FixtureRun } from '../support/run-fixture.js'
import { atLeast, fixture, reportTest, summaryOf, TOLERANCE_MS, vitestRunners } from './support.js'

describe.each(vitestRunners)('%s', (runner) => {
  let run: FixtureRun
  beforeAll(async () => {
    run = await runFixture(runner, fixture('concurrent'))
  })

  test('a block while three tests run is carried by all three, marked as shared, and the failure says so', () => {
    expect(run.exitCode, run.output).toBe(1)
    for (const name of ['three at once > blocks while the others wait', 'three at once > waits first', 'three at once > waits second']) {
      const t = reportTest(run.report, name)
      expect(t, name).toMatchObject({ status: 'failed', overBudget: true, concurrent: true })
      const shared = t.blocks.filter((b) => b.durationMs >= 100)
      expect(shared.map((b) => b.sharedBy), name).toEqual([3])
      expect(shared[0]!.durationMs).toBeGreaterThanOrEqual(atLeast(120))
      expect(shared[0]!.durationMs).toBeLessThan(120 + TOLERANCE_MS)
    }
    // The fixture sets includeTaskLocation: the failure points at the test's declaration (Vitest 5 heads it with the line alone).
    expect(run.output).toMatch(
      /FAIL +test\/shared\.spec\.ts:12(:3)? > three at once > waits first\nEventLoopBlockedError: blocked the event loop for \d+\.\d ms \(budget 50 ms\), \d+ blocks?\n {2}shared by 3 concurrent tests: the block may come from another of them \("three at once > (?:blocks while the others wait|waits second)", "three at once > (?:blocks while the others wait|waits second)"\)\n/,
    )
    // Attribution names the line, in the test that ran it: the code frame is the blocking line, the declaration last.
    expect(run.output).toMatch(
      /waits first\n.*\n.*\n {2}at block \(test\/block\.ts:3:\d+\) +Atomics\.wait\n {2}at test\/shared\.spec\.ts:10:\d+\n(?:.*\n)*? ❯ block test\/block\.ts:3:\d+\n(?:.*\n)*? ❯ test\/shared\.spec\.ts:12:3\n/,
    )
    expect(summaryOf(run.output)).toMatch(/test\/shared\.spec\.ts > three at once > waits first +test\/block\.ts:3 \(shared by 3 concurrent tests\) +over 50 ms$/m)
  })

  test('allowBlocking after an await raises the budget of the test that called it, and only that one', () => {
    expect(reportTest(run.report, 'allowances > raised after an await')).toMatchObject({ status: 'passed', budgetMs: 400, concurrent: true })
    const other = reportTest(run.report, 'allowances > keeps its own budget')
    expect(other).toMatchObject({ budgetMs: 50, status: 'failed', overBudget: true })
    // The 70 ms block of the other test happened while this one ran: it is listed, shared, not silently its own.
    expect(other.blocks.filter((b) => b.durationMs >= atLeast(70)).map((b) => b.sharedBy)).toEqual([2])
  })
})
