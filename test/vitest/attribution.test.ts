// Attribution: each block of 20 ms or more at a marked line of the fixture (Atomics.wait, a CPU loop,
// fs.readFileSync, JSON.parse, crypto.pbkdf2Sync, zlib.gzipSync, child_process.execSync) is named by that line
// of the original TypeScript, in the report, the failure and the summary.
import { beforeAll, describe, expect, test } from 'vitest'
import { runFixture, type FixtureRun } from '../support/run-fixture.js'
import { hitRate, markers, notProject, place, type Frame, type Test } from './ground-truth.js'
import { fixture, summaryOf, vitestRunners } from './support.js'

describe.each(vitestRunners)('%s', (runner) => {
  let run: FixtureRun
  beforeAll(async () => {
    run = await runFixture(runner, fixture('attribution'))
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
    expect(named.filter((f) => notProject.test(f.file))).toEqual([])
    for (const frame of named) expect(frame).toEqual({ file: expect.stringMatching(/^(src|test)\/[\w-]+(\.spec)?\.ts$/), line: expect.any(Number), column: expect.any(Number), function: expect.any(String) })
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

  test('the failure names the line, the sync API and its asynchronous alternative', () => {
    const lines = markers(fixture('attribution'))
    const [file, line] = lines.get('read@src')!.split(':')
    const failure = new RegExp(
      String.raw`FAIL .*test/through-src\.spec\.ts > \[read@src\] round 1\n` +
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
    const named = rows.filter((row) => [...known].some((at) => row.endsWith(` ${at}`)))
    expect(named.length, summary).toBeGreaterThanOrEqual(rows.length - 1)
  })
})
