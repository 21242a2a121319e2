// The ground-truth workloads of the core section: blocks of known length from known places in the loop, work
// that must read as no block, and the busy workloads the overhead is measured on.
import { execSync } from 'node:child_process'
import { readFile, readFileSync, stat } from 'node:fs'
import { fileURLToPath } from 'node:url'

const hrtimeBigint = process.hrtime.bigint
export const wallMs = () => Number(hrtimeBigint()) / 1e6

const waitCell = new Int32Array(new SharedArrayBuffer(4))
const thisFile = fileURLToPath(import.meta.url)

function timed(run) {
  const fromMs = wallMs()
  run()
  return wallMs() - fromMs
}

/** Ways to block the thread for `ms`; each returns the wall time it really took (the ground truth). */
export const BLOCKERS = {
  'Atomics.wait': (ms) => timed(() => Atomics.wait(waitCell, 0, 0, ms)),
  'CPU spin': (ms) =>
    timed(() => {
      const until = wallMs() + ms
      while (wallMs() < until) {
        // spinning is the point
      }
    }),
  "execSync('sleep')": (ms) => timed(() => execSync(`sleep ${ms / 1000}`)),
}

export const PLACES = ['sync call', 'between awaits', 'timer callback', 'I/O callback']
export const LENGTHS_MS = [5, 20, 50, 100, 300]

/** Runs `block` from `place` in the loop; resolves with what it returned. */
export function blockAt(place, block) {
  switch (place) {
    case 'sync call':
      return Promise.resolve(block())
    case 'between awaits':
      return (async () => {
        await null
        const result = block()
        await null
        return result
      })()
    case 'timer callback':
      return new Promise((resolve) => setTimeout(() => resolve(block()), 1))
    case 'I/O callback':
      return new Promise((resolve, reject) => readFile(thisFile, (error) => (error ? reject(error) : resolve(block()))))
    default:
      throw new Error(`unknown place ${place}`)
  }
}

/**
 * How long, in ms, this thread has waited for a CPU while it was ready to run (Linux's schedstat); NaN where
 * that is not known. A window in which it grew was disturbed by other work on the machine.
 */
export function runQueueWaitMs() {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[1]) / 1e6
  } catch {
    return Number.NaN
  }
}

export const idle = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
export const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

/** Tasks of 2 ms (1,000 by default), each in its own loop iteration; resolves with when each ran. */
export async function shortTasks(count = 1000) {
  const spans = []
  for (let i = 0; i < count; i++) {
    await nextTurn()
    const fromMs = wallMs()
    BLOCKERS['CPU spin'](2)
    spans.push({ fromMs, toMs: wallMs() })
  }
  return spans
}

async function leaf(i) {
  return i & 1
}

async function middle(i) {
  let sum = 0
  for (let j = 0; j < 4; j++) sum += await leaf(i + j)
  return sum
}

/** 200,000 awaits in 2,000 macrotasks of 100 awaits each (by default): async code as a server runs it. */
export async function promiseHeavy(chunks = 2000) {
  let sum = 0
  for (let chunk = 0; chunk < chunks; chunk++) {
    await nextTurn()
    for (let call = 0; call < 20; call++) sum += await middle(chunk + call)
  }
  return sum
}

const statOnce = () => new Promise((resolve, reject) => stat(thisFile, (error, s) => (error ? reject(error) : resolve(s))))

/** 50 concurrent chains of 100 rounds of a 0 ms timer, an fs.stat and an immediate: 15,000 callbacks. */
export async function timerAndIoHeavy() {
  const chain = async () => {
    for (let round = 0; round < 100; round++) {
      await new Promise((resolve) => setTimeout(resolve, 0))
      await statOnce()
      await nextTurn()
    }
  }
  await Promise.all(Array.from({ length: 50 }, chain))
}

export const BUSY_WORKLOADS = { 'promise-heavy (200k awaits)': promiseHeavy, 'timer/I/O-heavy (15k callbacks)': timerAndIoHeavy }
