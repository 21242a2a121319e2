// Per-test accounting beside the tests, shared by the runner integrations: which blocks fall in which test's
// window, which fall outside every test (collection, beforeAll/afterAll), which overlap concurrent tests, and
// whether a test is over its budget.
import { createMonitor, type Mark, type Monitor } from '../monitor/monitor.js'
import { now, realSetImmediate } from '../monitor/clock.js'
import { cut } from '../monitor/sampler.js'
import type { Block } from '../monitor/stats.js'
import { blockEndMs, outsideSpans, round, roundBlock, sliceBlock } from '../report/blocks.js'
import { budgetForFile, type ResolvedOptions } from '../options/runner-options.js'
import type { FilePhase, ReportBlock, ReportFile, ReportFileBlock, ReportTest } from '../report/schema.js'
import { formatMs, formatBudget } from '../report/summary.js'

export interface TestIdentity {
  /** Unique within the run (the runner's task id or full name). */
  id: string
  /** Project-relative path of the test file, forward slashes. */
  file: string
  name: string
  /** Suites and name joined by " > ". */
  fullName: string
  concurrent?: boolean
}

/** A test's figures at its end; `status` is filled in by the runner once known. */
export type TestFigures = Omit<ReportTest, 'status'>

export interface TestEnd {
  /** The test's id, as given to `beginTest`. */
  id: string
  figures: TestFigures
  /** The failure message when the test is over budget in `mode: 'fail'`, else undefined. */
  failure: string | undefined
  /**
   * When the test's window opened, on core's clock (`now()`, ms): a block's absolute start is this plus its
   * `startMs`, the time attribution slices CPU profiles by.
   */
  startMs: number
}

interface Window {
  identity: TestIdentity
  mark: Mark
  startMs: number
  endMs: number
  allowedMs: number | undefined
  /** The runner's work taken out of the test's blocks, as last judged. */
  runnerMs: number
}

export class BlockingTracker {
  private readonly monitor: Monitor
  private readonly open = new Map<string, Window>()
  /** Windows of this file that have ended, kept to tell which blocks concurrent tests shared. */
  private readonly ended: Window[] = []
  private file: { path: string; mark: Mark; startMs: number; phases: PhaseMark[] } | undefined

  constructor(private readonly options: ResolvedOptions) {
    this.monitor = createMonitor({ thresholdMs: options.thresholdMs, countGc: options.countGc })
    this.monitor.start()
  }

  /** Stops measuring: the shared sampler stops once no tracker or monitor holds it. */
  close(): void {
    this.monitor.stop()
  }

  /** Starts a file's window; blocks outside any test are charged to the file under the current phase. */
  beginFile(path: string, phase: FilePhase = 'collect'): void {
    cut()
    const mark = this.monitor.mark()
    this.file = { path, mark, startMs: mark.atMs, phases: [{ phase, fromMs: mark.atMs }] }
    this.ended.length = 0
  }

  /**
   * Switches the phase blocks outside tests are charged to (collect, beforeAll, hooks, afterAll), from now or from
   * `atMs` when the switch is only known afterwards (e.g. afterAll began when the last test ended).
   */
  phase(phase: FilePhase, atMs?: number): void {
    const phases = this.file?.phases
    if (!phases) return
    // A stretch that spans a phase's start is cut there, so each phase gets its own share of the thread's time.
    if (atMs === undefined) {
      cut()
      atMs = now()
    }
    let at = phases.length
    while (at > 0 && phases[at - 1]!.fromMs > atMs) at--
    phases.splice(at, 0, { phase, fromMs: atMs })
  }

  beginTest(identity: TestIdentity): void {
    // As at its end: the stretch running when a test starts is cut there, the test's share measured, not guessed.
    cut()
    const mark = this.monitor.mark()
    this.open.set(identity.id, { identity, mark, startMs: mark.atMs, endMs: Infinity, allowedMs: undefined, runnerMs: 0 })
  }

  isOpen(id: string): boolean {
    return this.open.has(id)
  }

  /** Raises one running test's budget (`Infinity` exempts it). */
  allowBlocking(id: string, ms: number): void {
    const window = this.open.get(id)
    if (window) window.allowedMs = ms
  }

  /** The budget a running test is judged by. */
  budgetFor(id: string | undefined, file?: string): number {
    const window = id === undefined ? undefined : this.open.get(id)
    if (window?.allowedMs !== undefined) return window.allowedMs
    const path = window?.identity.file ?? file
    return path === undefined ? this.options.budgetMs : budgetForFile(this.options, path)
  }

  /** Ends a test's window and judges it. */
  endTest(id: string): TestEnd | undefined {
    const window = this.open.get(id)
    if (!window) return undefined
    // The stretch running now is stored with its bounds, so the GC pauses Node reports at the end of this turn
    // of the loop can still be matched to it by `settle`.
    cut()
    window.endMs = now()
    this.open.delete(id)
    this.ended.push(window)
    return this.judge(window)
  }

