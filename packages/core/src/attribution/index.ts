/**
 * `@loopguard/core/attribution`: names the source line that blocked the event loop.
 *
 * How a runner integration uses it, in the worker next to the tests:
 *
 *     import { startProfiler, attributeBlocks, formatBlockStack, writeCpuProfile } from '@loopguard/core/attribution'
 *
 *     // 1. Once per worker thread, at setup, outside any measured window (5-30 ms once, more with much code loaded):
 *     const profiler = startProfiler()                  // V8's sampling profiler at 1 ms, on this thread
 *
 *     // 2. After a test's window has closed (its blocks are known) and before the next one opens:
 *     const profile = profiler.takeProfile()             // the samples since the previous take
 *     const found = attributeBlocks(profile, stats.blocks, { root, scope, retrieveSourceMap })
 *     // found[i] = { frame, frames, activity, inScope, samples }: frame/frames/activity/inScope go into ReportBlock
 *     const lines = formatBlockStack(found[i])           // "at parsePayload (src/parse.ts:42:10)  JSON.parse", ...
 *     if (profileDir) writeCpuProfile(profileDir, `${file} > ${fullName}`, profile, stats.blocks, { root, retrieveSourceMap })
 *
 *     // Concurrent tests: whose function was on the stack of each block (undefined where the samples cannot tell):
 *     const owners = blockOwners(profile, stats.blocks, tests.map((t) => ({ id: t.id, location: profiler.functionLocation(t.fn) })))
 *
 *     // 3. At worker teardown:
 *     profiler.stop()
 *
 * When to take: `attribution: 'auto'` (the default) takes and attributes only after a test over budget;
 * `'full'` after every test with a listed block. Take at least every few seconds anyway (a recording holds
 * every sample since the last take; a 20 s recording takes 1.6 ms). Windows must lie inside the profile they
 * are attributed from: take after the window closes, never inside one, and the take's own work stays out.
 *
 * Measured (`pnpm bench attribution`, shared 2-core machine): in one worker running a 500-test promise-heavy
 * suite, sampling at 1 ms adds about 1 % of wall time, 'auto' 2 % and 'full' 4 %; V8's sampling threads use about
 * 4 % of one core; `startProfiler()` costs ~24 ms with a few MB of code loaded, paid once per thread; a take costs
 * 0.2-0.4 ms (one recording ends as the next begins in the running profiler, where Profiler.stop + start costs
 * 10-30 ms); `attributeBlocks` 0.4 ms per test once the scripts' maps are known. A runner that starts a fresh
 * worker per test file pays the start per file: see the Vitest section of bench/RESULTS.md.
 *
 * Source maps: `attributeBlocks` asks `retrieveSourceMap(path)` first, then the map V8 recorded for the script
 * (inline `sourceMappingURL`, as Vitest 4's module runner, babel-jest and ts-jest leave it; read in a short
 * synchronous Debugger pass that can never pause the thread: 2-3 ms, ~100 ms the first time in a worker with
 * much code), then Node's own (`module.findSourceMap`). Vitest 5 runs module code without the comment and
 * keeps the map in its module graph: its integration must pass `retrieveSourceMap` (the module runner's
 * `getModuleSourceMapById(path)` has it). A script with no map whose code is not the file on disk is never
 * given a line of that file.
 *
 * Every `startProfiler()` on a thread returns the same profiler: one caller per thread should take profiles.
 * Recordings are console profiles of this module's own inspector session: other sessions of the thread that
 * enable the Profiler domain (a debugger, V8 coverage through node:inspector) see their start and end events.
 * Where Node's built-in connections are active (NODE_V8_COVERAGE, --cpu-prof), which print such events, the
 * profiler restarts on each take instead (`profiler.mode === 'restarting'`, 10-100 ms a take): take only after
 * tests over budget there.
 */
export { startProfiler, nodeProfilerConnectionActive, type Profiler, type ProfilerOptions, type FunctionLocation } from './profiler.js'
export { blockOwners, ownedBlock, type OwnerCandidate } from './owners.js'
export { attributeBlocks, mapCallFrames, MAX_FRAMES, type Attribution, type AttributionOptions } from './attribute.js'
export { formatBlockStack, formatFrameLocation, type StackLinesOptions } from './format.js'
export { asyncHint } from './node-apis.js'
export { writeCpuProfile, sliceProfile, profileFileName } from './cpuprofile.js'
export type { RetrieveSourceMap } from './source-maps.js'
export type { CpuProfile, ProfileNode, CallFrame, BlockWindow } from './profile.js'
