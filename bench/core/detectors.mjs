// Each detector the core section compares, behind one small interface: begin() opens a window, end() says what
// the detector reported in it. Every detector is given the same reporting floor.
import { createRequire } from 'node:module'
import { monitorEventLoopDelay } from 'node:perf_hooks'

// The section runs its children on a copy of the built package (see sections/core.mjs), so that a rebuild in
// the work tree during a run changes nothing.
const { createMonitor } = await import(process.env.LOOPGUARD_CORE_ENTRY ?? '@loopguard/core')

const require = createRequire(import.meta.url)

/** Blocks under this are not reported by any detector (below the shortest ground truth, 5 ms). */
export const REPORT_FLOOR_MS = 4

/** A detector that hears about blocks through a callback: reports are the values it called back with. */
function fromCallbacks(start) {
  let reports = []
  const stop = start((ms) => reports.push(ms))
  return {
    begin() {
      reports = []
    },
    end() {
      return { reports: reports.filter((ms) => ms >= REPORT_FLOOR_MS), longestMs: Math.max(0, ...reports) }
    },
    stop,
  }
}

export const DETECTORS = {
  loopguard: {
    label: 'loopguard',
    reads: '`since(mark)` of a monitor with `countGc: true` (the ground truth includes GC pauses): every block, its start and length',
    install() {
      // The ground truth is all the time the blocking call took, garbage collection included (the CPU spin's clock
      // allocates); loopguard leaves GC pauses out of a block by default, so it counts them here, as the peers do.
      const monitor = createMonitor({ thresholdMs: REPORT_FLOOR_MS, countGc: true })
      monitor.start()
      let mark
      return {
        begin() {
          mark = monitor.mark()
        },
        end() {
          const stats = monitor.since(mark)
          return { reports: stats.blocks.map((b) => b.durationMs), longestMs: stats.longestMs, blocks: stats.blocks }
        },
        stop: () => monitor.stop(),
      }
    },
  },
  'blocked-10': {
    label: '`blocked`, interval 10 ms',
    reads: 'the ms it calls back with (interval lateness, rounded)',
    install() {
      const blocked = require('blocked')
      return fromCallbacks((report) => {
        const timer = blocked(report, { threshold: 1, interval: 10 })
        return () => clearInterval(timer)
      })
    },
  },
  'blocked-1': {
    label: '`blocked`, interval 1 ms',
    reads: 'the ms it calls back with (interval lateness, rounded)',
    install() {
      const blocked = require('blocked')
      return fromCallbacks((report) => {
        const timer = blocked(report, { threshold: 1, interval: 1 })
        return () => clearInterval(timer)
      })
    },
  },
  'blocked-at': {
    label: '`blocked-at`',
    reads: 'the ms it calls back with (one async callback, before to after hook)',
    install() {
      const blockedAt = require('blocked-at')
      return fromCallbacks((report) => blockedAt(report, { threshold: 1 }).stop)
    },
  },
  monitorEventLoopDelay: {
    label: '`monitorEventLoopDelay`, resolution 1 ms',
    reads: 'the histogram max per window, `reset()` when the window opens',
    install() {
      const histogram = monitorEventLoopDelay({ resolution: 1 })
      histogram.enable()
      return {
        begin() {
          histogram.reset()
        },
        end() {
          const maxMs = histogram.max / 1e6
          return { reports: maxMs >= REPORT_FLOOR_MS ? [maxMs] : [], longestMs: maxMs }
        },
        stop: () => histogram.disable(),
      }
    },
  },
}

/** The baseline for overhead: no detector at all. */
export const NONE = 'none'

export function installDetector(name) {
  if (name === NONE) return { begin() {}, end: () => ({ reports: [], longestMs: 0 }), stop() {} }
  const detector = DETECTORS[name]
  if (!detector) throw new Error(`unknown detector ${name}; known: ${Object.keys(DETECTORS).join(', ')}`)
  return detector.install()
}
