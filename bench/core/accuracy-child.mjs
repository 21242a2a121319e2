// One detector on one ground-truth workload, alone in this process. Prints one JSON line per window.
import { installDetector } from './detectors.mjs'
import { BLOCKERS, LENGTHS_MS, PLACES, blockAt, idle, promiseHeavy, shortTasks, timerAndIoHeavy } from './workloads.mjs'

const [detectorName, workload, repeatsArg] = process.argv.slice(2)
const repeats = Number(repeatsArg ?? 2)
const print = (line) => process.stdout.write(`${JSON.stringify(line)}\n`)

// The gap after a block leaves time for interval-based detectors to call back.
const GAP_MS = 40

const detector = installDetector(detectorName)
await idle(50)

if (workload === 'no blocks') {
  for (let i = 0; i < 5; i++) {
    detector.begin()
    await idle(200)
    print({ kind: 'idle 200 ms', ...detector.end() })
  }
  for (const [kind, run] of [
    ['1,000 x 2 ms tasks', shortTasks],
    ['promise-heavy', promiseHeavy],
    ['timer/I/O-heavy', timerAndIoHeavy],
  ]) {
    await idle(20)
    detector.begin()
    await run()
    await idle(GAP_MS)
    print({ kind, ...detector.end() })
  }
} else {
  const blocker = BLOCKERS[workload]
  if (!blocker) throw new Error(`unknown workload ${workload}`)
  for (let r = 0; r < repeats; r++) {
    for (const place of PLACES) {
      for (const ms of LENGTHS_MS) {
        await idle(15)
        detector.begin()
        const trueMs = await blockAt(place, () => blocker(ms))
        await idle(GAP_MS)
        print({ kind: 'block', source: workload, place, ms, trueMs, ...detector.end() })
      }
    }
  }
}
detector.stop()
