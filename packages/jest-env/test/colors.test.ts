import { describe, expect, test } from 'vitest'
import { jestUsesColors } from '../src/node/colors.js'

describe('jestUsesColors', () => {
  test('a terminal gets colours, a pipe does not', () => {
    expect(jestUsesColors([], {}, true)).toBe(true)
    expect(jestUsesColors([], {}, false)).toBe(false)
    expect(jestUsesColors([], { TERM: 'dumb' }, true)).toBe(false)
  })

  test('--colors forces them, --no-colors refuses them', () => {
    expect(jestUsesColors(['node', 'jest', '--colors'], {}, false)).toBe(true)
    expect(jestUsesColors(['node', 'jest', '--color'], {}, false)).toBe(true)
    expect(jestUsesColors(['node', 'jest', '--no-colors'], {}, true)).toBe(false)
    expect(jestUsesColors(['node', 'jest', '--color=false'], {}, true)).toBe(false)
  })

  test('FORCE_COLOR wins over the terminal and over --colors, NO_COLOR over the terminal', () => {
    expect(jestUsesColors([], { FORCE_COLOR: '1' }, false)).toBe(true)
    expect(jestUsesColors(['node', 'jest', '--colors'], { FORCE_COLOR: '0' }, true)).toBe(false)
    expect(jestUsesColors([], { NO_COLOR: '1' }, true)).toBe(false)
    expect(jestUsesColors(['node', 'jest', '--colors'], { NO_COLOR: '1' }, false)).toBe(true)
  })
})
