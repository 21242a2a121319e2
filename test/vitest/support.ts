// Helpers for the Vitest integration tests: which runners to use, where fixtures live, how to read a run.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { selectedRunners, type RunnerName } from '../support/runners.js'

export const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url))

export function fixture(name: string): string {
  return join(fixturesDir, name)
}

/** Vitest 4 (Node 20) and Vitest 5 (Node 24), or those of them selected with LOOPGUARD_RUNNERS. */
export const vitestRunners: RunnerName[] = selectedRunners().filter((name) => name.startsWith('vitest'))

/** How much a reading may exceed its ground truth on a busy two-core machine (descheduled time counts as blocked). */
export const TOLERANCE_MS = 100

export interface ReportTestLike {
  file: string
  fullName: string
  status: string
  budgetMs: number | null
  longestMs: number
  totalMs: number
  count: number
  overBudget: boolean
  concurrent: boolean
  blocks: { startMs: number; durationMs: number; frame: unknown; sharedBy?: number }[]
}

/** The report's entry for one test, failing loudly when it is missing. */
export function reportTest(report: { tests: ReportTestLike[] } | undefined, fullName: string): ReportTestLike {
  const found = report?.tests.find((t) => t.fullName === fullName)
  if (!found) throw new Error(`no test "${fullName}" in the report; it has: ${report?.tests.map((t) => t.fullName).join(', ')}`)
  return found
}

/** The summary block loopguard printed, from its headline to its last line. */
export function summaryOf(output: string): string {
  const start = output.indexOf(' Event-loop blocking ')
  if (start < 0) return ''
  const lines = output.slice(start).split('\n')
  const end = lines.findIndex((line, i) => i > 0 && !line.startsWith('   '))
  return lines.slice(0, end < 0 ? undefined : end).join('\n')
}
