// `loopguard check`: reads one or many reports (shards), prints the verdict, exits 1 when the gate fails.
import { parseCommandArgs, stringOption, type OptionSpecs } from './args.js'
import { DEFAULT_TOLERANCE, parseTolerance } from './baseline.js'
import { EXIT_GATE_FAILED, EXIT_OK, InputError } from './errors.js'
import { formatJson } from './format-json.js'
import { formatText } from './format-text.js'
import { appendStepSummary, formatAnnotations, stepSummary } from './github.js'
import { checkHelp } from './help.js'
import { loadReports } from './load.js'
import { mergeReports } from './merge.js'
import type { CliIo } from './run.js'
import { judge } from './verdict.js'

const FORMATS = ['text', 'json', 'github'] as const
type Format = (typeof FORMATS)[number]

const OPTIONS: OptionSpecs = {
  budget: { type: 'string', value: '<ms>' },
  baseline: { type: 'string', value: '<report.json>' },
  tolerance: { type: 'string', value: '<50%,50ms>' },
  format: { type: 'string', value: '<text|json|github>' },
  top: { type: 'string', value: '<n>' },
  help: { type: 'boolean', short: 'h' },
}

function parseBudget(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const ms = Number(text.replace(/\s*ms$/, ''))
  if (text.trim() === '' || !Number.isFinite(ms) || ms < 0) {
    throw new InputError(`option --budget must be a number of milliseconds, 0 or more (e.g. --budget 100); received ${JSON.stringify(text)}.`)
  }
  return ms
}

function parseTop(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const top = Number(text)
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(top)) {
    throw new InputError(`option --top must be a whole number, 0 or more; received ${JSON.stringify(text)}.`)
  }
  return top
}

/** `--format`, else `github` inside GitHub Actions, else `text`. */
function parseFormat(text: string | undefined, env: NodeJS.ProcessEnv): Format {
  if (text === undefined) return env.GITHUB_ACTIONS === 'true' ? 'github' : 'text'
  if (!(FORMATS as readonly string[]).includes(text)) {
    throw new InputError(`option --format must be one of ${FORMATS.join(', ')}; received ${JSON.stringify(text)}.`)
  }
  return text as Format
}

export function checkCommand(argv: readonly string[], io: CliIo): number {
  const args = parseCommandArgs(argv, OPTIONS)
  if (args.values.help) {
    io.stdout(checkHelp)
    return EXIT_OK
  }
  // Options are checked before any file is read: a usage mistake costs no file reading and is named alone.
  const budgetMs = parseBudget(stringOption(args, 'budget'))
  const baselineFile = stringOption(args, 'baseline')
  const toleranceText = stringOption(args, 'tolerance')
  if (toleranceText !== undefined && baselineFile === undefined) {
    throw new InputError('option --tolerance needs --baseline <report.json>: it is how far a test may grow past the baseline.')
  }
  const tolerance = toleranceText === undefined ? DEFAULT_TOLERANCE : parseTolerance(toleranceText)
  const format = parseFormat(stringOption(args, 'format'), io.env)
  const top = parseTop(stringOption(args, 'top'))
  if (args.positionals.length === 0) throw new InputError('no report given. Usage: loopguard check <report.json ...> [options]')

  const files = baselineFile === undefined ? args.positionals : [...args.positionals, baselineFile]
  const loaded = loadReports(files)
  const baseline = baselineFile === undefined ? undefined : loaded.pop()
  const runner = loaded[0]!.report.runner
  if (baseline && baseline.report.runner !== runner) {
    throw new InputError(
      `the baseline ${baseline.source} is from ${baseline.report.runner} and the reports are from ${runner}: their tests cannot be compared.`,
    )
  }
  const verdict = judge(mergeReports(loaded), { budgetMs, baseline, tolerance })

  if (format === 'json') {
    io.stdout(formatJson(verdict))
  } else {
    io.stdout(formatText(verdict, { colors: io.colors && format === 'text', top }))
    if (format === 'github') {
      io.stdout(formatAnnotations(verdict))
      const summaryFile = io.env.GITHUB_STEP_SUMMARY
      if (summaryFile) {
        try {
          appendStepSummary(summaryFile, stepSummary(verdict, top ?? verdict.report.options.top))
        } catch (error) {
          // The annotations and the exit code already carry the verdict; a summary that cannot be written must not change it.
          io.stderr(`loopguard check: could not append to GITHUB_STEP_SUMMARY (${summaryFile}): ${(error as Error).message}\n`)
        }
      }
    }
  }
  return verdict.passed ? EXIT_OK : EXIT_GATE_FAILED
}
