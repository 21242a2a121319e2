// The pieces around the profile: finding a call in source text, the failure message's lines, the .cpuprofile
// file, and the profiler's contract.
import { afterEach, describe, expect, test } from 'vitest'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { classifyUrl } from '../src/attribution/files.js'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { callsInFunction, builtinOnLine, lineStarts, positionAt } from '../src/attribution/call-sites.js'
import { attributeBlocks, formatBlockStack, profileFileName, sliceProfile, startProfiler, writeCpuProfile, type CpuProfile, type Profiler } from '../src/attribution/index.js'

function callsAfter(text: string, marker: string): string[] {
  return callsInFunction(text, text.indexOf(marker)).map((c) => c.name)
}

describe('callsInFunction', () => {
  test('finds the calls of one function body, in order, and stops at its end', () => {
    const text = 'function a(x = f()) {\n  const y = fs.readFileSync(x)\n  return JSON.parse(y)\n}\nfunction b() { later() }'
    expect(callsAfter(text, '(x =')).toEqual(['readFileSync', 'parse'])
  })

  test('skips strings, comments, templates and regular expressions', () => {
    const text = [
      '(input) => {',
      "  const s = 'fake(1)' + \"fake(2)\" // fake(3)",
      '  /* fake(4) */ const r = /fake\\(5\\)[/]/g',
      '  const t = `fake(6) ${real1(input)} fake(7)`',
      '  return real2(s, r, t, 4 / 2)',
      '}',
      'outside()',
    ].join('\n')
    expect(callsAfter(text, '(input)')).toEqual(['real1', 'real2'])
  })

  test('an arrow function with an expression body ends with its expression', () => {
    const text = 'list.map((x) => heavy(x), other(1))'
    expect(callsAfter(text, '(x)')).toEqual(['heavy'])
  })

  test('leaves out keywords and declarations that look like calls', () => {
    const text = 'function run() {\n  if (ok(1)) for (const x of items()) {}\n  function inner() {}\n  return new Worker(x)\n}'
    expect(callsAfter(text, '() {')).toEqual(['ok', 'items', 'Worker'])
  })

  test('starts inside a parameter list, where a mapped arrow function position lands', () => {
    const text = 'const derive = (secret: string): number => {\n  const key = pbkdf2Sync(secret)\n  return key.length\n}\nafter()'
    expect(callsAfter(text, 'secret:')).toEqual(['pbkdf2Sync'])
  })

  test('positions are 1-based line and column of the called name', () => {
    const text = 'x\n  const v = JSON.parse(s)\n'
    const [call] = callsInFunction(`{${text}}`, 0)
    expect(positionAt(lineStarts(`{${text}}`), call!.offset)).toEqual({ line: 2, column: 18 })
  })

  test('names blocking built-ins on a line, at the column of the called name', () => {
    expect(builtinOnLine('  const v = JSON.parse(text) as T')).toEqual({ activity: 'JSON.parse', column0: 17 })
    expect(builtinOnLine('  Atomics.wait(cell, 0, 0, 10)')).toEqual({ activity: 'Atomics.wait', column0: 10 })
    expect(builtinOnLine('  x = y + 1')).toBeUndefined()
  })
})

describe('formatBlockStack', () => {
  const frame = { file: 'src/parse.ts', line: 42, column: 10, function: 'parsePayload' }
  const frames = [frame, { file: 'src/api.ts', line: 17, column: 3, function: 'handle' }, { file: 'test/api.test.ts', line: 12, column: 5, function: '' }]

  test('reads like a stack trace, with the activity on the top line', () => {
    expect(formatBlockStack({ frame, frames, activity: 'JSON.parse' })).toEqual([
      'at parsePayload (src/parse.ts:42:10)  JSON.parse',
      'at handle (src/api.ts:17:3)',
      'at test/api.test.ts:12:5',
      'hint: a large JSON document blocks for as long as it takes; stream it, or move the work to a worker thread',
    ])
  })

  test('a sync Node.js API gets a hint at its asynchronous form', () => {
    const lines = formatBlockStack({ frame, frames: [frame], activity: 'fs.readFileSync (sync I/O)' })
    expect(lines[0]).toBe('at parsePayload (src/parse.ts:42:10)  fs.readFileSync (sync I/O)')
    expect(lines[1]).toMatch(/^hint: use fs\.promises\.readFile\b/)
  })

  test('a dependency frame before the project frame is named by the activity, not listed', () => {
    const dependency = { file: 'ajv/dist/compile.js', line: 80, column: 1, function: 'compile' }
    const lines = formatBlockStack({ frame, frames: [dependency, frame], activity: 'in ajv/dist/compile.js', inScope: false })
    expect(lines).toEqual(['at parsePayload (src/parse.ts:42:10)  in ajv/dist/compile.js (out of scope)'])
  })

  test('without a frame, only the activity, and nothing at all when unknown', () => {
    expect(formatBlockStack({ frame: null, activity: 'garbage collection' })).toEqual(['in garbage collection'])
    expect(formatBlockStack({ frame: null })).toEqual([])
  })
})

