// Naming the line that blocked, in the worker: V8's sampling profiler runs while a test file runs, and after a
// test's window has closed the samples inside its blocks say which line of the project's code they were in.
import {
  attributeBlocks,
  blockOwners,
  ownedBlock,
  startProfiler,
  writeCpuProfile,
  type Attribution,
  type BlockWindow,
  type CpuProfile,
  type FunctionLocation,
  type OwnerCandidate,
  type Profiler,
} from '@loopguard/core/attribution'
import { keepSamplerAwake, moveNotTheCode, now, recordRunnerWork, type ReportBlock, type ResolvedOptions } from '@loopguard/core'
import { retrieveRunnerSourceMap } from './runner-source-maps.js'
import { placeCalls, SourceTexts } from './call-lines.js'
import type { OwnWork } from './own-work.js'
import type { TaskLike } from './identity.js'

/** Vitest's own function for a test: a wrapper that holds the test's function in its closures. */
type GetTestFn = (task: TaskLike) => unknown

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
/** Functions looked for at most in the closures of the wrapper Vitest runs for a test (Vitest 4.1: 7 to its own). */
const MAX_WRAPPED = 12

export interface AttributedBlocks<B extends ReportBlock> {
  blocks: B[]
  /** The recording the blocks were found in, for the test's `.cpuprofile`. */
  profile: CpuProfile | undefined
}

/** The profiler of one test file and the recordings not yet attributed. */
export class FileAttribution {
  private readonly profiler: Profiler
  /** Lets the detector's interval sleep again: the profiler's signals cut libuv's poll short while it runs. */
  private readonly letSamplerSleep: () => void
  private recordings: Recording[] = []
  /** The first recording of the file: it holds the blocks of collection and beforeAll. */
  private first: Recording | undefined
  private lastTakeMs: number
  /** When this file's loopguard work ran, to be cut out of the file's blocks. */
  readonly ownWork: OwnWork[] = []
  /** The file's concurrent tests so far, by id: a block they shared goes to the one whose function ran it. */
  private readonly concurrent = new Map<string, TaskLike>()
  /** The project's functions in the closures of each concurrent test's wrapper (its own among them), once found. */
  private readonly testFunctions = new Map<string, FunctionLocation[]>()
  private loadedGetTestFn: GetTestFn | undefined
  private loadingGetTestFn: Promise<void> | undefined

  constructor(private readonly options: Pick<ResolvedOptions, 'attribution' | 'scope' | 'profileDir' | 'thresholdMs' | 'countGc'> & { root: string }) {
    this.profiler = startProfiler()
    this.letSamplerSleep = keepSamplerAwake()
    this.lastTakeMs = now()
  }

  /** Whether a test's blocks are worth attributing: every listed block with 'full', a test over budget otherwise. */
  wants(blocks: readonly ReportBlock[], longestMs: number, budgetMs: number): boolean {
    if (blocks.length === 0) return false
    if (this.options.attribution === 'full') return true
    return longestMs > budgetMs
  }

  /**
   * Runs loopguard's own work between tests, remembering when it ran. `testsRunning`: windows still open
   * (concurrent tests), which leave it out as they leave out the runner's work.
   */
  work<T>(fn: () => T, testsRunning = 0): T {
    const startMs = now()
    try {
      return fn()
    } finally {
      const endMs = now()
      this.ownWork.push({ startMs, endMs })
      if (testsRunning > 0) recordRunnerWork(startMs, endMs)
    }
  }

  /** Remembers a concurrent test, whose function may be found on the stack of a block it shares. */
  concurrentTestStarted(task: TaskLike): void {
    this.concurrent.set(task.id, task)
    this.loadingGetTestFn ??= loadGetTestFn().then((getTestFn) => {
      this.loadedGetTestFn = getTestFn
    })
  }

