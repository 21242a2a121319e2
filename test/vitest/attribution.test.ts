// Attribution: each block of 20 ms or more at a marked line of the fixture (Atomics.wait, a CPU loop,
// fs.readFileSync, JSON.parse, crypto.pbkdf2Sync, zlib.gzipSync, child_process.execSync) is named by that line
// of the original TypeScript, in the report, the failure and the summary; time spent in a dependency names the
// line that called it and the dependency.
import { cpSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { expectSummaryShape } from '../support/report.js'
import { prepareProject, runFixture, type FixtureRun } from '../support/run-fixture.js'
import { hitRate, markers, notProject, place, type Frame, type Test } from './ground-truth.js'
import { fixture, summaryOf, vitestRunners } from './support.js'

describe.each(vitestRunners)('%s', (runner) => {
  let run: FixtureRun
  beforeAll(async () => {
    // The fixture's dependency goes where npm would put it (the repository keeps no node_modules).
    const cwd = prepareProject(runner, fixture('attribution'))
    cpSync(join(cwd, 'vendor', 'slow-parser'), join(cwd, 'node_modules', 'slow-parser'), { recursive: true })
    run = await runFixture(runner, fixture('attribution'), { cwd })
  })

  test('at least 95 % of 40 or more ground-truth blocks name their line in the original TypeScript', () => {
    expect(run.exitCode, run.output).toBe(1)
    const { hits, total, misses } = hitRate(run, fixture('attribution'))
    // Printed so that the README's figure is the one this run measured.
    console.log(`${runner}: ${hits} of ${total} blocks named their line (${((hits / total) * 100).toFixed(1)} %)`)
    expect(total).toBeGreaterThanOrEqual(40)
    expect(hits / total, misses.join('\n')).toBeGreaterThanOrEqual(0.95)
  })

  test('no frame points into node_modules, loopguard, the runner or Node.js', () => {
    const frames = (run.report.tests as Test[]).flatMap((t) => t.blocks.flatMap((b) => [b.frame, ...(b.frames ?? [])]))
    const named = frames.filter((f): f is Frame => f !== null)
    expect(named.length).toBeGreaterThanOrEqual(40)
    // The dependency's own frame is listed below the project's (see the next test); the runner's, loopguard's and
    // Node's never are.
    const own = named.filter((f) => !f.file.startsWith('slow-parser/'))
    expect(own.filter((f) => notProject.test(f.file))).toEqual([])
    for (const frame of own) expect(frame).toEqual({ file: expect.stringMatching(/^(src|test)\/[\w-]+(\.spec)?\.ts$/), line: expect.any(Number), column: expect.any(Number), function: expect.any(String) })
  })

  test('the frames go up the stack, and a sync Node.js API is named as such', () => {
    const lines = markers(fixture('attribution'))
    const parse = (run.report.tests as Test[]).find((t) => t.fullName === '[parse@src] round 1')!
    const block = [...parse.blocks].sort((a, b) => b.durationMs - a.durationMs)[0]!
    expect(block.activity).toBe('JSON.parse')
    // parsePayload, called by handle, called by the test.
    expect(block.frames?.map((f) => f.function).slice(0, 2)).toEqual(['parsePayload', 'handle'])
    expect(block.frames?.[2]?.file).toBe('test/through-src.spec.ts')
    expect(place(block.frames?.[0])).toBe(lines.get('parse@src'))
    const read = (run.report.tests as Test[]).find((t) => t.fullName === '[read@test] round 1')!
    expect(read.blocks.map((b) => b.activity)).toContain('fs.readFileSync (sync I/O)')
  })

  test('time spent in a dependency names the project line that called it, and the dependency’s frame', () => {
    const lines = markers(fixture('attribution'))
    const dep = (run.report.tests as Test[]).find((t) => t.fullName === '[dep@test] round 1')!
    const block = [...dep.blocks].sort((a, b) => b.durationMs - a.durationMs)[0]!
    expect(block.activity).toBe('in slow-parser/index.js')
    expect(block.frames?.[0]).toMatchObject({ file: 'slow-parser/index.js', function: 'parseSlowly' })
    expect(place(block.frame)).toBe(lines.get('dep@test'))
    // Vitest lists the heads of failures with the same message together above one error.
    expect(run.output).toMatch(/\[dep@test\] round 1\n(?: FAIL .*\n)*EventLoopBlockedError: .*\n {2}at test\/dependency\.spec\.ts:\d+:\d+ +in slow-parser\/index\.js\n/)
  })

  test('a block where only a dependency ran has no line, names the dependency, and is out of the default scope', () => {
    const timer = (run.report.tests as Test[]).find((t) => t.fullName === 'a dependency blocks in its own timer')!
    const block = [...timer.blocks].sort((a, b) => b.durationMs - a.durationMs)[0]!
    expect(block).toMatchObject({ frame: null, activity: 'in slow-parser/index.js', inScope: false })
    expect(timer).toMatchObject({ status: 'passed', overBudget: false })
    // Within budget, its row comes after every test over budget: here beyond the top 10, counted in "… and N more".
    expectSummaryShape(summaryOf(run.output), run.report, 10)
  })

  test('the failure names the line, the sync API and its asynchronous alternative', () => {
    const lines = markers(fixture('attribution'))
    const [file, line] = lines.get('read@src')!.split(':')
    const failure = new RegExp(
      String.raw`FAIL .*test/through-src\.spec\.ts > \[read@src\] round 1\n(?: FAIL .*\n)*` +
        String.raw`EventLoopBlockedError: blocked the event loop for \d+\.\d ms \(budget 15 ms\), \d+ blocks?\n` +
        String.raw` {2}at readWhole \(${file!.replace('.', '\\.')}:${line}:\d+\) +fs\.readFileSync \(sync I/O\)\n` +
        String.raw` {2}at test/through-src\.spec\.ts:\d+:\d+\n` +
        String.raw` {2}hint: use fs\.promises\.readFile`,
    )
    expect(run.output).toMatch(failure)
  })

  test('the summary names the line of each test’s longest block', () => {
    const lines = markers(fixture('attribution'))
    const summary = summaryOf(run.output)
    const rows = summary.split('\n').filter((l) => /^ +\d+\.\d ms  /.test(l))
    expect(rows.length).toBeGreaterThan(0)
    const known = new Set(lines.values())
    const named = rows.filter((row) => [...known].some((at) => row.includes(` ${at} `)))
    expect(named.length, summary).toBeGreaterThanOrEqual(rows.length - 1)
  })
})
