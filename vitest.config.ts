import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts'],
          testTimeout: 30_000,
          // Hooks that start a profiled child process take seconds on a machine whose cores are busy.
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: ['test/.runners/**', 'test/**/fixtures/**', '**/node_modules/**'],
          testTimeout: 300_000,
          hookTimeout: 600_000,
          globalSetup: ['test/support/global-setup.ts'],
          // Each test file drives whole runner processes with workers of their own: one at a time keeps the
          // machine quiet enough for the timing bounds.
          maxWorkers: 1,
        },
      },
    ],
  },
})
