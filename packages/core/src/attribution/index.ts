/**
 * `@loopguard/core/attribution`: names the source line that blocked the event loop.
 *
 * How a runner integration uses it, in the worker next to the tests:
 *
 *     import { startProfiler, attributeBlocks, formatBlockStack, writeCpuProfile } from '@loopguard/core/attribution'
 *
 *     // 1. Once per worker thread, at setup, outside any measured window (costs 5-100 ms once):
 *     const profiler = startProfiler()                  // V8 sampling profiler at 1 ms on this thread
 *
 *     // 2. After a test's window has closed (its blocks are known) and before the next one opens:
 *     const profile = profiler.takeProfile()             // samples since the previous take; 0.1-1 ms, never restarts V8
 *     const found = attributeBlocks(profile, stats.blocks, { root, scope, retrieveSourceMap })
 *     // found[i] = { frame, frames, activity, inScope, samples }: spread into the report's ReportBlock
 *     const lines = formatBlockStack({ ...found[i] })     // "at parsePayload (src/parse.ts:42:10)  JSON.parse", ...
 *     if (profileDir && overBudget) writeCpuProfile(profileDir, `${file} > ${fullName}`, profile, stats.blocks)
 *
 *     // 3. At worker teardown:
 *     profiler.stop()
 *
 * Cost: sampling at 1 ms costs within noise; `takeProfile()` ends one recording and begins the next inside the
 * same V8 profiler, so it never pays the restart. `attributeBlocks` maps positions through source maps: it
 * asks `retrieveSourceMap(url)` first, then reads the map V8 recorded for the script (a short, synchronous
 * Debugger pass that can never pause the thread: 2-3 ms, ~100 ms the first time in a worker with much code).
 * Call `takeProfile()` at least every few seconds of test time (each test end is right): a recording holds
 * every sample since the last take. Windows must lie inside the profile they are attributed from.
 *
 * Every `startProfiler()` on a thread returns the same profiler: one caller per thread should take profiles.
 * Other inspector sessions of the thread that enable the Profiler domain (V8 coverage) see these recordings'
 * start and end events, and their profiler samples along while a recording runs.
 */
export { startProfiler, nodeProfilerConnectionActive, type Profiler, type ProfilerOptions } from './profiler.js'
export { attributeBlocks, MAX_FRAMES, type Attribution, type AttributionOptions } from './attribute.js'
export { formatBlockStack, formatFrameLocation, type StackLinesOptions } from './format.js'
export { asyncHint } from './node-apis.js'
export { writeCpuProfile, sliceProfile, profileFileName } from './cpuprofile.js'
export type { RetrieveSourceMap } from './source-maps.js'
export type { CpuProfile, ProfileNode, CallFrame, BlockWindow } from './profile.js'
