// Names the lines that blocked, for one test file: after a test's window has closed, the samples the worker's
// CPU profiler took inside each of its blocks name the project's line that ran or called the blocking work
// (core's attributeBlocks), the test is judged again on the blocks in `scope`, and a test over budget may
// leave a .cpuprofile of its blocking windows in `profileDir`.
import { resolve } from 'node:path'
import {
  budgetForFile,
  judgeInScope,
  moveNotTheCode,
  now,
  refigure,
  round,
  type ReportBlock,
  type ReportFile,
  type ResolvedOptions,
  type TestEnd,
  type TestFigures,
} from '@loopguard/core'
import {
  attributeBlocks,
  blockOwners,
  ownedBlock,
  writeCpuProfile,
  type BlockWindow,
  type CpuProfile,
  type FunctionLocation,
  type OwnerCandidate,
  type Profiler,
} from '@loopguard/core/attribution'
import { borrowProfiler, returnProfiler } from './profiler-lease.js'

/** A recording is read and dropped at least this often, so that it never holds much more than a test's worth. */
const MAX_RECORDING_MS = 2000
/** Recordings kept to name the blocks of concurrent tests that began before the last take. */
const RECENT_RECORDINGS = 4

export interface JudgedTest {
  figures: TestFigures
  failure: string | undefined
  /** The longest block that counts against the budget, with its frames when attribution named them. */
  longest: ReportBlock | undefined
}

export class FileAttribution {
  private profiler: Profiler | undefined
  private lastTakeMs = now()
  /** The recording that ended when the file's first test began: collection and the first beforeAll hooks. */
  private beforeTests: CpuProfile | undefined
  /** The last recordings taken in this file, newest last: a concurrent test's blocks may lie in an earlier one. */
  private readonly recent: CpuProfile[] = []
  /** Where V8 compiled each concurrent test's function (null: it does not say). */
  private readonly locations = new WeakMap<Function, FunctionLocation | null>()

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
   * Names the blocks of tests whose windows have closed and judges them again on the blocks in scope. Call it
   * when no test's window is open: its own work would lengthen their blocks, and the recording it reads ends now.
   */
  judge(ends: readonly TestEnd[], concurrentFns: ReadonlyMap<string, Function> = new Map()): JudgedTest[] {
    const unnamed = ends.map((end) => ({ figures: end.figures, failure: end.failure, longest: longestBlock(end.figures.blocks) }))
    if (!this.profiler) return unnamed
    const name = (figures: TestFigures) =>
      this.options.attribution === 'full' ? figures.blocks.length > 0 : this.options.attribution === 'auto' && figures.overBudget
    const keepProfile = (figures: TestFigures) => this.options.profileDir !== undefined && figures.overBudget
    if (!ends.some((end) => name(end.figures) || keepProfile(end.figures))) {
      if (this.cheapTakes && now() - this.lastTakeMs > MAX_RECORDING_MS) this.take()
      return unnamed
    }
    const profile = this.take()
    if (!profile) return unnamed

    return ends.map((end, i) => {
      const { figures } = end
      const windows: BlockWindow[] = figures.blocks.map((b) => ({ startMs: end.startMs + b.startMs, durationMs: b.wallMs ?? b.durationMs }))
      let judged = unnamed[i]!
      if (name(figures)) {
        // A concurrent test's window can begin in an earlier recording: each block is read from the one it lies in.
        const blocks = this.perRecording(windows, figures.blocks, (recording, w, b) => this.ownBlocks(end, recording, w, this.name(recording, w, b), concurrentFns))
        // Node loading its own modules, which the samples show, is not the test's blocking.
        const rejudged = judgeInScope(refigure(figures, blocks, this.options.thresholdMs), this.options.mode)
        judged = { figures: rejudged.figures, failure: rejudged.failure, longest: longestBlock(blocks.filter((b) => b.inScope !== false)) }
      }
      if (keepProfile(figures) && judged.figures.overBudget) this.writeProfile(profile, windows, figures)
      return judged
    })
  }

  /**
   * Called as the file's first test begins, outside any window: ends the recording of the file's collection and
   * first beforeAll hooks, kept to name their blocks at the file's end.
   */
  firstTestStarts(): void {
    if (this.cheapTakes && this.options.attribution !== 'off' && !this.beforeTests) this.beforeTests = this.take()
  }

  /**
   * Names the blocks of the file that fell outside every test ('full': all of them; 'auto': those longer than
   * the file's budget), from the recording before its first test or the one ending now (afterAll). Blocks
   * between tests are left unnamed: their samples were read with the tests'.
   */
  nameFileBlocks(file: ReportFile, fileStartMs: number): ReportFile {
    if (!this.profiler || this.options.attribution === 'off') return file
    const budgetMs = budgetForFile(this.options, file.file)
    const wanted = file.blocks.map((b) => this.options.attribution === 'full' || b.durationMs > budgetMs)
    if (!wanted.some(Boolean)) return file
    const profiles = [this.beforeTests, this.take()].filter((p): p is CpuProfile => p !== undefined)
    this.beforeTests = undefined
    const blocks = file.blocks.map((block) => ({ ...block }))
    for (const profile of profiles) {
      const inside = blocks.filter((b, i) => wanted[i] && within(profile, fileStartMs + b.startMs, b.wallMs ?? b.durationMs))
      if (inside.length === 0) continue
      const windows = inside.map((b) => ({ startMs: fileStartMs + b.startMs, durationMs: b.wallMs ?? b.durationMs }))
      this.name(profile, windows, inside, this.options.attribution === 'full').forEach((named, k) => Object.assign(inside[k]!, named))
    }
    // Jest's transforms and Node's loading moved to the runner's work: the file's figures follow, and a block left
    // under the threshold is no longer listed.
    const movedMs = blocks.reduce((sum, b, i) => sum + (b.runnerMs ?? 0) - (file.blocks[i]!.runnerMs ?? 0), 0)
    if (movedMs <= 0) return { ...file, blocks }
    const kept = blocks.filter((b) => b.durationMs >= this.options.thresholdMs)
    return {
      ...file,
      blocks: kept,
      longestMs: round(Math.max(0, ...blocks.map((b) => b.durationMs))),
      runnerMs: round((file.runnerMs ?? 0) + movedMs),
    }
  }

