// A busy machine is not blocking, in Vitest: see support/busy-machine.ts.
import { expect, test } from 'vitest'
import { describeBusyMachine } from '../support/busy-machine.js'
import { fixture, vitestRunners, within } from './support.js'

describeBusyMachine(vitestRunners, { fixtureDir: fixture('busy-machine'), cpuTimeFile: 'test/cpu-time.cjs', within }, (run) => {
  test('the run counts the three tests that blocked as failed', () => {
    expect(run().output).toMatch(/Tests +3 failed \| 6 passed \(9\)/)
  })
})
