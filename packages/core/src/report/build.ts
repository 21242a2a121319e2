import { existsSync } from 'node:fs'
import type { ResolvedOptions } from '../options/runner-options.js'
import { round } from './blocks.js'
import { REPORT_SCHEMA, summarize, type Report, type ReportFile, type ReportOptions, type ReportTest } from './schema.js'

const finite = (ms: number): number | null => (ms === Infinity ? null : ms)

/** The options as they go into the report: what decides a verdict, nothing that is code. */
export function reportOptions(options: ResolvedOptions): ReportOptions {
  const budgets: Record<string, number | null> = {}
  for (const [glob, ms] of Object.entries(options.budgets)) budgets[glob] = finite(ms)
  return {
    budgetMs: finite(options.budgetMs),
    mode: options.mode,
    budgets,
    thresholdMs: options.thresholdMs,
    top: options.top,
    ...(options.scope ? { scope: options.scope } : {}),
  }
}

/** Assembles a report, worst tests first. */
export function buildReport(runner: Report['runner'], options: ResolvedOptions, tests: ReportTest[], files: ReportFile[]): Report {
  const sorted = [...tests].sort((a, b) => b.longestMs - a.longestMs)
  const runnerMs = round([...tests, ...files].reduce((sum, t) => sum + (t.runnerMs ?? 0), 0))
  return {
    schema: REPORT_SCHEMA,
    runner,
    createdAt: new Date().toISOString(),
    options: reportOptions(options),
    tests: sorted,
    files: files.filter((f) => f.blocks.length > 0),
    summary: summarize(tests),
    machineLoad: machineLoadExcluded() ? 'excluded' : 'counted',
    ...(runnerMs > 0 ? { runnerMs } : {}),
  }
}

/** Whether this platform tells a thread's wait for a CPU, which the monitor then leaves out of every block. */
export function machineLoadExcluded(): boolean {
  return process.platform === 'linux' && existsSync('/proc/thread-self/schedstat')
}
