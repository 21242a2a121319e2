// Naming what Node.js was doing when the project's line called into it: `fs.readFileSync (sync I/O)`, and
// the asynchronous call that would not have blocked.

/** The public module of a Node.js internal script URL (`node:internal/crypto/pbkdf2` -> `crypto`). */
export function publicModule(url: string): string | undefined {
  if (!url.startsWith('node:')) return undefined
  const path = url.slice('node:'.length).replace(/^internal\//, '')
  const first = path.split('/')[0] ?? ''
  if (first === 'fs' || path.startsWith('fs')) return 'fs'
  if (first === 'crypto') return 'crypto'
  if (first === 'child_process') return 'child_process'
  if (first === 'zlib') return 'zlib'
  if (first === 'perf_hooks' || first === 'perf') return 'performance'
  return first || undefined
}

const IO_MODULES = new Set(['fs', 'child_process'])
const THREAD_POOL_MODULES = new Set(['zlib', 'crypto'])

/**
 * How a call into Node.js reads in a report: `fs.readFileSync (sync I/O)`, `zlib.gzipSync (sync)`. Only a function
 * the module exports is named so: Node's internals (`node:internal/util` lazily loading undici, `webstreams`, the
 * WebCrypto helpers) are no API a user could call or replace, and are left unnamed rather than named wrongly.
 */
export function describeNodeCall(module: string, name: string): string | undefined {
  if (!isExported(module, name)) return undefined
  const call = `${module}.${name}`
  if (/Sync$/.test(name)) return `${call} (${IO_MODULES.has(module) ? 'sync I/O' : 'sync'})`
  return call
}

function isExported(module: string, name: string): boolean {
  if (!name) return false
  try {
    const exports = process.getBuiltinModule(module) as Record<string, unknown> | undefined
    return typeof exports?.[name] === 'function'
  } catch {
    return false
  }
}

const CHILD_PROCESS_ASYNC: Record<string, string> = { execSync: 'exec', execFileSync: 'execFile', spawnSync: 'spawn' }
const FS_ASYNC: Record<string, string> = { existsSync: 'access' }

/** One line that names the asynchronous alternative of a blocking call named in `activity`, if there is one. */
export function asyncHint(activity: string | undefined): string | undefined {
  if (!activity) return undefined
  const match = /^(fs|child_process|zlib|crypto)\.(\w+)Sync\b/.exec(activity)
  if (match) {
    const [, module, stem] = match as unknown as [string, string, string]
    const sync = `${stem}Sync`
    if (module === 'fs') return `use fs.promises.${FS_ASYNC[sync] ?? stem} (or fs.${stem} with a callback): it does not block the event loop`
    if (module === 'child_process') return `use child_process.${CHILD_PROCESS_ASYNC[sync] ?? stem} (promisified): it does not block the event loop`
    if (THREAD_POOL_MODULES.has(module)) return `use ${module}.${stem}: it runs on the libuv thread pool, off the event loop`
  }
  if (activity === 'JSON.parse' || activity === 'JSON.stringify') return 'a large JSON document blocks for as long as it takes; stream it, or move the work to a worker thread'
  if (activity === 'Atomics.wait') return 'use Atomics.waitAsync: it does not block the event loop'
  return undefined
}
