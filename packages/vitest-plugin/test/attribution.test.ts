// The worker's attribution helpers that need no profiler: a caller's frame moved to its call, the failure's text,
// and a test judged again on its blocks in scope.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { judgeInScope, type Frame, type ReportBlock, type TestFigures } from '@loopguard/core'
import { placeCalls, SourceTexts } from '../src/runtime/call-lines.js'
import { failureMessage } from '../src/runtime/failure-message.js'
import { withoutOwnWork } from '../src/runtime/own-work.js'

const root = mkdtempSync(join(tmpdir(), 'loopguard-call-lines-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
mkdirSync(join(root, 'test'))
writeFileSync(
  join(root, 'test/a.spec.ts'),
  [
    "import { gzipSync } from 'node:zlib'", // 1
    'for (const round of [1, 2]) {', // 2
    "  test(`gzip ${round}`, () => {", // 3
    "    const note = 'gzipSync(in a string)' // gzipSync( in a comment", // 4
    '    const packed = gzipSync(data)', // 5
    '  })', // 6
    "  test('next', () => {", // 7
    '    gzipSync(other)', // 8
    '  })', // 9
    '}', // 10
  ].join('\n'),
)

const frame = (line: number, column = 3, fn = ''): Frame => ({ file: 'test/a.spec.ts', line, column, function: fn })
const block = (frames: Frame[], activity?: string): ReportBlock => ({ startMs: 0, durationMs: 40, frame: frames[0]!, frames, ...(activity ? { activity } : {}) })

describe('placeCalls', () => {
  it('moves a frame left on the line its callback starts to the call it made, skipping strings and comments', () => {
    const placed = placeCalls(block([frame(3)], 'zlib.gzipSync (sync)'), new SourceTexts(root))
    expect(placed.frame).toEqual(frame(5, 20))
    expect(placed.frames).toEqual([frame(5, 20)])
  })

  it('finds a sync API Node.js ran under another name, and names the API the line calls', () => {
    const placed = placeCalls(block([frame(3)], 'zlib.syncBufferWrapper'), new SourceTexts(root))
    expect(placed).toMatchObject({ frame: frame(5, 20), activity: 'zlib.gzipSync (sync)' })
  })

  it('never looks past the end of the callback, and leaves a frame alone when no call is found', () => {
    writeFileSync(join(root, 'test/b.spec.ts'), "test('a', () => {\n  waitHere()\n})\ntest('b', () => {\n  readFileSync(x)\n})\n")
    const start = { file: 'test/b.spec.ts', line: 1, column: 1, function: '' }
    const placed = placeCalls(block([start], 'fs.readFileSync (sync I/O)'), new SourceTexts(root))
    expect(placed.frame).toEqual(start)
  })

  it('keeps a frame whose line makes the call, and a line that ran (no call)', () => {
    const texts = new SourceTexts(root)
    expect(placeCalls(block([frame(8, 5)], 'zlib.gzipSync (sync)'), texts).frame).toEqual(frame(8, 5))
    expect(placeCalls(block([frame(3)], 'JSON.parse'), texts).frame).toEqual(frame(3))
  })
})

describe('failureMessage', () => {
  it('puts the lines of the blamed block under the head, after core’s notes, with the async hint', () => {
    const blamed: ReportBlock = { ...block([frame(5, 20), frame(2, 1)], 'fs.readFileSync (sync I/O)') }
    const text = failureMessage('blocked the event loop for 40.0 ms (budget 15 ms), 1 block\n  shared by 2 concurrent tests: the block may come from another of them', blamed)
    expect(text.split('\n')).toEqual([
      'blocked the event loop for 40.0 ms (budget 15 ms), 1 block',
      '  shared by 2 concurrent tests: the block may come from another of them',
      '  at test/a.spec.ts:5:20  fs.readFileSync (sync I/O)',
      '  at test/a.spec.ts:2:1',
      '  hint: use fs.promises.readFile (or fs.readFile with a callback): it does not block the event loop',
    ])
    expect(failureMessage('blocked', undefined)).toBe('blocked')
  })
})

describe('judgeInScope', () => {
  const figures = (blocks: Partial<ReportBlock>[], longestMs: number): TestFigures => ({
    file: 'test/a.spec.ts',
    name: 't',
    fullName: 't',
    budgetMs: 50,
    longestMs,
    totalMs: longestMs,
    count: blocks.length,
    overBudget: longestMs > 50,
    concurrent: false,
    blocks: blocks.map((b) => ({ startMs: 0, durationMs: 0, frame: null, ...b })),
  })

  it('charges only blocks in scope (or of unknown scope), and names the longest of them', () => {
    const outOnly = judgeInScope(figures([{ durationMs: 120, inScope: false }, { durationMs: 30, inScope: true }], 120), 'fail')
    expect(outOnly).toMatchObject({ figures: { overBudget: false, longestMs: 120 }, failure: undefined, longestInScopeMs: 30 })
    const both = judgeInScope(figures([{ durationMs: 120, inScope: false }, { durationMs: 70 }], 120), 'fail')
    expect(both.figures.overBudget).toBe(true)
    expect(both.failure).toMatch(/^blocked the event loop for 70\.0 ms \(budget 50 ms\), 2 blocks/)
    expect(judgeInScope(figures([{ durationMs: 70 }], 70), 'report')).toMatchObject({ figures: { overBudget: true }, failure: undefined })
  })
})

describe('withoutOwnWork', () => {
  it("cuts loopguard's own work out of the file's blocks and drops what is left under the threshold", () => {
    const blocks = [
      { phase: 'hooks' as const, startMs: 100, durationMs: 30, frame: null },
      { phase: 'hooks' as const, startMs: 200, durationMs: 12, frame: null },
      { phase: 'collect' as const, startMs: 0, durationMs: 50, frame: null },
    ]
    // File window opened at 1000 ms; loopguard worked 1110-1115 and 1199-1213.
    const cut = withoutOwnWork(blocks, 1000, [{ startMs: 1110, endMs: 1115 }, { startMs: 1199, endMs: 1213 }], 10)
    expect(cut).toEqual([
      { phase: 'hooks', startMs: 100, durationMs: 10, frame: null },
      { phase: 'hooks', startMs: 115, durationMs: 15, frame: null },
      { phase: 'collect', startMs: 0, durationMs: 50, frame: null },
    ])
  })
})
