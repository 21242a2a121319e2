// Every package works when installed from its packed tarball into a plain npm project, from CommonJS and ESM.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, test } from 'vitest'
import { RUNNERS, runnerDir, supportedRunners } from '../support/runners.js'

const script = (kind: 'cjs' | 'esm') => `
${kind === 'cjs' ? "const { measureBlocking, createMonitor } = require('@loopguard/core')" : "import { measureBlocking, createMonitor } from '@loopguard/core'"}
const stats = measureBlocking(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30))
console.log(JSON.stringify({ longestMs: stats.longestMs, monitor: typeof createMonitor }))
`

describe.each(supportedRunners())('installed beside %s', (runner) => {
  const cwd = runnerDir(runner)
  const node = RUNNERS[runner].node

  test.each(['cjs', 'esm'] as const)('@loopguard/core loads as %s and measures a 30 ms block', (kind) => {
    const args = kind === 'cjs' ? ['-e', script(kind)] : ['--input-type=module', '-e', script(kind)]
    const out = JSON.parse(execFileSync(node, args, { cwd, encoding: 'utf8' }))
    expect(out.monitor).toBe('function')
    // The core accuracy tests' bounds: on a busy machine the thread can wait for a CPU after the sleep ends, and a
    // sleep can read short by the CPU time of its stretch (docs/measuring.md).
    expect(out.longestMs).toBeGreaterThanOrEqual(30 - 1.5)
    expect(out.longestMs).toBeLessThan(30 + 15)
  })
})

/** Every file under `dir` whose name ends with `suffix`. */
function filesEndingWith(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith(suffix))
    .map((name) => join(dir, name))
}

describe('the installed packages', () => {
  const installed = join(runnerDir(supportedRunners()[0]!), 'node_modules/@loopguard')

  // A stack printed through the source maps (Vitest's, Node's --enable-source-maps) names the files in the maps'
  // `sources`: they must be in the package, not only in this repository.
  test.each(['core', 'vitest', 'jest'])('@loopguard/%s ships every source file its source maps name', (name) => {
    const maps = filesEndingWith(join(installed, name, 'dist'), '.map')
    expect(maps.length).toBeGreaterThan(0)
    const missing = maps.flatMap((map) => {
      const { sources } = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] }
      return sources.map((source) => resolve(dirname(map), source)).filter((path) => !existsSync(path))
    })
    expect(missing).toEqual([])
  })
})
