// Watch mode: the summary is printed after the first run and again after each rerun.
import { spawn } from 'node:child_process'
import { utimesSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { prepareProject } from '../support/run-fixture.js'
import { RUNNERS, runnerDir } from '../support/runners.js'
import { fixture, vitestRunners } from './support.js'

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g

describe.each(vitestRunners)('%s', (runner) => {
  test('a summary for the first run and for the rerun', async () => {
    const cwd = prepareProject(runner, fixture('watch'))
    const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } as NodeJS.ProcessEnv
    for (const key of ['CI', 'GITHUB_ACTIONS', 'VITEST', 'VITEST_MODE', 'VITEST_POOL_ID', 'VITEST_WORKER_ID', 'NODE_OPTIONS']) delete env[key]
    const child = spawn(RUNNERS[runner].node, [join(runnerDir(runner), RUNNERS[runner].bin), '--watch'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] })
    let output = ''
    const summaries = () => output.replace(ANSI, '').match(/Event-loop blocking {3}1 of 1 tests over budget/g)?.length ?? 0
    const waitFor = (count: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`waited for summary ${count}; output:\n${output}`)), 60_000)
        const check = () => {
          if (summaries() >= count) {
            clearTimeout(timer)
            resolve()
          }
        }
        child.stdout.on('data', (d: Buffer) => {
          output += d.toString()
          check()
        })
        child.stderr.on('data', (d: Buffer) => (output += d.toString()))
        check()
      })
    try {
      await waitFor(1)
      const spec = join(cwd, 'test', 'watched.spec.ts')
      const later = new Date(Date.now() + 2000)
      utimesSync(spec, later, later)
      await waitFor(2)
      expect(output.replace(ANSI, '')).toMatch(/RERUN/)
    } finally {
      child.kill('SIGTERM')
    }
  })
})
