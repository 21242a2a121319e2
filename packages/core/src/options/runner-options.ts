// The options every runner integration takes, defined once so Vitest and Jest read them the same way.
import { checkBoolean, checkMs, checkFiniteMs, checkFunction, checkObject, optionError } from './validate.js'
import { picomatchLibrary } from '../libraries.js'

export type Mode = 'fail' | 'report' | 'off'
export type AttributionMode = 'auto' | 'full' | 'off'

/** The test a block happened in, as given to `onBlock`. */
export interface BlockedTest {
  /** Path of the test file, relative to the project root. */
  file: string
  /** The test's full name, suites included, joined by " > ". */
  fullName: string
}

export interface BlockInfo {
  startMs: number
  durationMs: number
}

export interface LoopguardOptions {
  /** The longest block a test may contain, in ms (default 50, the Long Tasks threshold of the web). */
  budgetMs?: number
  /** 'fail' (default): a test over budget fails; 'report': nothing fails; 'off': nothing is measured. */
  mode?: Mode
  /** Per-file budgets by glob, relative to the project root, e.g. `{ 'test/slow/**': 200 }`. */
  budgets?: Record<string, number>
  /** Blocks shorter than this are not listed (default 10); the longest block is always known. */
  thresholdMs?: number
  /** Where the JSON report goes (default: none locally, `loopguard-report.json` when `CI` is set). */
  outputFile?: string | false
  /** Offenders shown in the summary (default 10). */
  top?: number
  /** Called per block over the threshold, with the test it happened in. */
  onBlock?: (block: BlockInfo, test: BlockedTest) => void
  /** Globs of files whose blocking counts against a budget (default: every file outside node_modules). */
  scope?: string[]
  /** How the blocking line is found: 'auto' (default), 'full' or 'off'. */
  attribution?: AttributionMode
  /** A folder for one `.cpuprofile` per test over budget. */
  profileDir?: string
  /** Count V8's garbage-collection pauses against budgets (default false: shown beside each block, not judged). */
  countGc?: boolean
}

export interface ResolvedOptions {
  budgetMs: number
  mode: Mode
  budgets: Record<string, number>
  thresholdMs: number
  outputFile: string | undefined
  top: number
  onBlock: LoopguardOptions['onBlock']
  scope: string[] | undefined
  attribution: AttributionMode
  profileDir: string | undefined
  countGc: boolean
}

export const OPTION_NAMES = [
  'budgetMs',
  'mode',
  'budgets',
  'thresholdMs',
  'outputFile',
  'top',
  'onBlock',
  'scope',
  'attribution',
  'profileDir',
  'countGc',
] as const

export const DEFAULT_REPORT_FILE = 'loopguard-report.json'

function checkOneOf<T extends string>(where: string, name: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw optionError(where, name, value, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`)
  }
  return value as T
}

function checkGlobs(where: string, name: string, value: unknown): string[] | undefined {
  if (value === undefined) return undefined
  const list = typeof value === 'string' ? [value] : value
  if (!Array.isArray(list) || list.length === 0 || list.some((g) => typeof g !== 'string' || g === '')) {
    throw optionError(where, name, value, 'a glob or a non-empty array of globs')
  }
  return list as string[]
}

function checkBudgets(where: string, value: unknown): Record<string, number> {
  if (value === undefined) return {}
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw optionError(where, 'budgets', value, "an object of glob → milliseconds, e.g. { 'test/slow/**': 200 }")
  }
  const budgets: Record<string, number> = {}
  for (const [glob, ms] of Object.entries(value)) {
    budgets[glob] = checkMs(where, `budgets['${glob}']`, ms, 0)
  }
  return budgets
}

/**
 * Run-time choices that can come from the environment rather than the config: a runner that keys a cache on its
 * config (Jest's transform cache) then keeps it when a shard or a CI step picks another report file or mode.
 */
export const OUTPUT_FILE_VARIABLE = 'LOOPGUARD_OUTPUT_FILE'
export const MODE_VARIABLE = 'LOOPGUARD_MODE'

function checkOutputFile(where: string, value: unknown, env: NodeJS.ProcessEnv): string | undefined {
  const fromEnv = env[OUTPUT_FILE_VARIABLE]
  if (fromEnv) return fromEnv
  if (value === false) return undefined
  if (value === undefined) return env.CI && env.CI !== 'false' && env.CI !== '0' ? DEFAULT_REPORT_FILE : undefined
  if (typeof value !== 'string' || value === '') {
    throw optionError(where, 'outputFile', value, 'a file path, or false for no report')
  }
  return value
}

function checkMode(where: string, value: unknown, env: NodeJS.ProcessEnv): Mode {
  const modes = ['fail', 'report', 'off'] as const
  const fromEnv = env[MODE_VARIABLE]
  if (fromEnv) {
    if (!(modes as readonly string[]).includes(fromEnv)) {
      throw new TypeError(`${where}: the environment variable ${MODE_VARIABLE} must be 'fail', 'report' or 'off'; received ${JSON.stringify(fromEnv)}.`)
    }
    return fromEnv as Mode
  }
  return checkOneOf(where, 'mode', value, modes, 'fail')
}

function checkTop(where: string, value: unknown): number {
  if (value === undefined) return 10
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw optionError(where, 'top', value, 'a whole number, 0 or more')
  }
  return value
}

/** Validates the options a user passed to a runner integration and fills in the defaults. */
export function resolveOptions(input: unknown, where = 'loopguard', env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  const o = checkObject(where, input, OPTION_NAMES)
  return {
    budgetMs: checkMs(where, 'budgetMs', o.budgetMs, 50),
    mode: checkMode(where, o.mode, env),
    budgets: checkBudgets(where, o.budgets),
    thresholdMs: checkFiniteMs(where, 'thresholdMs', o.thresholdMs, 10),
    outputFile: checkOutputFile(where, o.outputFile, env),
    top: checkTop(where, o.top),
    onBlock: checkFunction(where, 'onBlock', o.onBlock),
    scope: checkGlobs(where, 'scope', o.scope),
    attribution: checkOneOf(where, 'attribution', o.attribution, ['auto', 'full', 'off'] as const, 'auto'),
    profileDir: o.profileDir === undefined ? undefined : checkPath(where, 'profileDir', o.profileDir),
    countGc: checkBoolean(where, 'countGc', o.countGc, false),
  }
}

function checkPath(where: string, name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw optionError(where, name, value, 'a folder path')
  return value
}

/** The budget for a test file: the first matching `budgets` glob, else `budgetMs`. `file` is project-relative. */
export function budgetForFile(options: Pick<ResolvedOptions, 'budgetMs' | 'budgets'>, file: string): number {
  for (const [glob, ms] of Object.entries(options.budgets)) {
    if (matchesGlob(file, glob)) return ms
  }
  return options.budgetMs
}

/** Compiled `budgets` globs: a budget is looked up for every test, and compiling a glob costs more than matching. */
const matchers = new Map<string, (file: string) => boolean>()

function matchesGlob(file: string, glob: string): boolean {
  let matcher = matchers.get(glob)
  if (!matcher) {
    matcher = picomatchLibrary()(glob, { dot: true })
    matchers.set(glob, matcher)
  }
  return matcher(file)
}
