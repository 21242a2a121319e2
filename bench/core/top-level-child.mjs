// One block at the top level of a script, before anything asynchronous has happened: the body of a test file
// as a runner loads it. Prints one JSON line for the window.
import { installDetector } from './detectors.mjs'
import { BLOCKERS, idle, runQueueWaitMs } from './workloads.mjs'

const [detectorName, source, msArg] = process.argv.slice(2)
const ms = Number(msArg)
const waitedFrom = runQueueWaitMs()
const detector = installDetector(detectorName)
detector.begin()
const trueMs = BLOCKERS[source](ms)
await idle(40)
const { blocks, ...window } = detector.end()
const waitedMs = runQueueWaitMs() - waitedFrom
process.stdout.write(`${JSON.stringify({ kind: 'block', source, place: 'script top level', ms, trueMs, ...window, waitedMs })}\n`)
detector.stop()
