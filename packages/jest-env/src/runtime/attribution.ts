// Names the lines that blocked, for one test file: after a test's window has closed, the samples the worker's
// CPU profiler took inside each of its blocks name the project's line that ran or called the blocking work
// (core's attributeBlocks), the test is judged again on the blocks in `scope`, and a test over budget may
// leave a .cpuprofile of its blocking windows in `profileDir`.
import { resolve } from 'node:path'
import { judgeInScope, now, type ReportBlock, type ResolvedOptions, type TestEnd, type TestFigures } from '@loopguard/core'
import { attributeBlocks, writeCpuProfile, type BlockWindow, type CpuProfile, type Profiler } from '@loopguard/core/attribution'
import { borrowProfiler, returnProfiler } from './profiler-lease.js'

/** A recording is read and dropped at least this often, so that it never holds much more than a test's worth. */
const MAX_RECORDING_MS = 2000

export interface JudgedTest {
  figures: TestFigures
  failure: string | undefined
  /** The longest block that counts against the budget, with its frames when attribution named them. */
  longest: ReportBlock | undefined
}

export class FileAttribution {
  private profiler: Profiler | undefined
  /** Recordings read while another test's window was still open: that test's blocks may lie in them. */
  private retained: CpuProfile[] = []
  private lastTakeMs = now()

  constructor(
    private readonly options: ResolvedOptions,
    private readonly rootDir: string,
  ) {
    if (options.attribution === 'off' && options.profileDir === undefined) return
    try {
      this.profiler = borrowProfiler()
    } catch {
      // No inspector in this Node.js build: blocks are measured as ever, without names.
      this.profiler = undefined
    }
  }

  /**
   * Names the blocks of a test whose window has just closed and judges it again on the blocks in scope.
   * `othersOpen`: other tests have started and are not done (concurrent tests): recordings read now are kept for them.
   */
  afterTest(end: TestEnd, othersOpen: boolean): JudgedTest {
    const { figures } = end
    const unnamed = { figures, failure: end.failure, longest: longestBlock(figures.blocks) }
    if (!this.profiler) return unnamed
    const name = this.options.attribution === 'full' ? figures.blocks.length > 0 : this.options.attribution === 'auto' && figures.overBudget
    const keepProfile = this.options.profileDir !== undefined && figures.overBudget
    if (!name && !keepProfile) {
      if (!othersOpen && now() - this.lastTakeMs > MAX_RECORDING_MS) this.take(false)
      return unnamed
    }
    const profiles = this.take(othersOpen)
    if (profiles.length === 0) return unnamed

    const windows: BlockWindow[] = figures.blocks.map((b) => ({ startMs: end.startMs + b.startMs, durationMs: b.durationMs }))
    let judged: JudgedTest = unnamed
    if (name) {
      const blocks = this.name(profiles, windows, figures.blocks)
      const rejudged = judgeInScope({ ...figures, blocks }, this.options.mode)
      const counted = blocks.filter((b) => b.inScope !== false)
      judged = { figures: rejudged.figures, failure: rejudged.failure, longest: longestBlock(counted) }
    }
    if (keepProfile && judged.figures.overBudget) this.writeProfile(profiles, windows, figures)
    return judged
  }

  /** Gives the worker's profiler back; it keeps running a moment for the worker's next file. */
  close(): void {
    if (!this.profiler) return
    this.profiler = undefined
    this.retained = []
    returnProfiler()
  }

  /** Ends the current recording; returns it with the ones kept for concurrent tests, oldest first. */
  private take(keep: boolean): CpuProfile[] {
    let profile: CpuProfile
    try {
      profile = this.profiler!.takeProfile()
    } catch {
      return []
    } finally {
      this.lastTakeMs = now()
    }
    const profiles = [...this.retained, profile]
    this.retained = keep ? profiles : []
    return profiles
  }

  private name(profiles: readonly CpuProfile[], windows: readonly BlockWindow[], blocks: readonly ReportBlock[]): ReportBlock[] {
    const named = blocks.map((block) => ({ ...block }))
    // Each block is named from the recording that covers most of it (a recording ends at each read).
    const byProfile = new Map<CpuProfile, number[]>()
    windows.forEach((window, i) => {
      const profile = coveringProfile(profiles, window)
      byProfile.set(profile, [...(byProfile.get(profile) ?? []), i])
    })
    for (const [profile, indices] of byProfile) {
      let found
      try {
        found = attributeBlocks(profile, indices.map((i) => windows[i]!), { root: this.rootDir, scope: this.options.scope })
      } catch {
        // A profile that cannot be read names nothing; the blocks are reported as measured.
        continue
      }
      found.forEach((attribution, k) => {
        const block = named[indices[k]!]!
        block.frame = attribution.frame
        if (attribution.frames.length > 0) block.frames = attribution.frames
        if (attribution.activity) block.activity = attribution.activity
        if (attribution.inScope !== undefined) block.inScope = attribution.inScope
      })
    }
    return named
  }

  private writeProfile(profiles: readonly CpuProfile[], windows: readonly BlockWindow[], figures: TestFigures): void {
    const longest = windows.reduce<BlockWindow | undefined>((best, w) => (!best || w.durationMs > best.durationMs ? w : best), undefined)
    const profile = longest ? coveringProfile(profiles, longest) : profiles.at(-1)!
    try {
      writeCpuProfile(resolve(this.rootDir, this.options.profileDir!), `${figures.file} > ${figures.fullName}`, profile, windows, { root: this.rootDir })
    } catch {
      // A folder that cannot be written loses the profile, never the run.
    }
  }
}

function longestBlock(blocks: readonly ReportBlock[]): ReportBlock | undefined {
  let best: ReportBlock | undefined
  for (const block of blocks) if (!best || block.durationMs > best.durationMs) best = block
  return best
}

/** The recording that overlaps the window most (profile times are microseconds on core's clock). */
function coveringProfile(profiles: readonly CpuProfile[], window: BlockWindow): CpuProfile {
  const from = window.startMs * 1000
  const to = (window.startMs + window.durationMs) * 1000
  let best = profiles.at(-1)!
  let bestOverlap = -Infinity
  for (const profile of profiles) {
    const overlap = Math.min(to, profile.endTime) - Math.max(from, profile.startTime)
    if (overlap > bestOverlap) {
      best = profile
      bestOverlap = overlap
    }
  }
  return best
}
