// Ground truth for the attribution tests: the blocking fixtures, loaded the ways runners load code, the lines
// they mark, and inputs large enough that each operation blocks for tens of milliseconds.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runInThisContext } from 'node:vm'
import { transformSync } from 'esbuild'

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url))
export const fixturesDir = fileURLToPath(new URL('./fixtures/attribution/', import.meta.url))

export const OPERATIONS = ['waitOnAtomics', 'spinCpu', 'readLargeFile', 'parseLargeJson', 'deriveKey', 'compress', 'runCommand'] as const
export type Operation = (typeof OPERATIONS)[number]

export interface Fixture {
  name: string
  path: string
  block: (operation: Operation, input: unknown) => unknown
}

/** The plain JavaScript fixture, loaded by Node.js itself. */
export function loadPlainFixture(): Fixture {
  const path = join(fixturesDir, 'blockers.cjs')
  const loaded = createRequire(import.meta.url)(path) as { block: Fixture['block'] }
  return { name: 'blockers.cjs', path, block: loaded.block }
}

/**
 * The TypeScript fixture, transformed by esbuild with an inline source map and run the way Jest runs a module:
 * compiled from memory under the original file's name, so the generated code exists nowhere on disk.
 */
export function loadTransformedFixture(options: { sourcemap?: 'inline' | 'external' | false } = {}): Fixture & { map?: string } {
  const path = join(fixturesDir, 'blockers.ts')
  const sourcemap = options.sourcemap ?? 'inline'
  const { code, map } = transformSync(readFileSync(path, 'utf8'), {
    loader: 'ts',
    format: 'cjs',
    sourcemap,
    sourcefile: path,
    target: 'node20',
  })
  const module = { exports: {} as { block?: Fixture['block'] } }
  const wrapper = runInThisContext(`(function (exports, require, module) {${code}\n})`, { filename: path }) as (
    exports: object,
    require: NodeJS.Require,
    module: object,
  ) => void
  wrapper(module.exports, createRequire(path), module)
  return { name: 'blockers.ts', path, block: module.exports.block!, map: map || undefined }
}

export interface Expected {
  file: string
  line: number
  column: number
}

/**
 * Where each operation of a fixture blocks, read from its `// blocks:` markers: the marked line, at the column
 * of the name the marker gives (or of the line's first code when it gives none).
 */
export function expectedPositions(fixture: Fixture): Record<Operation, Expected> {
  const lines = readFileSync(fixture.path, 'utf8').split('\n')
  const file = relative(repoRoot, fixture.path).split('\\').join('/')
  const found = {} as Record<Operation, Expected>
  for (const operation of OPERATIONS) {
    const definition = lines.findIndex((l) => new RegExp(`^\\s*(?:function\\s+)?${operation}\\(`).test(l))
    const marked = lines.findIndex((l, i) => i > definition && l.includes('// blocks:'))
    if (definition < 0 || marked < 0) throw new Error(`${fixture.name}: no "// blocks:" line for ${operation}`)
    const text = lines[marked]!
    const name = text.split('// blocks:')[1]!.trim()
    const column = name ? text.indexOf(`${name}(`) + 1 : text.search(/\S/) + 1
    found[operation] = { file, line: marked + 1, column }
  }
  return found
}

export interface Inputs {
  values: Record<Operation, unknown>
  cleanup: () => void
}

/** Inputs that make each operation block for roughly 20-60 ms on a laptop-class core. */
export function blockingInputs(): Inputs {
  const dir = mkdtempSync(join(tmpdir(), 'loopguard-attribution-'))
  const bigFile = join(dir, 'large.bin')
  writeFileSync(bigFile, Buffer.alloc(96 * 1024 * 1024, 7))
  const json = JSON.stringify(Array.from({ length: 250_000 }, (_, i) => ({ i, name: `item-${i}`, tags: ['a', 'b'] })))
  return {
    values: {
      waitOnAtomics: 30,
      spinCpu: 30,
      readLargeFile: bigFile,
      parseLargeJson: json,
      deriveKey: 200_000,
      compress: randomBytes(3 * 1024 * 1024),
      runCommand: 'sleep 0.03',
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  }
}


/**
 * The attribution module bundled into one CommonJS file, for code that must load it outside Vitest's module
 * runner: a worker thread, a child process.
 */
export async function bundleAttribution(outDir: string): Promise<string> {
  const { buildSync } = await import('esbuild')
  const outfile = join(outDir, 'attribution.cjs')
  buildSync({
    entryPoints: [fileURLToPath(new URL('../src/attribution/index.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    logLevel: 'silent',
  })
  return outfile
}

/**
 * The block a call made: the one that overlaps [fromMs, toMs], the call's bounds on the monitor's clock, the most.
 * Not the longest block of the window: on a loaded machine the turn after the call can hold a longer one (V8
 * finishing a collection it began, which its 'gc' entries do not show).
 */
export function blockOfCall<B extends { startMs: number; wallMs: number }>(blocks: readonly B[], fromMs: number, toMs: number): B | undefined {
  let best: B | undefined
  let bestOverlap = 0
  for (const block of blocks) {
    const overlap = Math.min(toMs, block.startMs + block.wallMs) - Math.max(fromMs, block.startMs)
    if (overlap > bestOverlap) {
      best = block
      bestOverlap = overlap
    }
  }
  return best
}
