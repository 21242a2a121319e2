// Helpers for the Vitest integration tests: which runners to use, where fixtures live, how to read a run.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { supportedRunners, type RunnerName } from '../support/runners.js'

export const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url))

export function fixture(name: string): string {
  return join(fixturesDir, name)
}

/** Vitest 4 (Node 20) and Vitest 5 (Node 24), or those of them selected with LOOPGUARD_RUNNERS. */
export const vitestRunners: RunnerName[] = supportedRunners().filter((name) => name.startsWith('vitest'))

/** How much a reading may exceed its ground truth on a busy two-core machine (descheduled time counts as blocked). */
export const TOLERANCE_MS = 100

/**
 * The least a sleeping block of `ms` reads on a machine whose cores are all busy: the profiler's signals wake the
 * sleeping thread every millisecond, and some of the waits for a CPU that follow are taken out (the core README:
 * "A busy machine is not blocking"; seen: 62.9 ms for a 65 ms `Atomics.wait` beside two CPU hogs).
 */
export const atLeast = (ms: number) => ms * 0.95 - 0.5

/** Matches a reading of a block of `ms`: at least `atLeast(ms)`, less than `ms` plus the tolerance. */
export const within = (ms: number) => ({
  asymmetricMatch: (value: number) => value >= atLeast(ms) && value < ms + TOLERANCE_MS,
  toString: () => `${ms}..${ms + TOLERANCE_MS} ms`,
})

export { reportTest, summaryOf, type ReportTestLike } from '../support/report.js'
