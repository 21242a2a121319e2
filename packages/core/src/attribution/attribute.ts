// Names the line that blocked: for each block, the samples the profiler took inside it vote for the innermost
// line of the project's own code on their stack, in original source; the line with most votes wins.
import { pathToFileURL } from 'node:url'
import type { TraceMap } from '@jridgewell/trace-mapping'
import { picomatchLibrary, traceMappingLibrary } from '../libraries.js'
import type { Frame } from '../report/schema.js'
import { checkObject, describeValue, optionError } from '../options/validate.js'
import { builtinOnLine, callsInFunction, firstCodeColumn, lineStarts, offsetAt, positionAt } from './call-sites.js'
import { classifyUrl, displayPath, type ClassifiedFrame } from './files.js'
import { describeNodeCall, publicModule } from './node-apis.js'
import { indexProfile, sampleRange, stackOf, type BlockWindow, type CpuProfile, type IndexedProfile, type ProfileNode } from './profile.js'
import { sourceMapsFor, type LoadedMap, type RetrieveSourceMap, type SourceMaps } from './source-maps.js'

export const MAX_FRAMES = 8

export interface AttributionOptions {
  /** The project's root folder: files under it, outside node_modules, are the project's code (default: cwd). */
  root?: string
  /** Globs relative to the root of the files whose blocks count (default: every project file). */
  scope?: readonly string[]
  /** The runner's own source maps, asked first for each script URL (see `RetrieveSourceMap`). */
  retrieveSourceMap?: RetrieveSourceMap
  /**
   * False: never enable the debugger to learn what V8 knows of a script (its source map, its code). Enabling it
   * costs 60-350 ms in a Jest worker with many scripts alive and clears V8's compilation cache. A project script
   * whose map is not known already is then passed over, never named from positions that may not be its file's.
   * Default true.
   */
  readScripts?: boolean
}

/** What a block was doing, in the shape of the report's `ReportBlock` fields. */
export interface Attribution {
  /** The innermost line of the project's code that ran or called the blocking work; null when none was on the stack. */
  frame: Frame | null
  /** Up to 8 frames, innermost first: the dependency's frame when the time went there, then the project's. */
  frames: Frame[]
  /** What ran on top of the project's line: `fs.readFileSync (sync I/O)`, `JSON.parse`, `in ajv/dist/compile.js`. */
  activity?: string
  /** False when the frame lies outside `scope`, or when only dependency code was running; absent when unknown. */
  inScope?: boolean
  /** How many profile samples fell inside the block (about one per sampling interval of blocking). */
  samples: number
  /**
   * The share of the samples (0-1) in which Node was loading one of its own internal modules (the first `fetch`,
   * `Request` or `Response` of a process loads Node's fetch implementation): Node's work, not the code's. Absent
   * when none was.
   */
  nodeLoadingShare?: number
  /**
   * The share of the samples (0-1) in which the test runner was transforming a module the code required (Jest's
   * ScriptTransformer running babel-jest, ts-jest and the TypeScript compiler, @swc/jest): the runner's work.
   * Absent when it was not.
   */
  transformShare?: number
  /**
   * The share of the samples (0-1) in which V8's garbage collector ran. Its 'gc' entries show the pauses of a
   * collection, not the steps of marking and sweeping it runs between them, which on a loaded machine can last tens
   * of ms (its helper threads get no CPU). Absent when none ran.
   */
  gcShare?: number
}

interface ResolvedStack {
  top: Frame | null
  frames: Frame[]
  activity?: string
  /** Only dependency code was on the stack. */
  dependencyOnly?: boolean
  /** Node was loading one of its internal modules, this one (`node:internal/deps/undici/undici`). */
  nodeLoading?: string
  /** The runner was transforming a module. */
  transforming?: boolean
}

/** Jest's module transformer: every transform (babel-jest, ts-jest, @swc/jest) runs under it. */
const JEST_TRANSFORM = /[\\/]@jest[\\/]transform[\\/]/

const SYNC_MODULES = new Set(['fs', 'zlib', 'crypto', 'child_process'])

/** `Module._load` -> `_load`, `get size` -> `size`: the name a caller writes. */
function calledName(functionName: string): string {
  const last = functionName.split(/[.\s]/).pop() ?? ''
  return last.replace(/^\[|\]$/g, '')
}

