// The preset on one fixture project, run by Jest 29 and 30 on Node 20 and 24, node and jsdom environments, in band
// and in workers: per-test windows, file phases, budgets, allowBlocking, toBlockLoop, fake timers, retries, the
// docblock, concurrent tests, the failures Jest prints, the summary and the JSON report.
import { beforeAll, describe, expect, test } from 'vitest'
import { expectSummaryShape } from '../support/report.js'
import { runFixture, type FixtureRun } from '../support/run-fixture.js'
import { atLeast, failureOf, fixture, nodeBinary, reportTest, setups, summaryOf, within } from './support.js'

describe.each(setups)('$runner on $node, $environment environment, $args', ({ runner, node, environment, args }) => {
  let run: FixtureRun
  beforeAll(async () => {
    run = await runFixture(runner, fixture('basics'), { args, node: nodeBinary(node), env: { LOOPGUARD_FIXTURE_ENV: environment } })
  })

  test('the run fails, and the report names Jest', () => {
    expect(run.exitCode, run.output).toBe(1)
    expect(run.output).toMatch(/Tests: +11 failed, 15 passed, 26 total/)
    expect(run.report).toMatchObject({ schema: 'loopguard-report@1', runner: 'jest', options: { budgetMs: 200, mode: 'fail' } })
    expect(reportTest(run.report, 'runs in the environment the config picked').status).toBe('passed')
    expect(run.report.summary).toMatchObject({ tests: 26, overBudget: 10 })
  })

  test('a test over budget fails with a Jest failure that points at the line that blocked (attribution on by default)', () => {
    const over = reportTest(run.report, 'budgets > blocks over budget')
    expect(over).toMatchObject({ file: 'test/budgets.test.js', status: 'failed', overBudget: true, budgetMs: 200, count: 1, longestMs: within(300) })
    const blockLine = { file: 'test/block.js', line: 2, column: 33 }
    // A busy machine adds the wall time and the wait beside durationMs.
    expect(over.blocks).toEqual([
      expect.objectContaining({
        startMs: expect.any(Number),
        durationMs: within(300),
        frame: expect.objectContaining(blockLine),
        frames: [expect.objectContaining(blockLine), expect.objectContaining({ file: 'test/budgets.test.js', line: 6 })],
        activity: 'Atomics.wait',
        inScope: true,
      }),
    ])
    const failure = failureOf(run.output, 'budgets › blocks over budget')
    expect(failure).toMatch(/EventLoopBlockedError: blocked the event loop for (?:29\d|[34]\d\d)\.\d ms \(budget 200 ms\), 1 block\n/)
    expect(failure).toMatch(/\n +longest block in .*\(test\/block\.js:2:33\): Atomics\.wait\n +hint: use Atomics\.waitAsync/)
    expect(failure).toMatch(/> 2 \| exports\.block = \(ms\) => Atomics\.wait\(/)
    expect(failure).toMatch(/\n +at .*\(test\/block\.js:2:33\)\n +at test\/budgets\.test\.js:6:5\n/)
    // Within its budget, 'auto' attribution leaves even a long block unnamed: it costs nothing for such tests.
    const withinBudget = reportTest(run.report, 'is judged by the budget of its folder').blocks.find((b) => b.durationMs >= atLeast(300))
    expect(withinBudget).toMatchObject({ frame: null })
    expect(withinBudget).not.toHaveProperty('frames')
    expect(reportTest(run.report, 'budgets > blocks under budget')).toMatchObject({ status: 'passed', overBudget: false, longestMs: within(40) })
  })

  test('allowBlocking raises a budget or exempts a test, and rejects what is not a budget', () => {
    expect(reportTest(run.report, 'budgets > raises its budget')).toMatchObject({ status: 'passed', budgetMs: 600, allowedMs: 600, longestMs: within(300) })
    expect(reportTest(run.report, 'budgets > is exempt')).toMatchObject({ status: 'passed', budgetMs: null, allowedMs: null, overBudget: false, longestMs: within(300) })
    expect(reportTest(run.report, 'budgets > rejects a bad budget').status).toBe('passed')
  })

  test('a budgets glob sets the budget of a folder', () => {
    expect(reportTest(run.report, 'is judged by the budget of its folder')).toMatchObject({ file: 'test/slow/budget.test.js', status: 'passed', budgetMs: 600 })
  })

  test('a docblock sets the budget of its file', () => {
    expect(reportTest(run.report, 'is judged by the docblock budget')).toMatchObject({ status: 'passed', budgetMs: 600, longestMs: within(300) })
    // Only allowBlocking is a test's own budget, which `loopguard check --budget` keeps.
    expect(reportTest(run.report, 'is judged by the docblock budget')).not.toHaveProperty('allowedMs')
  })

  test('beforeEach and afterEach are the test’s; collection, beforeAll and afterAll are the file’s', () => {
    const hooks = reportTest(run.report, 'hooks > is charged for its beforeEach and afterEach')
    expect(hooks).toMatchObject({ status: 'failed', overBudget: true })
    // The hooks run in one turn of the loop or two, as the runner awaits them: either way both are the test's.
    expect(hooks.totalMs).toEqual(within(360))
    expect(hooks.longestMs).toBeGreaterThanOrEqual(atLeast(300))
    const file = run.report.files.find((f: { file: string }) => f.file === 'test/hooks.test.js')
    const phases = (phase: string) => file.blocks.filter((b: { phase: string }) => b.phase === phase)
    // Collection includes Jest's transform of the file on a cold cache: only its lower bound is the spec's.
    expect(Math.max(...phases('collect').map((b: { durationMs: number }) => b.durationMs))).toBeGreaterThanOrEqual(atLeast(60))
    const longest = (phase: string) => Math.max(0, ...phases(phase).map((b: { durationMs: number }) => b.durationMs))
    expect(longest('beforeAll')).toEqual(within(60))
    expect(longest('afterAll')).toEqual(within(60))
  })

  test('toBlockLoop measures sync and async functions, defaults to the budget, and fails like a Jest matcher', () => {
    expect(reportTest(run.report, 'toBlockLoop > measures sync and async functions').status).toBe('passed')
    expect(reportTest(run.report, 'toBlockLoop > defaults to the test budget').status).toBe('passed')
    expect(failureOf(run.output, 'toBlockLoop › states both numbers when it fails')).toMatch(
      /expect\(fn\)\.toBlockLoop\(ms\)\n\n\s*Expected the function to block the event loop for more than 200 ms\n\s*Its longest block: \d+\.\d ms/,
    )
    expect(failureOf(run.output, 'toBlockLoop › rejects what is not a function')).toMatch(
      /received value must be a function that does the work to measure, e\.g\. expect\(\(\) => parse\(text\)\)\n\s*Received: 42/,
    )
  })

  test('a test.failing test that blocks is reported over budget, and still passes by failing', () => {
    expect(reportTest(run.report, 'an expected failure that blocks')).toMatchObject({ status: 'passed', overBudget: true, longestMs: within(300) })
  })

  test('modern fake timers change nothing: a callback they run is measured in real time', () => {
    expect(reportTest(run.report, 'counts a timer callback run by fake timers')).toMatchObject({ status: 'failed', overBudget: true, longestMs: within(300) })
  })

  test('an over-budget failure counts for jest.retryTimes: the last attempt decides', () => {
    expect(reportTest(run.report, 'blocks on its first attempt only')).toMatchObject({ status: 'passed', overBudget: false })
    expect(reportTest(run.report, 'blocks on every attempt')).toMatchObject({ status: 'failed', overBudget: true, longestMs: within(300) })
  })

  test('concurrent tests: a block is charged to the test whose function was on its stack, and only to it', () => {
    const blocker = reportTest(run.report, 'concurrent > one blocks')
    expect(blocker).toMatchObject({ status: 'failed', overBudget: true, concurrent: true })
    const own = blocker.blocks.filter((b) => b.durationMs >= atLeast(300))
    expect(own).toEqual([expect.objectContaining({ durationMs: within(300), frame: expect.objectContaining({ file: 'test/block.js', line: 2 }) })])
    expect(own[0]).not.toHaveProperty('sharedBy')
    // The tests that only waited while it blocked pass; the profile showed the block was not theirs.
    for (const name of ['three waits', 'four waits']) {
      const waiter = reportTest(run.report, `concurrent > ${name}`)
      expect(waiter, name).toMatchObject({ status: 'passed', overBudget: false, concurrent: true })
      expect(waiter.blocks.filter((b) => b.durationMs >= atLeast(300)), name).toEqual([])
    }
    // allowBlocking reached the test that called it, not the one Jest started last.
    expect(reportTest(run.report, 'concurrent > two allows')).toMatchObject({ status: 'passed', budgetMs: 1000 })
    expect(reportTest(run.report, 'sequential after').blocks.filter((b) => b.durationMs >= 200)).toEqual([])
  })

  /** Both tests failed on the one 300 ms block, each marked as sharing it with the other. */
  const expectSharedByBoth = (names: string[]) =>
    names.forEach((name, i) => {
      const test = reportTest(run.report, name)
      expect(test, name).toMatchObject({ status: 'failed', overBudget: true, concurrent: true })
      const block = test.blocks.find((b) => b.durationMs >= atLeast(300))
      expect(block, name).toMatchObject({ durationMs: within(300), sharedBy: 2, sharedWith: [names[1 - i]] })
    })

  test('concurrent tests: a block whose stack cannot tell (a timer’s callback) is shared, and the failure names the others', () => {
    expectSharedByBoth(['a timer blocks', 'waits beside it'].map((n) => `concurrent, blocked from a timer > ${n}`))
    expect(failureOf(run.output, 'concurrent, blocked from a timer › waits beside it')).toMatch(
      /blocked the event loop for (?:29\d|[34]\d\d)\.\d ms \(budget 200 ms\), \d blocks?\n\s+shared by 2 concurrent tests: the block may come from another of them \("concurrent, blocked from a timer > a timer blocks"\)/,
    )
  })

  test('concurrent tests that run one function share its block: the stack cannot tell them apart', () => {
    expectSharedByBoth(['blocks', 'waits'].map((n) => `concurrent, made in a loop > ${n}`))
  })

  test('the summary follows Jest’s own: the tests over budget first, then those within it, then blocks outside tests', () => {
    const summary = summaryOf(run.output)
    const jestSummaryEnd = run.stderr.indexOf('Ran all test suites.')
    expect(jestSummaryEnd).toBeGreaterThan(0)
    expect(run.stderr.indexOf(' Event-loop blocking ')).toBeGreaterThan(jestSummaryEnd)
    expect(summary).toMatch(/^ Event-loop blocking {3}10 of 26 tests over budget \(200 ms\)\n/)
    const rows = expectSummaryShape(summary, run.report, 10)
    expect(rows.filter((r) => r.why === 'over 200 ms').length).toBeGreaterThan(0)
  })
})
