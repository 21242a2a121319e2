import { describe, expect, test as it } from 'vitest'
import { findRegressions, parseTolerance, DEFAULT_TOLERANCE } from '../src/cli/baseline.js'
import { InputError } from '../src/cli/errors.js'
import { chargedLongestMs, rejudge, worstBlock } from '../src/cli/judge.js'
import { mergeReports } from '../src/cli/merge.js'
import { block, report, test } from './cli-fixtures.js'

describe('chargedLongestMs', () => {
  it('is the longest block, including blocks under the threshold that are not listed', () => {
    expect(chargedLongestMs(test('a.test.ts', 'a', [block(12), block(30)]))).toBe(30)
    expect(chargedLongestMs(test('a.test.ts', 'a', [], { longestMs: 8 }))).toBe(8)
  })

  it('leaves out blocks outside the scope option', () => {
    const t = test('a.test.ts', 'a', [block(120, 0, { inScope: false }), block(20, 200)], { longestMs: 120 })
    expect(chargedLongestMs(t)).toBe(20)
    expect(worstBlock(t)?.durationMs).toBe(20)
  })
})

describe('rejudge (check --budget)', () => {
  const r = report([
    test('a.test.ts', 'slow', [block(80)]),
    test('a.test.ts', 'at the budget', [block(100)]),
    test('b.test.ts', 'exempt', [block(500)], { budgetMs: null, overBudget: false }),
    test('b.test.ts', 'only a library blocks', [block(300, 0, { inScope: false })], { longestMs: 300 }),
  ])

  it('judges every test that has a budget by the new one: over means longer than it', () => {
    const judged = rejudge(r, 100)
    expect(judged.tests.map((t) => [t.fullName, t.overBudget, t.budgetMs])).toEqual([
      ['slow', false, 100],
      ['at the budget', false, 100],
      ['exempt', false, null],
      ['only a library blocks', false, 100],
    ])
    expect(judged.options.budgetMs).toBe(100)
    expect(judged.summary.overBudget).toBe(0)
  })

  it('a lower budget fails tests that passed, but never an exempt test', () => {
    const judged = rejudge(r, 50)
    expect(judged.tests.filter((t) => t.overBudget).map((t) => t.fullName)).toEqual(['slow', 'at the budget'])
    expect(judged.summary.overBudget).toBe(2)
  })

  it("keeps the budget a test gave itself with allowBlocking, as the runner does", () => {
    const allowed = report([
      test('a.test.ts', 'allowed 300', [block(250)], { budgetMs: 300, allowedMs: 300 }),
      test('a.test.ts', 'allowed 10', [block(40)], { budgetMs: 10, allowedMs: 10, overBudget: true }),
      test('a.test.ts', 'allowed Infinity', [block(900)], { budgetMs: null, allowedMs: null, overBudget: false }),
    ])
    const judged = rejudge(allowed, 100)
    expect(judged.tests.map((t) => [t.fullName, t.overBudget, t.budgetMs])).toEqual([
      ['allowed 300', false, 300],
      ['allowed 10', true, 10],
      ['allowed Infinity', false, null],
    ])
    expect(judged.summary.overBudget).toBe(1)
  })

  it('replaces per-file budgets too, so the header and the verdict agree', () => {
    const perFile = report([test('slow/a.test.ts', 'a', [block(150)], { budgetMs: 200 })], {
      options: { budgetMs: 50, mode: 'fail', budgets: { 'slow/**': 200 }, thresholdMs: 10, top: 10 },
    })
    const judged = rejudge(perFile, 100)
    expect(judged.options.budgets).toEqual({})
    expect(judged.tests[0]!.overBudget).toBe(true)
  })
})

describe('parseTolerance', () => {
  it('reads a percentage, milliseconds or both, keeping the default for the part not given', () => {
    expect(parseTolerance('20%,5ms')).toEqual({ percent: 20, minMs: 5 })
    expect(DEFAULT_TOLERANCE).toEqual({ percent: 50, minMs: 50 })
    expect(parseTolerance('50%')).toEqual({ percent: 50, minMs: DEFAULT_TOLERANCE.minMs })
    expect(parseTolerance('12.5ms')).toEqual({ percent: DEFAULT_TOLERANCE.percent, minMs: 12.5 })
    expect(parseTolerance('0%, 0ms')).toEqual({ percent: 0, minMs: 0 })
  })

  it.each(['20', 'abc', '-5%', '5%,6%', '', '10 s'])('refuses %j with the accepted forms', (text) => {
    expect(() => parseTolerance(text)).toThrow(InputError)
    expect(() => parseTolerance(text)).toThrow(`option --tolerance must be a percentage, milliseconds or both, e.g. 50%, 50ms or 50%,50ms; received ${JSON.stringify(text)}.`)
  })
})