class Resolver {
  private readonly kinds = new Map<number, ClassifiedFrame>()
  private readonly stacks = new Map<number, ResolvedStack>()
  private readonly positions = new Map<string, { frame: Frame; activity?: string }>()
  private readonly starts = new Map<string, number[]>()

  constructor(
    private readonly index: IndexedProfile,
    private readonly root: string,
    private readonly maps: SourceMaps,
  ) {}

  kindOf(node: ProfileNode): ClassifiedFrame {
    let kind = this.kinds.get(node.id)
    if (!kind) {
      kind = classifyUrl(node.callFrame.url, node.callFrame.functionName, this.root)
      this.kinds.set(node.id, kind)
    }
    return kind
  }

  /**
   * Loads, in one pass, the source maps of every project script on the stacks of these samples, but for stacks
   * that name no line whatever their maps (Node loading its modules, Jest transforming one).
   */
  prepare(nodeIds: Iterable<number>): void {
    const scripts = new Map<string, { scriptId: string; url: string }>()
    const seen = new Set<number>()
    for (const id of nodeIds) {
      const stack = stackOf(this.index, id)
      if (nodeLoadingOf(stack) || stack.some((node) => JEST_TRANSFORM.test(node.callFrame.url))) continue
      for (const node of stack) {
        if (seen.has(node.id)) break
        seen.add(node.id)
        if (this.kindOf(node).kind === 'project') scripts.set(node.callFrame.scriptId, node.callFrame)
      }
    }
    this.maps.prepare(scripts.values())
  }

  stack(nodeId: number): ResolvedStack {
    let resolved = this.stacks.get(nodeId)
    if (!resolved) {
      try {
        resolved = this.resolveStack(nodeId)
      } catch {
        // Source that cannot be read or a map that does not fit: this stack names nothing, the others still may.
        resolved = { top: null, frames: [] }
      }
      this.stacks.set(nodeId, resolved)
    }
    return resolved
  }

  private resolveStack(nodeId: number): ResolvedStack {
    const stack = stackOf(this.index, nodeId)
    const loading = nodeLoadingOf(stack)
    if (loading) return { top: null, frames: [], activity: describeNodeLoading(loading), nodeLoading: loading }
    // The project's line on such a stack is the `require` that asked for the module: the time is the runner's.
    if (stack.some((node) => JEST_TRANSFORM.test(node.callFrame.url))) {
      return { top: null, frames: [], activity: 'Jest transforming a module', transforming: true }
    }
    // A project frame whose position cannot be traced to its file is passed over rather than named wrongly.
    const kinds = stack.map((node) => {
      const kind = this.kindOf(node)
      return kind.kind === 'project' && this.maps.isUnmappable(node.callFrame.scriptId) ? { kind: 'native' as const } : kind
    })
    const firstProject = kinds.findIndex((k) => k.kind === 'project')
    const limit = firstProject < 0 ? stack.length : firstProject
    const innerDependency = kinds.slice(0, limit).findIndex((k) => k.kind === 'dependency')
    const frames: Frame[] = []
    if (innerDependency >= 0) frames.push(this.dependencyFrame(stack[innerDependency]!, kinds[innerDependency]!))

    if (firstProject < 0) {
      const leaf = stack[0]
      const activity =
        leaf?.callFrame.functionName === '(garbage collector)'
          ? 'garbage collection'
          : innerDependency >= 0
            ? `in ${frames[0]!.file}`
            : undefined
      return { top: null, frames, activity, dependencyOnly: innerDependency >= 0 }
    }

    let top: Frame | null = null
    let activity: string | undefined
    for (let i = firstProject; i < stack.length && frames.length < MAX_FRAMES; i++) {
      if (kinds[i]!.kind !== 'project') continue
      const position = this.position(stack, kinds, i)
      if (i === firstProject) {
        top = position.frame
        activity = position.activity
      }
      frames.push(position.frame)
    }
    if (innerDependency >= 0) activity = `in ${frames[0]!.file}`
    return { top, frames, activity }
  }

  private dependencyFrame(node: ProfileNode, kind: ClassifiedFrame): Frame {
    const cf = node.callFrame
    // The line the function ran most when it was innermost (its own samples): on a stack where it called out, V8
    // gives only the start of the function. That start when it never ran itself.
    const ticked = mostTickedLine(node)
    const line = ticked ?? cf.lineNumber + 1
    return { file: kind.path ? displayPath(kind.path, this.root) : cf.url, line, column: ticked ? 1 : cf.columnNumber + 1, function: cf.functionName }
  }

