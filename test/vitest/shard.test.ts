// Per-test figures ride on the tasks' meta: two shards written as blob reports merge into one summary and report.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { prepareProject, runFixture } from '../support/run-fixture.js'
import { fixture, reportTest, summaryOf, vitestRunners } from './support.js'

describe.each(vitestRunners)('%s', (runner) => {
  test('--shard with the blob reporter, then --merge-reports', async () => {
    const cwd = prepareProject(runner, fixture('shard'))
    for (const shard of ['1/2', '2/2']) {
      const run = await runFixture(runner, fixture('shard'), { cwd, args: [`--shard=${shard}`, '--reporter=blob'], env: { RUN_NAME: 'shard' } })
      expect(run.exitCode, run.output).toBe(1)
      // The blob reporter writes for a program: no summary beside it.
      expect(run.output).not.toContain('Event-loop blocking')
    }
    const merged = await runFixture(runner, fixture('shard'), { cwd, args: ['--merge-reports'], env: { RUN_NAME: 'merge' } })
    expect(merged.exitCode, merged.output).toBe(1)
    expect(summaryOf(merged.output)).toMatch(/^ Event-loop blocking {3}2 of 4 tests over budget \(50 ms\)$/m)
    for (const file of ['one', 'two']) {
      expect(reportTest(merged.report, `${file}: over budget`)).toMatchObject({ file: `test/${file}.spec.ts`, status: 'failed', overBudget: true })
      expect(reportTest(merged.report, `${file}: under budget`)).toMatchObject({ status: 'passed', overBudget: false })
      const collect = merged.report.files.find((f: { file: string }) => f.file === `test/${file}.spec.ts`)?.blocks[0]
      expect(collect).toMatchObject({ phase: 'collect' })
    }
    // onBlock is called for the merged results too, in the process that merges.
    const mergedCalls = readFileSync(join(cwd, 'on-block-merge.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    expect(mergedCalls).toContainEqual({ file: 'test/one.spec.ts', fullName: 'one: over budget' })
    expect(mergedCalls).toContainEqual({ file: 'test/two.spec.ts', fullName: 'two: over budget' })
    expect(existsSync(join(cwd, 'on-block-shard.jsonl'))).toBe(true)
  })

  test('--reporter=json alone: no summary beside it, and its output on stdout stays JSON', async () => {
    const run = await runFixture(runner, fixture('shard'), { args: ['--reporter=json'], env: { RUN_NAME: 'json' } })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).not.toContain('Event-loop blocking')
    // Vitest 4 prints the JSON on stdout; Vitest 5 writes it to a file and says where.
    if (runner === 'vitest4') expect(JSON.parse(run.stdout).numFailedTests).toBe(2)
    expect(run.report.summary).toMatchObject({ tests: 4, overBudget: 2 })
  })
})
