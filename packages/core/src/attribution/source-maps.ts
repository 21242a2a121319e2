// Finding the source map of each profiled script, so that positions in the generated code the runner ran
// become lines of the user's original source. Runners transform in memory (Vitest's module runner, Jest's
// babel-jest and ts-jest) and leave the map inline at the end of the code, which V8 announces to debuggers as
// the script's `sourceMapURL`: a short Debugger pass reads those for the few scripts a profile names.
import { readFileSync } from 'node:fs'
import { findSourceMap } from 'node:module'
import type { Session } from 'node:inspector'
import { dirname, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { SourceMapInput, TraceMap } from '@jridgewell/trace-mapping'
import { traceMappingLibrary } from '../libraries.js'
import { urlToPath } from './files.js'

/**
 * Returns the source map of a script when the caller knows it: a raw map object, its JSON text, or a `data:`
 * URL. `script` is the script's absolute file path (the module's file for code a runner transformed in
 * memory), or its URL when it is no file. `null`/`undefined` lets loopguard look for the map itself.
 */
export type RetrieveSourceMap = (script: string) => object | string | null | undefined

export interface ScriptRef {
  scriptId: string
  url: string
}

/** A script's source map, ready to trace through. */
export interface LoadedMap {
  map: TraceMap
  /** Absolute paths of the map's sources, by source index. */
  sourcePaths: (string | undefined)[]
}

function decodeDataUrl(url: string): string | undefined {
  const comma = url.indexOf(',')
  if (!url.startsWith('data:') || comma < 0) return undefined
  const meta = url.slice(5, comma)
  const data = url.slice(comma + 1)
  return meta.split(';').includes('base64') ? Buffer.from(data, 'base64').toString('utf8') : decodeURIComponent(data)
}

function readMapText(sourceMapURL: string, scriptUrl: string): string | undefined {
  if (sourceMapURL.startsWith('data:')) return decodeDataUrl(sourceMapURL)
  const scriptPath = urlToPath(scriptUrl)
  const path = urlToPath(sourceMapURL) ?? (scriptPath ? resolve(dirname(scriptPath), sourceMapURL) : undefined)
  if (!path) return undefined
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

function toTraceMap(input: object | string, scriptUrl: string): TraceMap | undefined {
  try {
    const text = typeof input === 'string' && input.startsWith('data:') ? decodeDataUrl(input) : input
    if (text === undefined) return undefined
    const mapUrl = scriptUrl.startsWith('file://') ? scriptUrl : urlToPath(scriptUrl) ? pathToFileURL(scriptUrl).href : undefined
    return new (traceMappingLibrary().TraceMap)(text as SourceMapInput, mapUrl)
  } catch {
    return undefined
  }
}

function postSync(session: Session, method: string): void {
  let failure: Error | null = null
  session.post(method, (error: Error | null) => {
    failure = error
  })
  if (failure) throw failure
}

export interface ScriptFacts {
  /** The `sourceMapURL` V8 recorded for the script, '' when none. */
  sourceMapURL: string
  /** The code V8 ran, read only for scripts without a map, to tell whether it is the file on disk. */
  source?: string
}

/**
 * What V8 knows of the given scripts. Enabling the debugger makes V8 announce every live script at once,
 * synchronously; it is disabled again before any other code runs, so no breakpoint or `debugger` statement
 * can ever pause the thread. About 2-3 ms, ~100 ms the first time in a process with much code (V8 hashes
 * every script once).
 */
export function readScriptFacts(scriptIds: ReadonlySet<string>): Map<string, ScriptFacts> {
  const found = new Map<string, ScriptFacts>()
  if (scriptIds.size === 0) return found
  const inspector = process.getBuiltinModule('node:inspector') as typeof import('node:inspector')
  const session = new inspector.Session()
  session.connect()
  session.on('Debugger.scriptParsed', (message: { params: { scriptId: string; sourceMapURL?: string } }) => {
    const { scriptId, sourceMapURL } = message.params
    if (scriptIds.has(scriptId)) found.set(scriptId, { sourceMapURL: sourceMapURL ?? '' })
  })
  try {
    postSync(session, 'Debugger.enable')
    for (const [scriptId, facts] of found) {
      if (facts.sourceMapURL) continue
      session.post('Debugger.getScriptSource', { scriptId }, (error: Error | null, result?: { scriptSource: string }) => {
        if (!error && result) facts.source = result.scriptSource
      })
    }
  } finally {
    try {
      postSync(session, 'Debugger.disable')
    } finally {
      session.disconnect()
    }
  }
  return found
}

/** Scripts remembered at most; past this the cache starts over (a script's map never changes, its id is unique). */
const MAX_SCRIPTS = 2000

/**
 * Source maps of the scripts profiles name, each loaded once per thread (a script id is never reused), and
 * source texts, read afresh for each attribution so that a file edited in watch mode is read as it is now.
 */
export class SourceMaps {
  private readonly maps = new Map<string, LoadedMap | null>()
  /** Scripts without a map whose code is not the file on disk (a runner's transform kept its map to itself). */
  private readonly unmappable = new Set<string>()
  private texts = new Map<string, string | null>()
  private readonly pending = new Map<string, string>()
  /** Whether this attribution may enable the debugger to learn of scripts (see `AttributionOptions.readScripts`). */
  private readScripts = true
  /** Scripts this attribution could not learn of without the debugger: passed over, and asked again next time. */
  private unknown = new Set<string>()

  constructor(private readonly retrieveSourceMap?: RetrieveSourceMap) {}

  /** Starts one attribution: forgets source texts read before. */
  begin(readScripts = true): void {
    this.readScripts = readScripts
    this.unknown = new Set()
    this.texts = new Map()
    if (this.maps.size > MAX_SCRIPTS) {
      this.maps.clear()
      this.unmappable.clear()
    }
  }

  /** True when positions in the script cannot be traced to a file: no map, and the code ran is not on disk. */
  isUnmappable(scriptId: string): boolean {
    return this.unmappable.has(scriptId) || this.unknown.has(scriptId)
  }

  /** Looks up, in one pass, the maps of scripts the caller could not provide. */
  prepare(scripts: Iterable<ScriptRef>): void {
    const ask = new Set<string>()
    for (const { scriptId, url } of scripts) {
      if (this.maps.has(scriptId)) continue
      const given = this.fromCaller(url)
      if (given !== undefined) {
        this.maps.set(scriptId, given)
        continue
      }
      this.pending.set(scriptId, url)
      ask.add(scriptId)
    }
    if (ask.size === 0) return
    if (!this.readScripts) {
      // What Node.js itself knows is all there is; a script it does not know may be a runner's transform.
      for (const scriptId of ask) {
        const url = this.pending.get(scriptId)!
        this.pending.delete(scriptId)
        const loaded = this.fromNode(url)
        if (loaded) this.maps.set(scriptId, loaded)
        else this.unknown.add(scriptId)
      }
      return
    }
    let facts = new Map<string, ScriptFacts>()
    try {
      facts = readScriptFacts(ask)
    } catch {
      // Without the debugger, fall back on what Node.js itself knows (below).
    }
    for (const scriptId of ask) {
      const url = this.pending.get(scriptId)!
      this.pending.delete(scriptId)
      const known = facts.get(scriptId)
      const text = known?.sourceMapURL ? readMapText(known.sourceMapURL, url) : undefined
      const loaded = (text && this.load(text, url)) || this.fromNode(url)
      this.maps.set(scriptId, loaded)
      if (!loaded && known?.source !== undefined && !this.isOnDisk(url, known.source)) this.unmappable.add(scriptId)
    }
  }

  /** The map of a script; `prepare` must have seen it, otherwise it is looked up alone. */
  mapFor(script: ScriptRef): LoadedMap | null {
    if (!this.maps.has(script.scriptId)) this.prepare([script])
    return this.maps.get(script.scriptId) ?? null
  }

  /** The text of an original source file: from the map's `sourcesContent`, else from disk. */
  textOf(path: string, loaded?: LoadedMap | null, sourceIndex?: number): string | undefined {
    if (loaded && sourceIndex !== undefined) {
      const content = loaded.map.sourcesContent?.[sourceIndex]
      if (typeof content === 'string') return content
    }
    let text = this.texts.get(path)
    if (text === undefined) {
      try {
        text = readFileSync(path, 'utf8')
      } catch {
        text = null
      }
      this.texts.set(path, text)
    }
    return text ?? undefined
  }

  private isOnDisk(url: string, source: string): boolean {
    const path = urlToPath(url)
    const disk = path ? this.textOf(path) : undefined
    return disk !== undefined && (source === disk || source.includes(disk))
  }

  private fromCaller(url: string): LoadedMap | null | undefined {
    if (!this.retrieveSourceMap) return undefined
    let given: object | string | null | undefined
    try {
      given = this.retrieveSourceMap(urlToPath(url) ?? url)
    } catch {
      return undefined
    }
    if (given === null || given === undefined) return undefined
    return this.load(given, url) ?? null
  }

  private fromNode(url: string): LoadedMap | null {
    const path = urlToPath(url)
    if (!path) return null
    try {
      // Known only when Node.js loaded the file itself with source maps enabled.
      const payload = findSourceMap(path)?.payload
      return (payload && this.load(payload, url)) || null
    } catch {
      return null
    }
  }

  private load(input: object | string, url: string): LoadedMap | undefined {
    const map = toTraceMap(input, url)
    if (!map) return undefined
    return { map, sourcePaths: map.resolvedSources.map((source) => (source ? urlToPath(source) : undefined)) }
  }
}

const byRetriever = new WeakMap<RetrieveSourceMap, SourceMaps>()
let ownMaps: SourceMaps | undefined

/** The thread's source-map cache for a way of retrieving maps (the runner passes the same function each time). */
export function sourceMapsFor(retrieveSourceMap: RetrieveSourceMap | undefined): SourceMaps {
  if (!retrieveSourceMap) return (ownMaps ??= new SourceMaps())
  let maps = byRetriever.get(retrieveSourceMap)
  if (!maps) {
    maps = new SourceMaps(retrieveSourceMap)
    byRetriever.set(retrieveSourceMap, maps)
  }
  return maps
}
