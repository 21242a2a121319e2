// @loopguard/vitest: the plugin for vitest.config, and what specs import.
export { loopguard } from './node/plugin.js'
export { allowBlocking } from './runtime/allow-blocking.js'
export type { LoopguardOptions, BlockInfo, BlockedTest, Mode } from '@loopguard/core'

// `expect(fn).toBlockLoop(ms?)` for spec files. Declared on Chai's Assertion, which both Vitest 4's
// `Assertion<T>` and Vitest 5's `Assertion<R, T>` map into their own (with `.not`), because their `Matchers`
// interfaces have different type parameters and a declaration for one fails to compile against the other.
declare global {
  namespace Chai {
    interface Assertion {
      /**
       * Passes when `fn`'s longest block of the event loop is over `ms` (default: the running test's budget);
       * `.not.toBlockLoop(ms)` passes when it is at or under. Await it when `fn` is async.
       */
      toBlockLoop(ms?: number): void
    }
  }
}
