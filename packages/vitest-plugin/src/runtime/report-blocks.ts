// The one place where a test's or a file's measured blocks become the blocks of the report. Naming the
// blocking line (frames, activity, scope) belongs here: today every block leaves with `frame: null`.
import type { ReportBlock } from '@loopguard/core'

export function reportBlocks<B extends ReportBlock>(blocks: readonly B[]): B[] {
  return blocks.map((block) => ({ ...block, frame: block.frame ?? null }))
}
