// The ways to configure loopguard besides the preset: an ESM config in mode 'report' with onBlock, the
// environment and reporter without the setup file, and options that are wrong.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { runFixture, type FixtureRun } from '../support/run-fixture.js'
import { failureOf, fixture, jestRunners, reportTest, summaryOf, within } from './support.js'

describe.each(jestRunners)('%s', (runner) => {
  const cwds: Record<string, string> = {}
  const cwdOf = (name: string) => cwds[name] ?? expect.fail(`${name} has not run`)

  describe("an ESM config in mode 'report', with onBlock, on CI", () => {
    let run: FixtureRun
    beforeAll(async () => {
      run = await runFixture(runner, fixture('report-mode-esm-config'), { args: ['--maxWorkers=2'], env: { CI: 'true' } })
    })

    test('nothing fails, the summary still names the test over budget', () => {
      expect(run.exitCode, run.output).toBe(0)
      expect(run.output).toMatch(/Tests: +3 passed, 3 total/)
      const summary = summaryOf(run.output)
      expect(summary).toMatch(/^ Event-loop blocking {3}1 of 3 tests over budget \(200 ms\)\n/)
      // The row ends with the line that blocked: 'auto' attribution names the blocks of a test over budget.
      expect(summary).toMatch(/\n +(?:29\d|[34]\d\d)\.\d ms {2}test\/report\.test\.js > blocks over budget, reported only {2}test\/block\.js:1 +over 200 ms\n/)
    })

    test('on CI the report goes to loopguard-report.json', () => {
      expect(run.report).toMatchObject({ runner: 'jest', options: { mode: 'report' }, summary: { tests: 3, overBudget: 1 } })
      expect(reportTest(run.report, 'blocks over budget, reported only')).toMatchObject({ status: 'passed', overBudget: true, longestMs: within(300) })
    })

    test('onBlock runs in the main process, once per block over the threshold, with the test it happened in', () => {
      const calls = readFileSync(join(run.cwd, 'blocks.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line))
      const of = (name: string) => calls.filter((c) => c.test.fullName === name)
      expect(of('blocks over budget, reported only')).toEqual([
        {
          block: { startMs: expect.any(Number), durationMs: within(300) },
          test: { file: 'test/report.test.js', fullName: 'blocks over budget, reported only' },
          // Jest's workers set JEST_WORKER_ID; its main process does not.
          worker: null,
        },
      ])
      expect(of('blocks under budget')).toEqual([expect.objectContaining({ block: { startMs: expect.any(Number), durationMs: within(30) } })])
      // Only blocks at or over thresholdMs (25): the 2 ms block of the third test is not one of them.
      for (const call of calls) expect(call.block.durationMs).toBeGreaterThanOrEqual(25)
    })
  })

  describe('the environment and the reporter without the setup file, with --bail', () => {
    let run: FixtureRun
    beforeAll(async () => {
      // --bail makes Jest exit on the first failed file, without the usual end of run.
      run = await runFixture(runner, fixture('without-setup-file'), { args: ['--bail'] })
    })

    test('a test over budget still fails, and so does the run', () => {
      expect(run.exitCode, run.output).toBe(1)
      expect(run.output).toMatch(/Tests: +1 failed, 3 passed, 4 total/)
      expect(failureOf(run.output, 'blocks over budget')).toMatch(/EventLoopBlockedError: blocked the event loop for (?:29\d|[34]\d\d)\.\d ms \(budget 200 ms\), 1 block/)
      expect(summaryOf(run.output)).toMatch(/1 of 4 tests over budget/)
    })

    test('the test realm sees no loopguard global or environment variable', () => {
      expect(run.output).toMatch(/✓ finds no loopguard name in its global or its process\.env/)
    })

    test('no report is written unless asked for or on CI', () => {
      expect(run.report).toBeUndefined()
      expect(existsSync(join(run.cwd, 'loopguard-report.json'))).toBe(false)
    })
  })

  describe("a project's own environment with the mixin", () => {
    test('keeps what the environment does and adds loopguard to it', async () => {
      const run = await runFixture(runner, fixture('custom-environment'))
      cwds['custom-environment'] = run.cwd
      expect(run.exitCode, run.output).toBe(1)
      expect(run.output).toMatch(/Tests: +1 failed, 1 passed, 2 total/)
      expect(failureOf(run.output, 'blocks over budget')).toMatch(/EventLoopBlockedError: blocked the event loop for (?:29\d|[34]\d\d)\.\d ms \(budget 200 ms\), 1 block/)
      expect(summaryOf(run.output)).toMatch(/1 of 2 tests over budget/)
      // top: 1 shows the one test over budget, and says what else there is.
      expect(summaryOf(run.output)).toMatch(/^ +\d+\.\d ms {2}test\/\S+ > blocks over budget .* over 200 ms$/m)
      expect(summaryOf(run.output)).toMatch(/… and \d+ more/)
    })

    test("the reporter's own options apply over the project's", async () => {
      const report = JSON.parse(readFileSync(join(cwdOf('custom-environment'), 'reports', 'loopguard.json'), 'utf8'))
      expect(report).toMatchObject({ runner: 'jest', options: { budgetMs: 200, top: 1 }, summary: { tests: 2, overBudget: 1 } })
    })
  })

  describe("the README's second set-up: another preset (ts-jest), loopguard's pieces named", () => {
    let run: FixtureRun
    beforeAll(async () => {
      run = await runFixture(runner, fixture('other-preset'))
    })

    test('a test that blocks fails with the TypeScript line, the others pass, the summary and report follow', () => {
      expect(run.exitCode, run.output).toBe(1)
      expect(run.output).toMatch(/Tests: +1 failed, 2 passed, 3 total/)
      expect(reportTest(run.report, 'digests a password on the event loop')).toMatchObject({ status: 'failed', overBudget: true, budgetMs: 50 })
      expect(failureOf(run.output, 'digests a password on the event loop')).toMatch(/EventLoopBlockedError: blocked the event loop for \d+\.\d ms \(budget 50 ms\), 1 block/)
      expect(failureOf(run.output, 'digests a password on the event loop')).toContain('src/digest.ts:6')
      expect(reportTest(run.report, 'waits without blocking')).toMatchObject({ status: 'passed', overBudget: false })
      expect(reportTest(run.report, 'may block within the budget it raised')).toMatchObject({ status: 'passed', budgetMs: null })
      expect(summaryOf(run.output)).toMatch(/^ Event-loop blocking {3}1 of 3 tests over budget \(50 ms\)\n/)
    })
  })

  describe('--runInBand beside a reporter that blocks on every result', () => {
    test("the reporter's work is charged to no test", async () => {
      const run = await runFixture(runner, fixture('in-band-reporter'), { args: ['--runInBand'] })
      expect(run.exitCode, run.output).toBe(0)
      expect(run.report.tests).toHaveLength(6)
      for (const test of run.report.tests) expect(test.longestMs, `${test.file} > ${test.fullName}`).toBeLessThan(100)
    })
  })

  describe('the reporter without the environment', () => {
    test('says what is missing, and fails nothing', async () => {
      const run = await runFixture(runner, fixture('reporter-without-environment'))
      expect(run.exitCode, run.output).toBe(0)
      expect(run.stderr).toContain(
        "loopguard: no test file reported its blocking: testEnvironment is 'node', Jest's own, which measures nothing: set testEnvironment: '@loopguard/jest/node' (a testEnvironment in the config takes the place of a preset's).",
      )
      expect(summaryOf(run.output)).toBe('')
    })
  })

  describe("projects without loopguard's environment beside one with it", () => {
    test('measures the one; a file in Jest\'s own environment is named once in the summary; the preset with testEnvironment: \'node\' fails its file saying what to change', async () => {
      const run = await runFixture(runner, fixture('node-environment'))
      expect(run.exitCode, run.output).toBe(1)
      expect(run.report.tests.map((t: { file: string }) => t.file)).toEqual(['measured/clean.test.js'])
      expect(run.stderr).toContain(
        "loopguard: 1 test file ran without loopguard and was not measured: testEnvironment is 'node', Jest's own, which measures nothing: set testEnvironment: '@loopguard/jest/node' (a testEnvironment in the config takes the place of a preset's).",
      )
      expect(run.output).toMatch(/FAIL overridden overridden\/blocks\.test\.js/)
      expect(run.output).toContain(
        "@loopguard/jest/setup: this file ran in another test environment than loopguard's. A testEnvironment in the config (such as 'node' or 'jsdom') takes the place of the preset's: set testEnvironment: '@loopguard/jest/node' (or '@loopguard/jest/jsdom') instead.",
      )
    })
  })

  test('a rootDir set to the sources: paths from the package, the report where Jest runs', async () => {
    const run = await runFixture(runner, fixture('root-dir'))
    expect(run.exitCode, run.output).toBe(1)
    expect(run.report, 'the report is written in the folder Jest runs in, not in rootDir').toBeDefined()
    expect(existsSync(join(run.cwd, 'src', 'loopguard-report.json'))).toBe(false)
    expect(reportTest(run.report, 'blocks in the project code')).toMatchObject({ file: 'test/work.test.js', status: 'failed', overBudget: true })
    expect(reportTest(run.report, 'blocks in the project code').blocks[0].frame).toMatchObject({ file: 'src/work.js', line: 1 })
    // The budgets glob is read from the package's folder too.
    expect(reportTest(run.report, 'is judged by the budget of its folder')).toMatchObject({ file: 'test/slow/export.test.js', status: 'passed', budgetMs: 600 })
    expect(JSON.stringify(run.report)).not.toContain(run.cwd)
    expect(JSON.stringify(run.report)).not.toContain('../')
  })

  describe('options that are wrong', () => {
    let run: FixtureRun
    beforeAll(async () => {
      run = await runFixture(runner, fixture('bad-options'))
    })

    test('each file with a bad docblock fails to run with what was wrong, the value and what is accepted', () => {
      expect(run.exitCode, run.output).toBe(1)
      expect(run.output).toMatch(/Test Suites: +3 failed, 1 passed, 4 total/)
      expect(run.output).toContain(
        '@loopguard/jest (testEnvironmentOptions.loopguard or the file\'s @jest-environment-options): unknown option "budget". Accepted options: budgetMs, mode, budgets, thresholdMs, outputFile, top, onBlock, scope, attribution, profileDir, countGc.',
      )
      expect(run.output).toContain(
        `@loopguard/jest (testEnvironmentOptions.loopguard or the file's @jest-environment-options): option "mode" must be one of 'fail', 'report', 'off'; received 'strict'.`,
      )
      expect(run.output).toContain(
        `@loopguard/jest (testEnvironmentOptions.loopguard or the file's @jest-environment-options): option "budgetMs" must be a number of milliseconds, 0 or more (Infinity allowed); received -5.`,
      )
    })

    test('allowBlocking outside a test says where it was called', () => {
      expect(run.output).toMatch(/PASS test\/outside-a-test\.test\.js/)
    })
  })
})