  /** Where in its source the project frame `stack[i]` was: the line it ran (innermost) or the call it made. */
  private position(stack: ProfileNode[], kinds: ClassifiedFrame[], i: number): { frame: Frame; activity?: string } {
    const node = stack[i]!
    const callee = i > 0 ? stack[i - 1] : undefined
    const key = `${node.id}:${callee?.id ?? ''}`
    let found = this.positions.get(key)
    if (found) return found
    const cf = node.callFrame
    const path = kinds[i]!.path!
    const loaded = this.maps.mapFor(cf)
    // Only the innermost frame has line positions in V8's profile; callers have the start of their function.
    if (i === 0) {
      const line = mostTickedLine(node) ?? cf.lineNumber + 1
      const original = mapLine(loaded, line, path)
      const text = this.maps.textOf(original.path, loaded, original.sourceIndex)
      const lineText = text ? lineOf(text, this.lineStarts(original.path, text), original.line) : ''
      const builtin = builtinOnLine(lineText)
      const column0 = builtin?.column0 ?? firstCodeColumn(lineText)
      found = { frame: this.frame(original.path, original.line, column0 + 1, cf.functionName), activity: builtin?.activity }
    } else {
      const start = mapPosition(loaded, cf.lineNumber + 1, cf.columnNumber, path)
      const text = this.maps.textOf(start.path, loaded, start.sourceIndex)
      const calleeKind = callee ? kinds[i - 1]! : undefined
      const module = callee && calleeKind?.kind === 'node' ? publicModule(callee.callFrame.url) : undefined
      let frame = this.frame(start.path, start.line, start.column0 + 1, cf.functionName)
      let activity: string | undefined
      if (text) {
        const starts = this.lineStarts(start.path, text)
        const offset = offsetAt(starts, start.line, start.column0)
        const calls = offset === undefined ? [] : callsInFunction(text, offset)
        const wanted = stack.slice(0, i).map((n) => calledName(n.callFrame.functionName)).filter(Boolean).reverse()
        let call = undefined as (typeof calls)[number] | undefined
        for (const name of wanted) {
          call = calls.find((c) => c.name === name)
          if (call) break
        }
        // Node's own functions often bear other names than the API (zlib.gzipSync runs `syncBufferWrapper`).
        if (!call && module && SYNC_MODULES.has(module)) call = calls.find((c) => /Sync$/.test(c.name))
        // A call through `fn.call(...)`/`fn.apply(...)`, or the only call there is.
        if (!call) call = calls.find((c) => c.name === 'call' || c.name === 'apply') ?? (calls.length === 1 ? calls[0] : undefined)
        if (call) {
          const at = positionAt(starts, call.offset)
          frame = this.frame(start.path, at.line, at.column, cf.functionName)
        }
        if (module) activity = describeNodeCall(module, call?.name ?? calledName(callee!.callFrame.functionName))
      } else if (module) {
        activity = describeNodeCall(module, calledName(callee!.callFrame.functionName))
      }
      found = { frame, activity }
    }
    this.positions.set(key, found)
    return found
  }

  private frame(path: string, line: number, column: number, functionName: string): Frame {
    return { file: displayPath(path, this.root), line, column, function: functionName }
  }

  private lineStarts(path: string, text: string): number[] {
    let starts = this.starts.get(path)
    if (!starts) {
      starts = lineStarts(text)
      this.starts.set(path, starts)
    }
    return starts
  }
}

/** The internal module Node was loading on this stack (leaf first), from the outermost load: undefined when none. */
function nodeLoadingOf(stack: readonly ProfileNode[]): string | undefined {
  for (let i = stack.length - 1; i > 0; i--) {
    const cf = stack[i]!.callFrame
    if (cf.functionName === 'compileForInternalLoader' && cf.url.startsWith('node:internal/bootstrap/')) {
      return stack[i - 1]!.callFrame.url || 'node:internal'
    }
  }
  return undefined
}

/** What Node's loading of an internal module is for, in words a user knows. */
function describeNodeLoading(url: string): string {
  if (url.includes('undici')) return 'Node loading its fetch implementation (once per process)'
  return `Node loading ${url.replace(/^node:internal\//, 'its internal ')} (once per process)`
}

function mostTickedLine(node: ProfileNode): number | undefined {
  let best: { line: number; ticks: number } | undefined
  for (const tick of node.positionTicks ?? []) if (!best || tick.ticks > best.ticks) best = tick
  return best?.line
}

