// `expect(fn).toBlockLoop(ms?)`: passes when fn's longest block is over `ms`; `.not` passes when it is at or
// under. One implementation for every runner: Vitest and Jest hand matchers the same `this` (isNot, utils).
import { measureBlocking } from '../monitor/measure.js'
import type { BlockStats } from '../monitor/stats.js'
import { describeValue } from '../options/validate.js'
import { formatBudget, formatMs } from '../report/summary.js'

interface MatcherUtils {
  matcherHint(name: string, received?: string, expected?: string, options?: { isNot?: boolean; promise?: string }): string
  printReceived(value: unknown): string
  printExpected(value: unknown): string
}

export interface MatcherThis {
  isNot?: boolean
  promise?: string
  utils: MatcherUtils
}

export interface MatcherResult {
  pass: boolean
  message: () => string
}

/** Builds the matcher; `defaultBudget` gives the running test's budget when no `ms` is passed. */
export function createToBlockLoop(defaultBudget: () => number) {
  return function toBlockLoop(this: MatcherThis, received: unknown, ms?: number): MatcherResult | Promise<MatcherResult> {
    const hint = this.utils.matcherHint('toBlockLoop', 'fn', 'ms', { isNot: this.isNot, promise: this.promise })
    if (typeof received !== 'function') {
      throw new TypeError(`${hint}\n\nreceived value must be a function that does the work to measure, e.g. expect(() => parse(text))\nReceived: ${describeValue(received)}`)
    }
    if (ms !== undefined && (typeof ms !== 'number' || Number.isNaN(ms) || ms < 0)) {
      throw new TypeError(`${hint}\n\nexpected value must be a number of milliseconds, 0 or more\nReceived: ${describeValue(ms)}`)
    }
    const limitMs = ms ?? defaultBudget()
    const judge = (stats: BlockStats): MatcherResult => {
      const pass = stats.longestMs > limitMs
      const blocks = `${stats.count} ${stats.count === 1 ? 'block' : 'blocks'} over the threshold`
      return {
        pass,
        message: () =>
          pass
            ? `${hint}\n\nExpected the function not to block the event loop for more than ${formatBudget(limitMs)}\nIts longest block: ${formatMs(stats.longestMs)} (${blocks})`
            : `${hint}\n\nExpected the function to block the event loop for more than ${formatBudget(limitMs)}\nIts longest block: ${formatMs(stats.longestMs)}`,
      }
    }
    const stats = measureBlocking(received as () => unknown, { thresholdMs: 1 })
    return stats instanceof Promise ? stats.then(judge) : judge(stats)
  }
}
