// The text of a failure over budget: what blocked and a hint in the message, the frames (absolute) as its stack.
import { describe, expect, test } from 'vitest'
import { failureText } from '../src/runtime/failure-stack.js'

const verdict = 'blocked the event loop for 120.0 ms (budget 50 ms), 1 block'
const frame = (file: string, line: number, fn: string) => ({ file, line, column: 3, function: fn })

describe('failureText', () => {
  test('a sync Node API: the line and the API in the message, the hint, and the frames from the project on', () => {
    const text = failureText(
      verdict,
      {
        startMs: 0,
        durationMs: 120,
        frame: frame('src/config.ts', 4, 'load'),
        frames: [frame('src/config.ts', 4, 'load'), frame('src/app.ts', 9, 'start'), frame('test/app.test.ts', 5, ''), frame('test/app.test.ts', 1, '')],
        activity: 'fs.readFileSync (sync I/O)',
      },
      '/project',
    )
    expect(text.message).toBe(
      `${verdict}\nlongest block in load (src/config.ts:4:3): fs.readFileSync (sync I/O)\nhint: use fs.promises.readFile (or fs.readFile with a callback): it does not block the event loop`,
    )
    // Three frames, as Jest prints them once it has made the paths relative.
    expect(text.frames).toBe('\n    at load (/project/src/config.ts:4:3)\n    at start (/project/src/app.ts:9:3)\n    at /project/test/app.test.ts:5:3')
  })

  test('time spent in a dependency is named after the project line that called it', () => {
    const text = failureText(
      verdict,
      {
        startMs: 0,
        durationMs: 120,
        frame: frame('src/schema.ts', 7, 'compile'),
        frames: [frame('ajv/dist/compile/index.js', 120, 'compileSchema'), frame('src/schema.ts', 7, 'compile')],
        activity: 'in ajv/dist/compile/index.js',
      },
      '/project',
    )
    expect(text.message).toBe(`${verdict}\nlongest block in compile (src/schema.ts:7:3), in ajv/dist/compile/index.js`)
    expect(text.frames).toBe('\n    at compile (/project/src/schema.ts:7:3)')
  })

  test('no frame known: the verdict alone, and no stack of its own', () => {
    expect(failureText(verdict, { startMs: 0, durationMs: 120, frame: null }, '/project')).toEqual({ message: verdict, frames: undefined })
    expect(failureText(verdict, undefined, '/project')).toEqual({ message: verdict, frames: undefined })
  })
})
