// One detector on one ground-truth workload, alone in this process. Prints one JSON line per window.
import { installDetector } from './detectors.mjs'
import {
  BLOCKERS,
  LENGTHS_MS,
  PLACES,
  blockAt,
  idle,
  promiseHeavy,
  runQueueWaitMs,
  shortTasks,
  timerAndIoHeavy,
} from './workloads.mjs'

const [detectorName, workload, repeatsArg] = process.argv.slice(2)
const repeats = Number(repeatsArg ?? 2)
const print = (line) => process.stdout.write(`${JSON.stringify(line)}\n`)

// The gap after a block leaves time for interval-based detectors to call back (blocked at 10 ms needs 10).
const GAP_MS = 40
const QUIET_GAP_MS = 15

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

/** Runs `work` in a window of the detector; prints what it reported and how long the thread waited for a CPU. */
async function window(line, work, gapMs = GAP_MS) {
  const waitedFrom = runQueueWaitMs()
  detector.begin()
  const spans = await work()
  await idle(gapMs)
  const { blocks, ...reported } = detector.end()
  // A detector that says when each block was (loopguard) shows whether any two tasks were read as one.
  const merged = blocks && Array.isArray(spans) ? mergedTasks(blocks, spans) : undefined
  print({ ...line, ...reported, merged, waitedMs: runQueueWaitMs() - waitedFrom })
}

if (workload === 'no blocks') {
  // Short windows, so that one disturbed by the machine can be set aside without losing the rest.
  for (let i = 0; i < 5; i++) await window({ kind: 'idle 200 ms' }, () => idle(200 - QUIET_GAP_MS), QUIET_GAP_MS)
  for (let i = 0; i < 100; i++) await window({ kind: '2 ms tasks' }, () => shortTasks(10), QUIET_GAP_MS)
  for (let i = 0; i < 10; i++) await window({ kind: 'promise-heavy' }, () => promiseHeavy(200), QUIET_GAP_MS)
  for (let i = 0; i < 2; i++) await window({ kind: 'timer/I/O-heavy' }, timerAndIoHeavy, QUIET_GAP_MS)
} else {
  const blocker = BLOCKERS[workload]
  if (!blocker) throw new Error(`unknown workload ${workload}`)
  for (let r = 0; r < repeats; r++) {
    for (const place of PLACES) {
      for (const ms of LENGTHS_MS) {
        await idle(15)
        const line = { kind: 'block', source: workload, place, ms }
        await window(line, async () => {
          line.trueMs = await blockAt(place, () => blocker(ms))
        })
      }
    }
  }
}
detector.stop()