function lineOf(text: string, starts: readonly number[], line: number): string {
  const from = starts[line - 1]
  if (from === undefined) return ''
  const to = starts[line] ?? text.length
  return text.slice(from, to).replace(/\r?\n$/, '')
}

interface OriginalLine {
  path: string
  line: number
  sourceIndex?: number
}

/** The original line of a generated line: the first mapped segment on it. */
function mapLine(loaded: LoadedMap | null, line: number, generatedPath: string): OriginalLine {
  if (!loaded) return { path: generatedPath, line }
  const segments = traceMappingLibrary().decodedMappings(loaded.map)[line - 1] ?? []
  for (const segment of segments) {
    if (segment.length < 4) continue
    const path = loaded.sourcePaths[segment[1]!]
    if (path) return { path, line: segment[2]! + 1, sourceIndex: segment[1]! }
  }
  return { path: generatedPath, line }
}

function mapPosition(loaded: LoadedMap | null, line: number, column0: number, generatedPath: string): OriginalLine & { column0: number } {
  if (!loaded) return { path: generatedPath, line, column0 }
  const { GREATEST_LOWER_BOUND, LEAST_UPPER_BOUND, originalPositionFor } = traceMappingLibrary()
  for (const bias of [GREATEST_LOWER_BOUND, LEAST_UPPER_BOUND] as const) {
    const original = originalPositionFor(loaded.map as TraceMap, { line, column: column0, bias })
    if (original.source === null) continue
    const sourceIndex = loaded.map.resolvedSources.indexOf(original.source)
    const path = loaded.sourcePaths[sourceIndex]
    if (path) return { path, line: original.line, column0: original.column, sourceIndex }
  }
  return { path: generatedPath, line, column0 }
}

interface Vote {
  count: number
  columns: Map<number, number>
  nodes: Map<number, number>
}

function mostCommon<K>(counts: Map<K, number>): K | undefined {
  let best: K | undefined
  let bestCount = -1
  for (const [key, count] of counts) {
    if (count > bestCount) {
      best = key
      bestCount = count
    }
  }
  return best
}

/**
 * Attributes each block to a line of the project's code, from the samples `profile` holds inside the block.
 * `profile` must cover the blocks (take it after they ended); the result is in the order of `blocks`.
 */
