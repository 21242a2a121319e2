// Naming the line that blocked, in the worker: V8's sampling profiler runs while a test file runs, and after a
// test's window has closed the samples inside its blocks say which line of the project's code they were in.
import {
  attributeBlocks,
  startProfiler,
  writeCpuProfile,
  type Attribution,
  type BlockWindow,
  type CpuProfile,
  type Profiler,
} from '@loopguard/core/attribution'
import { moveNotTheCode, now, type ReportBlock, type ResolvedOptions } from '@loopguard/core'
import { retrieveRunnerSourceMap } from './runner-source-maps.js'
import { placeCalls, SourceTexts } from './call-lines.js'
import type { OwnWork } from './own-work.js'

/** A recording of the profiler, with the span of core's clock it covers (ms). */
interface Recording {
  profile: CpuProfile
  fromMs: number
  toMs: number
}

/**
 * Recordings older than this are dropped at the next test end with no test running: a recording holds every
 * sample since the previous take, so reading it gets slower and heavier the longer it runs.
 */
const KEEP_RECORDING_MS = 2000
/** Recordings kept at most while concurrent tests overlap (each may hold blocks of a test still running). */
const MAX_RECORDINGS = 16

export interface AttributedBlocks<B extends ReportBlock> {
  blocks: B[]
  /** The recording the blocks were found in, for the test's `.cpuprofile`. */
  profile: CpuProfile | undefined
}

/** The profiler of one test file and the recordings not yet attributed. */
export class FileAttribution {
  private readonly profiler: Profiler
  private recordings: Recording[] = []
  /** The first recording of the file: it holds the blocks of collection and beforeAll. */
  private first: Recording | undefined
  private lastTakeMs: number
  /** When this file's loopguard work ran, to be cut out of the file's blocks. */
  readonly ownWork: OwnWork[] = []

  constructor(private readonly options: Pick<ResolvedOptions, 'attribution' | 'scope' | 'profileDir' | 'thresholdMs' | 'countGc'> & { root: string }) {
    this.profiler = startProfiler()
    this.lastTakeMs = now()
  }

  /** Whether a test's blocks are worth attributing: every listed block with 'full', a test over budget otherwise. */
  wants(blocks: readonly ReportBlock[], longestMs: number, budgetMs: number): boolean {
    if (blocks.length === 0) return false
    if (this.options.attribution === 'full') return true
    return longestMs > budgetMs
  }

  /** Runs loopguard's own work between tests, remembering when it ran. */
  work<T>(fn: () => T): T {
    const startMs = now()
    try {
      return fn()
    } finally {
      this.ownWork.push({ startMs, endMs: now() })
    }
  }

  /** Blocks shorter than this are not listed. */
  get thresholdMs(): number {
    return this.options.thresholdMs
  }

  get attributing(): boolean {
    return this.options.attribution !== 'off'
  }

  /**
   * Takes the samples since the last take. Call only after a window has closed: the take itself is event-loop
   * time (0.2-1 ms) that no test should be charged for.
   */
  take(): Recording {
    const profile = this.profiler.takeProfile()
    const toMs = now()
    const recording = { profile, fromMs: this.lastTakeMs, toMs }
    this.lastTakeMs = toMs
    this.first ??= recording
    this.recordings.push(recording)
    if (this.recordings.length > MAX_RECORDINGS) this.recordings.shift()
    return recording
  }

  /**
   * Frames for blocks whose starts are `originMs` + `startMs` on core's clock, from the recordings taken so far.
   * Blocks no recording covers keep `frame: null`.
   */
  attribute<B extends ReportBlock>(blocks: readonly B[], originMs: number): AttributedBlocks<B> {
    const windows: BlockWindow[] = blocks.map((b) => ({ startMs: originMs + b.startMs, durationMs: b.wallMs ?? b.durationMs }))
    const found: (Attribution | undefined)[] = blocks.map(() => undefined)
    let best: { recording: Recording; hits: number } | undefined
    const recordings = this.first && !this.recordings.includes(this.first) ? [this.first, ...this.recordings] : this.recordings
    for (const recording of recordings) {
      const inside = windows.map((w, i) => i).filter((i) => windows[i]!.startMs < recording.toMs && windows[i]!.startMs + windows[i]!.durationMs > recording.fromMs)
      if (inside.length === 0) continue
      if (!best || inside.length > best.hits) best = { recording, hits: inside.length }
      if (!this.attributing) continue
      const results = attributeBlocks(recording.profile, inside.map((i) => windows[i]!), {
        root: this.options.root,
        scope: this.options.scope,
        retrieveSourceMap: retrieveRunnerSourceMap,
      })
      results.forEach((result, k) => {
        const i = inside[k]!
        if (!found[i] || result.samples > found[i]!.samples) found[i] = result
      })
    }
    const texts = new SourceTexts(this.options.root)
    return { blocks: blocks.map((block, i) => placeCalls(withAttribution(block, found[i], this.options.countGc), texts)), profile: best?.recording.profile }
  }

  /**
   * Lets go of recordings no running test can need, and takes (and drops) one when the current recording has
   * grown old. `testsRunning`: windows still open (concurrent tests).
   */
  settle(testsRunning: number): void {
    if (testsRunning > 0) return
    this.recordings = []
    if (now() - this.lastTakeMs > KEEP_RECORDING_MS) {
      this.work(() => this.take())
      this.recordings = []
    }
  }

  /** Writes the `.cpuprofile` of a test's blocking windows; errors are the caller's to report. */
  writeProfile(testName: string, profile: CpuProfile, blocks: readonly ReportBlock[], originMs: number): string | undefined {
    if (!this.options.profileDir) return undefined
    const windows = blocks.map((b) => ({ startMs: originMs + b.startMs, durationMs: b.wallMs ?? b.durationMs }))
    return writeCpuProfile(this.options.profileDir, testName, profile, windows, { root: this.options.root, retrieveSourceMap: retrieveRunnerSourceMap })
  }

  /** Ends the recording: the profiler of this thread stops, so nothing samples between files. */
  stop(): void {
    this.recordings = []
    this.first = undefined
    this.profiler.stop()
  }
}

function withAttribution<B extends ReportBlock>(block: B, found: Attribution | undefined, countGc: boolean): B {
  if (!found) return { ...block, frame: block.frame ?? null }
  const attributed: B = { ...moveNotTheCode(block, found, countGc), frame: found.frame }
  if (found.frames.length > 0) attributed.frames = found.frames
  if (found.activity !== undefined) attributed.activity = found.activity
  if (found.inScope !== undefined) attributed.inScope = found.inScope
  return attributed
}
