// The reporter against stand-ins for Vitest's reported tasks: the report, the summary through Vitest's logger,
// onBlock once per test, and the exit code.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { resolveOptions, type LoopguardOptions } from '@loopguard/core'
import { LoopguardReporter } from '../src/node/reporter.js'

interface FakeTest {
  name: string
  state: 'passed' | 'failed'
  longestMs: number
  overBudget: boolean
  fails?: boolean
}

function figures(t: FakeTest) {
  return {
    file: 'test/a.test.ts',
    name: t.name,
    fullName: `suite > ${t.name}`,
    budgetMs: 50,
    longestMs: t.longestMs,
    totalMs: t.longestMs,
    count: t.longestMs > 0 ? 1 : 0,
    overBudget: t.overBudget,
    concurrent: false,
    blocks: t.longestMs > 0 ? [{ startMs: 1, durationMs: t.longestMs, frame: null }] : [],
  }
}

function run(
  tests: FakeTest[],
  options: LoopguardOptions,
  { watch = false, collectMs = 70, reporters = [['default', {}]] as unknown[], project = '', measured = [''] } = {},
) {
  const root = mkdtempSync(join(tmpdir(), 'loopguard-reporter-'))
  const logged: string[] = []
  const vitest = { config: { root, watch, reporters }, logger: { log: (text: string) => logged.push(text) }, getRootProject: () => ({ serializedConfig: { disableColors: true } }) }
  const cases = tests.map((t) => ({ meta: () => ({ loopguard: figures(t) }), result: () => ({ state: t.state }), options: { fails: t.fails === true } }))
  const module = {
    project: { name: project },
    moduleId: join(root, 'test', 'a.test.ts'),
    meta: () => ({ loopguard: { blocks: collectMs ? [{ phase: 'collect', startMs: 2, durationMs: collectMs, frame: null }] : [] } }),
    children: { allTests: () => cases[Symbol.iterator]() },
  }
  const reporter = new LoopguardReporter(resolveOptions({ outputFile: 'out/report.json', ...options }, 'test', {}))
  for (const name of measured) reporter.measures(name)
  reporter.onInit(vitest as never)
  reporter.onTestRunStart()
  for (const c of cases) reporter.onTestCaseResult(c as never)
  reporter.onTestRunEnd([module] as never)
  return { root, logged }
}

const exitCode = process.exitCode
afterEach(() => {
  process.exitCode = exitCode
})

describe('LoopguardReporter', () => {
  it('writes the report and prints the summary after the run, calling onBlock once per test', () => {
    const calls: unknown[] = []
    const { root, logged } = run(
      [
        { name: 'slow', state: 'failed', longestMs: 120, overBudget: true },
        { name: 'quick', state: 'passed', longestMs: 12, overBudget: false },
      ],
      { onBlock: (block, test) => calls.push({ block, test }) },
    )
    const report = JSON.parse(readFileSync(join(root, 'out', 'report.json'), 'utf8'))
    expect(report).toMatchObject({ schema: 'loopguard-report@1', runner: 'vitest', summary: { tests: 2, overBudget: 1, blockedUnderBudget: 1 } })
    expect(report.tests.map((t: { fullName: string; status: string }) => `${t.fullName}: ${t.status}`)).toEqual(['suite > slow: failed', 'suite > quick: passed'])
    expect(report.files).toEqual([{ file: 'test/a.test.ts', longestMs: 70, blocks: [{ phase: 'collect', startMs: 2, durationMs: 70, frame: null }] }])
    expect(logged).toHaveLength(1)
    expect(logged[0]).toContain(' Event-loop blocking   1 of 2 tests over budget (50 ms)')
    expect(calls).toEqual([
      { block: { startMs: 1, durationMs: 120 }, test: { file: 'test/a.test.ts', fullName: 'suite > slow' } },
      { block: { startMs: 1, durationMs: 12 }, test: { file: 'test/a.test.ts', fullName: 'suite > quick' } },
    ])
    expect(process.exitCode).toBe(exitCode)
  })

  it('names once a project whose files ran without the plugin', () => {
    const { logged } = run([], {}, { project: 'node', measured: ['dom'], collectMs: 0 })
    expect(logged).toEqual([
      '\nloopguard: 1 test file of the project "node" ran without loopguard and was not measured: add loopguard() to that project\'s plugins, or extends: true to its config to inherit the root config\'s.\n',
    ])
  })

  it('fails the run when a test ended over budget and still passed, but not for test.fails, in report mode or in watch mode', () => {
    const escaped: FakeTest = { name: 'escaped', state: 'passed', longestMs: 120, overBudget: true }
    run([escaped], {})
    expect(process.exitCode).toBe(1)
    process.exitCode = exitCode
    run([{ ...escaped, fails: true }], {})
    expect(process.exitCode).toBe(exitCode)
    run([escaped], { mode: 'report' })
    expect(process.exitCode).toBe(exitCode)
    run([escaped], {}, { watch: true })
    expect(process.exitCode).toBe(exitCode)
  })

  it('prints nothing when the other reporters write for programs (json to stdout must stay JSON)', () => {
    const slow: FakeTest = { name: 'slow', state: 'failed', longestMs: 120, overBudget: true }
    expect(run([slow], {}, { reporters: [['json', {}], ['github-actions', {}]] }).logged).toEqual([])
    expect(run([slow], {}, { reporters: [['json', {}], ['dot', {}]] }).logged).toHaveLength(1)
    expect(run([slow], {}, { reporters: [{ onTestRunEnd() {} }] }).logged).toHaveLength(1)
  })

  it('prints nothing when nothing blocked over the threshold', () => {
    const { logged } = run([{ name: 'idle', state: 'passed', longestMs: 0, overBudget: false }], {}, { collectMs: 0 })
    expect(logged).toEqual([])
  })
})