describe('.cpuprofile of blocking windows', () => {
  // Root -> a -> b; samples every 1000 µs from t = 1000 µs, alternating a and b.
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }, children: [2] },
      { id: 2, callFrame: { functionName: 'a', scriptId: '1', url: 'file:///p/a.js', lineNumber: 0, columnNumber: 0 }, children: [3, 4] },
      { id: 3, callFrame: { functionName: 'b', scriptId: '1', url: 'file:///p/a.js', lineNumber: 4, columnNumber: 0 }, children: [] },
      { id: 4, callFrame: { functionName: 'never', scriptId: '1', url: 'file:///p/a.js', lineNumber: 9, columnNumber: 0 }, children: [] },
    ],
    startTime: 0,
    endTime: 11_000,
    samples: [2, 3, 2, 3, 2, 3, 2, 3, 2, 3],
    timeDeltas: Array.from({ length: 10 }, () => 1000),
  }

  test('keeps the samples inside the windows and the nodes on their stacks, closing each window with idle', () => {
    const sliced = sliceProfile(profile, [{ startMs: 2.5, durationMs: 2 }, { startMs: 8, durationMs: 1 }])
    // Samples at 3, 4 (first window), idle at 4.5, samples at 8, 9, idle at 9.
    expect(sliced.samples!.length).toBe(6)
    expect(sliced.startTime).toBe(2500)
    expect(sliced.endTime).toBe(9000)
    const names = new Map(sliced.nodes.map((n) => [n.id, n.callFrame.functionName]))
    expect(sliced.samples!.map((id) => names.get(id))).toEqual(['a', 'b', '(idle)', 'b', 'a', '(idle)'])
    expect([...names.values()]).not.toContain('never')
    expect(sliced.timeDeltas!.reduce((a, b) => a + b, 0) + sliced.startTime).toBe(9000)
  })

  test('writes one file named after the test that DevTools can load', () => {
    const dir = mkdtempSync(join(tmpdir(), 'loopguard-profiles-'))
    try {
      const path = writeCpuProfile(join(dir, 'nested'), 'test/api.test.ts > parser > parses the huge payload', profile, [{ startMs: 1, durationMs: 3 }])
      expect(path).toBe(join(dir, 'nested', 'test-api.test.ts-parser-parses-the-huge-payload.cpuprofile'))
      const written = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile
      expect(written.nodes[0]!.callFrame.functionName).toBe('(root)')
      expect(written.samples!.length).toBe(written.timeDeltas!.length)
      expect(written.samples!.every((id) => written.nodes.some((n) => n.id === id))).toBe(true)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('file names keep letters and digits of any script and drop path separators', () => {
    expect(profileFileName('a/b > ünïcode: 試験 *')).toBe('a-b-ünïcode-試験.cpuprofile')
    expect(profileFileName('***')).toBe('test.cpuprofile')
  })
})

describe('startProfiler', () => {
  let profilers: Profiler[] = []
  afterEach(() => {
    for (const p of profilers) p.stop()
    profilers = []
  })

  test('one profiler per thread: a second start shares it, and it runs until every holder stops', () => {
    const first = startProfiler()
    const second = startProfiler()
    profilers.push(first)
    expect(second).toBe(first)
    second.stop()
    expect(first.running).toBe(true)
    first.stop()
    profilers = []
    expect(first.running).toBe(false)
    expect(() => first.takeProfile()).toThrow(/stopped; call startProfiler\(\) again/)
  })

  test('consecutive profiles follow each other without a gap', () => {
    const profiler = startProfiler()
    profilers.push(profiler)
    const end = Date.now() + 15
    while (Date.now() < end);
    const a = profiler.takeProfile()
    const b = profiler.takeProfile()
    // The first profile spans the spin, however many samples a busy machine let the profiler take in it.
    expect(a.endTime - a.startTime).toBeGreaterThanOrEqual(15_000)
    expect(b.startTime).toBeGreaterThanOrEqual(a.startTime)
    expect(b.startTime - a.endTime).toBeLessThan(2000)
  })

  test('rejects a bad sampling interval, saying what is accepted', () => {
    expect(() => startProfiler({ samplingIntervalUs: 0.5 })).toThrow(
      'startProfiler: option "samplingIntervalUs" must be a whole number of microseconds from 50 to 100000; received 0.5.',
    )
    expect(() => startProfiler({ interval: 100 } as never)).toThrow(/unknown option "interval"/)
  })
})

describe('attributeBlocks input', () => {
  const profile: CpuProfile = { nodes: [], startTime: 0, endTime: 0, samples: [], timeDeltas: [] }

  test('says what was wrong, what it received and what it takes', () => {
    expect(() => attributeBlocks(undefined as never, [])).toThrow(
      'attributeBlocks: expected a CPU profile from profiler.takeProfile(); received undefined.',
    )
    expect(() => attributeBlocks(profile, [{ startMs: 1 }] as never)).toThrow(/expected an array of blocks \(\{ startMs, durationMs \} in ms/)
    expect(() => attributeBlocks(profile, [], { scope: 'src/**' } as never)).toThrow(
      `attributeBlocks: option "scope" must be an array of globs relative to the root; received 'src/**'.`,
    )
    expect(() => attributeBlocks(profile, [], { rootDir: '/x' } as never)).toThrow(/unknown option "rootDir"/)
  })
})

describe('classifyUrl', () => {
  test("a project's own files are project code even when its package is named @loopguard/*", () => {
    const root = mkdtempSync(join(tmpdir(), 'loopguard-classify-'))
    try {
      writeFileSync(join(root, 'package.json'), JSON.stringify({ name: '@loopguard/vitest-demo' }))
      mkdirSync(join(root, 'src'))
      const file = join(root, 'src', 'handler.ts')
      writeFileSync(file, 'export {}\n')
      expect(classifyUrl(pathToFileURL(file).href, 'handle', root)).toEqual({ kind: 'project', path: file })
      expect(classifyUrl(pathToFileURL(join(root, 'node_modules/@loopguard/core/dist/index.js')).href, 'x', root).kind).toBe('loopguard')
      expect(classifyUrl(pathToFileURL(join(root, 'node_modules/@loopguard/other/dist/index.js')).href, 'x', root).kind).toBe('dependency')
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})
