// What crosses between the main process and the workers: the options the workers need (through
// `project.provide`) and the figures they attach to tasks (through `task.meta`). Plain data only: it is
// cloned between processes and stored in blob reports.
import { resolve } from 'node:path'
import type { AttributionMode, Mode, ReportFileBlock, ResolvedOptions, TestFigures } from '@loopguard/core'

/** The key of `project.provide` / `inject` and of `task.meta`. */
export const WIRE_KEY = 'loopguard'

export interface WorkerOptions {
  /** The project root the file paths in budgets and figures are relative to. */
  root: string
  /** null stands for Infinity, which structured clone keeps but JSON does not. */
  budgetMs: number | null
  mode: Mode
  budgets: Record<string, number | null>
  thresholdMs: number
  /** Globs relative to the root of the files whose blocks count against a budget; undefined: every project file. */
  scope: string[] | undefined
  attribution: AttributionMode
  /** Absolute folder for the `.cpuprofile` of each test over budget. */
  profileDir: string | undefined
  countGc: boolean
}

/** What a test's `meta.loopguard` holds. */
export type TestMeta = TestFigures

/** What a test file's `meta.loopguard` holds: the blocks outside every test, by phase. */
export interface FileMeta {
  blocks: ReportFileBlock[]
}

const toWire = (ms: number): number | null => (ms === Infinity ? null : ms)
const fromWire = (ms: number | null): number => (ms === null ? Infinity : ms)

export function workerOptions(options: ResolvedOptions, root: string): WorkerOptions {
  const budgets: Record<string, number | null> = {}
  for (const [glob, ms] of Object.entries(options.budgets)) budgets[glob] = toWire(ms)
  return {
    root,
    budgetMs: toWire(options.budgetMs),
    mode: options.mode,
    budgets,
    thresholdMs: options.thresholdMs,
    scope: options.scope,
    attribution: options.attribution,
    // Relative to Vitest's root, like outputFile: resolved here, where the root is known for certain.
    profileDir: options.profileDir === undefined ? undefined : resolve(root, options.profileDir),
    countGc: options.countGc,
  }
}

/** The worker's view of the options, in the form the core tracker takes. */
export function resolvedFromWire(wire: WorkerOptions): ResolvedOptions {
  const budgets: Record<string, number> = {}
  for (const [glob, ms] of Object.entries(wire.budgets)) budgets[glob] = fromWire(ms)
  return {
    budgetMs: fromWire(wire.budgetMs),
    mode: wire.mode,
    budgets,
    thresholdMs: wire.thresholdMs,
    outputFile: undefined,
    top: 0,
    onBlock: undefined,
    scope: wire.scope,
    attribution: wire.attribution,
    profileDir: wire.profileDir,
    countGc: wire.countGc,
  }
}
