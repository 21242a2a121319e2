// Dispatches `loopguard <command>` and turns what went wrong into an exit code: 0 ok, 1 gate failed, 2 bad input.
import { checkCommand } from './check.js'
import { EXIT_BAD_INPUT, EXIT_OK, InputError } from './errors.js'
import { mainHelp } from './help.js'
import { htmlCommand } from './html.js'
import { mergeCommand } from './merge.js'

/** What a command may touch of its process, passed in so tests can run commands in the same process. */
export interface CliIo {
  stdout(text: string): void
  stderr(text: string): void
  env: NodeJS.ProcessEnv
  /** Whether stdout shows colours (decided by the caller from the terminal, NO_COLOR and FORCE_COLOR). */
  colors: boolean
  version: string
}

const COMMANDS: Record<string, (argv: readonly string[], io: CliIo) => number> = {
  check: checkCommand,
  merge: mergeCommand,
  html: htmlCommand,
}

export function runCli(argv: readonly string[], io: CliIo): number {
  const [command, ...rest] = argv
  if (command === undefined) {
    io.stderr(mainHelp)
    return EXIT_BAD_INPUT
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    io.stdout(mainHelp)
    return EXIT_OK
  }
  if (command === '--version' || command === '-v') {
    io.stdout(`${io.version}\n`)
    return EXIT_OK
  }
  const run = COMMANDS[command]
  if (!run) {
    const what = command.startsWith('-') ? `unknown option ${command}` : `unknown command ${JSON.stringify(command)}`
    io.stderr(`loopguard: ${what}. Commands: ${Object.keys(COMMANDS).join(', ')}; options: --help, --version.\n`)
    return EXIT_BAD_INPUT
  }
  try {
    return run(rest, io)
  } catch (error) {
    if (error instanceof InputError) {
      for (const line of error.lines) io.stderr(`loopguard ${command}: ${line}\n`)
      return EXIT_BAD_INPUT
    }
    throw error
  }
}
