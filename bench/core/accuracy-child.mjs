// One detector on one ground-truth workload, alone in this process. Prints one JSON line per window.
import { installDetector } from './detectors.mjs'
import { BLOCKERS, LENGTHS_MS, PLACES, blockAt, idle, promiseHeavy, shortTasks, timerAndIoHeavy } from './workloads.mjs'

const [detectorName, workload, repeatsArg] = process.argv.slice(2)
const repeats = Number(repeatsArg ?? 2)
const print = (line) => process.stdout.write(`${JSON.stringify(line)}\n`)

// The gap after a block leaves time for interval-based detectors to call back.
const GAP_MS = 40

/** How many reported blocks hold two tasks or more. */
function mergedTasks(blocks, spans) {
  let merged = 0
  for (const block of blocks) {
    const endMs = block.startMs + block.durationMs
    const inside = spans.filter((s) => s.fromMs >= block.startMs - 1e-3 && s.toMs <= endMs + 1e-3).length
    if (inside >= 2) merged++
  }
  return merged
}

const detector = installDetector(detectorName)
await idle(50)

if (workload === 'no blocks') {
  for (let i = 0; i < 5; i++) {
    detector.begin()
    await idle(200)
    const { blocks, ...window } = detector.end()
    print({ kind: 'idle 200 ms', ...window })
  }
  for (const [kind, run] of [
    ['1,000 x 2 ms tasks', shortTasks],
    ['promise-heavy', promiseHeavy],
    ['timer/I/O-heavy', timerAndIoHeavy],
  ]) {
    await idle(20)
    detector.begin()
    const spans = await run()
    await idle(GAP_MS)
    const { blocks, ...window } = detector.end()
    // A detector that says when each block was (loopguard) shows whether any two tasks were read as one.
    const merged = blocks && Array.isArray(spans) ? mergedTasks(blocks, spans) : undefined
    print({ kind, ...window, merged })
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
        const { blocks, ...window } = detector.end()
        print({ kind: 'block', source: workload, place, ms, trueMs, ...window })
      }
    }
  }
}
detector.stop()
