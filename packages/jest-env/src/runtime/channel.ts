// How code in the test realm (the setup file, `allowBlocking`) reaches the environment in the outer realm.
//
// The environment defines one non-enumerable property, keyed by a registered symbol, on the test realm's
// global. A symbol key is not a name: specs cannot reach it by accident, and `Object.keys` or `for…in` do not
// list it. It needs neither Jest's own state (`expect.getState()`, which Jest changes as it pleases) nor a
// second copy of the detector inside the test realm, where `fakeTimers: { enableGlobally: true }` fakes the
// clock before setup files load.
import type { MatcherResult, MatcherThis } from '@loopguard/core'

export const CHANNEL = Symbol.for('loopguard.jest.environment')

export interface Channel {
  /** Raises the budget of the test whose code is running now. */
  allowBlocking(ms: number): void
  /** The budget of the test whose code is running now (the file's budget outside a test). */
  budget(): number
  /** The `toBlockLoop` matcher, measuring with the environment's detector. */
  toBlockLoop(this: MatcherThis, received: unknown, ms?: number): MatcherResult | Promise<MatcherResult>
}

export function findChannel(global: object): Channel | undefined {
  return (global as Record<symbol, Channel | undefined>)[CHANNEL]
}

export function openChannel(global: object, channel: Channel): void {
  Object.defineProperty(global, CHANNEL, { value: channel, enumerable: false, configurable: true, writable: false })
}
