// The JSON report every runner writes and the CLI reads. Documented in the package README.

export const REPORT_SCHEMA = 'loopguard-report@1'

/** A source position, in the user's original source when a source map knew it. */
export interface Frame {
  /** Relative to the project root for the project's files; a package path (`ajv/dist/compile.js`) or `node:fs` otherwise. */
  file: string
  line: number
  column: number
  function: string
}

export interface ReportBlock {
  /** Milliseconds since the start of the test (or of the file, for file blocks). */
  startMs: number
  /** The time judged: the block less the machine's wait for a CPU, the runner's own work and, unless `countGc`, GC pauses. */
  durationMs: number
  /** The block as measured on the wall clock, when it differs from `durationMs`. */
  wallMs?: number
  /** Of `wallMs`, the time the thread sat runnable waiting for a CPU (a busy machine, not the code). */
  waitMs?: number
  /** Of `wallMs`, V8's garbage-collection pauses; counted in `durationMs` only with `countGc`. */
  gcMs?: number
  /** Of `wallMs`, the test runner's own work (Jest mapping a stack trace, transforming a module): never counted. */
  runnerMs?: number
  /** The top frame in the project's own code, or null when it could not be known. */
  frame: Frame | null
  /** Up to 8 frames, innermost first, when attribution ran. */
  frames?: Frame[]
  /** What was running at the top of the stack when it is not the project's code: `fs.readFileSync (sync I/O)`, `in ajv/dist/compile.js`. */
  activity?: string
  /** False when the block's frame lies outside the `scope` option: listed, not charged. */
  inScope?: boolean
  /**
   * How many concurrent tests were running when this block happened, when more than one and the profile's stacks
   * could not tell whose code it was (no attribution, or no test's function on them): it could be any of them.
   */
  sharedBy?: number
  /** The full names of the other tests that `sharedBy` counts. */
  sharedWith?: string[]
}

export type TestStatus = 'passed' | 'failed' | 'skipped' | 'pending'

export interface ReportTest {
  /** Relative to the project root, with forward slashes. */
  file: string
  name: string
  /** Suites and test name joined by " > ". */
  fullName: string
  status: TestStatus
  /** The budget this test was judged by; null when exempt (`allowBlocking(Infinity)`). */
  budgetMs: number | null
  /**
   * The budget the test gave itself with `allowBlocking(ms)`, when it did (null: `allowBlocking(Infinity)`). It wins
   * over every other budget, `loopguard check --budget` included.
   */
  allowedMs?: number | null
  longestMs: number
  totalMs: number
  count: number
  overBudget: boolean
  concurrent: boolean
  blocks: ReportBlock[]
  /** The runner's own work taken out of this test's blocks, when there was some (a block all the runner's is not listed). */
  runnerMs?: number
}

export type FilePhase = 'collect' | 'beforeAll' | 'afterAll' | 'hooks'

export interface ReportFileBlock extends ReportBlock {
  phase: FilePhase
}

export interface ReportFile {
  file: string
  longestMs: number
  blocks: ReportFileBlock[]
  /** The runner's own work taken out of the blocks outside tests (loading and transforming modules, in Jest). */
  runnerMs?: number
}

export interface ReportSummary {
  tests: number
  overBudget: number
  /** Tests with a block at or over the threshold that stayed within budget. */
  blockedUnderBudget: number
  longestMs: number
}

export interface ReportOptions {
  budgetMs: number | null
  mode: 'fail' | 'report' | 'off'
  budgets: Record<string, number | null>
  thresholdMs: number
  top: number
  scope?: string[]
}

export interface Report {
  schema: typeof REPORT_SCHEMA
  runner: 'vitest' | 'jest'
  createdAt: string
  options: ReportOptions
  tests: ReportTest[]
  files: ReportFile[]
  summary: ReportSummary
  /**
   * 'excluded': blocks leave out the time a thread waited for a CPU (Linux); 'counted': this platform does not
   * tell that wait, so a busy machine's load may be counted as blocking. Absent in reports of earlier versions.
   */
  machineLoad?: 'excluded' | 'counted'
  /**
   * The runner's own work found inside blocks, in tests and outside them, and left out of every figure: shown apart,
   * never charged. Absent when there was none, and in reports of earlier versions.
   */
  runnerMs?: number
}

export function summarize(tests: readonly ReportTest[]): ReportSummary {
  let overBudget = 0
  let blockedUnderBudget = 0
  let longestMs = 0
  for (const test of tests) {
    if (test.overBudget) overBudget++
    else if (test.count > 0) blockedUnderBudget++
    if (test.longestMs > longestMs) longestMs = test.longestMs
  }
  return { tests: tests.length, overBudget, blockedUnderBudget, longestMs }
}
