// Jest's own work inside a test is the runner's, not the test's: reading the stack of an error thrown in a large
// module makes Jest map every frame through the module's source map (what every `toThrow` does). The test that only
// reads stacks passes a 20 ms budget; its sibling that blocks in its own code still fails; Jest's transform of the
// module while the file is collected is the runner's too; the summary tells the runner's time apart, in one line.
import { writeFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { prepareProject, runFixture, type FixtureRun } from '../support/run-fixture.js'
import { fixture, jestRunners, reportTest, within } from './support.js'

/** A module of many small functions: its source map, from Jest's transform, is large. */
function largeModule(functions: number): string {
  const lines = ['// Written by runner-work.test.ts.']
  for (let i = 0; i < functions; i++) {
    lines.push(`function step${i}(value) {`, `  const next = { value: value + ${i}, label: 'step ${i}' }`, `  return next.value > -1 ? next : null`, `}`)
  }
  lines.push('exports.fail = (n) => {', '  step0(n)', '  throw new Error(`failed ${n}`)', '}')
  return `${lines.join('\n')}\n`
}

describe.each(jestRunners)('%s', (runner) => {
  let run: FixtureRun
  beforeAll(async () => {
    const cwd = prepareProject(runner, fixture('runner-work'))
    mkdirSync(join(cwd, 'src'), { recursive: true })
    writeFileSync(join(cwd, 'src', 'large.js'), largeModule(20_000))
    run = await runFixture(runner, fixture('runner-work'), { cwd })
  })

  test("the time Jest maps a stack in is the runner's: the test that reads stacks passes its 20 ms budget", () => {
    expect(run.exitCode, run.output).toBe(1)
    const reads = reportTest(run.report, 'reads the stacks of errors thrown in a large module')
    expect(reads, run.output).toMatchObject({ status: 'passed', overBudget: false })
    expect(reads.runnerMs, JSON.stringify(reads)).toBeGreaterThan(20)
    expect(run.report.runnerMs).toBeGreaterThanOrEqual(reads.runnerMs)
  })

  test("the test's own blocking still counts", () => {
    expect(reportTest(run.report, 'blocks in its own code')).toMatchObject({ status: 'failed', overBudget: true, longestMs: within(100) })
  })

  test("Jest transforming the large module while the file is collected is the runner's, and names no line of the project", () => {
    const file = run.report.files.find((f: { file: string }) => f.file === 'test/stack.test.js')
    expect(file?.runnerMs, JSON.stringify(file)).toBeGreaterThan(20)
    for (const block of file?.blocks ?? []) expect(block.frame?.file ?? '', JSON.stringify(block)).not.toBe('test/stack.test.js')
  })

  test('the summary gives the runner one line', () => {
    const lines = run.output.split('\n').filter((line) => line.includes('runner:'))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/runner: [\d.]+ ms of Jest's own work \(loading and transforming modules, mapping stack traces\) left out of the blocks, not charged/)
  })
})
