// `loopguard html`: writes the page of a run (one report, or shards merged first).
import { writeTextAtomic } from '../report/write.js'
import { parseCommandArgs, stringOption, type OptionSpecs } from './args.js'
import { EXIT_OK, InputError } from './errors.js'
import { htmlHelp } from './help.js'
import { renderHtmlPage } from './html-page.js'
import { loadReports } from './load.js'
import { mergeReports } from './merge.js'
import { writeOutput } from './output.js'
import type { CliIo } from './run.js'

const OPTIONS: OptionSpecs = {
  output: { type: 'string', short: 'o', value: '<report.html>' },
  help: { type: 'boolean', short: 'h' },
}

export const DEFAULT_PAGE_FILE = 'loopguard-report.html'

export function htmlCommand(argv: readonly string[], io: CliIo): number {
  const args = parseCommandArgs(argv, OPTIONS)
  if (args.values.help) {
    io.stdout(htmlHelp)
    return EXIT_OK
  }
  if (args.positionals.length === 0) throw new InputError('no report given. Usage: loopguard html <report.json ...> [-o <report.html>]')
  const output = stringOption(args, 'output') ?? DEFAULT_PAGE_FILE
  const report = mergeReports(loadReports(args.positionals))
  const page = renderHtmlPage(report, { sources: args.positionals })
  writeOutput(output, (file) => writeTextAtomic(file, page))
  io.stdout(`loopguard html: ${report.summary.overBudget} of ${report.tests.length} tests over budget, page written to ${output}\n`)
  return EXIT_OK
}
