// The profiler where runners run tests: a worker thread (Vitest's threads and vmThreads pools), and a process
// whose every output is watched (nothing may print beside the user's tests).
import { afterAll, beforeAll, expect, test } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { nodeProfilerConnectionActive } from '../src/attribution/index.js'
import { bundleAttribution } from './attribution-support.js'

let dir: string
let bundle: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'loopguard-threads-'))
  bundle = await bundleAttribution(dir)
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

// Blocks for 40 ms at a known line (line 6 of the script, column 11: `wait`), measured by the hrtime clock the
// profile uses, then attributes that window.
function blockingScript(bundlePath: string): string {
  return [
    `const { startProfiler, attributeBlocks } = require(${JSON.stringify(bundlePath)})`,
    'const profiler = startProfiler()',
    'const cell = new Int32Array(new SharedArrayBuffer(4))',
    'function blockHere() {',
    '  const startMs = Number(process.hrtime.bigint()) / 1e6',
    '  Atomics.wait(cell, 0, 0, 40)',
    '  return { startMs, durationMs: Number(process.hrtime.bigint()) / 1e6 - startMs }',
    '}',
    'const window = blockHere()',
    'const [found] = attributeBlocks(profiler.takeProfile(), [window], { root: __dirname })',
    'profiler.stop()',
    '',
  ].join('\n')
}

test('attributes a block inside a worker thread', async () => {
  const script = join(dir, 'worker.cjs')
  writeFileSync(script, `${blockingScript(bundle)}require('node:worker_threads').parentPort.postMessage(found)\n`)
  const worker = new Worker(script)
  const found = await new Promise<any>((resolve, reject) => {
    worker.once('message', resolve)
    worker.once('error', reject)
  })
  await worker.terminate()
  expect(found.frame).toMatchObject({ file: 'worker.cjs', line: 6, column: 11, function: 'blockHere' })
  expect(found.activity).toBe('Atomics.wait')
})

// Node's own coverage and --cpu-prof connections print every profiler event they did not ask for: with them
// the profiler restarts instead of overlapping recordings, and stays silent.
test.each([
  ['plainly', [], {}],
  ['under NODE_V8_COVERAGE', [], { NODE_V8_COVERAGE: 'coverage' }],
  ['under --cpu-prof', ['--cpu-prof', '--cpu-prof-dir=profiles'], {}],
])('prints nothing and leaves nothing that keeps the process alive, %s', (_, flags, env) => {
  const script = join(dir, 'quiet.cjs')
  // No explicit exit: the process must end on its own once the script is done; a wrong answer exits with 3.
  writeFileSync(script, `${blockingScript(bundle)}if (!found.frame || found.frame.line !== 6) process.exitCode = 3\n`)
  const result = spawnSync(process.execPath, [...flags, script], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 20_000 })
  expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({ status: 0, stdout: '', stderr: '' })
})

test('knows when Node.js holds profiler connections of its own', () => {
  expect(nodeProfilerConnectionActive({}, [])).toBe(false)
  expect(nodeProfilerConnectionActive({ NODE_V8_COVERAGE: '/tmp/c' }, [])).toBe(true)
  expect(nodeProfilerConnectionActive({}, ['--cpu-prof'])).toBe(true)
  expect(nodeProfilerConnectionActive({ NODE_OPTIONS: '--max-old-space-size=100 --cpu-prof' }, [])).toBe(true)
  expect(nodeProfilerConnectionActive({ NODE_OPTIONS: '--cpu-prof-dir=x' }, [])).toBe(false)
})
