/**
 * Input a command cannot use: a missing or unreadable report, a bad option. Each line is printed as it is,
 * and the command exits with code 2.
 */
export class InputError extends Error {
  override name = 'InputError'
  readonly lines: readonly string[]

  constructor(lines: string | readonly string[]) {
    const list = typeof lines === 'string' ? [lines] : lines
    super(list.join('\n'))
    this.lines = list
  }
}

export const EXIT_OK = 0
export const EXIT_GATE_FAILED = 1
export const EXIT_BAD_INPUT = 2
