// A busy machine is not blocking, in Jest (see support/busy-machine.ts), and reading error stacks charges nobody.
import { expect, test } from 'vitest'
import { describeBusyMachine } from '../support/busy-machine.js'
import { fixture, jestRunners, reportTest, within } from './support.js'

describeBusyMachine(jestRunners, { fixtureDir: fixture('busy-machine'), cpuTimeFile: 'test/cpu-time.js', args: ['--runInBand'], within }, (run) => {
  test('a toThrow-heavy test is not charged for Jest mapping the stacks', () => {
    const throws = reportTest(run().report, 'reads the stack of thrown errors')
    expect(throws, run().output).toMatchObject({ status: 'passed', overBudget: false })
    expect(run().output).toMatch(/Tests: +3 failed, 7 passed, 10 total/)
  })
})
