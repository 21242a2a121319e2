import { defineConfig } from 'tsup'

export default defineConfig([
  {
    // What users import: the plugin in vitest.config, allowBlocking and the matcher types in specs.
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    target: 'node20',
    sourcemap: true,
    // plugin.ts reads import.meta.url, falling back to __filename where the CommonJS build leaves it empty.
    esbuildOptions(options) {
      options.logOverride = { ...options.logOverride, 'empty-import-meta': 'silent' }
    },
    // allowBlocking reaches the worker's state, whose module loads the profiler's code on demand: unsplit, this
    // entry leaves that code out (it never starts a file) instead of shipping it as an unused chunk.
    splitting: false,
  },
  {
    // The setup file the plugin adds to each project (Vitest imports it as ESM, once per test file), and the
    // worker code it calls, kept a module of its own so that the worker loads it once. The profiler's code is a
    // chunk of its own that the worker imports only when attribution runs.
    entry: { setup: 'src/runtime/setup.ts', worker: 'src/runtime/worker.ts' },
    format: ['esm'],
    target: 'node20',
    sourcemap: true,
    external: ['./worker.js'],
  },
])
