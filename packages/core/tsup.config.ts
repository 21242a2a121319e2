import { defineConfig } from 'tsup'

export default defineConfig([
  {
    entry: { index: 'src/index.ts', attribution: 'src/attribution/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    // The bin below is built beside this entry at the same time: cleaning must leave it alone.
    clean: ['!cli.js', '!cli.js.map'],
    target: 'node20',
    sourcemap: true,
    // runner-options reads import.meta.url, falling back to __filename where the CommonJS build leaves it empty.
    esbuildOptions(options) {
      options.logOverride = { ...options.logOverride, 'empty-import-meta': 'silent' }
    },
  },
  {
    // The `loopguard` executable: one ESM file with its shebang (tsup makes such a file executable).
    entry: { cli: 'src/cli/bin.ts' },
    format: ['esm'],
    dts: false,
    clean: false,
    target: 'node20',
    sourcemap: true,
    banner: { js: '#!/usr/bin/env node' },
  },
])
