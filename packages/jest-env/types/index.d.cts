// The typings of the entry specs import, written by hand: module augmentations must reach users as they are.
import type {} from 'expect'

export type { LoopguardOptions, BlockInfo, BlockedTest, Mode } from '@loopguard/core'
// The environment class itself is typed at `@loopguard/jest/node`: a spec's typings stay free of the
// environment's (and so of a second copy of Jest's types that a mixed install may hold).

/**
 * Raises the budget of the test that calls it, for the rest of the test: its longest block may reach `ms`.
 * `allowBlocking(Infinity)` exempts the test. Wins over `budgets` and `budgetMs`.
 */
export declare function allowBlocking(ms: number): void

/** A promise to await when the function under test returns one. */
type BlockLoopResult<R, T> = T extends (...args: never[]) => PromiseLike<unknown> ? Promise<void> : R

interface BlockLoopMatchers<R, T> {
  /**
   * Passes when the function's longest block of the event loop is over `ms` (default: the running test's
   * budget); with `.not`, when it is at or under. Await it when the function returns a promise.
   */
  toBlockLoop(ms?: number): BlockLoopResult<R, T>
}

// @jest/globals users: the 'expect' package's matchers (Jest 29 and 30 declare them alike).
declare module 'expect' {
  interface Matchers<R extends void | Promise<void>, T = unknown> extends BlockLoopMatchers<R, T> {}
}

// @types/jest users: the global `jest` namespace.
declare global {
  namespace jest {
    interface Matchers<R, T = {}> extends BlockLoopMatchers<R, T> {}
  }
}
