// `check --baseline`: the tests whose blocking got worse than in a reference report (usually the main branch's).
import type { Report, ReportTest } from '../report/schema.js'
import { InputError } from './errors.js'
import { testKeys } from './identity.js'
import { chargedLongestMs } from './judge.js'

/** How much a test's longest block may grow before it is a regression: `percent` of the baseline, at least `minMs`. */
export interface Tolerance {
  percent: number
  minMs: number
}

// One test's longest block moves from run to run of unchanged code by far more than a clock's error: the code's own
// run time changes with the JIT's and the GC's timing (a `new JSDOM()` in a beforeEach read 0-46 ms across two quiet
// runs of hono's suite, 33 of 3,934 tests moved by more than 20 ms, none by 50). A regression is a test that grew
// past that noise: by half again, and at least 50 ms (the default budget).
export const DEFAULT_TOLERANCE: Tolerance = { percent: 50, minMs: 50 }

export interface Regression {
  test: ReportTest
  /**
   * 'grew': longer than the baseline allows; 'new': the same, for a test under the threshold in the baseline (or
   * not in it), whose growth is counted from its baseline figure (from 0 without one).
   */
  kind: 'grew' | 'new'
  /** The baseline's longest charged block, or null when the baseline has no such test. */
  baselineMs: number | null
  currentMs: number
  /** How far the test could have grown without being a regression. */
  allowedGrowthMs: number
}

const TOLERANCE_FORMAT = 'a percentage, milliseconds or both, e.g. 50%, 50ms or 50%,50ms'

/** Parses `--tolerance`: `50%`, `50ms` or `50%,50ms`; a part not given keeps its default. */
export function parseTolerance(text: string): Tolerance {
  const tolerance = { ...DEFAULT_TOLERANCE }
  const parts = text.split(',').map((part) => part.trim())
  const seen = new Set<string>()
  for (const part of parts) {
    const match = /^(\d+(?:\.\d+)?)\s*(%|ms)$/.exec(part)
    if (!match || seen.has(match[2]!)) {
      throw new InputError(`option --tolerance must be ${TOLERANCE_FORMAT}; received ${JSON.stringify(text)}.`)
    }
    seen.add(match[2]!)
    if (match[2] === '%') tolerance.percent = Number(match[1])
    else tolerance.minMs = Number(match[1])
  }
  return tolerance
}

export function formatTolerance(tolerance: Tolerance): string {
  return `${tolerance.percent} %, at least ${tolerance.minMs} ms`
}

export function allowedGrowthMs(baselineMs: number, tolerance: Tolerance): number {
  return Math.max((baselineMs * tolerance.percent) / 100, tolerance.minMs)
}

/**
 * Compares each measured test of `current` with the same test in `baseline`: a regression grew past the tolerance.
 * Blocks under the current report's threshold are never regressions (they are not even listed); exempt and skipped
 * tests are left out.
 */
export function findRegressions(current: Report, baseline: Report, tolerance: Tolerance): Regression[] {
  const before = new Map<string, ReportTest>()
  const baselineKeys = testKeys(baseline.tests)
  baseline.tests.forEach((test, index) => before.set(baselineKeys[index]!, test))

  const threshold = current.options.thresholdMs
  const regressions: Regression[] = []
  const keys = testKeys(current.tests)
  current.tests.forEach((test, index) => {
    if (test.budgetMs === null || test.status === 'skipped' || test.status === 'pending') return
    const currentMs = chargedLongestMs(test)
    if (currentMs < threshold) return
    const old = before.get(keys[index]!)
    const baselineMs = old ? chargedLongestMs(old) : null
    const allowed = allowedGrowthMs(baselineMs ?? 0, tolerance)
    if (currentMs - (baselineMs ?? 0) <= allowed) return
    const kind = baselineMs === null || baselineMs < threshold ? 'new' : 'grew'
    regressions.push({ test, kind, baselineMs, currentMs, allowedGrowthMs: allowed })
  })
  return regressions.sort((a, b) => b.currentMs - (b.baselineMs ?? 0) - (a.currentMs - (a.baselineMs ?? 0)))
}
