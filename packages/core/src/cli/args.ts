// Command-line parsing on `node:util` parseArgs, with its errors turned into one line a person can act on.
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { InputError } from './errors.js'

export interface OptionSpec {
  type: 'string' | 'boolean'
  short?: string
  /** How the value looks, for messages: `<ms>`. */
  value?: string
}

export type OptionSpecs = Record<string, OptionSpec>

export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>
  positionals: string[]
}

function optionList(specs: OptionSpecs): string {
  return Object.entries(specs)
    .map(([name, spec]) => `--${name}${spec.value ? ` ${spec.value}` : ''}`)
    .join(', ')
}

/** The option a parseArgs message is about, as the user typed it (`--bugdet`, `-x`). */
function optionIn(message: string): string {
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? ''
  return /--[\w-]+/.exec(quoted)?.[0] ?? /-\w/.exec(quoted)?.[0] ?? 'an option'
}

export function parseCommandArgs(argv: readonly string[], specs: OptionSpecs): ParsedArgs {
  const options: NonNullable<ParseArgsConfig['options']> = {}
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = spec.short ? { type: spec.type, short: spec.short } : { type: spec.type }
  }
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true })
    return { values: values as ParsedArgs['values'], positionals }
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      throw new InputError(`unknown option ${optionIn(message)}. Accepted options: ${optionList(specs)}.`)
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const name = optionIn(message)
      const spec = specs[name.replace(/^-+/, '')]
      if (spec?.type === 'boolean') {
        throw new InputError(`option ${name} takes no value.`)
      }
      const wanted = `option ${name} needs a value${spec?.value ? ` ${spec.value}` : ''}`
      // parseArgs also lands here when the next word starts with a dash: `--budget -5`, `--baseline --format`.
      const next = argv[argv.indexOf(name) + 1]
      if (argv.includes(name) && next !== undefined && next.startsWith('-')) {
        throw new InputError(`${wanted}; it is followed by ${JSON.stringify(next)} (write ${name}=${next} if that is the value).`)
      }
      throw new InputError(`${wanted}.`)
    }
    throw error
  }
}

/** A string option's value, or undefined; parseArgs already knows it is a string. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name]
  return typeof value === 'string' ? value : undefined
}
