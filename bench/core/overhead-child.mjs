// Times one busy workload with one detector against none, in this one process: samples with the detector
// installed and samples without it take turns (ABBA), on the same compiled code, so that neither the layout of
// a process nor a drift in the machine's load falls on one side only. Prints the median of the per-pair ratios
// of wall and CPU time, and the median wall time of a sample without a detector.
import { installDetector } from './detectors.mjs'
import { median } from './stats.mjs'
import { BUSY_WORKLOADS, wallMs } from './workloads.mjs'

const [detectorName, workloadName, pairsArg, repeatsArg] = process.argv.slice(2)
const workload = BUSY_WORKLOADS[workloadName]
if (!workload) throw new Error(`unknown workload ${workloadName}`)
const pairs = Number(pairsArg ?? 20)
// A sample runs the workload this many times back to back, so that it lasts long enough to time.
const repeats = Number(repeatsArg ?? 1)

const cpuMs = () => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

async function sample(withDetector) {
  const detector = withDetector ? installDetector(detectorName) : undefined
  const fromWall = wallMs()
  const fromCpu = cpuMs()
  for (let r = 0; r < repeats; r++) await workload()
  const result = { wallMs: wallMs() - fromWall, cpuMs: cpuMs() - fromCpu }
  detector?.stop()
  return result
}

// Warm the JIT on the workload, then the detector's own code with one pair that is not kept.
await workload()
await workload()
await sample(true)
await sample(false)

const wallRatios = []
const cpuRatios = []
const baselines = []
for (let p = 0; p < pairs; p++) {
  const detectorFirst = p % 2 === 1
  const a = await sample(detectorFirst)
  const b = await sample(!detectorFirst)
  const [withDetector, without] = detectorFirst ? [a, b] : [b, a]
  wallRatios.push(withDetector.wallMs / without.wallMs)
  cpuRatios.push(withDetector.cpuMs / without.cpuMs)
  baselines.push(without.wallMs)
}
process.stdout.write(`${JSON.stringify({ wallRatio: median(wallRatios), cpuRatio: median(cpuRatios), baselineMs: median(baselines) })}\n`)
