// expect(fn).toBlockLoop(ms?): sync and async, .not, ctx.expect, expect.soft, the default budget, the failure
// messages, and its typings on Vitest 4 and 5.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { runFixture, type FixtureRun } from '../support/run-fixture.js'
import { RUNNERS, runnerDir } from '../support/runners.js'
import { fixture, reportTest, vitestRunners } from './support.js'

/** The compiler's output and exit status for one tsconfig of the project. */
function tsc(runner: (typeof vitestRunners)[number], cwd: string, project: string): { status: number; output: string } {
  const bin = join(runnerDir(runner), 'node_modules', 'typescript', 'bin', 'tsc')
  try {
    const output = execFileSync(RUNNERS[runner].node, [bin, '-p', project], { cwd, encoding: 'utf8', stdio: 'pipe' })
    return { status: 0, output }
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string }
    return { status: e.status, output: `${e.stdout}${e.stderr}` }
  }
}

describe.each(vitestRunners)('%s', (runner) => {
  let run: FixtureRun
  beforeAll(async () => {
    run = await runFixture(runner, fixture('matchers'))
  })

  test('passing uses pass, in every form', () => {
    for (const name of [
      'sync: returns at once, passes when the block is at or under ms',
      'async: returns a promise that measures until fn settles',
      'passes when the longest block is over ms',
      'the default is the test’s budget',
      'works with ctx.expect',
    ]) {
      expect(reportTest(run.report, name).status, name).toBe('passed')
    }
  })

  test('failures state both numbers, and a non-function gets a matcher error', () => {
    expect(run.exitCode).toBe(1)
    const failed = run.report.tests.filter((t: { status: string }) => t.status === 'failed').map((t: { fullName: string }) => t.fullName)
    expect(failed.sort()).toEqual(['fails: .not with a block over ms', 'fails: a block under ms', 'fails: not a function', 'fails: two soft failures'])
    expect(run.output).toMatch(/expect\(fn\)\.not\.toBlockLoop\(ms\)\n\nExpected the function not to block the event loop for more than 40 ms\nIts longest block: \d+\.\d ms \(1 block over the threshold\)/)
    expect(run.output).toMatch(/expect\(fn\)\.toBlockLoop\(ms\)\n\nExpected the function to block the event loop for more than 150 ms\nIts longest block: \d+\.\d ms/)
    expect(run.output).toMatch(/received value must be a function that does the work to measure, e\.g\. expect\(\(\) => parse\(text\)\)\nReceived: 42/)
    // expect.soft: both failures are reported and the test goes on after the first.
    expect(run.output).toMatch(/more than 200 ms\nIts longest block: \d+\.\d ms[\s\S]*more than 250 ms\nIts longest block: \d+\.\d ms/)
  })

  test('typed in specs when the tsconfig includes vitest.config.ts', () => {
    const result = tsc(runner, run.cwd, 'tsconfig.json')
    expect(result, result.output).toMatchObject({ status: 0 })
  })

  test('typed through the documented types entry otherwise, and not without it', () => {
    const withEntry = tsc(runner, join(run.cwd, 'types-entry'), 'tsconfig.json')
    expect(withEntry, withEntry.output).toMatchObject({ status: 0 })
    const without = tsc(runner, join(run.cwd, 'types-entry'), 'tsconfig.without.json')
    expect(without.status).not.toBe(0)
    expect(without.output).toMatch(/Property 'toBlockLoop' does not exist/)
  })
})
