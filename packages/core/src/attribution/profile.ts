// The V8 CPU profile as the inspector protocol returns it, and the index that slices its samples by time.

/** One function activation site in a profile, as the inspector reports it (0-based line and column). */
export interface CallFrame {
  functionName: string
  scriptId: string
  url: string
  lineNumber: number
  columnNumber: number
}

export interface PositionTick {
  /** 1-based line in the generated code where samples of this node landed. */
  line: number
  ticks: number
}

export interface ProfileNode {
  id: number
  callFrame: CallFrame
  hitCount?: number
  children?: number[]
  positionTicks?: PositionTick[]
  deoptReason?: string
}

/** `Profiler.Profile` of the inspector protocol: also the `.cpuprofile` file format of Chrome DevTools. */
export interface CpuProfile {
  nodes: ProfileNode[]
  /** Microseconds on the monotonic clock of `process.hrtime` (core's `now()` × 1000). */
  startTime: number
  endTime: number
  samples?: number[]
  /** Microseconds between adjacent samples; the first is relative to `startTime`. */
  timeDeltas?: number[]
}

/** A window of time on core's clock, in milliseconds: a block as the monitor reports it. */
export interface BlockWindow {
  startMs: number
  durationMs: number
  /** The block on the wall clock, when longer than `durationMs` (a busy machine's wait): the window spans it. */
  wallMs?: number
}

/** Where a block's window ends on core's clock (ms): its wall time, which its judged duration may fall short of. */
export function windowEndMs(window: BlockWindow): number {
  return window.startMs + (window.wallMs ?? window.durationMs)
}

export interface IndexedProfile {
  profile: CpuProfile
  nodes: Map<number, ProfileNode>
  parents: Map<number, number>
  /** Timestamp of each sample, in microseconds, ascending. */
  times: Float64Array
}

export function indexProfile(profile: CpuProfile): IndexedProfile {
  const nodes = new Map<number, ProfileNode>()
  const parents = new Map<number, number>()
  for (const node of profile.nodes) {
    nodes.set(node.id, node)
    for (const child of node.children ?? []) parents.set(child, node.id)
  }
  const deltas = profile.timeDeltas ?? []
  const times = new Float64Array(deltas.length)
  let t = profile.startTime
  for (let i = 0; i < deltas.length; i++) {
    t += deltas[i]!
    times[i] = t
  }
  return { profile, nodes, parents, times }
}

function firstAtOrAfter(times: Float64Array, value: number): number {
  let lo = 0
  let hi = times.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (times[mid]! < value) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The indices of the samples taken inside the window (ends included). */
export function sampleRange(index: IndexedProfile, window: BlockWindow): [from: number, to: number] {
  const startUs = window.startMs * 1000
  const endUs = windowEndMs(window) * 1000
  return [firstAtOrAfter(index.times, startUs), firstAtOrAfter(index.times, endUs + 1e-3)]
}

/** The node ids from `nodeId` up to the root's child, innermost first (the root itself is left out). */
export function stackOf(index: IndexedProfile, nodeId: number): ProfileNode[] {
  const stack: ProfileNode[] = []
  for (let id: number | undefined = nodeId; id !== undefined; id = index.parents.get(id)) {
    const node = index.nodes.get(id)
    if (!node || index.parents.get(id) === undefined) break
    stack.push(node)
  }
  return stack
}
