// The folder a Jest project's paths are written from. Jest gives an environment its config's rootDir, not where the
// config lies, and a config may set rootDir to its sources (`rootDir: './src'`) and keep its tests beside them: paths
// relative to such a rootDir read `../test/...`, and the tests' own code would not count as the project's.
import { existsSync } from 'node:fs'
import { dirname, join, relative, isAbsolute } from 'node:path'

const found = new Map<string, string>()

/**
 * The nearest folder at or above `rootDir` that holds a package.json (the package the tests belong to), looked for
 * no higher than the folder Jest runs in; `rootDir` itself when there is none.
 */
export function projectDir(rootDir: string, cwd = process.cwd()): string {
  const key = `${rootDir}\0${cwd}`
  let dir = found.get(key)
  if (dir !== undefined) return dir
  dir = rootDir
  for (let at = rootDir; isWithin(at, cwd); at = dirname(at)) {
    if (existsSync(join(at, 'package.json'))) {
      dir = at
      break
    }
    if (at === cwd || dirname(at) === at) break
  }
  found.set(key, dir)
  return dir
}

function isWithin(path: string, folder: string): boolean {
  const rel = relative(folder, path)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}
