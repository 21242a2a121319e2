// Runs a real runner on a fixture project, the way a user would from the project's folder.
import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { RUNNERS, runnerDir, type RunnerName } from './runners.js'

export interface FixtureRun {
  exitCode: number | null
  stdout: string
  stderr: string
  /** stdout and stderr together, without colour codes. */
  output: string
  /** The project folder the run happened in (a copy of the fixture inside the runner's install). */
  cwd: string
  /** The parsed JSON report, when the run wrote `loopguard-report.json`. */
  report: any
}

export interface RunOptions {
  args?: string[]
  env?: Record<string, string | undefined>
  /** Reuse a project folder from an earlier run instead of copying the fixture again. */
  cwd?: string
  timeoutMs?: number
  /** The Node binary to run the runner with, instead of the runner's own (e.g. Jest 30 on Node 20). */
  node?: string
}

const ANSI = /\u001b\[[0-9;]*m/g

/** Copies `fixtureDir` into the runner's install (so its imports resolve to the installed packages). */
export function prepareProject(runner: RunnerName, fixtureDir: string): string {
  const projects = join(runnerDir(runner), 'projects')
  mkdirSync(projects, { recursive: true })
  const name = fixtureDir.replace(/[\\/]+$/, '').split(/[\\/]/).pop()!
  const cwd = mkdtempSync(join(projects, `${name}-`))
  cpSync(fixtureDir, cwd, { recursive: true })
  return cwd
}

export async function runFixture(runner: RunnerName, fixtureDir: string, options: RunOptions = {}): Promise<FixtureRun> {
  const cwd = options.cwd ?? prepareProject(runner, fixtureDir)
  const spec = RUNNERS[runner]
  const bin = join(runnerDir(runner), spec.bin)
  const isVitest = runner.startsWith('vitest')
  const args = [bin, ...(isVitest ? ['run'] : []), ...(options.args ?? [])]
  const env: Record<string, string | undefined> = {
    ...process.env,
    CI: undefined,
    GITHUB_ACTIONS: undefined,
    NODE_OPTIONS: undefined,
    VITEST: undefined,
    VITEST_MODE: undefined,
    VITEST_POOL_ID: undefined,
    VITEST_WORKER_ID: undefined,
    JEST_WORKER_ID: undefined,
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    ...options.env,
  }
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key]

  const child = spawn(options.node ?? spec.node, args, { cwd, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const timeoutMs = options.timeoutMs ?? 240_000
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  clearTimeout(timer)
  const reportFile = join(cwd, 'loopguard-report.json')
  const report = existsSync(reportFile) ? JSON.parse(readFileSync(reportFile, 'utf8')) : undefined
  return { exitCode, stdout, stderr, output: `${stdout}\n${stderr}`.replace(ANSI, ''), cwd, report }
}
