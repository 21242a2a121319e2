// Times one busy workload with one detector (or none), alone in this process. Prints the median ms per run.
import { installDetector } from './detectors.mjs'
import { BUSY_WORKLOADS, wallMs } from './workloads.mjs'

const [detectorName, workloadName, runsArg] = process.argv.slice(2)
const workload = BUSY_WORKLOADS[workloadName]
if (!workload) throw new Error(`unknown workload ${workloadName}`)
const runs = Number(runsArg ?? 5)

// Warm the JIT with no detector, so every detector is timed on the same compiled code.
await workload()
await workload()
const detector = installDetector(detectorName)
const times = []
for (let i = 0; i < runs; i++) {
  const fromMs = wallMs()
  await workload()
  times.push(wallMs() - fromMs)
}
detector.stop()
times.sort((a, b) => a - b)
process.stdout.write(`${JSON.stringify({ ms: times[Math.floor(times.length / 2)] })}\n`)