  /**
   * Judges a test over budget again once Node has delivered the GC pauses of the loop turn its window ended in
   * (Node reports a pause at the end of its turn): without it, a pause in the test's last stretch would be
   * charged to the test. Returns `end` itself when nothing can change: the test is within budget, or GC counts.
   */
  async settle(end: TestEnd): Promise<TestEnd> {
    const window = this.ended.find((w) => w.identity.id === end.id)
    if (!end.figures.overBudget || this.options.countGc || !window) return end
    await new Promise<void>((resolve) => realSetImmediate(resolve))
    return this.judge(window)
  }

  private judge(window: Window): TestEnd {
    const budgetMs = window.allowedMs ?? budgetForFile(this.options, window.identity.file)
    const stats = this.monitor.since(window.mark, window.endMs)
    const blocks: ReportBlock[] = stats.blocks.map((block) => {
      const others = this.concurrentAt(block, window)
      return {
        ...reportTimes(block, window.startMs),
        frame: null,
        ...(others.length > 0 ? { sharedBy: others.length + 1, sharedWith: others.map((w) => w.identity.fullName) } : {}),
      }
    })
    const { identity } = window
    window.runnerMs = stats.runnerMs
    const overBudget = this.options.mode !== 'off' && stats.longestMs > budgetMs
    const figures: TestFigures = {
      file: identity.file,
      name: identity.name,
      fullName: identity.fullName,
      budgetMs: budgetMs === Infinity ? null : budgetMs,
      ...(window.allowedMs !== undefined ? { allowedMs: window.allowedMs === Infinity ? null : window.allowedMs } : {}),
      longestMs: round(stats.longestMs),
      totalMs: round(stats.totalMs),
      count: stats.count,
      overBudget,
      concurrent: identity.concurrent === true || blocks.some((b) => b.sharedBy !== undefined),
      blocks,
      ...(stats.runnerMs >= 0.05 ? { runnerMs: round(stats.runnerMs) } : {}),
    }
    return {
      id: identity.id,
      figures,
      failure: overBudget && this.options.mode === 'fail' ? overBudgetMessage(figures) : undefined,
      startMs: window.startMs,
    }
  }

  /** When the current file's window opened, on core's clock (ms); undefined outside a file. */
  get fileStartMs(): number | undefined {
    return this.file?.startMs
  }

  /** Ends the file's window: the blocks that fell outside every test, by phase. */
  endFile(): ReportFile | undefined {
    const file = this.file
    if (!file) return undefined
    this.file = undefined
    const windows = [...this.ended, ...this.open.values()]
    const blocks: ReportFileBlock[] = []
    const stats = this.monitor.since(file.mark)
    // The runner's work in the file's own stretches: the tests' windows had theirs.
    const runnerMs = stats.runnerMs - windows.reduce((sum, w) => sum + w.runnerMs, 0)
    for (const block of stats.blocks) {
      for (const piece of outsideSpans(block, 0, windows.map(windowSpan)).flatMap((p) => splitByPhase(p, file.phases))) {
        if (piece.durationMs < this.options.thresholdMs) continue
        blocks.push({ phase: piece.phase, ...reportTimes(piece, file.startMs), frame: null })
      }
    }
    this.ended.length = 0
    const longestMs = blocks.reduce((m, b) => Math.max(m, b.durationMs), 0)
    return { file: file.path, longestMs, blocks, ...(runnerMs >= 0.05 ? { runnerMs: round(runnerMs) } : {}) }
  }

  /** The other tests' windows that overlap the block. */
  private concurrentAt(block: Block, self: Window): Window[] {
    const from = block.startMs
    const to = blockEndMs(block)
    const others: Window[] = []
    for (const other of [...this.open.values(), ...this.ended]) {
      if (other === self) continue
      if (other.startMs < to && other.endMs > from) others.push(other)
    }
    return others
  }
}

type PhaseMark = { phase: FilePhase; fromMs: number }

/** Cuts a stretch where the file's phase changed, so each piece carries the phase it happened in. */
function splitByPhase(block: Block, phases: readonly PhaseMark[]): (Block & { phase: FilePhase })[] {
  const pieces: (Block & { phase: FilePhase })[] = []
  phases.forEach((mark, i) => {
    // Time before the first mark belongs to the first phase.
    const piece = sliceBlock(block, i === 0 ? -Infinity : mark.fromMs, phases[i + 1]?.fromMs ?? Infinity)
    if (piece) pieces.push({ ...piece, phase: mark.phase })
  })
  return pieces
}

function windowSpan(w: Window): { startMs: number; endMs: number } {
  return { startMs: w.startMs, endMs: w.endMs }
}

