// The real runners, each installed from the registry into a plain npm project of its own together with the
// packed tarballs of this repository's packages, the way a user installs them.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { node20, node24, repoRoot, runnersRoot, tarballsDir as tarballsRoot } from './paths.js'

export type RunnerName = 'vitest4' | 'vitest5' | 'vitest4.0' | 'vitest3.2' | 'vitest3.1' | 'jest29' | 'jest30' | 'jest29.0' | 'jest30.0'

interface RunnerSpec {
  dependencies: Record<string, string>
  node: string
  /** The runner's CLI, relative to the runner's folder. */
  bin: string
  /** A version loopguard refuses: installed past the peer range (as `--legacy-peer-deps` users do), for that test alone. */
  unsupported?: boolean
  /**
   * An older minor loopguard supports (the oldest of a Jest major; Vitest 3.2 and 4.0, before the around-hooks): the
   * Jest basics, or the Vitest measuring fixture, run on it; the other tests on the newest.
   */
  oldest?: boolean
}

const typescript = { typescript: '~5.9.3', '@types/node': '^20.19.0' }

export const RUNNERS: Record<RunnerName, RunnerSpec> = {
  vitest4: { dependencies: { vitest: '^4.1.0', ...typescript }, node: node20, bin: 'node_modules/vitest/vitest.mjs' },
  // Vitest 5 takes @types/node 22 or later as a peer: npm refuses the install with 20.
  vitest5: { dependencies: { vitest: '^5.1.0', ...typescript, '@types/node': '^24.0.0' }, node: node24, bin: 'node_modules/vitest/vitest.mjs' },
  'vitest4.0': { dependencies: { vitest: '~4.0.17' }, node: node20, bin: 'node_modules/vitest/vitest.mjs', oldest: true },
  'vitest3.2': { dependencies: { vitest: '~3.2.4' }, node: node20, bin: 'node_modules/vitest/vitest.mjs', oldest: true },
  'vitest3.1': { dependencies: { vitest: '~3.1.4' }, node: node20, bin: 'node_modules/vitest/vitest.mjs', unsupported: true },
  jest29: {
    dependencies: {
      jest: '^29.7.0',
      'jest-environment-node': '^29.7.0',
      'jest-environment-jsdom': '^29.7.0',
      'babel-jest': '^29.7.0',
      '@babel/core': '^7.26.0',
      '@babel/preset-env': '^7.26.0',
      '@babel/preset-typescript': '^7.26.0',
      'ts-jest': '^29.4.0',
      '@jest/globals': '^29.7.0',
      '@types/jest': '^29.5.0',
      ...typescript,
    },
    node: node20,
    bin: 'node_modules/jest/bin/jest.js',
  },
  jest30: {
    dependencies: {
      jest: '^30.0.0',
      'jest-environment-node': '^30.0.0',
      'jest-environment-jsdom': '^30.0.0',
      'babel-jest': '^30.0.0',
      '@babel/core': '^7.26.0',
      '@babel/preset-env': '^7.26.0',
      '@babel/preset-typescript': '^7.26.0',
      'ts-jest': '^29.4.0',
      '@jest/globals': '^30.0.0',
      '@types/jest': '^30.0.0',
      ...typescript,
    },
    node: node24,
    bin: 'node_modules/jest/bin/jest.js',
  },
  'jest29.0': {
    dependencies: { jest: '~29.0.0', 'jest-environment-node': '~29.0.0', 'jest-environment-jsdom': '~29.0.0' },
    node: node20,
    bin: 'node_modules/jest/bin/jest.js',
    oldest: true,
  },
  'jest30.0': {
    dependencies: { jest: '~30.0.0', 'jest-environment-node': '~30.0.0', 'jest-environment-jsdom': '~30.0.0' },
    node: node20,
    bin: 'node_modules/jest/bin/jest.js',
    oldest: true,
  },
}

export const PACKAGES = ['core', 'vitest-plugin', 'jest-env'] as const

export function runnerDir(name: RunnerName): string {
  return join(runnersRoot, name)
}

/** Packs every package of the repository (already built) into a folder of this run under `test/.runners/tarballs`. */
export function packPackages(): Record<string, string> {
  // One folder per run: two runs at once (one per runner family) must not delete each other's tarballs.
  const tarballsDir = join(tarballsRoot, String(process.pid))
  rmSync(tarballsDir, { recursive: true, force: true })
  mkdirSync(tarballsDir, { recursive: true })
  const tarballs: Record<string, string> = {}
  for (const pkg of PACKAGES) {
    const dir = join(repoRoot, 'packages', pkg)
    if (!existsSync(join(dir, 'package.json'))) continue
    const name = JSON.parse(execFileSync('node', ['-p', 'JSON.stringify(require("./package.json").name)'], { cwd: dir, encoding: 'utf8' }))
    const out = execFileSync('pnpm', ['pack', '--pack-destination', tarballsDir], { cwd: dir, encoding: 'utf8' })
    tarballs[name] = out.trim().split('\n').pop()!.trim()
  }
  return tarballs
}

/** Installs one runner with the packed packages into its own npm project. */
export function installRunner(name: RunnerName, tarballs: Record<string, string>): string {
  const dir = runnerDir(name)
  mkdirSync(dir, { recursive: true })
  const spec = RUNNERS[name]
  const dependencies: Record<string, string> = { ...spec.dependencies }
  for (const [pkg, file] of Object.entries(tarballs)) dependencies[pkg] = `file:${file}`
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: `runner-${name}`, private: true, dependencies }, null, 2)}\n`)
  // The tarballs keep their version across rebuilds: without this, npm keeps the copies a lockfile remembers.
  rmSync(join(dir, 'package-lock.json'), { force: true })
  rmSync(join(dir, 'node_modules', '@loopguard'), { recursive: true, force: true })
  const flags = spec.unsupported ? ['--legacy-peer-deps'] : []
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--install-links', ...flags], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, npm_config_engine_strict: 'false' },
  })
  return dir
}

/**
 * Makes npm install the freshly packed tarballs: their version never changes, so npm would otherwise keep the
 * copies an earlier run installed, as its lockfile records them.
 */
function forgetPackedPackages(dir: string, packages: string[]): void {
  for (const pkg of packages) rmSync(join(dir, 'node_modules', pkg), { recursive: true, force: true })
  const lockFile = join(dir, 'package-lock.json')
  if (!existsSync(lockFile)) return
  const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as { packages?: Record<string, unknown> }
  for (const pkg of packages) delete lock.packages?.[`node_modules/${pkg}`]
  writeFileSync(lockFile, `${JSON.stringify(lock, null, 2)}\n`)
}

/** The runners to install: all, or those named in LOOPGUARD_RUNNERS (comma-separated) to save time locally. */
export function selectedRunners(): RunnerName[] {
  const wanted = process.env.LOOPGUARD_RUNNERS?.split(',').map((s) => s.trim()).filter(Boolean)
  return (Object.keys(RUNNERS) as RunnerName[]).filter((name) => !wanted || wanted.includes(name))
}

/**
 * The selected runners every test runs on: the newest of each supported major (not the unsupported version, whose
 * test runs alone, nor the oldest minors, which run the Jest basics).
 */
export function supportedRunners(): RunnerName[] {
  return selectedRunners().filter((name) => !RUNNERS[name].unsupported && !RUNNERS[name].oldest)
}
