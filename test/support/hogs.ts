// A busy machine for the fixtures: a CPU hog on every core that is idle. A machine whose cores are busy already (the
// hogs of `pnpm test:stress`, a shared CI runner) gets none: the specs of a busy machine are given for every core
// wanted by one more thread than the test's, and a machine loaded twice over starves V8's own helper threads, whose
// waits the main thread then sits out (seen: 1-20 ms in `pthread_cond_signal` posting a task to them, beside four
// hogs on two cores).
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'

/** The machine's [idle, total] CPU time so far, in clock ticks (Linux). */
function cpuTicks(): [number, number] {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number)
  // user nice system idle iowait irq softirq steal: the guest times are inside user and nice already.
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields as number[]
  return [idle! + iowait!, user! + nice! + system! + idle! + iowait! + irq! + softirq! + (steal ?? 0)]
}

/** Starts a hog on every idle core (measured over half a second); returns what stops them. */
export async function busyEveryCore(): Promise<{ stop: () => void }> {
  const [idleBefore, totalBefore] = cpuTicks()
  await sleep(500)
  const [idleAfter, totalAfter] = cpuTicks()
  const idleCores = totalAfter > totalBefore ? ((idleAfter - idleBefore) / (totalAfter - totalBefore)) * cpus().length : cpus().length
  const hogs: ChildProcess[] = Array.from({ length: Math.round(idleCores) }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  )
  return { stop: () => hogs.forEach((hog) => hog.kill('SIGKILL')) }
}
