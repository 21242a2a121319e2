import { describe, expect, test } from 'vitest'
import { forEachStretchSince, record } from '../src/monitor/sampler.js'

// The store of stretches on its own, fed directly (no interval runs in this file): it starts small, doubles as it
// fills, then keeps the newest 65,536 in order.
function storedSince(fromMs: number): Array<[number, number]> {
  const seen: Array<[number, number]> = []
  forEachStretchSince(fromMs, (s, e) => seen.push([s, e]))
  return seen
}

describe('the store of stretches', () => {
  let nextMs = 0
  const add = (count: number) => {
    for (let i = 0; i < count; i++) {
      record(nextMs, nextMs + 1)
      nextMs += 2
    }
  }

  test('keeps every stretch, in order, while it grows past its first size', () => {
    add(10_000)
    const all = storedSince(-1)
    expect(all).toHaveLength(10_000)
    expect(all[0]).toEqual([0, 1])
    expect(all.at(-1)).toEqual([19_998, 19_999])
    expect(all.every(([s], i) => s === 2 * i)).toBe(true)
    // A window finds its first stretch by its end.
    expect(storedSince(4_001)[0]).toEqual([4_002, 4_003])
  })

  test('once full, keeps the newest 65,536 and finds windows across the wrap', () => {
    add(70_000 - 10_000)
    const all = storedSince(-1)
    expect(all).toHaveLength(65_536)
    expect(all[0]).toEqual([2 * (70_000 - 65_536), 2 * (70_000 - 65_536) + 1])
    expect(all.at(-1)).toEqual([2 * 69_999, 2 * 69_999 + 1])
    expect(all.every(([s], i) => i === 0 || s === all[i - 1]![0] + 2)).toBe(true)
    expect(storedSince(2 * 69_000)[0]).toEqual([2 * 69_000, 2 * 69_000 + 1])
  })
})
