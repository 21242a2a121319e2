// The reporter loopguard adds to the run: it gathers the figures the workers attached to each test and file,
// calls `onBlock`, prints the summary after Vitest's own, writes the JSON report and sets the exit code.
import { resolve } from 'node:path'
import {
  buildReport,
  formatSummary,
  writeReport,
  type ReportFile,
  type ReportTest,
  type ResolvedOptions,
  type TestStatus,
} from '@loopguard/core'
import type { Reporter, TestCase, TestModule, Vitest } from 'vitest/node'
import { WIRE_KEY, type FileMeta, type TestMeta } from '../shared/wire.js'
import { projectPath } from '../runtime/identity.js'
import { vitestUsesColors } from './colors.js'

export class LoopguardReporter implements Reporter {
  private vitest: Vitest | undefined
  /** Tests already handed to `onBlock`, so a test is reported once whether it arrives live or in the final list. */
  private notified = new WeakSet<TestCase>()
  /** The projects whose config has the plugin (by name; the root project's is ''). */
  private readonly projects = new Set<string>()
  /** The summary, on Vitest 3, until `onFinished`: Vitest 3's own summary is printed there, after `onTestRunEnd`. */
  private pending: string | undefined

  constructor(private readonly options: ResolvedOptions) {}

  measures(projectName: string): void {
    this.projects.add(projectName)
  }

  onInit(vitest: Vitest): void {
    this.vitest = vitest
  }

  onTestRunStart(): void {
    this.notified = new WeakSet()
  }

  onTestCaseResult(testCase: TestCase): void {
    this.notify(testCase)
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const vitest = this.vitest
    if (!vitest) return
    const root = vitest.config.root
    const tests: ReportTest[] = []
    const files: ReportFile[] = []
    let escaped = 0
    const unmeasured = new Map<string, number>()
    for (const testModule of testModules) {
      const project = testModule.project.name
      if (!this.projects.has(project)) unmeasured.set(project, (unmeasured.get(project) ?? 0) + 1)
      const file = projectPath(root, testModule.moduleId)
      const fileMeta = metaOf<FileMeta>(testModule.meta())
      if (fileMeta) files.push(fileEntry(file, fileMeta))
      for (const testCase of testModule.children.allTests()) {
        const figures = metaOf<TestMeta>(testCase.meta())
        if (!figures) continue
        // --merge-reports replays no live results: notify here what was not notified as it arrived.
        this.notify(testCase)
        const status = statusOf(testCase)
        tests.push({ ...figures, status })
        // A test over budget that passed anyway: its failure never reached Vitest. (A test.fails test passes by
        // failing, as Vitest users expect: not counted.)
        if (figures.overBudget && status === 'passed' && !testCase.options.fails) escaped++
      }
    }
    const report = buildReport('vitest', this.options, tests, files)
    const summary = formatSummary(report, { colors: vitestUsesColors(vitest.getRootProject().serializedConfig) }) + unmeasuredNote(unmeasured)
    if (summary && someoneReads(vitest, this)) {
      if (majorOf(vitest) < 4) this.pending = summary
      else vitest.logger.log(`\n${summary}`)
    }
    if (this.options.outputFile) writeReport(resolve(root, this.options.outputFile), report)
    if (!vitest.config.watch && this.options.mode === 'fail' && escaped > 0) {
      process.exitCode = 1
    }
  }

  onFinished(): void {
    const summary = this.pending
    this.pending = undefined
    if (summary && this.vitest) this.vitest.logger.log(`\n${summary}`)
  }

  private notify(testCase: TestCase): void {
    const onBlock = this.options.onBlock
    if (!onBlock || this.notified.has(testCase)) return
    const figures = metaOf<TestMeta>(testCase.meta())
    if (!figures) return
    this.notified.add(testCase)
    const test = { file: figures.file, fullName: figures.fullName }
    for (const block of figures.blocks) {
      if (block.durationMs < this.options.thresholdMs) continue
      onBlock({ startMs: block.startMs, durationMs: block.durationMs }, test)
    }
  }
}

/** Vitest's reporters that write for programs, some of them to stdout, where a summary would spoil their output. */
const FOR_PROGRAMS = new Set(['json', 'junit', 'tap', 'tap-flat', 'blob', 'hanging-process', 'github-actions'])

/** Whether another reporter of the run prints for people (built-in ones are listed by name, custom ones count). */
function someoneReads(vitest: Vitest, self: Reporter): boolean {
  const reporters = vitest.config.reporters as readonly unknown[]
  return reporters.some((entry) => entry !== self && !(Array.isArray(entry) && FOR_PROGRAMS.has(entry[0] as string)))
}

function majorOf(vitest: Vitest): number {
  return Number.parseInt((vitest as { version?: string }).version ?? '', 10) || Number.POSITIVE_INFINITY
}

function metaOf<T>(meta: object): T | undefined {
  return (meta as Record<string, unknown>)[WIRE_KEY] as T | undefined
}

function statusOf(testCase: TestCase): TestStatus {
  return testCase.result().state
}

function fileEntry(file: string, meta: FileMeta): ReportFile {
  const longestMs = meta.blocks.reduce((m, b) => Math.max(m, b.durationMs), 0)
  return { file, longestMs, blocks: meta.blocks }
}

/** One line per project whose config lacks the plugin: its test files ran, and nothing measured them. */
function unmeasuredNote(unmeasured: ReadonlyMap<string, number>): string {
  let note = ''
  for (const [project, files] of unmeasured) {
    const name = project === '' ? 'the root project' : `the project "${project}"`
    note += `loopguard: ${files} test ${files === 1 ? 'file' : 'files'} of ${name} ran without loopguard and ${files === 1 ? 'was' : 'were'} not measured: add loopguard() to that project's plugins, or extends: true to its config to inherit the root config's.\n`
  }
  return note
}