describe('findRegressions (check --baseline)', () => {
  const baseline = report([
    test('a.test.ts', 'steady', [block(40)]),
    test('a.test.ts', 'grows', [block(40)]),
    test('a.test.ts', 'slow', [block(200)], { budgetMs: 500 }),
    test('a.test.ts', 'was quiet', [], { longestMs: 4 }),
    test('a.test.ts', 'exempt', [block(40)], { budgetMs: null }),
  ])

  it('flags growth past 50 % and at least 50 ms, counting a test under the threshold or new from its figure or 0', () => {
    const current = report([
      test('a.test.ts', 'steady', [block(90)]), // +50 ms: not past the 50 ms floor
      test('a.test.ts', 'grows', [block(90.1)]), // +50.1 ms: past it
      test('a.test.ts', 'slow', [block(300)], { budgetMs: 500 }), // +100 ms: not past 50 % of 200
      test('a.test.ts', 'was quiet', [block(55.1)]), // +51.1 ms from 4
      test('a.test.ts', 'exempt', [block(400)], { budgetMs: null, overBudget: false }),
      test('b.test.ts', 'new test', [block(60)]), // +60 ms from nothing
      test('b.test.ts', 'new and small', [block(45)]), // a new test's blocks within the floor
      test('b.test.ts', 'new and quiet', [], { longestMs: 3 }),
    ])
    const regressions = findRegressions(current, baseline, DEFAULT_TOLERANCE)
    expect(regressions.map((r) => [r.test.fullName, r.kind, r.baselineMs, r.currentMs, r.allowedGrowthMs])).toEqual([
      // Largest growth first.
      ['new test', 'new', null, 60, 50],
      ['was quiet', 'new', 4, 55.1, 50],
      ['grows', 'grew', 40, 90.1, 50],
    ])
  })

  it('two runs of the same code whose blocks moved by less than the floor have no regression', () => {
    // Figures seen between two runs of unchanged code of a real suite: a beforeEach's `new JSDOM()` read 0 then 42 ms.
    const before = report([test('a.test.ts', 'renders', [], { longestMs: 0 }), test('a.test.ts', 'parses', [block(111)])])
    const after = report([test('a.test.ts', 'renders', [block(42)]), test('a.test.ts', 'parses', [block(145)])])
    expect(findRegressions(after, before, DEFAULT_TOLERANCE)).toEqual([])
  })

  it('nothing regresses against itself', () => {
    expect(findRegressions(baseline, baseline, DEFAULT_TOLERANCE)).toEqual([])
  })

  it('a tighter tolerance flags what the default let through', () => {
    const current = report([test('a.test.ts', 'steady', [block(44)])])
    expect(findRegressions(current, baseline, DEFAULT_TOLERANCE)).toEqual([])
    expect(findRegressions(current, baseline, { percent: 5, minMs: 1 }).map((r) => r.test.fullName)).toEqual(['steady'])
  })

  it('matches tests that share a name by their order in the file', () => {
    const before = report([test('a.test.ts', 'twin', [block(20)]), test('a.test.ts', 'twin', [block(60)])])
    const after = report([test('a.test.ts', 'twin', [block(21)]), test('a.test.ts', 'twin', [block(61)])])
    expect(findRegressions(after, before, DEFAULT_TOLERANCE)).toEqual([])
  })
})

describe('mergeReports', () => {
  const shard = (source: string, tests: ReturnType<typeof test>[], extra = {}) => ({ source, report: report(tests, extra) })

  it('keeps every test of every shard, in order, and recounts the summary', () => {
    const merged = mergeReports([
      shard('1.json', [test('a.test.ts', 'one', [block(80)])]),
      shard('2.json', [test('b.test.ts', 'two', [block(20)]), test('b.test.ts', 'three')]),
    ])
    expect(merged.tests.map((t) => t.fullName)).toEqual(['one', 'two', 'three'])
    expect(merged.summary).toEqual({ tests: 3, overBudget: 1, blockedUnderBudget: 1, longestMs: 80 })
  })

  it('keeps a test found in two shards (a retry) once, with its worst figures', () => {
    const first = test('a.test.ts', 'flaky', [block(30, 5)], { status: 'failed', totalMs: 90, count: 3 })
    const retry = test('a.test.ts', 'flaky', [block(70, 1)], { status: 'passed', totalMs: 70, count: 1 })
    const merged = mergeReports([shard('1.json', [first]), shard('1-retry.json', [retry])])
    expect(merged.tests).toHaveLength(1)
    const kept = merged.tests[0]!
    expect(kept).toMatchObject({ longestMs: 70, totalMs: 90, count: 3, status: 'failed', overBudget: true })
    expect(kept.blocks).toEqual(retry.blocks)
  })

  it('keeps two tests of one report that share a name', () => {
    const merged = mergeReports([shard('1.json', [test('a.test.ts', 'twin'), test('a.test.ts', 'twin')])])
    expect(merged.tests).toHaveLength(2)
  })

  it('merges file blocks by file, keeping the worse', () => {
    const file = (longestMs: number) => ({ file: 'a.test.ts', longestMs, blocks: [{ ...block(longestMs), phase: 'collect' as const }] })
    const merged = mergeReports([shard('1.json', [], { files: [file(20)] }), shard('2.json', [], { files: [file(45)] })])
    expect(merged.files).toHaveLength(1)
    expect(merged.files[0]!.longestMs).toBe(45)
  })

  it('refuses reports of different runners, naming both', () => {
    expect(() => mergeReports([shard('vitest.json', []), shard('jest.json', [], { runner: 'jest' })])).toThrow(
      'cannot merge reports of different runners: vitest.json is from vitest, jest.json is from jest.',
    )
  })
})
