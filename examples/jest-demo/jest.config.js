/** @type {import('jest').Config} */
module.exports = {
  preset: '@loopguard/jest',
  testEnvironmentOptions: { loopguard: { budgetMs: 50, budgets: { 'test/startup.test.ts': 120 } } },
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  // The app imports its TypeScript files as `./config.js`, the way Node resolves the compiled output.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
}
