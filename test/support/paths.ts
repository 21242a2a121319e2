import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
export const testRoot = join(repoRoot, 'test')
export const runnersRoot = join(testRoot, '.runners')
export const tarballsDir = join(runnersRoot, 'tarballs')
export const artifactsDir = join(testRoot, 'artifacts')

/** Node 20 is the one running this suite; Node 24 comes from the registry's `node` package. */
export const node20 = process.execPath
export const node24 = join(testRoot, 'node_modules', 'node', 'bin', 'node')
