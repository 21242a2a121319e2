// Which code a profiled frame belongs to: the project's own files, a dependency, Node.js itself, the test
// runner, or loopguard. Only the project's files can be "the line that blocked".
import { existsSync, readFileSync } from 'node:fs'
import { dirname, isAbsolute, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

export type CodeKind = 'project' | 'dependency' | 'runner' | 'loopguard' | 'node' | 'native' | 'engine'

/** V8's pseudo-frames: no code of anyone's, the engine's own bookkeeping. */
const ENGINE_FRAMES = new Set(['(root)', '(program)', '(idle)', '(garbage collector)'])

/** Packages of the test runners themselves: their frames are never named, not even as a dependency. */
const RUNNER_PACKAGE = /^(?:vitest|vite|vite-node|tinypool|tinyspy|jest|jest-[^/]+|babel-jest|ts-jest|@vitest\/[^/]+|@jest\/[^/]+)$/

/** A profile's script URL as a file path, or undefined when it is no file (node:, native, eval). */
export function urlToPath(url: string): string | undefined {
  if (url.startsWith('file://')) {
    try {
      return fileURLToPath(url)
    } catch {
      return undefined
    }
  }
  return isAbsolute(url) ? url : undefined
}

/** The package name and the path inside it, from the last `node_modules` folder of a path. */
export function packagePath(path: string): { name: string; path: string } | undefined {
  const normalized = path.split(sep).join('/')
  const at = normalized.lastIndexOf('/node_modules/')
  if (at < 0) return undefined
  const inside = normalized.slice(at + '/node_modules/'.length)
  const parts = inside.split('/')
  const name = parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? '')
  return { name, path: inside }
}

const packageNameCache = new Map<string, string | null>()

/** The `name` of the nearest package.json above a folder, and the folder holding it. */
function nearestPackage(folder: string): { name: string; dir: string } | undefined {
  for (let dir = folder; ; dir = dirname(dir)) {
    let name = packageNameCache.get(dir)
    if (name === undefined) {
      name = null
      const file = join(dir, 'package.json')
      if (existsSync(file)) {
        try {
          const parsed = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }
          name = typeof parsed.name === 'string' ? parsed.name : ''
        } catch {
          name = ''
        }
      }
      packageNameCache.set(dir, name)
    }
    if (name !== null) return { name, dir }
    if (dirname(dir) === dir) return undefined
  }
}

/** loopguard's own code: the built or source files of any `@loopguard/*` package (its tests are a project's). */
/** The packages loopguard itself is made of; other `@loopguard/*` names (a project's own) are user code. */
const LOOPGUARD_PACKAGES = new Set(['@loopguard/core', '@loopguard/vitest', '@loopguard/jest'])

function isLoopguardFile(path: string): boolean {
  const pkg = packagePath(path)
  if (pkg) return LOOPGUARD_PACKAGES.has(pkg.name)
  const owner = nearestPackage(dirname(path))
  if (!owner || !LOOPGUARD_PACKAGES.has(owner.name)) return false
  const inside = relative(owner.dir, path).split(sep)[0]
  return inside === 'dist' || inside === 'src'
}

export interface ClassifiedFrame {
  kind: CodeKind
  /** Absolute file path, when the frame's script is a file. */
  path?: string
}

export function classifyUrl(url: string, functionName: string, root: string): ClassifiedFrame {
  if (url === '') return { kind: ENGINE_FRAMES.has(functionName) ? 'engine' : 'native' }
  if (url.startsWith('node:')) return { kind: 'node' }
  const path = urlToPath(url)
  if (!path) return { kind: 'dependency' }
  if (isLoopguardFile(path)) return { kind: 'loopguard', path }
  const pkg = packagePath(path)
  if (pkg) return { kind: RUNNER_PACKAGE.test(pkg.name) ? 'runner' : 'dependency', path }
  const fromRoot = relative(root, path)
  if (fromRoot.startsWith('..') || isAbsolute(fromRoot)) return { kind: 'dependency', path }
  return { kind: 'project', path }
}

/** How a file is named in frames: relative to the root for the project's files, a package path otherwise. */
export function displayPath(path: string, root: string): string {
  const pkg = packagePath(path)
  if (pkg) return pkg.path
  const fromRoot = relative(root, path)
  if (fromRoot.startsWith('..') || isAbsolute(fromRoot)) return path.split(sep).join('/')
  return fromRoot.split(sep).join('/')
}
