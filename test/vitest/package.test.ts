// @loopguard/vitest installed from its tarball loads from CommonJS and from ESM, and points Vitest at a setup
// file that exists.
import { execFileSync } from 'node:child_process'
import { describe, expect, test } from 'vitest'
import { RUNNERS, runnerDir } from '../support/runners.js'
import { vitestRunners } from './support.js'

const script = (kind: 'cjs' | 'esm') => `
${kind === 'cjs' ? "const { loopguard, allowBlocking } = require('@loopguard/vitest')" : "import { loopguard, allowBlocking } from '@loopguard/vitest'"}
const { existsSync } = ${kind === 'cjs' ? "require('node:fs')" : "await import('node:fs')"}
const config = {}
loopguard({ budgetMs: 20 }).config(config)
console.log(JSON.stringify({ allowBlocking: typeof allowBlocking, setupFiles: config.test.setupFiles, exists: existsSync(config.test.setupFiles[0]) }))
`

describe.each(vitestRunners)('installed beside %s', (runner) => {
  test.each(['cjs', 'esm'] as const)('loads as %s', (kind) => {
    const args = kind === 'cjs' ? ['-e', script(kind)] : ['--input-type=module', '-e', script(kind)]
    const out = JSON.parse(execFileSync(RUNNERS[runner].node, args, { cwd: runnerDir(runner), encoding: 'utf8' }))
    expect(out).toEqual({ allowBlocking: 'function', setupFiles: [expect.stringMatching(/node_modules\/@loopguard\/vitest\/dist\/setup\.js$/)], exists: true })
  })
})
