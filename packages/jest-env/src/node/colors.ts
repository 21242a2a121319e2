// Whether Jest prints colours in this process, so the summary matches the output around it. Jest decides with
// chalk's supports-color on stdout: --color/--colors and --no-color(s) flags, FORCE_COLOR, then a TTY and TERM.
// NO_COLOR is honoured as well, as Node's own colours do.
export function jestUsesColors(argv: readonly string[] = process.argv, env: NodeJS.ProcessEnv = process.env, isTTY = process.stdout.isTTY === true): boolean {
  const flag = (name: string) => argv.includes(`--${name}`)
  if (flag('no-color') || flag('no-colors') || flag('color=false')) return false
  if ('FORCE_COLOR' in env) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false'
  if (flag('color') || flag('colors') || flag('color=true')) return true
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  if (!isTTY) return false
  return env.TERM !== 'dumb'
}
