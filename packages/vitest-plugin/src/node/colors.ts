// Whether Vitest prints colours in this process, so that the summary matches the output around it.
// Vitest decides with tinyrainbow (NO_COLOR, FORCE_COLOR, --no-color, --color, TERM, CI) and turns colours off
// for coding agents; both are read here the same way.
import rainbow from 'tinyrainbow'

interface AgentFlags {
  /** Vitest 5: colours turned off for an agent. */
  disableColors?: boolean
  /** Vitest 4: run by an agent, which turns colours off. */
  isAgent?: boolean
}

export function vitestUsesColors(serializedConfig: object | undefined): boolean {
  const flags = (serializedConfig ?? {}) as AgentFlags
  if (flags.disableColors === true || (flags.disableColors === undefined && flags.isAgent === true)) return false
  return rainbow.isColorSupported
}
