// Every package works when installed from its packed tarball into a plain npm project, from CommonJS and ESM.
import { execFileSync } from 'node:child_process'
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
    expect(out.longestMs).toBeGreaterThanOrEqual(30)
    expect(out.longestMs).toBeLessThan(30 + 5)
  })
})