  /**
   * Whether reading the recording is cheap enough to do when nothing asks for it. Not where Node's own profiler
   * connections run (NODE_V8_COVERAGE, --cpu-prof): each read there restarts V8's profiler, at 10-100 ms.
   */
  private get cheapTakes(): boolean {
    return this.profiler?.mode === 'overlapping'
  }

  /** Gives the worker's profiler back; it keeps running a moment for the worker's next file. */
  close(): void {
    if (!this.profiler) return
    this.profiler = undefined
    this.beforeTests = undefined
    this.recent.length = 0
    returnProfiler()
  }

  /** Ends the current recording and returns it: every sample since the previous take. */
  private take(): CpuProfile | undefined {
    try {
      const profile = this.profiler!.takeProfile()
      this.recent.push(profile)
      if (this.recent.length > RECENT_RECORDINGS) this.recent.shift()
      return profile
    } catch {
      return undefined
    } finally {
      this.lastTakeMs = now()
    }
  }

  /**
   * `fn` applied to the blocks each recent recording holds, with the windows of those blocks; blocks that no
   * recording holds are kept as they are. The results keep the blocks' order.
   */
  private perRecording(
    windows: readonly BlockWindow[],
    blocks: readonly ReportBlock[],
    fn: (profile: CpuProfile, windows: BlockWindow[], blocks: ReportBlock[]) => (ReportBlock | undefined)[],
  ): ReportBlock[] {
    const results: (ReportBlock | undefined)[] = [...blocks]
    for (const recording of this.recent) {
      const inside = windows.map((_, i) => i).filter((i) => results[i] && within(recording, windows[i]!.startMs, windows[i]!.durationMs))
      if (inside.length === 0) continue
      const found = fn(
        recording,
        inside.map((i) => windows[i]!),
        inside.map((i) => results[i]!),
      )
      inside.forEach((i, k) => (results[i] = found[k]))
    }
    return results.filter((b): b is ReportBlock => b !== undefined)
  }

  /**
   * A concurrent test's blocks, in order: undefined for those the profile shows were other concurrent tests' (their
   * function on the stack), and no longer marked shared where it shows they were this test's alone. A block whose
   * samples cannot tell, or show a function this test runs with others, stays shared.
   */
  private ownBlocks(end: TestEnd, profile: CpuProfile, windows: readonly BlockWindow[], blocks: ReportBlock[], fns: ReadonlyMap<string, Function>): (ReportBlock | undefined)[] {
    if (fns.size === 0 || !blocks.some((b) => b.sharedBy !== undefined)) return blocks
    const candidates: OwnerCandidate[] = []
    for (const [id, fn] of fns) {
      let location = this.locations.get(fn)
      if (location === undefined) {
        location = this.profiler!.functionLocation(fn) ?? null
        this.locations.set(fn, location)
      }
      if (location) candidates.push({ id, location })
    }
    const owners = blockOwners(profile, windows, candidates)
    return blocks.map((block, i) => (block.sharedBy === undefined ? block : ownedBlock(block, owners[i], end.id)))
  }

  /**
   * The blocks with what the samples name. `readScripts` false: no debugger for scripts whose maps are unknown (they
   * are passed over), for blocks charged to no test, which are not worth the debugger's cost (see attributeBlocks).
   */
  private name<B extends ReportBlock>(profile: CpuProfile, windows: readonly BlockWindow[], blocks: readonly B[], readScripts = true): B[] {
    let found
    try {
      found = attributeBlocks(profile, windows, { root: this.rootDir, scope: this.options.scope, readScripts })
    } catch {
      // A profile that cannot be read names nothing; the blocks are reported as measured.
      return [...blocks]
    }
    return blocks.map((block, i) => {
      const attribution = found[i]!
      const named: B = { ...moveNotTheCode(block, attribution, this.options.countGc), frame: attribution.frame }
      if (attribution.frames.length > 0) named.frames = attribution.frames
      if (attribution.activity) named.activity = attribution.activity
      if (attribution.inScope !== undefined) named.inScope = attribution.inScope
      return named
    })
  }

  private writeProfile(profile: CpuProfile, windows: readonly BlockWindow[], figures: TestFigures): void {
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

/** Whether a window (core's clock, ms) lies in a recording (microseconds), give or take a sample. */
function within(profile: CpuProfile, startMs: number, durationMs: number): boolean {
  return startMs * 1000 >= profile.startTime - 1000 && (startMs + durationMs) * 1000 <= profile.endTime + 1000
}
