// Times one busy workload with one detector (or none), alone in this process. Prints the median wall and CPU
// time of a sample.
import { installDetector } from './detectors.mjs'
import { BUSY_WORKLOADS, wallMs } from './workloads.mjs'

const [detectorName, workloadName, samplesArg, repeatsArg] = process.argv.slice(2)
const workload = BUSY_WORKLOADS[workloadName]
if (!workload) throw new Error(`unknown workload ${workloadName}`)
const samples = Number(samplesArg ?? 3)
// A sample runs the workload this many times back to back, so that it lasts long enough to time.
const repeats = Number(repeatsArg ?? 1)

const cpuMs = () => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1]

// Warm the JIT with no detector, so every detector is timed on the same compiled code.
await workload()
await workload()
const detector = installDetector(detectorName)
const wall = []
const cpu = []
for (let s = 0; s < samples; s++) {
  const fromWall = wallMs()
  const fromCpu = cpuMs()
  for (let r = 0; r < repeats; r++) await workload()
  wall.push(wallMs() - fromWall)
  cpu.push(cpuMs() - fromCpu)
}
detector.stop()
process.stdout.write(`${JSON.stringify({ wallMs: median(wall), cpuMs: median(cpu) })}\n`)
