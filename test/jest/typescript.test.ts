// TypeScript users: a TypeScript config (Jest 30), specs through ts-jest with @jest/globals and no injected
// globals, fake timers enabled for every test; the typings checked with tsc for @jest/globals and @types/jest.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { prepareProject, runFixture, type FixtureRun } from '../support/run-fixture.js'
import { RUNNERS, runnerDir } from '../support/runners.js'
import { failureOf, fixture, jestRunners, reportTest, within } from './support.js'

describe.each(jestRunners)('%s', (runner) => {
  let cwd: string
  let run: FixtureRun
  beforeAll(async () => {
    cwd = prepareProject(runner, fixture('typescript'))
    run = await runFixture(runner, fixture('typescript'), { cwd, args: runner === 'jest29' ? ['--config', 'jest29.config.js'] : [] })
  })

  const tsc = (project: string) =>
    spawnSync(RUNNERS[runner].node, [join(runnerDir(runner), 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], { cwd, encoding: 'utf8' })

  test('the matcher measures in real time under fake timers enabled for every test', () => {
    expect(run.exitCode, run.output).toBe(1)
    expect(reportTest(run.report, 'toBlockLoop measures in real time under fake timers')).toMatchObject({ status: 'passed', budgetMs: null })
    expect(reportTest(run.report, 'a callback run by advanceTimersByTime blocks over budget')).toMatchObject({ status: 'failed', longestMs: within(150) })
    expect(failureOf(run.output, 'a callback run by advanceTimersByTime blocks over budget')).toMatch(/EventLoopBlockedError: blocked the event loop/)
  })

  test('toBlockLoop and allowBlocking are typed for @jest/globals users', () => {
    const result = tsc('tsconfig.json')
    expect(result.stdout + result.stderr).toBe('')
    expect(result.status).toBe(0)
  })

  test('toBlockLoop and allowBlocking are typed for @types/jest users', () => {
    const result = tsc('tsconfig.types-jest.json')
    expect(result.stdout + result.stderr).toBe('')
    expect(result.status).toBe(0)
  })
})
