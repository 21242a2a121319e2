// A real run split into shards (Vitest --shard=i/3, Jest --shard=i/3), merged and checked with the installed
// `loopguard` bin, must reach the verdict of the same run unsharded; a baseline then catches a regression.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { prepareProject, runFixture } from '../support/run-fixture.js'
import { RUNNERS, runnerDir, supportedRunners, type RunnerName } from '../support/runners.js'

const SHARDS = 3
const fixtures = join(import.meta.dirname, 'fixtures')

/** The installed bin, run by the runner's Node (20 or 24) from the project folder. */
function loopguard(runner: RunnerName, cwd: string, args: string[]) {
  const bin = join(runnerDir(runner), 'node_modules', '.bin', 'loopguard')
  const result = spawnSync(RUNNERS[runner].node, [bin, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, NO_COLOR: '1' } })
  return { exitCode: result.status, stdout: result.stdout, stderr: result.stderr }
}

function readJson(file: string) {
  return JSON.parse(readFileSync(file, 'utf8'))
}

interface CheckJson {
  passed: boolean
  tests: number
  overBudget: { title: string }[]
  regressions: { title: string; kind: string }[]
}

const titles = (report: { tests: { file: string; fullName: string }[] }) => report.tests.map((t) => `${t.file} > ${t.fullName}`).sort()

describe.each(supportedRunners())('%s sharded run', (runner) => {
  const fixture = join(fixtures, runner.startsWith('vitest') ? 'sharded-vitest' : 'sharded-jest')
  let cwd: string
  const runnerExit: Record<string, number | null> = {}

  beforeAll(async () => {
    cwd = prepareProject(runner, fixture)
    // The shards and the unsharded run one after another: on two shared cores, timings stay comparable.
    const full = await runFixture(runner, fixture, { cwd, env: { REPORT: 'full.json' } })
    runnerExit.full = full.exitCode
    for (let i = 1; i <= SHARDS; i++) {
      const shard = await runFixture(runner, fixture, { cwd, args: [`--shard=${i}/${SHARDS}`], env: { REPORT: `shard-${i}.json` } })
      runnerExit[`shard-${i}`] = shard.exitCode
      if (![0, 1].includes(shard.exitCode ?? -1)) throw new Error(`shard ${i} crashed (exit ${shard.exitCode}):\n${shard.output}`)
    }
  })

  test('each shard reports its own files, and together they hold every test once', () => {
    const full = readJson(join(cwd, 'full.json'))
    expect(full.tests).toHaveLength(6)
    const shards = Array.from({ length: SHARDS }, (_, i) => readJson(join(cwd, `shard-${i + 1}.json`)))
    for (const shard of shards) expect(shard.tests.length).toBeLessThan(6)
    expect(shards.flatMap((s) => titles(s)).sort()).toEqual(titles(full))
  })

  test('merged shards get the verdict of the unsharded run', () => {
    const merge = loopguard(runner, cwd, ['merge', 'shard-1.json', 'shard-2.json', 'shard-3.json', '-o', 'merged.json'])
    expect(merge.stderr).toBe('')
    expect(merge.exitCode).toBe(0)
    expect(merge.stdout).toBe(`loopguard merge: 3 reports, 6 tests (1 over budget) written to merged.json\n`)
    expect(titles(readJson(join(cwd, 'merged.json')))).toEqual(titles(readJson(join(cwd, 'full.json'))))

    const merged = loopguard(runner, cwd, ['check', 'merged.json', '--format', 'json'])
    const unsharded = loopguard(runner, cwd, ['check', 'full.json', '--format', 'json'])
    const shardsDirect = loopguard(runner, cwd, ['check', 'shard-1.json', 'shard-2.json', 'shard-3.json', '--format', 'json'])
    for (const run of [merged, unsharded, shardsDirect]) expect(run.exitCode).toBe(1)
    const verdicts = [merged, unsharded, shardsDirect].map((run) => {
      const result = JSON.parse(run.stdout) as CheckJson
      return { passed: result.passed, tests: result.tests, overBudget: result.overBudget.map((t) => t.title) }
    })
    expect(verdicts[0]).toEqual({ passed: false, tests: 6, overBudget: [runner.startsWith('vitest') ? 'test/parse.spec.ts > parses the config' : 'test/parse.spec.js > parses the config'] })
    expect(verdicts[1]).toEqual(verdicts[0])
    expect(verdicts[2]).toEqual(verdicts[0])
    // The runner itself failed the run, and exactly one shard, for the same test.
    expect(runnerExit.full).toBe(1)
    expect(Object.entries(runnerExit).filter(([name, code]) => name.startsWith('shard') && code === 1)).toHaveLength(1)

    const text = loopguard(runner, cwd, ['check', 'merged.json'])
    expect(text.stdout).toMatch(/1 of 6 tests over budget \(50 ms\)/)
    expect(text.stdout).toMatch(/^\s+\d+\.\d ms {2}test\/parse\.spec\.[jt]s > parses the config/m)

    // A budget that every test meets passes both the same way.
    expect(loopguard(runner, cwd, ['check', 'merged.json', '--budget', '1000']).exitCode).toBe(0)
    expect(loopguard(runner, cwd, ['check', 'full.json', '--budget', '1000']).exitCode).toBe(0)
  })
})

