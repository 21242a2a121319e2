// The per-file results the environment leaves for the reporter. Jest's test results carry no custom field, so
// each worker writes one small JSON file per test file, in a folder the reporter makes for the run and names in
// an environment variable that every worker inherits (workers start after the reporters' `onRunStart`).
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { writeJsonAtomic, type ReportFile, type ReportTest } from '@loopguard/core'

/** Names the run's results folder; set by the reporter in the main process, read by the environment. */
export const RESULTS_DIR_VARIABLE = 'LOOPGUARD_JEST_RESULTS'

export interface FileResults {
  /** Project-relative path of the test file. */
  file: string
  tests: ReportTest[]
  /** Tests the environment failed for blocking over budget (mode 'fail', not `test.failing`), last attempts only. */
  failedForBlocking: number
  /** Blocks outside every test (collection, beforeAll, afterAll). */
  outside: ReportFile | undefined
}

/** Where one test file's results go: keyed by project and path, which the reporter knows from its `Test`. */
export function resultsFile(dir: string, projectId: string, testPath: string): string {
  const key = createHash('sha1').update(`${projectId}\0${testPath}`).digest('hex').slice(0, 20)
  return join(dir, `${key}.json`)
}

export function writeResults(file: string, results: FileResults): void {
  // The folder is gone when the reporter has moved on (a watch-mode run interrupted by a newer one).
  if (existsSync(dirname(file))) writeJsonAtomic(file, results)
}

/** The results of one test file, or undefined when the environment left none (not ours, or it crashed). */
export function readResults(file: string): FileResults | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as FileResults
  } catch {
    return undefined
  }
}
