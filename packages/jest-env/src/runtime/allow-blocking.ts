import { findChannel } from './channel.js'
import { MISSING_ENVIRONMENT } from '../shared/messages.js'

/**
 * Raises the budget of the test that calls it, for the rest of the test: its longest block may reach `ms`.
 * `allowBlocking(Infinity)` exempts the test. Wins over `budgets` and `budgetMs`.
 */
export function allowBlocking(ms: number): void {
  const channel = findChannel(globalThis)
  if (!channel) throw new Error(`allowBlocking() found no loopguard in this test run: ${MISSING_ENVIRONMENT}.`)
  channel.allowBlocking(ms)
}
