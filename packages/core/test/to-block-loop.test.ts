import { describe, expect, test } from 'vitest'
import { createToBlockLoop } from '../src/index.js'

const block = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

expect.extend({ toBlockLoop: createToBlockLoop(() => 25) })

declare module 'vitest' {
  interface Assertion<T = any> {
    toBlockLoop(ms?: number): T extends (...args: any[]) => PromiseLike<unknown> ? Promise<void> : void
  }
}

describe('toBlockLoop', () => {
  test('sync: passes .not under the limit and fails over it, stating both numbers', () => {
    expect(() => block(1)).not.toBlockLoop(20)
    expect(() => block(40)).toBlockLoop(20)
    expect(() => expect(() => block(40)).not.toBlockLoop(20)).toThrow(
      /not to block the event loop for more than 20 ms\nIts longest block: 4\d\.\d ms/,
    )
  })

  test('async: measures the whole run until it settles, synchronous start included', async () => {
    await expect(async () => {
      block(30)
      await sleep(5)
    }).toBlockLoop(20)
    await expect(async () => {
      await sleep(5)
      block(30)
    }).toBlockLoop(20)
    await expect(async () => {
      await sleep(30)
    }).not.toBlockLoop(20)
  })

  test('without ms, judges against the default budget', () => {
    expect(() => block(40)).toBlockLoop()
    expect(() => block(1)).not.toBlockLoop()
  })

  test('a non-function and a bad limit get a clear matcher error', () => {
    expect(() => expect('text' as unknown).toBlockLoop(10)).toThrow(/received value must be a function[\s\S]*Received: 'text'/)
    expect(() => expect(() => 1).toBlockLoop(-1)).toThrow(/expected value must be a number of milliseconds[\s\S]*Received: -1/)
  })

  test('errors thrown by fn propagate unchanged', async () => {
    const error = new Error('boom')
    expect(() => expect(() => { throw error }).toBlockLoop(1)).toThrow(error)
    await expect(expect(async () => { throw error }).toBlockLoop(1)).rejects.toBe(error)
  })
})
