// scope and profileDir, with the default attribution ('auto'), in the default pool and in threads and vmThreads:
// a block in a test helper outside the scope is listed and marked, not charged; a test over budget gets a
// .cpuprofile of its blocking windows, named after it.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { runFixture } from '../support/run-fixture.js'
import { markers, place, type Frame } from './ground-truth.js'
import { atLeast, fixture, reportTest, summaryOf, vitestRunners } from './support.js'

const lines = markers(fixture('attribution-scope'))
const longest = <B extends { durationMs: number }>(blocks: B[]) => [...blocks].sort((a, b) => b.durationMs - a.durationMs)[0]!

describe.each(vitestRunners)('%s', (runner) => {
  test.each([['forks'], ['threads'], ['vmThreads']])('pool %s: out-of-scope blocks are listed and marked, not charged; a .cpuprofile per test over budget', async (pool) => {
    const run = await runFixture(runner, fixture('attribution-scope'), { args: [`--pool=${pool}`] })
    expect(run.exitCode, run.output).toBe(1)

    const app = reportTest(run.report, 'the app blocks over budget')
    expect(app).toMatchObject({ status: 'failed', overBudget: true })
    expect(longest(app.blocks)).toMatchObject({ inScope: true, activity: 'Atomics.wait' })
    expect(place(longest(app.blocks).frame as Frame | null)).toBe(lines.get('render@src'))

    for (const name of ['a test helper blocks over budget', 'the helper blocks long, the app within budget']) {
      const helper = reportTest(run.report, name)
      expect(helper, name).toMatchObject({ status: 'passed', overBudget: false })
      expect(helper.longestMs).toBeGreaterThanOrEqual(atLeast(120))
      expect(longest(helper.blocks)).toMatchObject({ inScope: false })
      expect(place(longest(helper.blocks).frame as Frame | null)).toBe(lines.get('seed@helper'))
    }

    const summary = summaryOf(run.output)
    expect(summary).toMatch(/^ Event-loop blocking {3}1 of 3 tests over budget \(40 ms\)$/m)
    expect(summary).toMatch(new RegExp(String.raw`test/scope\.spec\.ts > a test helper blocks over budget +${lines.get('seed@helper')!.replace('.', '\\.')} \(out of scope\) +under \d+ ms$`, 'm'))
    expect(summary).toMatch(new RegExp(String.raw`test/scope\.spec\.ts > the app blocks over budget +${lines.get('render@src')!.replace('.', '\\.')} +over 40 ms$`, 'm'))
    expect(run.output).toMatch(/EventLoopBlockedError: blocked the event loop for \d+\.\d ms \(budget 40 ms\), 1 block\n {2}at renderReport \(src\/app\.ts:3:\d+\) +Atomics\.wait\n/)

    // One profile, for the one test over budget, named after it; it opens in DevTools (the .cpuprofile format).
    const profiles = readdirSync(join(run.cwd, 'profiles'))
    expect(profiles).toEqual([expect.stringMatching(/^test-scope\.spec\.ts-the-app-blocks-over-budget\.cpuprofile$/)])
    const profile = JSON.parse(readFileSync(join(run.cwd, 'profiles', profiles[0]!), 'utf8'))
    expect(profile.nodes.length).toBeGreaterThan(1)
    expect(profile.samples.length).toBeGreaterThan(10)
    expect(profile.timeDeltas).toHaveLength(profile.samples.length)
    expect(profile.endTime).toBeGreaterThan(profile.startTime)
    const ids = new Set(profile.nodes.map((n: { id: number }) => n.id))
    expect(profile.samples.every((id: number) => ids.has(id))).toBe(true)
    // The app's function points into its original source.
    expect(profile.nodes.some((n: { callFrame: { url: string; functionName: string } }) => n.callFrame.functionName === 'renderReport' && n.callFrame.url.endsWith('/src/app.ts'))).toBe(true)
  })
})
