// Helpers for the Jest integration tests: which runners, Node versions and environments to use, where fixtures
// live, how to read a run.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { node20, node24 } from '../support/paths.js'
import { selectedRunners, supportedRunners, type RunnerName } from '../support/runners.js'

export const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url))

export function fixture(name: string): string {
  return join(fixturesDir, name)
}

/** Jest 29 and 30 at their newest, or those of them selected with LOOPGUARD_RUNNERS. */
export const jestRunners: RunnerName[] = supportedRunners().filter((name) => name.startsWith('jest'))

export interface Setup {
  runner: RunnerName
  node: 'Node 20' | 'Node 24'
  environment: 'node' | 'jsdom'
  /** In band, or in two workers. */
  args: string[]
}

/**
 * Each Jest major on both Node versions and both environments, half of the runs in band and half in workers:
 * four runs cover every pair. The oldest minor of each major (29.0, 30.0) runs once more: the basics only.
 */
export const setups: Setup[] = (
  [
    { runner: 'jest29', node: 'Node 20', environment: 'node', args: ['--maxWorkers=2'] },
    { runner: 'jest29', node: 'Node 24', environment: 'jsdom', args: ['--runInBand'] },
    { runner: 'jest30', node: 'Node 24', environment: 'node', args: ['--runInBand'] },
    { runner: 'jest30', node: 'Node 20', environment: 'jsdom', args: ['--maxWorkers=2'] },
    { runner: 'jest29.0', node: 'Node 20', environment: 'jsdom', args: ['--runInBand'] },
    { runner: 'jest30.0', node: 'Node 20', environment: 'node', args: ['--maxWorkers=2'] },
  ] as const satisfies readonly Setup[]
).filter((setup) => selectedRunners().includes(setup.runner))

export function nodeBinary(node: Setup['node']): string {
  return node === 'Node 20' ? node20 : node24
}

/** How much a reading may exceed its ground truth on a busy two-core machine, in workers started cold. */
export const TOLERANCE_MS = 150

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

/** Jest's failure block for one test: from its "●" title to the next one. */
export function failureOf(output: string, title: string): string {
  const start = output.indexOf(`● ${title}\n`)
  if (start < 0) throw new Error(`no failure "● ${title}" in the output:\n${output}`)
  const next = output.indexOf('●', start + 1)
  return output.slice(start, next < 0 ? undefined : next)
}