  /** What to await before judging a test: the loading of what concurrent tests need, if any runs. */
  get loading(): Promise<void> | undefined {
    return this.loadingGetTestFn
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
  attribute<B extends ReportBlock>(blocks: readonly B[], originMs: number, testId?: string): AttributedBlocks<B> {
    const windows: BlockWindow[] = blocks.map((b) => ({ startMs: originMs + b.startMs, durationMs: b.wallMs ?? b.durationMs }))
    const found: (Attribution | undefined)[] = blocks.map(() => undefined)
    const owners: (string[] | undefined)[] = blocks.map(() => undefined)
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
      const shared = testId === undefined ? [] : inside.filter((i) => blocks[i]!.sharedBy !== undefined)
      const ownersFound = shared.length > 0 ? blockOwners(recording.profile, shared.map((i) => windows[i]!), this.candidates(recording.profile)) : []
      results.forEach((result, k) => {
        const i = inside[k]!
        if (found[i] && result.samples <= found[i]!.samples) return
        found[i] = result
        const s = shared.indexOf(i)
        owners[i] = s < 0 ? undefined : ownersFound[s]
      })
    }
    const texts = new SourceTexts(this.options.root)
    const attributed: B[] = []
    blocks.forEach((block, i) => {
      const named = placeCalls(withAttribution(block, found[i], this.options.countGc), texts)
      const own = testId === undefined ? named : ownedBlock(named, owners[i], testId)
      if (own) attributed.push(own)
    })
    return { blocks: attributed, profile: best?.recording.profile }
  }

  /**
   * The concurrent tests whose functions the profile can show: for each, the functions of the project's scripts
   * (not under node_modules) that the wrapper Vitest runs holds in its closures, its own function among them. Those
   * two tests share (the describe block that made them, say) tell nothing: see blockOwners.
   */
  private candidates(profile: CpuProfile): OwnerCandidate[] {
    const getTestFn = this.loadedGetTestFn
    if (!getTestFn) return []
    const urls = new Map<string, string>()
    for (const node of profile.nodes) urls.set(node.callFrame.scriptId, node.callFrame.url)
    const inProject = (l: FunctionLocation) => {
      const url = urls.get(l.scriptId)
      return url !== undefined && url !== '' && !url.startsWith('node:') && !/[\\/]node_modules[\\/]/.test(url)
    }
    const candidates: OwnerCandidate[] = []
    for (const [id, task] of this.concurrent) {
      let locations = this.testFunctions.get(id)
      if (!locations) {
        const fn = getTestFn(task)
        if (typeof fn !== 'function') continue
        locations = this.profiler.wrappedFunctionLocations(fn, MAX_WRAPPED).filter(inProject)
        // Not kept when none was found: the test's script may be in a later recording.
        if (locations.length > 0) this.testFunctions.set(id, locations)
      }
      for (const location of locations) candidates.push({ id, location })
    }
    return candidates
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
    this.concurrent.clear()
    this.testFunctions.clear()
    this.profiler.stop()
    this.letSamplerSleep()
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

/**
 * Vitest's getter of a test's function: `TestRunner.getTestFn` from Vitest 4.1, `getFn` of `vitest/suite`
 * before. Undefined where neither is found: concurrent tests then share their blocks as measured.
 */
async function loadGetTestFn(): Promise<GetTestFn | undefined> {
  try {
    const vitest = (await import('vitest')) as unknown as { TestRunner?: { getTestFn?: GetTestFn } }
    const getTestFn = vitest.TestRunner?.getTestFn
    if (typeof getTestFn === 'function') return (task) => getTestFn.call(vitest.TestRunner, task)
  } catch {
    // Looked for in vitest/suite below.
  }
  try {
    // Before Vitest 4.1 (which says, from there on, that importing it is deprecated).
    const suite = (await import('vitest/suite' as string)) as { getFn?: GetTestFn }
    if (typeof suite.getFn === 'function') return suite.getFn
  } catch {
    // Neither: see above.
  }
  return undefined
}