/** A measured block's times as the report keeps them, its start relative to `originMs`. */
type Times = Pick<ReportBlock, 'startMs' | 'durationMs' | 'wallMs' | 'waitMs' | 'gcMs' | 'runnerMs'>

function reportTimes(block: Block, originMs: number): Times {
  const times: Times = { startMs: block.startMs - originMs, durationMs: block.durationMs }
  // The wall time and its parts are kept only where they say something: a block on a quiet machine is its duration.
  if (block.waitMs >= 0.05 || block.gcMs >= 0.05 || block.runnerMs >= 0.05) {
    times.wallMs = block.wallMs
    if (block.waitMs >= 0.05) times.waitMs = block.waitMs
    if (block.gcMs >= 0.05) times.gcMs = block.gcMs
    if (block.runnerMs >= 0.05) times.runnerMs = block.runnerMs
  }
  return roundBlock(times)
}

/**
 * A test's figures once attribution has changed its blocks: time moved to the runner's work (`moveToRunner`) or to
 * GC (`moveToGc`), a shared block found to be another concurrent test's (left out) or this test's own (no longer shared). Blocks
 * left under `thresholdMs` are no longer listed, and the longest, total and count follow; a longest block too
 * short to be listed stays as measured.
 */
export function refigure(figures: TestFigures, blocks: readonly ReportBlock[], thresholdMs: number): TestFigures {
  const movedBefore = figures.blocks.reduce((sum, b) => sum + (b.runnerMs ?? 0), 0)
  const movedAfter = blocks.reduce((sum, b) => sum + (b.runnerMs ?? 0), 0)
  const unchanged = blocks.length === figures.blocks.length && blocks.every((b, i) => b.durationMs === figures.blocks[i]!.durationMs)
  if (unchanged) return { ...figures, blocks: [...blocks] }
  const listedLongest = figures.blocks.reduce((m, b) => Math.max(m, b.durationMs), 0)
  const kept = blocks.filter((b) => b.durationMs >= thresholdMs).map((b) => roundBlock(b))
  const namedLongest = kept.reduce((m, b) => Math.max(m, b.durationMs), 0)
  const longestMs = figures.longestMs > listedLongest ? figures.longestMs : namedLongest
  const runnerMs = (figures.runnerMs ?? 0) + movedAfter - movedBefore
  return {
    ...figures,
    blocks: kept,
    longestMs: round(longestMs),
    totalMs: round(kept.reduce((sum, b) => sum + b.durationMs, 0)),
    count: kept.length,
    ...(runnerMs >= 0.05 ? { runnerMs: round(runnerMs) } : {}),
  }
}

/**
 * Judges a test again once attribution has marked its blocks `inScope`: only blocks in scope count against the
 * budget (a block without `inScope` counts, as does a longest block too short to be listed). `longestMs` stays
 * the longest block measured; the failure message names the longest block in scope. For runners that attribute
 * after `endTest` (the `scope` option).
 */
export function judgeInScope(figures: TestFigures, mode: 'fail' | 'report' | 'off'): { figures: TestFigures; failure: string | undefined; longestInScopeMs: number } {
  const budgetMs = figures.budgetMs ?? Infinity
  const listedLongest = figures.blocks.reduce((m, b) => Math.max(m, b.durationMs), 0)
  const inScope = figures.blocks.filter((b) => b.inScope !== false)
  // The longest block is always measured, but listed only from the threshold up: unlisted, it cannot be out of scope.
  const unlisted = figures.longestMs > listedLongest ? figures.longestMs : 0
  const longestInScopeMs = Math.max(unlisted, ...inScope.map((b) => b.durationMs), 0)
  const overBudget = mode !== 'off' && longestInScopeMs > budgetMs
  const judged: TestFigures = { ...figures, overBudget }
  const failure = overBudget && mode === 'fail' ? overBudgetMessage({ ...judged, longestMs: longestInScopeMs }) : undefined
  return { figures: judged, failure, longestInScopeMs }
}

/** The failure of a test over budget: reads like any other assertion failure of the runner. */
export function overBudgetMessage(figures: TestFigures): string {
  const n = figures.count
  const head = `blocked the event loop for ${formatMs(figures.longestMs)} (budget ${formatBudget(figures.budgetMs)})${n > 0 ? `, ${n} ${n === 1 ? 'block' : 'blocks'}` : ''}`
  const shared = figures.blocks.reduce<ReportBlock | undefined>((m, b) => ((b.sharedBy ?? 0) > (m?.sharedBy ?? 0) ? b : m), undefined)
  const lines = [head]
  if (shared?.sharedBy) {
    const names = shared.sharedWith ?? []
    const listed = names.slice(0, 3).map((n) => `"${n}"`).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '')
    lines.push(`  shared by ${shared.sharedBy} concurrent tests: the block may come from another of them${listed ? ` (${listed})` : ''}`)
  }
  return lines.join('\n')
}
