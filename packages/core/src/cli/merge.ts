// `loopguard merge`: shard reports into one. A test present in more than one report (a retried shard) is kept
// once with its worst figures, so a flaky block cannot hide behind a faster retry.
import { writeJsonAtomic } from '../report/write.js'
import { summarize, type Report, type ReportFile, type ReportTest, type TestStatus } from '../report/schema.js'
import { parseCommandArgs, stringOption, type OptionSpecs } from './args.js'
import { EXIT_OK, InputError } from './errors.js'
import { mergeHelp } from './help.js'
import { writeOutput } from './output.js'
import { testKeys } from './identity.js'
import { chargedLongestMs } from './judge.js'
import { plural } from './words.js'
import { loadReports, type LoadedReport } from './load.js'
import type { CliIo } from './run.js'

// Worst first: a test that failed in one shard and passed in its retry is reported as failed.
const STATUS_RANK: Record<TestStatus, number> = { failed: 3, passed: 2, pending: 1, skipped: 0 }

function worseTest(kept: ReportTest, other: ReportTest): ReportTest {
  const base = chargedLongestMs(other) > chargedLongestMs(kept) ? other : kept
  return {
    ...base,
    status: (STATUS_RANK[other.status] ?? 0) > (STATUS_RANK[kept.status] ?? 0) ? other.status : kept.status,
    longestMs: Math.max(kept.longestMs, other.longestMs),
    totalMs: Math.max(kept.totalMs, other.totalMs),
    count: Math.max(kept.count, other.count),
    overBudget: kept.overBudget || other.overBudget,
    concurrent: kept.concurrent || other.concurrent,
  }
}

function worseFile(kept: ReportFile, other: ReportFile): ReportFile {
  const base = other.longestMs > kept.longestMs ? other : kept
  return { ...base, longestMs: Math.max(kept.longestMs, other.longestMs) }
}

/** Refuses reports of different runners: their tests, names and files cannot be compared. */
function checkSameRunner(reports: readonly LoadedReport[]): void {
  const first = reports[0]!
  const other = reports.find((r) => r.report.runner !== first.report.runner)
  if (other) {
    throw new InputError(
      `cannot merge reports of different runners: ${first.source} is from ${first.report.runner}, ${other.source} is from ${other.report.runner}.`,
    )
  }
}

export function mergeReports(reports: readonly LoadedReport[]): Report {
  if (reports.length === 0) throw new InputError('no report to merge.')
  checkSameRunner(reports)
  const tests = new Map<string, ReportTest>()
  const files = new Map<string, ReportFile>()
  for (const { report } of reports) {
    const keys = testKeys(report.tests)
    report.tests.forEach((test, index) => {
      const key = keys[index]!
      const kept = tests.get(key)
      tests.set(key, kept ? worseTest(kept, test) : test)
    })
    for (const file of report.files) {
      const kept = files.get(file.file)
      files.set(file.file, kept ? worseFile(kept, file) : file)
    }
  }
  const first = reports[0]!.report
  const mergedTests = [...tests.values()]
  const loads = reports.map((r) => r.report.machineLoad)
  // Shards run different files: their runner's work adds up.
  const runnerMs = Math.round(reports.reduce((sum, r) => sum + (r.report.runnerMs ?? 0), 0) * 100) / 100
  return {
    schema: first.schema,
    runner: first.runner,
    // The newest shard says when the run finished.
    createdAt: reports.map((r) => r.report.createdAt).reduce((a, b) => (String(b) > String(a) ? b : a)),
    options: { ...first.options, top: Math.max(...reports.map((r) => r.report.options.top ?? 0)) },
    tests: mergedTests,
    files: [...files.values()],
    summary: summarize(mergedTests),
    // Load may be counted in the merged report where it may have been in any shard.
    ...(loads.includes('counted') ? { machineLoad: 'counted' as const } : loads.every((l) => l === 'excluded') ? { machineLoad: 'excluded' as const } : {}),
    ...(runnerMs > 0 ? { runnerMs } : {}),
  }
}

const OPTIONS: OptionSpecs = {
  output: { type: 'string', short: 'o', value: '<merged.json>' },
  help: { type: 'boolean', short: 'h' },
}

export function mergeCommand(argv: readonly string[], io: CliIo): number {
  const args = parseCommandArgs(argv, OPTIONS)
  if (args.values.help) {
    io.stdout(mergeHelp)
    return EXIT_OK
  }
  const output = stringOption(args, 'output')
  if (args.positionals.length === 0) throw new InputError('no report given. Usage: loopguard merge <report.json ...> -o <merged.json>')
  if (!output) throw new InputError('no output file given. Usage: loopguard merge <report.json ...> -o <merged.json>')
  const merged = mergeReports(loadReports(args.positionals))
  // Written only once every input has been read and merged: a bad shard leaves an existing output untouched.
  writeOutput(output, (file) => writeJsonAtomic(file, merged))
  const { tests, overBudget } = merged.summary
  io.stdout(`loopguard merge: ${plural(args.positionals.length, 'report')}, ${plural(tests, 'test')} (${overBudget} over budget) written to ${output}\n`)
  return EXIT_OK
}
