// The one place where a test's or a file's measured blocks become the blocks of the report: frames, activity
// and scope are filled in here when attribution runs, and a test is judged again on its blocks in scope.
import { judgeInScope, refigure, type Mode, type ReportBlock, type ReportFileBlock, type TestEnd } from '@loopguard/core'
import type { FileAttribution } from './attribution.js'
import { failureMessage } from './failure-message.js'
import type { TestMeta } from '../shared/wire.js'

export interface ReportedTest {
  meta: TestMeta
  /** The failure to throw for the test, when it is over budget in mode 'fail'. */
  failure: string | undefined
  /** The block the failure names (the longest in scope), when attribution found it. */
  blamed: ReportBlock | undefined
}

/**
 * A test's figures for the report. With attribution (`attribution` given), the blocks of a test that wants it
 * ('full': any listed block; 'auto': a test whose longest block is over budget) are attributed from the profile,
 * the test is judged on its blocks in `scope`, and with `profileDir` a test over budget gets its `.cpuprofile`.
 * `testsRunning`: other tests whose windows are still open (concurrent tests), whose blocks may lie in the same
 * recording.
 */
export function reportTest(end: TestEnd, mode: Mode, attribution: FileAttribution | undefined, testsRunning: number): ReportedTest {
  const { figures } = end
  const plain: ReportedTest = { meta: { ...figures, blocks: reportBlocks(figures.blocks) }, failure: end.failure, blamed: undefined }
  if (!attribution || !attribution.wants(figures.blocks, figures.longestMs, figures.budgetMs ?? Infinity)) {
    attribution?.settle(testsRunning)
    return plain
  }
  return attribution.work(() => attributeTest(end, mode, attribution, testsRunning), testsRunning)
}

function attributeTest(end: TestEnd, mode: Mode, attribution: FileAttribution, testsRunning: number): ReportedTest {
  const { figures } = end
  attribution.take()
  const { blocks, profile } = attribution.attribute(figures.blocks, end.startMs, end.id)
  attribution.settle(testsRunning)
  const judged = attribution.attributing
    ? judgeInScope(refigure(figures, blocks, attribution.thresholdMs), mode)
    : { figures: { ...figures, blocks }, failure: end.failure }
  const blamed = longestCounted(judged.figures.blocks)
  let failure = judged.failure === undefined ? undefined : failureMessage(judged.failure, blamed)
  if (judged.figures.overBudget && profile) {
    try {
      attribution.writeProfile(`${figures.file} > ${figures.fullName}`, profile, blocks, end.startMs)
    } catch (error) {
      // Nothing may print from a worker: a profile that could not be written is said where the user looks.
      if (failure) failure += `\n  (its .cpuprofile could not be written: ${(error as Error).message})`
    }
  }
  return { meta: judged.figures, failure, blamed }
}

/**
 * A file's blocks outside tests for the report: with attribution, those over `budgetMs` ('auto') or all of them
 * ('full') get frames, from the first recording of the file (collection, beforeAll) and one taken now (afterAll).
 */
export function reportFileBlocks(blocks: readonly ReportFileBlock[], fileStartMs: number | undefined, budgetMs: number, attribution: FileAttribution | undefined): ReportFileBlock[] {
  const plain = reportBlocks(blocks)
  if (!attribution?.attributing || fileStartMs === undefined) return plain
  const wanted = plain.filter((b) => attribution.wants([b], b.durationMs, budgetMs))
  if (wanted.length === 0) return plain
  const { blocks: attributed } = attribution.work(() => {
    attribution.take()
    return attribution.attribute(wanted, fileStartMs)
  })
  return plain.map((block) => {
    const i = wanted.indexOf(block)
    return i < 0 ? block : attributed[i]!
  })
}

export function reportBlocks<B extends ReportBlock>(blocks: readonly B[]): B[] {
  return blocks.map((block) => ({ ...block, frame: block.frame ?? null }))
}

/** The longest block that counts against the budget: in scope, or of unknown scope. */
function longestCounted(blocks: readonly ReportBlock[]): ReportBlock | undefined {
  let best: ReportBlock | undefined
  for (const block of blocks) if (block.inScope !== false && (!best || block.durationMs > best.durationMs)) best = block
  return best
}
