import { describeValue } from '@loopguard/core'
import { workerState } from './worker-state.js'

/**
 * Raises the budget of the test that calls it, for the rest of the test: its longest block may reach `ms`.
 * `allowBlocking(Infinity)` exempts the test. Wins over `budgets` and `budgetMs`.
 */
export function allowBlocking(ms: number): void {
  if (typeof ms !== 'number' || Number.isNaN(ms) || ms < 0) {
    throw new TypeError(
      `allowBlocking(ms): ms must be a number of milliseconds, 0 or more, or Infinity to exempt the test; received ${describeValue(ms)}.`,
    )
  }
  const state = workerState()
  if (!state) {
    throw new Error(
      'allowBlocking() found no loopguard in this test run: add loopguard() to the plugins of your Vitest config.',
    )
  }
  // mode 'off' measures nothing, so there is no budget to raise.
  if (!state.measuring) return
  const current = state.currentTest()
  if ('error' in current) {
    throw new Error(
      current.error === 'outside'
        ? 'allowBlocking() must be called inside a test (its body or a beforeEach/afterEach hook), not at the top of a file or in beforeAll/afterAll.'
        : 'allowBlocking() could not tell which of the concurrent tests called it.',
    )
  }
  state.file?.tracker.allowBlocking(current.id, ms)
}
