/** What to do when loopguard's environment is not the one running the tests. */
export const MISSING_ENVIRONMENT =
  "the loopguard test environment is not running: set testEnvironment to '@loopguard/jest' (or '@loopguard/jest/jsdom'), or use preset: '@loopguard/jest'"
