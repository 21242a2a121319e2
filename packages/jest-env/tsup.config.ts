import { defineConfig } from 'tsup'

// CommonJS only: Jest loads environments, reporters, presets and setup files with `require` (Jest 29 always).
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    node: 'src/runtime/environment-node.ts',
    jsdom: 'src/runtime/environment-jsdom.ts',
    setup: 'src/runtime/setup.ts',
    reporter: 'src/node/reporter.ts',
  },
  format: ['cjs'],
  // The entries specs import have hand-written typings (types/): they carry the matcher augmentations.
  dts: { entry: { node: 'src/runtime/environment-node.ts', jsdom: 'src/runtime/environment-jsdom.ts', reporter: 'src/node/reporter.ts' } },
  clean: true,
  target: 'node20',
  sourcemap: true,
  external: ['jest-environment-node', 'jest-environment-jsdom', '@jest/globals', './node.cjs'],
})