export function attributeBlocks(profile: CpuProfile, blocks: readonly BlockWindow[], options: AttributionOptions = {}): Attribution[] {
  const where = 'attributeBlocks'
  if (!profile || typeof profile !== 'object' || !Array.isArray(profile.nodes)) {
    throw new TypeError(`${where}: expected a CPU profile from profiler.takeProfile(); received ${describeValue(profile)}.`)
  }
  if (!Array.isArray(blocks) || blocks.some((b) => !b || typeof b.startMs !== 'number' || typeof b.durationMs !== 'number')) {
    throw new TypeError(`${where}: expected an array of blocks ({ startMs, durationMs } in ms, as the monitor reports them); received ${describeValue(blocks)}.`)
  }
  const checked = checkObject(where, options, ['root', 'scope', 'retrieveSourceMap', 'readScripts'])
  if (checked.root !== undefined && typeof checked.root !== 'string') throw optionError(where, 'root', checked.root, 'a folder path')
  if (checked.scope !== undefined && (!Array.isArray(checked.scope) || checked.scope.some((g) => typeof g !== 'string' || g === ''))) {
    throw optionError(where, 'scope', checked.scope, 'an array of globs relative to the root')
  }
  if (checked.retrieveSourceMap !== undefined && typeof checked.retrieveSourceMap !== 'function') {
    throw optionError(where, 'retrieveSourceMap', checked.retrieveSourceMap, 'a function (path) => source map | undefined')
  }
  if (checked.readScripts !== undefined && typeof checked.readScripts !== 'boolean') throw optionError(where, 'readScripts', checked.readScripts, 'true or false')
  const root = options.root ?? process.cwd()
  const inScope = options.scope && options.scope.length > 0 ? picomatchLibrary()([...options.scope], { dot: true }) : undefined
  const index = indexProfile(profile)
  const samples = profile.samples ?? []
  const ranges = blocks.map((block) => sampleRange(index, block))
  const maps = sourceMapsFor(options.retrieveSourceMap)
  maps.begin(options.readScripts !== false)
  const resolver = new Resolver(index, root, maps)
  const sampled = new Set<number>()
  for (const [from, to] of ranges) for (let s = from; s < to; s++) sampled.add(samples[s]!)
  resolver.prepare(sampled)

  return ranges.map(([from, to]) => {
    const votes = new Map<string, Vote>()
    const others = new Map<string, number>()
    let dependencyOnly = 0
    let unknown = 0
    let nodeLoading = 0
    let transforming = 0
    let gc = 0
    for (let s = from; s < to; s++) {
      const nodeId = samples[s]!
      if (index.nodes.get(nodeId)?.callFrame.functionName === '(garbage collector)') gc++
      const resolved = resolver.stack(nodeId)
      if (resolved.nodeLoading) nodeLoading++
      if (resolved.transforming) transforming++
      if (!resolved.top) {
        if (resolved.activity) others.set(resolved.activity, (others.get(resolved.activity) ?? 0) + 1)
        if (resolved.dependencyOnly) dependencyOnly++
        else unknown++
        continue
      }
      const key = `${resolved.top.file}:${resolved.top.line}`
      let vote = votes.get(key)
      if (!vote) {
        vote = { count: 0, columns: new Map(), nodes: new Map() }
        votes.set(key, vote)
      }
      vote.count++
      vote.columns.set(resolved.top.column, (vote.columns.get(resolved.top.column) ?? 0) + 1)
      vote.nodes.set(nodeId, (vote.nodes.get(nodeId) ?? 0) + 1)
    }

    const counted = to - from
    const loadingShare = {
      ...(counted > 0 && nodeLoading > 0 ? { nodeLoadingShare: nodeLoading / counted } : {}),
      ...(counted > 0 && transforming > 0 ? { transformShare: transforming / counted } : {}),
      ...(counted > 0 && gc > 0 ? { gcShare: gc / counted } : {}),
    }
    let winner: Vote | undefined
    for (const vote of votes.values()) if (!winner || vote.count > winner.count) winner = vote
    // A block where only a dependency ran for most of its samples is the dependency's, whatever project line a few
    // samples caught on either side of it (on a loaded machine a window holds more of the code around the block).
    // Likewise where Node loading its own modules or the runner transforming the code's took most of them.
    if (!winner || dependencyOnly > winner.count || nodeLoading + transforming > winner.count) {
      const activity = mostCommon(others)
      const attribution: Attribution = { frame: null, frames: [], samples: counted, ...loadingShare }
      if (activity) attribution.activity = activity
      if (dependencyOnly > 0 && dependencyOnly >= unknown) attribution.inScope = false
      return attribution
    }
    const column = mostCommon(winner.columns)!
    // The representative stack: the one most samples on the winning line share, with the line's usual column.
    const stack = resolver.stack(mostCommon(winner.nodes)!)
    const frame: Frame = { ...stack.top!, column }
    const frames = stack.frames.map((f) => (f === stack.top ? frame : f))
    const attribution: Attribution = { frame, frames, samples: counted, inScope: inScope ? inScope(frame.file) : true, ...loadingShare }
    if (stack.activity) attribution.activity = stack.activity
    return attribution
  })
}

/**
 * The nodes with the call frames of the project's scripts moved to their original source (file URL, 0-based
 * line and column of the function), so that DevTools shows the code the user wrote.
 */
export function mapCallFrames(nodes: readonly ProfileNode[], options: Pick<AttributionOptions, 'root' | 'retrieveSourceMap'> = {}): ProfileNode[] {
  const root = options.root ?? process.cwd()
  const maps = sourceMapsFor(options.retrieveSourceMap)
  maps.begin()
  const paths = new Map<number, string>()
  for (const node of nodes) {
    const kind = classifyUrl(node.callFrame.url, node.callFrame.functionName, root)
    if (kind.kind === 'project' && kind.path) paths.set(node.id, kind.path)
  }
  maps.prepare(nodes.filter((node) => paths.has(node.id)).map((node) => node.callFrame))
  return nodes.map((node) => {
    const path = paths.get(node.id)
    const loaded = path ? maps.mapFor(node.callFrame) : null
    if (!path || !loaded) return node
    const cf = node.callFrame
    const original = mapPosition(loaded, cf.lineNumber + 1, cf.columnNumber, path)
    return { ...node, callFrame: { ...cf, url: pathToFileURL(original.path).href, lineNumber: original.line - 1, columnNumber: original.column0 } }
  })
}
