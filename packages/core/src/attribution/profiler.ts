// The CPU profiler of this thread: started once, then read in slices. V8 keeps sampling while one recording
// ends and the next begins (both live in the same profiler), so a slice costs well under a millisecond, where
// stopping and starting again costs 10-100 ms once much code is loaded.
import { randomUUID } from 'node:crypto'
import type { Session } from 'node:inspector'
import type { CpuProfile } from './profile.js'
import { now } from '../monitor/clock.js'
import { checkObject, optionError } from '../options/validate.js'

export interface ProfilerOptions {
  /** Microseconds between samples (default 1000: at 1 ms V8's sampling costs within noise). */
  samplingIntervalUs?: number
}

export interface Profiler {
  /**
   * Ends the current recording and begins the next one, in one step that leaves no gap: returns the samples
   * taken since the previous call (or since the start). Call it outside any window you measure: its own work
   * (0.1-1 ms, more for long recordings) is event-loop time like any other.
   */
  takeProfile(): CpuProfile
  /** Ends the recording and releases the profiler; a later `startProfiler()` starts afresh. */
  stop(): void
  readonly running: boolean
  readonly samplingIntervalUs: number
  /**
   * 'overlapping' (the rule): a take costs 0.1-1 ms. 'restarting': Node's own profiler connections are
   * active (NODE_V8_COVERAGE, --cpu-prof), which print every console profile event they receive to stderr, so
   * each take stops and restarts V8's profiler instead, at 10-100 ms: take profiles only for tests over budget.
   */
  readonly mode: 'overlapping' | 'restarting'
  /**
   * Where V8 compiled `fn`: its script and the 0-based position of its start, as a profile's call frames give
   * them, so that a sample can tell whether `fn` was on the stack. Undefined when V8 does not say (a native or
   * bound function). About 0.1 ms: for the few functions that need it, outside any measured window.
   */
  functionLocation(fn: Function): FunctionLocation | undefined
  /**
   * The locations of `fn` and of the functions its closures hold, nearest first (a wrapper, the function it wraps,
   * and so on), at most `limit`: a runner that wraps a test's function keeps it in a closure. Only the scopes of
   * enclosing functions are searched, never a module's or the global one. A few ms: for the few functions that
   * need it, outside any measured window.
   */
  wrappedFunctionLocations(fn: Function, limit?: number): FunctionLocation[]
}

/** A function's place in the scripts V8 ran, as a CPU profile's call frames give it. */
export interface FunctionLocation {
  scriptId: string
  lineNumber: number
  columnNumber: number
}

/** Where `functionLocation` puts the function for a moment, for the inspector to find it: no code runs meanwhile. */
const LOCATING = Symbol.for('loopguard.locating')

interface RemoteProperty {
  name: string
  value?: { type?: string; value?: unknown; objectId?: string; description?: string }
}

interface RemoteProperties {
  result?: RemoteProperty[]
  internalProperties?: RemoteProperty[]
}

/** Closures searched at most for the functions a wrapper holds. */
const MAX_CLOSURES = 64

type Inspector = typeof import('node:inspector')

interface ProfileFinished {
  params: { id: string; title?: string; profile: CpuProfile }
}

let current: (Profiler & { holders: number }) | undefined

function loadInspector(): Inspector {
  try {
    return process.getBuiltinModule('node:inspector') as Inspector
  } catch (error) {
    throw new Error(
      `loopguard attribution needs the V8 inspector, which this Node.js build does not have (${(error as Error).message}). Run without attribution ('attribution: "off"').`,
    )
  }
}

function postSync<T = unknown>(session: Session, method: string, params?: object): T {
  let failure: Error | null = null
  let result: unknown
  // A session connected to its own thread answers synchronously, inside `post`.
  session.post(method, params as never, (error: Error | null, value: unknown) => {
    failure = error
    result = value
  })
  if (failure) throw failure
  return result as T
}

/**
 * Node's built-in coverage (NODE_V8_COVERAGE) and --cpu-prof hold inspector connections that enable the
 * Profiler domain and write every event they did not ask for to stderr: console profiles would reach them.
 */
export function nodeProfilerConnectionActive(env: NodeJS.ProcessEnv = process.env, execArgv: readonly string[] = process.execArgv): boolean {
  if (env.NODE_V8_COVERAGE) return true
  const flags = [...execArgv, ...(env.NODE_OPTIONS ?? '').split(/\s+/)]
  return flags.includes('--cpu-prof')
}

function emptyProfile(atUs: number): CpuProfile {
  return {
    nodes: [{ id: 1, callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }, children: [] }],
    startTime: atUs,
    endTime: atUs,
    samples: [],
    timeDeltas: [],
  }
}

/**
 * Starts V8's sampling CPU profiler on this thread (main thread or worker), or returns the one already running
 * (each `startProfiler()` then needs its own `stop()`). Costs 5-100 ms once, growing with the code loaded:
 * call it when the worker starts, outside any measured window.
 */
