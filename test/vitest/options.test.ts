// Bad options fail the run when the config loads, naming the option, the value and what is accepted.
import { describe, expect, test } from 'vitest'
import { runFixture } from '../support/run-fixture.js'
import { fixture, vitestRunners } from './support.js'

describe.each(vitestRunners)('%s', (runner) => {
  test('a budget below zero', async () => {
    const run = await runFixture(runner, fixture('bad-options'))
    expect(run.exitCode).toBe(1)
    expect(run.output).toContain('loopguard(): option "budgetMs" must be a number of milliseconds, 0 or more (Infinity allowed); received -5.')
    expect(run.output).not.toContain('never runs')
  })

  test('an unknown option', async () => {
    const run = await runFixture(runner, fixture('bad-options'), { env: { BAD_OPTION: 'unknown' } })
    expect(run.exitCode).toBe(1)
    expect(run.output).toContain('loopguard(): unknown option "budgetMS". Accepted options: budgetMs, mode, budgets')
  })
})
