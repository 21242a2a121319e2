// `reporters: ['default', '@loopguard/jest/reporter']`, in Jest's main process: reads the results each test
// file's environment left behind, calls `onBlock`, prints the summary after Jest's own, writes the JSON report
// and fails the run in mode 'fail' when a test is over budget.
import { mkdtempSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import {
  buildReport,
  formatSummary,
  resolveOptions,
  writeReport,
  type ReportFile,
  type ReportTest,
  type ResolvedOptions,
} from '@loopguard/core'
import { RESULTS_DIR_VARIABLE, readResults, resultsFile } from '../shared/sidecar.js'
import { jestUsesColors } from './colors.js'
import { environmentToUse, MISSING_ENVIRONMENT } from '../shared/messages.js'

/** The parts of Jest's reporter arguments loopguard reads; the same on Jest 29 and 30. */
interface GlobalConfig {
  rootDir: string
  watch: boolean
  watchAll: boolean
}

interface ProjectConfig {
  id: string
  rootDir: string
  /** The environment's module, resolved. */
  testEnvironment: string
  testEnvironmentOptions: Record<string, unknown>
}

interface Test {
  path: string
  context: { config: ProjectConfig }
}

interface TestFileResult {
  testExecError?: unknown
  numPassingTests: number
  numFailingTests: number
}

export class LoopguardReporter {
  private resultsDir: string | undefined
  private tests: ReportTest[] = []
  private files: ReportFile[] = []
  /** The options of the first project that reported: they go into the report. */
  private options: ResolvedOptions | undefined
  private readonly projectOptions = new Map<string, ResolvedOptions>()
  private failedForBlocking = 0
  private error: Error | undefined
  private pendingSummary = ''
  /** Test files whose tests ran in a project that measures, to tell a missing environment from silence. */
  private filesMeasurable = 0
  /** Test files that ran without the loopguard environment, by the environment Jest resolved for them. */
  private readonly unmeasured = new Map<string, number>()

  constructor(
    private readonly globalConfig: GlobalConfig,
    private readonly reporterOptions: Record<string, unknown> = {},
  ) {}

  onRunStart(): void {
    this.tests = []
    this.files = []
    this.options = undefined
    this.projectOptions.clear()
    this.failedForBlocking = 0
    this.error = undefined
    this.pendingSummary = ''
    this.filesMeasurable = 0
    this.unmeasured.clear()
    this.removeResults()
    // Workers are started after this, and inherit the variable; in band, the environment reads it here.
    this.resultsDir = mkdtempSync(join(tmpdir(), 'loopguard-jest-'))
    process.env[RESULTS_DIR_VARIABLE] = this.resultsDir
  }

  onTestFileResult(test: Test, testResult: TestFileResult): void {
    if (!this.resultsDir) return
    const ran = !testResult.testExecError && testResult.numPassingTests + testResult.numFailingTests > 0
    const off = (test.context.config.testEnvironmentOptions.loopguard as { mode?: unknown } | undefined)?.mode === 'off'
    if (ran && !off) this.filesMeasurable++
    const results = readResults(resultsFile(this.resultsDir, test.context.config.id, test.path))
    if (!results) {
      const environment = test.context.config.testEnvironment
      if (ran && !off) this.unmeasured.set(environment, (this.unmeasured.get(environment) ?? 0) + 1)
      return
    }
    const options = this.optionsOf(test.context.config)
    this.options ??= options
    this.tests.push(...results.tests)
    if (results.outside) this.files.push(results.outside)
    this.failedForBlocking += results.failedForBlocking
    for (const figures of results.tests) this.notify(options, figures)
  }

  onRunComplete(): void {
    const options = this.options
    this.removeResults()
    if (!options) {
      if (this.filesMeasurable > 0) this.holdSummary(`loopguard: no test file reported its blocking: ${this.whyUnmeasured()}.\n`)
      return
    }
    const report = buildReport('jest', options, this.tests, this.files)
    let summary = formatSummary(report, { colors: jestUsesColors() })
    const unmeasured = [...this.unmeasured.values()].reduce((a, b) => a + b, 0)
    if (unmeasured > 0) {
      summary += `loopguard: ${unmeasured} test ${unmeasured === 1 ? 'file' : 'files'} ran without loopguard and ${unmeasured === 1 ? 'was' : 'were'} not measured: ${this.whyUnmeasured()}.\n`
    }
    this.holdSummary(summary)
    // Where Jest runs, as a path on its command line would be: a config's rootDir may be its sources' folder.
    if (options.outputFile) writeReport(resolve(process.cwd(), options.outputFile), report)
    // Those tests have failed Jest's run already; the error says why, to whoever reads Jest's result.
    if (this.failedForBlocking > 0 && !this.globalConfig.watch && !this.globalConfig.watchAll) {
      const n = this.failedForBlocking
      this.error = new Error(`loopguard: ${n} ${n === 1 ? 'test' : 'tests'} blocked the event loop over budget`)
    }
  }

  getLastError(): Error | undefined {
    this.printSummary()
    return this.error
  }

  /**
   * Jest adds its own summary reporter after every configured one, so it prints after `onRunComplete` returns;
   * right after that, Jest asks every reporter for `getLastError()`, which is where the summary goes. With
   * `--bail`, Jest exits without asking, and silences process.stderr first: the summary goes straight to the
   * file descriptor as the process exits.
   */
  /** What to change so that the files that ran without loopguard are measured. */
  private whyUnmeasured(): string {
    const environments = [...this.unmeasured.keys()]
    return environments.length > 0 ? environments.map(environmentToUse).join('; ') : MISSING_ENVIRONMENT
  }

  private holdSummary(text: string): void {
    if (!text) return
    this.pendingSummary = text
    process.once('exit', this.printSummaryAtExit)
  }

  private printSummary(): void {
    process.off('exit', this.printSummaryAtExit)
    if (this.pendingSummary) process.stderr.write(`\n${this.pendingSummary}`)
    this.pendingSummary = ''
  }

  private readonly printSummaryAtExit = (): void => {
    if (this.pendingSummary) writeSync(process.stderr.fd, `\n${this.pendingSummary}`)
    this.pendingSummary = ''
  }

  /** A project's options: its `testEnvironmentOptions.loopguard`, with the reporter's own options over them. */
  private optionsOf(config: ProjectConfig): ResolvedOptions {
    let options = this.projectOptions.get(config.id)
    if (!options) {
      const input = { ...(config.testEnvironmentOptions.loopguard as object | undefined), ...this.reporterOptions }
      options = resolveOptions(input, '@loopguard/jest/reporter')
      this.projectOptions.set(config.id, options)
    }
    return options
  }

  /** `onBlock` runs here, in the main process, as each file's results arrive: functions do not reach Jest's workers. */
  private notify(options: ResolvedOptions, figures: ReportTest): void {
    const onBlock = options.onBlock
    if (!onBlock) return
    const test = { file: figures.file, fullName: figures.fullName }
    for (const block of figures.blocks) {
      if (block.durationMs < options.thresholdMs) continue
      onBlock({ startMs: block.startMs, durationMs: block.durationMs }, test)
    }
  }

  private removeResults(): void {
    if (!this.resultsDir) return
    rmSync(this.resultsDir, { recursive: true, force: true })
    if (process.env[RESULTS_DIR_VARIABLE] === this.resultsDir) delete process.env[RESULTS_DIR_VARIABLE]
    this.resultsDir = undefined
  }
}

export default LoopguardReporter
