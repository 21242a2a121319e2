// Blocks whose time goes into a dependency, out-of-scope files, and windows with nothing to name, on a small
// project built on disk: its own files, and a package in its node_modules.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { createMonitor, now, type Block } from '../src/index.js'
import { attributeBlocks, startProfiler, type Profiler } from '../src/attribution/index.js'
import { blockOfCall } from './attribution-support.js'

let root: string
let profiler: Profiler
const monitor = createMonitor({ thresholdMs: 5 })

function write(path: string, lines: string[]): string {
  const file = join(root, path)
  mkdirSync(join(file, '..'), { recursive: true })
  writeFileSync(file, `${lines.join('\n')}\n`)
  return file
}

// Computes for `ms` of CPU time (the process's: this test's thread is the one busy), however loaded the machine.
const SPIN = 'const t0 = process.cpuUsage(); let x = 0; for (;;) { for (let i = 0; i < 1e5; i++) x = (x + i) | 0; const u = process.cpuUsage(t0); if (u.user + u.system >= ms * 1000) return x }'

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'loopguard-project-'))
  write('node_modules/slow-schema/package.json', ['{ "name": "slow-schema", "main": "dist/compile.js" }'])
  write('node_modules/slow-schema/dist/compile.js', [
    'exports.compile = function compile(ms) {',
    `  ${SPIN}`,
    '}',
    'exports.compileLater = function compileLater(ms) {',
    '  setImmediate(() => exports.compile(ms))',
    '}',
  ])
  write('src/validate.cjs', [
    "const schema = require('slow-schema')",
    'exports.buildValidator = function buildValidator(ms) {',
    '  return schema.compile(ms)',
    '}',
    'exports.buildLater = function buildLater(ms) {',
    '  schema.compileLater(ms)',
    '}',
  ])
  // The spin in a function of its own: V8 leaves the innermost frame out of some samples while a loop is being
  // optimized, and those then land on the caller, in the same file.
  write('scripts/seed.cjs', ['function spin(ms) {', `  ${SPIN}`, '}', 'exports.seed = function seed(ms) {', '  return spin(ms)', '}'])
  write('src/later.cjs', [
    "const { readFileSync } = require('node:fs')",
    'exports.readLater = async function readLater(path) {',
    '  await new Promise((resolve) => setImmediate(resolve))',
    // Read as text: a binary read of a cached file is one system call the profiler may sample once or never.
    "  const text = readFileSync(path, 'latin1')",
    '  return text.length',
    '}',
  ])
  write('data/large.bin', [])
  writeFileSync(join(root, 'data/large.bin'), Buffer.alloc(64 * 1024 * 1024, 1))
  monitor.start()
  profiler = startProfiler()
})

afterAll(() => {
  profiler?.stop()
  monitor.stop()
  rmSync(root, { recursive: true, force: true })
})

/** The block `run` makes, in its call or, for code it schedules, in the `turnsAfter` turns of the loop after it. */
async function blockOf(run: () => void | Promise<void>, turnsAfter = 0): Promise<Block> {
  await nextTurn()
  const mark = monitor.mark()
  const fromMs = now()
  await run()
  for (let turn = 0; turn < turnsAfter; turn++) await nextTurn()
  const toMs = now()
  await nextTurn()
  await nextTurn()
  const block = blockOfCall(monitor.since(mark).blocks, fromMs, toMs)
  if (!block) throw new Error('nothing blocked')
  return block
}

test('time spent in a dependency names the project line that called it, and the dependency', async () => {
  const load = createRequire(join(root, 'src/validate.cjs'))
  const { buildValidator } = load('./validate.cjs') as { buildValidator: (ms: number) => number }
  const block = await blockOf(() => void buildValidator(30))
  const [found] = attributeBlocks(profiler.takeProfile(), [block], { root })
  expect(found!.frame).toMatchObject({ file: 'src/validate.cjs', line: 3, column: 17, function: 'buildValidator' })
  expect(found!.activity).toBe('in slow-schema/dist/compile.js')
  expect(found!.frames[0]).toMatchObject({ file: 'slow-schema/dist/compile.js', line: 2, function: 'compile' })
  expect(found!.frames[1]).toEqual(found!.frame)
  expect(found!.inScope).toBe(true)
})

test('a block with only dependency code on the stack has no frame and is out of scope', async () => {
  const { buildLater } = createRequire(join(root, 'src/validate.cjs'))('./validate.cjs') as { buildLater: (ms: number) => void }
  const block = await blockOf(() => buildLater(30), 1)
  const [found] = attributeBlocks(profiler.takeProfile(), [block], { root })
  expect(found!.frame).toBeNull()
  expect(found!.activity).toBe('in slow-schema/dist/compile.js')
  expect(found!.inScope).toBe(false)
})

test('scope: a block in a file outside the globs keeps its frame and is marked out of scope', async () => {
  const { seed } = createRequire(join(root, 'scripts/seed.cjs'))('./seed.cjs') as { seed: (ms: number) => number }
  const { buildValidator } = createRequire(join(root, 'src/validate.cjs'))('./validate.cjs') as { buildValidator: (ms: number) => number }
  const outside = await blockOf(() => void seed(30))
  const inside = await blockOf(() => void buildValidator(30))
  const [a, b] = attributeBlocks(profiler.takeProfile(), [outside, inside], { root, scope: ['src/**'] })
  expect(a!.frame).toMatchObject({ file: 'scripts/seed.cjs' })
  expect([2, 5]).toContain(a!.frame!.line)
  expect(a!.inScope).toBe(false)
  expect(b!.frame).toMatchObject({ file: 'src/validate.cjs', line: 3 })
  expect(b!.inScope).toBe(true)
})

test('a window the profile holds no samples for has no frame, and its scope is unknown', () => {
  const profile = profiler.takeProfile()
  const before = { startMs: profile.startTime / 1000 - 500, durationMs: 100 }
  const [found] = attributeBlocks(profile, [before], { root })
  expect(found).toEqual({ frame: null, frames: [], samples: 0 })
})

test('a block after an await is named in the async function that resumed', async () => {
  const { readLater } = createRequire(join(root, 'src/later.cjs'))('./later.cjs') as { readLater: (path: string) => Promise<number> }
  const block = await blockOf(async () => void (await readLater(join(root, 'data/large.bin'))))
  const [found] = attributeBlocks(profiler.takeProfile(), [block], { root })
  expect(found!.frame).toMatchObject({ file: 'src/later.cjs', line: 4, column: 16, function: 'readLater' })
  expect(found!.activity).toBe('fs.readFileSync (sync I/O)')
})
