// Where source maps come from when the code V8 ran is not on disk: the runner's own hook, and no map at all.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { attributeBlocks, startProfiler, writeCpuProfile, type CpuProfile, type Profiler } from '../src/attribution/index.js'
import { now } from '../src/index.js'
import { expectedPositions, loadTransformedFixture, repoRoot } from './attribution-support.js'

let profiler: Profiler

beforeAll(() => {
  profiler = startProfiler()
})

afterAll(() => profiler.stop())

function blockOnce(fixture: ReturnType<typeof loadTransformedFixture>) {
  const startMs = now()
  fixture.block('waitOnAtomics', 30)
  return { startMs, durationMs: now() - startMs }
}

test('a map the runner keeps to itself is asked for through retrieveSourceMap, by script URL', () => {
  // esbuild's map returned separately, as Vitest 5's module runner keeps it: the code carries no comment.
  const fixture = loadTransformedFixture({ sourcemap: 'external' })
  const window = blockOnce(fixture)
  const asked: string[] = []
  const retrieveSourceMap = (url: string) => {
    asked.push(url)
    return url === fixture.path ? fixture.map : undefined
  }
  const [found] = attributeBlocks(profiler.takeProfile(), [window], { root: repoRoot, retrieveSourceMap })
  expect(asked).toContain(fixture.path)
  expect(found!.frame).toMatchObject(expectedPositions(fixture).waitOnAtomics)
})

test('code with no map that is not the file on disk is never given a line of that file', () => {
  const fixture = loadTransformedFixture({ sourcemap: false })
  const window = blockOnce(fixture)
  const [found] = attributeBlocks(profiler.takeProfile(), [window], { root: repoRoot })
  for (const frame of found!.frames) expect(frame.file).not.toBe('packages/core/test/fixtures/attribution/blockers.ts')
  // The next frame out that can be traced names the test's own call instead.
  expect(found!.frame).toMatchObject({ file: 'packages/core/test/attribution-source-maps.test.ts', function: 'blockOnce' })
})

test('the .cpuprofile of a test points into the original source of its blocking function', () => {
  const fixture = loadTransformedFixture()
  const window = blockOnce(fixture)
  const dir = mkdtempSync(join(tmpdir(), 'loopguard-profile-'))
  try {
    const file = writeCpuProfile(dir, 'blockers > waits', profiler.takeProfile(), [window], { root: repoRoot })
    const written = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
    const definition = readFileSync(fixture.path, 'utf8').split('\n').findIndex((l) => l.includes('waitOnAtomics(ms: number)'))
    const node = written.nodes.find((n) => n.callFrame.functionName === 'waitOnAtomics')
    expect(node?.callFrame).toMatchObject({ url: pathToFileURL(fixture.path).href, lineNumber: definition })
    expect(written.samples!.filter((id) => id === node!.id).length).toBeGreaterThan(5)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('readScripts: false never enables the debugger: a script whose map V8 alone knows is passed over, and found later', () => {
  // esbuild's map inline in the code, as babel-jest leaves it: only the debugger tells V8's sourceMapURL.
  const fixture = loadTransformedFixture()
  const window = blockOnce(fixture)
  const profile = profiler.takeProfile()
  const [passedOver] = attributeBlocks(profile, [window], { root: repoRoot, readScripts: false })
  for (const frame of passedOver!.frames) expect(frame.file).not.toBe('packages/core/test/fixtures/attribution/blockers.ts')
  expect(passedOver!.frame).toMatchObject({ file: 'packages/core/test/attribution-source-maps.test.ts', function: 'blockOnce' })
  // Not remembered as unmappable: an attribution that may read scripts names the line.
  const [named] = attributeBlocks(profile, [window], { root: repoRoot })
  expect(named!.frame).toMatchObject(expectedPositions(fixture).waitOnAtomics)
})

test('readScripts must be a boolean', () => {
  expect(() => attributeBlocks(profiler.takeProfile(), [], { readScripts: 'no' as unknown as boolean })).toThrow(
    `attributeBlocks: option "readScripts" must be true or false; received 'no'.`,
  )
})