describe.each(supportedRunners().filter((r) => r.startsWith('vitest')).slice(0, 1))('%s baseline', (runner) => {
  const fixture = join(fixtures, 'sharded-vitest')
  let cwd: string

  beforeAll(async () => {
    cwd = prepareProject(runner, fixture)
    // The main branch, then a pull request in which one test blocks longer and another starts blocking.
    await runFixture(runner, fixture, { cwd, env: { REPORT: 'main.json' } })
    await runFixture(runner, fixture, { cwd, env: { REPORT: 'same.json' } })
    await runFixture(runner, fixture, { cwd, env: { REPORT: 'pr.json', GROW_MS: '150', NEW_MS: '100' } })
  })

  // --budget 1000 takes the over-budget test out of the verdict, so only the baseline decides.
  test('passes when nothing grew', () => {
    const same = loopguard(runner, cwd, ['check', 'same.json', '--baseline', 'main.json', '--budget', '1000'])
    expect(same.stdout).toContain('No regression against main.json (tolerance 50 %, at least 50 ms)')
    expect(same.exitCode).toBe(0)
  })

  test('fails on a test that grew past the tolerance and one newly over the threshold', () => {
    const pr = loopguard(runner, cwd, ['check', 'pr.json', '--baseline', 'main.json', '--budget', '1000', '--format', 'json'])
    expect(pr.exitCode).toBe(1)
    const result = JSON.parse(pr.stdout) as CheckJson
    expect(result.overBudget).toEqual([])
    const byTitle = Object.fromEntries(result.regressions.map((r) => [r.title, r.kind]))
    expect(byTitle['test/cache.spec.ts > warms the cache']).toBe('grew')
    expect(['new', 'grew']).toContain(byTitle['test/render.spec.ts > renders the totals'])
    expect(Object.keys(byTitle).sort()).toEqual(['test/cache.spec.ts > warms the cache', 'test/render.spec.ts > renders the totals'])

    // In GitHub Actions: a warning on the line that blocked, since both stay under budget.
    const github = loopguard(runner, cwd, ['check', 'pr.json', '--baseline', 'main.json', '--budget', '1000', '--format', 'github'])
    const warnings = github.stdout.split('\n').filter((line) => line.startsWith('::warning '))
    expect(warnings).toHaveLength(2)
    const cache = warnings.find((line) => line.includes('warms the cache'))!
    expect(cache).toMatch(/^::warning file=test\/cache\.spec\.ts(,line=\d+)?(,col=\d+)?,title=Event-loop blocking grew to \d+\.\d ms::/)
    const line = /,line=(\d+)/.exec(cache)?.[1]
    // When attribution found the line, it is the Atomics.wait helper or its call.
    if (line) expect(['3', '6']).toContain(line)
  })
})
