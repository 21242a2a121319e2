// loopguard's own work between tests is cut out of the blocks a file reports.
import { describe, expect, test } from 'vitest'
import { withoutOwnWork } from '../src/runtime/own-work.js'

const file = (blocks: { startMs: number; durationMs: number }[]) => ({
  file: 'test/a.test.js',
  longestMs: Math.max(...blocks.map((b) => b.durationMs)),
  blocks: blocks.map((b) => ({ ...b, phase: 'hooks' as const, frame: null })),
})

describe('withoutOwnWork', () => {
  test('a block that is all loopguard work disappears; one around it keeps its two ends, when long enough', () => {
    const start = 1000
    const result = withoutOwnWork(
      file([
        { startMs: 100, durationMs: 50 }, // 1100-1150: all ours
        { startMs: 200, durationMs: 100 }, // 1200-1300: ours from 1220 to 1290
      ]),
      start,
      [
        { startMs: 1095, endMs: 1160 },
        { startMs: 1220, endMs: 1290 },
      ],
      10,
    )
    // 1200-1220 stays (20 ms), 1290-1300 is at the threshold and stays.
    expect(result.blocks).toEqual([
      { startMs: 200, durationMs: 20, phase: 'hooks', frame: null },
      { startMs: 290, durationMs: 10, phase: 'hooks', frame: null },
    ])
    expect(result.longestMs).toBe(20)
  })

  test('pieces under the threshold are dropped; without spans the file is unchanged', () => {
    const input = file([{ startMs: 0, durationMs: 30 }])
    expect(withoutOwnWork(input, 0, [], 10)).toBe(input)
    expect(withoutOwnWork(input, 0, [{ startMs: 5, endMs: 28 }], 10)).toMatchObject({ longestMs: 0, blocks: [] })
  })
})
