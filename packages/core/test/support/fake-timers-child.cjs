// Runs in a plain Node process (no test runner to starve): blocks in real async callbacks while
// @sinonjs/fake-timers has every API faked, nextTick and queueMicrotask included, installed before or after
// the monitor starts. Prints the readings as JSON. A GC pause the runtime makes in a block's turn is counted: the
// ground truth (the sleep) is a lower bound of the turn with it, and without it the pause's CPU time can be taken
// out twice on a loaded machine (once within the wait for a CPU, once as the pause).
// Usage: node fake-timers-child.cjs <built index.cjs> <@sinonjs/fake-timers entry>
const { readFile } = require('node:fs')
const timers = require('node:timers')
const [corePath, fakeTimersPath] = process.argv.slice(2)
const core = require(corePath)
const FakeTimers = require(fakeTimersPath)

// Captured before any fake is installed, like the monitor's own.
const realSetTimeout = timers.setTimeout
const realSetImmediate = timers.setImmediate
const hrtimeBigint = process.hrtime.bigint
const wallMs = () => Number(hrtimeBigint()) / 1e6
const waitCell = new Int32Array(new SharedArrayBuffer(4))
const EVERY_API = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate',
  'Date', 'performance', 'hrtime', 'nextTick', 'queueMicrotask']

// The block's own length: the sleep, once it really lasted that long. The wall time can be longer on a busy
// machine, by the wait for a CPU on waking, which the monitor leaves out.
function block(ms) {
  const from = wallMs()
  Atomics.wait(waitCell, 0, 0, ms)
  return Math.min(ms, wallMs() - from)
}

function blockAt(place, run) {
  switch (place) {
    case 'between awaits':
      return (async () => {
        await null
        const result = run()
        await null
        return result
      })()
    case 'timer callback':
      return new Promise((resolve) => realSetTimeout(() => resolve(run()), 1))
    case 'I/O callback':
      return new Promise((resolve, reject) => readFile(__filename, (error) => (error ? reject(error) : resolve(run()))))
  }
}

async function main() {
  const readings = []
  const calls = {}
  for (const setup of ['before start()', 'after start()']) {
    calls[setup] = []
    const monitor = core.createMonitor({ thresholdMs: 30, countGc: true, onBlock: (b) => calls[setup].push(b.durationMs) })
    let clock
    if (setup === 'before start()') clock = FakeTimers.install({ toFake: EVERY_API, now: Date.now() })
    monitor.start()
    if (setup === 'after start()') clock = FakeTimers.install({ toFake: EVERY_API, now: Date.now() })
    for (const place of ['between awaits', 'timer callback', 'I/O callback']) {
      await new Promise((resolve) => realSetImmediate(resolve))
      const mark = monitor.mark()
      const trueMs = await blockAt(place, () => block(40))
      readings.push({ setup, place, trueMs, readMs: monitor.since(mark).longestMs })
      await new Promise((resolve) => realSetTimeout(resolve, 5))
    }
    let trueMs = 0
    const measured = await core.measureBlocking(
      async () => {
        await new Promise((resolve) => realSetImmediate(resolve))
        trueMs = block(40)
      },
      { countGc: true },
    )
    readings.push({ setup, place: 'measureBlocking(async)', trueMs, readMs: measured.longestMs })
    clock.uninstall()
    monitor.stop()
  }
  process.stdout.write(JSON.stringify({ readings, calls }))
}

main()
