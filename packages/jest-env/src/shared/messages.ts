/** What to do when loopguard's environment is not the one running the tests. */
export const MISSING_ENVIRONMENT =
  "the loopguard test environment is not running: set testEnvironment to '@loopguard/jest' (or '@loopguard/jest/jsdom'), or use preset: '@loopguard/jest'"

/**
 * The setup file ran in another environment: with the preset that is, nearly always, a `testEnvironment` of the
 * config that took the place of the preset's.
 */
export const SETUP_WITHOUT_ENVIRONMENT =
  "this file ran in another test environment than loopguard's. A testEnvironment in the config (such as 'node' or 'jsdom') takes the place of the preset's: set testEnvironment: '@loopguard/jest/node' (or '@loopguard/jest/jsdom') instead"

/**
 * What to change so that files that ran in the environment Jest resolved (a path) are measured: for Jest's own node
 * or jsdom environment, often a `testEnvironment` in the config that took the place of the preset's.
 */
export function environmentToUse(resolvedEnvironment: string): string {
  const path = resolvedEnvironment.replace(/\\/g, '/')
  for (const [name, ours] of [
    ['node', '@loopguard/jest/node'],
    ['jsdom', '@loopguard/jest/jsdom'],
  ] as const) {
    if (path.includes(`/jest-environment-${name}/`)) {
      return `testEnvironment is '${name}', Jest's own, which measures nothing: set testEnvironment: '${ours}' (a testEnvironment in the config takes the place of a preset's)`
    }
  }
  return `testEnvironment is ${resolvedEnvironment}; ${MISSING_ENVIRONMENT.replace('the loopguard test environment is not running: ', '')}`
}