export function startProfiler(options?: ProfilerOptions): Profiler {
  const where = 'startProfiler'
  const checked = checkObject(where, options, ['samplingIntervalUs'])
  const interval = checked.samplingIntervalUs ?? 1000
  if (typeof interval !== 'number' || !Number.isInteger(interval) || interval < 50 || interval > 100_000) {
    throw optionError(where, 'samplingIntervalUs', interval, 'a whole number of microseconds from 50 to 100000')
  }
  if (current) {
    if (current.samplingIntervalUs !== interval) {
      throw new Error(
        `${where}: a profiler already runs on this thread at ${current.samplingIntervalUs} µs; received samplingIntervalUs ${interval}. Stop it first or use the same interval.`,
      )
    }
    current.holders++
    return current
  }

  const inspector = loadInspector()
  const session = new inspector.Session()
  session.connect()
  const mode: Profiler['mode'] = nodeProfilerConnectionActive() ? 'restarting' : 'overlapping'
  // Recordings are console profiles of this session's profiler agent: named, so that two overlap in one V8
  // profiler and a slice never restarts it. inspector.console reaches the inspector only, never stdout. Console
  // profiles are seen by every session of the thread, so the names are unique to this copy of the module.
  const prefix = `loopguard-${randomUUID()}-`
  let serial = 0
  let title = `${prefix}${serial}`
  const finished = new Map<string, CpuProfile>()
  session.on('Profiler.consoleProfileFinished', (message: ProfileFinished) => {
    const t = message.params.title
    if (t && t.startsWith(prefix)) finished.set(t, message.params.profile)
  })
  try {
    postSync(session, 'Profiler.enable')
    postSync(session, 'Profiler.setSamplingInterval', { interval })
    if (mode === 'overlapping') inspector.console.profile(title)
    else postSync(session, 'Profiler.start')
  } catch (error) {
    session.disconnect()
    throw error
  }

  const profiler = {
    holders: 1,
    running: true,
    samplingIntervalUs: interval,
    mode,
    takeProfile(): CpuProfile {
      if (!profiler.running) throw new Error('takeProfile: the profiler was stopped; call startProfiler() again.')
      if (mode === 'restarting') {
        const { profile } = postSync<{ profile: CpuProfile }>(session, 'Profiler.stop')
        postSync(session, 'Profiler.start')
        return profile
      }
      const previous = title
      title = `${prefix}${++serial}`
      inspector.console.profile(title)
      inspector.console.profileEnd(previous)
      const profile = finished.get(previous)
      finished.delete(previous)
      return profile ?? emptyProfile(now() * 1000)
    },
    functionLocation(fn: Function): FunctionLocation | undefined {
      return profiler.wrappedFunctionLocations(fn, 1)[0]
    },
    wrappedFunctionLocations(fn: Function, limit = 8): FunctionLocation[] {
      if (typeof fn !== 'function' || limit < 1) return []
      const holder = globalThis as { [LOCATING]?: Function }
      holder[LOCATING] = fn
      const objectGroup = 'loopguard-locating'
      const properties = (objectId: string) => postSync<RemoteProperties>(session, 'Runtime.getProperties', { objectId, ownProperties: true })
      const found: FunctionLocation[] = []
      try {
        const first = postSync<{ result: { objectId?: string } }>(session, 'Runtime.evaluate', {
          expression: `globalThis[Symbol.for('loopguard.locating')]`,
          silent: true,
          objectGroup,
        }).result.objectId
        // Breadth first: the function itself, then what its enclosing functions' scopes hold, and so on.
        const queue = first ? [first] : []
        const seen = new Set<string>()
        for (let searched = 0; queue.length > 0 && found.length < limit && searched < MAX_CLOSURES; searched++) {
          const { internalProperties = [] } = properties(queue.shift()!)
          const location = internalProperties.find((p) => p.name === '[[FunctionLocation]]')?.value?.value as FunctionLocation | undefined
          if (!location || typeof location.scriptId !== 'string') continue
          const key = `${location.scriptId}:${location.lineNumber}:${location.columnNumber}`
          if (seen.has(key)) continue
          seen.add(key)
          found.push({ scriptId: location.scriptId, lineNumber: location.lineNumber, columnNumber: location.columnNumber })
          const scopes = internalProperties.find((p) => p.name === '[[Scopes]]')?.value?.objectId
          if (found.length >= limit || !scopes) continue
          for (const scope of properties(scopes).result ?? []) {
            // "Closure (name)": an enclosing function's variables. A module's, a script's and the global scope
            // hold every function of their file: searching them finds functions that wrap nothing.
            if (!scope.value?.objectId || !scope.value.description?.startsWith('Closure (')) continue
            for (const variable of properties(scope.value.objectId).result ?? []) {
              if (variable.value?.type === 'function' && variable.value.objectId) queue.push(variable.value.objectId)
            }
          }
        }
      } catch {
        // What was found so far stands.
      } finally {
        delete holder[LOCATING]
        try {
          postSync(session, 'Runtime.releaseObjectGroup', { objectGroup })
        } catch {
          // Released with the session anyway.
        }
      }
      return found
    },
    stop(): void {
      if (!profiler.running || --profiler.holders > 0) return
      profiler.running = false
      current = undefined
      try {
        if (mode === 'overlapping') inspector.console.profileEnd(title)
        postSync(session, 'Profiler.disable')
      } finally {
        finished.clear()
        session.disconnect()
      }
    },
  }
  current = profiler
  return profiler
}
