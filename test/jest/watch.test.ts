// Watch mode: a summary after the first run and again after each rerun, and the failure of a test over budget in
// each; the process keeps watching (no exit code to set).
import { spawn } from 'node:child_process'
import { appendFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { prepareProject } from '../support/run-fixture.js'
import { RUNNERS, runnerDir } from '../support/runners.js'
import { fixture, jestRunners } from './support.js'

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g

describe.each(jestRunners)('%s --watchAll', (runner) => {
  test('a summary for the first run and for the rerun', async () => {
    const cwd = prepareProject(runner, fixture('watch'))
    const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } as NodeJS.ProcessEnv
    for (const key of ['CI', 'GITHUB_ACTIONS', 'JEST_WORKER_ID', 'NODE_OPTIONS']) delete env[key]
    const child = spawn(RUNNERS[runner].node, [join(runnerDir(runner), RUNNERS[runner].bin), '--watchAll'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] })
    let output = ''
    let exited: number | null | undefined
    child.on('exit', (code) => (exited = code))
    const count = (pattern: RegExp) => output.replace(ANSI, '').match(pattern)?.length ?? 0
    const summaries = () => count(/Event-loop blocking {3}1 of 1 tests over budget \(200 ms\)/g)
    const waitFor = (n: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`waited for summary ${n}; output:\n${output}`)), 60_000)
        const check = () => {
          if (summaries() >= n) {
            clearTimeout(timer)
            resolve()
          }
        }
        child.stdout.on('data', (d: Buffer) => {
          output += d.toString()
          check()
        })
        child.stderr.on('data', (d: Buffer) => {
          output += d.toString()
          check()
        })
        check()
      })
    try {
      await waitFor(1)
      appendFileSync(join(cwd, 'test', 'watched.test.js'), '// edited\n')
      await waitFor(2)
      expect(count(/EventLoopBlockedError: blocked the event loop for (?:29\d|[34]\d\d)\.\d ms \(budget 200 ms\), 1 block/g)).toBeGreaterThanOrEqual(2)
      expect(exited).toBeUndefined()
    } finally {
      child.kill('SIGTERM')
    }
  })
})
