export { createMonitor, type Monitor, type MonitorOptions, type Mark } from './monitor/monitor.js'
export { measureBlocking, type MeasureOptions } from './monitor/measure.js'
export { monitorBlocking, type MonitorBlockingOptions } from './monitor/production.js'
export type { Block, BlockStats } from './monitor/stats.js'
export { now } from './monitor/clock.js'
export {
  resolveOptions,
  budgetForFile,
  OPTION_NAMES,
  DEFAULT_REPORT_FILE,
  type LoopguardOptions,
  type ResolvedOptions,
  type Mode,
  type AttributionMode,
  type BlockInfo,
  type BlockedTest,
} from './options/runner-options.js'
export { describeValue } from './options/validate.js'
export * from './report/schema.js'
export { blockEndMs, sliceBlock, outsideSpans, roundBlock, round, moveToRunner, moveToGc, moveNotTheCode, type TimedBlock, type Span } from './report/blocks.js'
export { excludesMachineLoad, keepAwake as keepSamplerAwake } from './monitor/sampler.js'
export { asRunnerWork, recordRunnerWork, runnerWorkWithin } from './monitor/runner-work.js'
export { writeReport, writeJsonAtomic } from './report/write.js'
export { readReport, parseReport, ReportError } from './report/read.js'
export { formatSummary, formatMs, formatBudget, formatFrame, type SummaryOptions } from './report/summary.js'
// Also here, apart from the profiler: a runner formats a failure without loading `@loopguard/core/attribution`.
export { formatBlockStack, formatFrameLocation, type StackLinesOptions } from './attribution/format.js'
export { asyncHint } from './attribution/node-apis.js'
export { BlockingTracker, overBudgetMessage, judgeInScope, refigure, type TestIdentity, type TestFigures, type TestEnd } from './tracking/tracker.js'
export { createToBlockLoop, type MatcherThis, type MatcherResult } from './matchers/to-block-loop.js'
export { buildReport, reportOptions } from './report/build.js'
