// The commands run in-process through runCli: what a person reads, and the exit code, for every kind of input.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test as it } from 'vitest'
import { runCli } from '../src/cli/run.js'
import { formatSummary } from '../src/report/summary.js'
import { block, report, scratch, test, writeJson } from './cli-fixtures.js'

function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = ''
  let stderr = ''
  const exitCode = runCli(argv, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    env,
    colors: false,
    version: '0.0.0-test',
  })
  return { exitCode, stdout, stderr }
}

const dir = scratch()
const failing = report([test('a.test.ts', 'slow', [block(80.4)]), test('a.test.ts', 'fine', [block(20)]), test('b.test.ts', 'quiet')])
const passing = report([test('a.test.ts', 'slow', [block(30)]), test('b.test.ts', 'quiet')])
const failingFile = writeJson(dir, 'failing.json', failing)
const passingFile = writeJson(dir, 'passing.json', passing)

describe('loopguard check', () => {
  it('prints the runners\' offenders table and exits 1 when a test is over its budget', () => {
    const { exitCode, stdout, stderr } = run(['check', failingFile])
    expect(exitCode).toBe(1)
    expect(stderr).toBe('')
    expect(stdout.startsWith(formatSummary(failing))).toBe(true)
    expect(stdout).toContain('1 of 3 tests over budget (50 ms)')
    expect(stdout.trimEnd().split('\n').pop()).toBe('loopguard check failed: 1 of 3 tests over budget.')
  })

  it('exits 0 when every test is within budget', () => {
    const { exitCode, stdout } = run(['check', passingFile])
    expect(exitCode).toBe(0)
    expect(stdout.trimEnd().split('\n').pop()).toBe('loopguard check passed: 2 tests, none over budget.')
  })

  it('--budget judges again: a larger budget passes, a smaller one fails', () => {
    expect(run(['check', failingFile, '--budget', '100']).exitCode).toBe(0)
    const strict = run(['check', passingFile, '--budget=25'])
    expect(strict.exitCode).toBe(1)
    expect(strict.stdout).toContain('1 of 2 tests over budget (25 ms)')
  })

  it('reads several shard reports as one run', () => {
    const one = writeJson(dir, 'shard-1.json', report([test('a.test.ts', 'slow', [block(80)])]))
    const two = writeJson(dir, 'shard-2.json', report([test('b.test.ts', 'ok'), test('b.test.ts', 'ok too')]))
    const { exitCode, stdout } = run(['check', one, two])
    expect(exitCode).toBe(1)
    expect(stdout).toContain('1 of 3 tests over budget')
  })

  it('--baseline: passes without regression, fails on one, and lists it', () => {
    const base = writeJson(dir, 'base.json', report([test('a.test.ts', 'slow', [block(30)]), test('b.test.ts', 'quiet')]))
    const same = run(['check', passingFile, '--baseline', base])
    expect(same.exitCode).toBe(0)
    expect(same.stdout).toContain(`No regression against ${base} (tolerance 50 %, at least 50 ms)`)

    const budgets = { budgetMs: 500 }
    const grown = writeJson(dir, 'grown.json', report([test('a.test.ts', 'slow', [block(92)], budgets), test('b.test.ts', 'quiet', [block(62)], budgets)]))
    const worse = run(['check', grown, '--baseline', base])
    expect(worse.exitCode).toBe(1)
    expect(worse.stdout).toContain(`2 regressions against ${base} (tolerance 50 %, at least 50 ms)`)
    expect(worse.stdout).toContain('30.0 ms → 92.0 ms (+62.0 ms, allowed +50.0 ms)  a.test.ts > slow  src/work.ts:10')
    expect(worse.stdout).toContain('0.0 ms → 62.0 ms (+62.0 ms, allowed +50.0 ms; newly over the threshold)  b.test.ts > quiet')
    expect(worse.stdout.trimEnd().split('\n').pop()).toBe('loopguard check failed: 2 regressions.')

    expect(run(['check', grown, '--baseline', base, '--tolerance', '250%,15ms']).stdout).toContain('1 regression against')
  })

  it('--format json prints one JSON verdict', () => {
    const { exitCode, stdout } = run(['check', failingFile, '--format', 'json'])
    expect(exitCode).toBe(1)
    const result = JSON.parse(stdout)
    expect(result).toMatchObject({ schema: 'loopguard-check@1', passed: false, exitCode: 1, runner: 'vitest', budgetMs: 50, tests: 3, regressions: [] })
    expect(result.overBudget).toEqual([
      { title: 'a.test.ts > slow', file: 'a.test.ts', fullName: 'slow', longestMs: 80.4, budgetMs: 50, frame: { file: 'src/work.ts', line: 10, column: 3, function: 'work' } },
    ])
  })

  it('inside GitHub Actions, annotates by default and appends to the step summary', () => {
    const summary = join(dir, 'step-summary.md')
    writeFileSync(summary, '# earlier step\n')
    const { exitCode, stdout } = run(['check', failingFile], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary })
    expect(exitCode).toBe(1)
    expect(stdout).toContain('1 of 3 tests over budget')
    expect(stdout.split('\n').filter((l) => l.startsWith('::'))).toEqual([
      '::error file=src/work.ts,line=10,col=3,title=Event loop blocked 80.4 ms (budget 50 ms)::a.test.ts > slow blocked the event loop for 80.4 ms (budget 50 ms) at src/work.ts:10.',
    ])
    const markdown = readFileSync(summary, 'utf8')
    expect(markdown.startsWith('# earlier step\n### ❌ Event-loop blocking: 1 of 3 tests over budget (50 ms)')).toBe(true)
    expect(markdown).toContain('| ❌ over | a.test.ts > slow | 80.4 ms | 50 ms | src/work.ts:10 |')
    expect(markdown).toContain('| ⚠️ under | a.test.ts > fine | 20.0 ms | 50 ms | src/work.ts:10 |')
  })

  it('--format text inside GitHub Actions prints no workflow command', () => {
    const { stdout } = run(['check', failingFile, '--format', 'text'], { GITHUB_ACTIONS: 'true' })
    expect(stdout).not.toMatch(/^::/m)
  })

  it('a step summary that cannot be written is reported and leaves the verdict alone', () => {
    const { exitCode, stderr } = run(['check', passingFile, '--format', 'github'], { GITHUB_STEP_SUMMARY: join(dir, 'no-such-dir', 'x', 'summary.md') })
    expect(exitCode).toBe(0)
    expect(stderr).toMatch(/^loopguard check: could not append to GITHUB_STEP_SUMMARY \(.+summary\.md\): ENOENT/)
  })
})

describe('loopguard merge', () => {
  it('writes one report of every shard, and says so', () => {
    const one = writeJson(dir, 'm-1.json', report([test('a.test.ts', 'one', [block(80)])]))
    const two = writeJson(dir, 'm-2.json', report([test('b.test.ts', 'two')]))
    const out = join(dir, 'out', 'merged.json')
    const { exitCode, stdout } = run(['merge', one, two, '-o', out])
    expect(exitCode).toBe(0)
    expect(stdout).toBe(`loopguard merge: 2 reports, 2 tests (1 over budget) written to ${out}\n`)
    const merged = JSON.parse(readFileSync(out, 'utf8'))
    expect(merged.tests.map((t: { fullName: string }) => t.fullName)).toEqual(['one', 'two'])
    expect(merged.summary.overBudget).toBe(1)
    // The merged report is a report like any other.
    expect(run(['check', out]).exitCode).toBe(1)
  })
})

describe('loopguard html', () => {
  it('writes the page, by default to loopguard-report.html in the folder given with -o', () => {
    const out = join(dir, 'page.html')
    const { exitCode, stdout } = run(['html', failingFile, '-o', out])
    expect(exitCode).toBe(0)
    expect(stdout).toBe(`loopguard html: 1 of 3 tests over budget, page written to ${out}\n`)
    expect(readFileSync(out, 'utf8')).toMatch(/^<!doctype html>/)
  })
})

describe('bad input: exit 2 and one line each on stderr, nothing on stdout', () => {
  const write = (name: string, text: string) => writeJson(dir, name, text)
  const full = JSON.stringify(failing, null, 2)
  const cases: [string, () => string[], string | RegExp][] = [
    ['a missing file', () => ['check', join(dir, 'missing.json')], `loopguard check: ${join(dir, 'missing.json')}: no such file.`],
    ['a folder', () => ['check', dir], `loopguard check: ${dir}: cannot be read (EISDIR).`],
    ['an empty file', () => ['check', write('empty.json', '')], `loopguard check: ${join(dir, 'empty.json')}: the file is empty; expected a loopguard report (JSON).`],
    ['invalid JSON', () => ['check', write('invalid.json', '{ "schema": loopguard }')], /^loopguard check: .*invalid\.json: not valid JSON \(Unexpected token .*\)\.$/],
    ['a truncated file', () => ['check', write('truncated.json', full.slice(0, Math.floor(full.length / 2)))], `loopguard check: ${join(dir, 'truncated.json')}: the file is truncated (it ends before the JSON does).`],
    ['a file cut after a closing brace', () => ['check', write('cut.json', full.slice(0, full.indexOf('}') + 1))], `loopguard check: ${join(dir, 'cut.json')}: the file is truncated (it ends before the JSON does).`],
    ['another schema version', () => ['check', write('v2.json', JSON.stringify({ ...failing, schema: 'loopguard-report@2' }))], `loopguard check: ${join(dir, 'v2.json')}: wrong schema: found "loopguard-report@2", expected "loopguard-report@1".`],
    ['a file of another tool', () => ['check', write('jest.json', JSON.stringify({ numFailedTests: 0, testResults: [] }))], `loopguard check: ${join(dir, 'jest.json')}: wrong schema: found no "schema" field, expected "loopguard-report@1".`],
    ['a damaged test entry', () => ['check', write('field.json', JSON.stringify({ ...failing, tests: [{ ...failing.tests[0], longestMs: 'slow' }] }))], `loopguard check: ${join(dir, 'field.json')}: tests[0].longestMs must be a number of milliseconds; found 'slow'.`],
    ['an unknown option', () => ['check', failingFile, '--bugdet', '100'], 'loopguard check: unknown option --bugdet. Accepted options: --budget <ms>, --baseline <report.json>, --tolerance <50%,50ms>, --format <text|json|github>, --top <n>, --help.'],
    ['an unknown short option', () => ['merge', failingFile, '-x'], 'loopguard merge: unknown option -x. Accepted options: --output <merged.json>, --help.'],
    ['an option without its value', () => ['check', failingFile, '--budget'], 'loopguard check: option --budget needs a value <ms>.'],
    ['an option followed by another option', () => ['check', failingFile, '--baseline', '--format', 'json'], 'loopguard check: option --baseline needs a value <report.json>; it is followed by "--format" (write --baseline=--format if that is the value).'],
    ['a value for a flag', () => ['check', failingFile, '--help=yes'], 'loopguard check: option --help takes no value.'],
    ['a budget that is not a number', () => ['check', failingFile, '--budget', 'fast'], 'loopguard check: option --budget must be a number of milliseconds, 0 or more (e.g. --budget 100); received "fast".'],
    ['an unknown format', () => ['check', failingFile, '--format', 'xml'], 'loopguard check: option --format must be one of text, json, github; received "xml".'],
    ['a bad tolerance', () => ['check', failingFile, '--baseline', passingFile, '--tolerance', '20'], 'loopguard check: option --tolerance must be a percentage, milliseconds or both, e.g. 50%, 50ms or 50%,50ms; received "20".'],
    ['a tolerance without a baseline', () => ['check', failingFile, '--tolerance', '20%'], 'loopguard check: option --tolerance needs --baseline <report.json>: it is how far a test may grow past the baseline.'],
    ['a negative --top', () => ['check', failingFile, '--top', '-1'], 'loopguard check: option --top needs a value <n>; it is followed by "-1" (write --top=-1 if that is the value).'],
    ['a bad --top', () => ['check', failingFile, '--top=-1'], 'loopguard check: option --top must be a whole number, 0 or more; received "-1".'],
    ['no report', () => ['check'], 'loopguard check: no report given. Usage: loopguard check <report.json ...> [options]'],
    ['a baseline of another runner', () => ['check', failingFile, '--baseline', writeJson(dir, 'jest-base.json', { ...passing, runner: 'jest' })], `loopguard check: the baseline ${join(dir, 'jest-base.json')} is from jest and the reports are from vitest: their tests cannot be compared.`],
    ['shards of different runners', () => ['merge', failingFile, join(dir, 'jest-base.json'), '-o', join(dir, 'never.json')], `loopguard merge: cannot merge reports of different runners: ${failingFile} is from vitest, ${join(dir, 'jest-base.json')} is from jest.`],
    ['merge without -o', () => ['merge', failingFile], 'loopguard merge: no output file given. Usage: loopguard merge <report.json ...> -o <merged.json>'],
    ['html without a report', () => ['html', '-o', join(dir, 'never.html')], 'loopguard html: no report given. Usage: loopguard html <report.json ...> [-o <report.html>]'],
    ['an output path under a file', () => ['merge', failingFile, '-o', join(failingFile, 'merged.json')], `loopguard merge: cannot write ${join(failingFile, 'merged.json')}: a file is where its folder should be (EEXIST).`],
    ['a page path under a file', () => ['html', failingFile, '-o', join(failingFile, 'page.html')], `loopguard html: cannot write ${join(failingFile, 'page.html')}: a file is where its folder should be (EEXIST).`],
    ['a page path that is a folder', () => ['html', failingFile, '-o', dir], `loopguard html: cannot write ${dir}: it is a folder (EISDIR).`],
    ['an unknown command', () => ['chekc', failingFile], 'loopguard: unknown command "chekc". Commands: check, merge, html; options: --help, --version.'],
  ]

  it.each(cases)('%s', (_name, argv, message) => {
    const { exitCode, stdout, stderr } = run(argv())
    expect(exitCode).toBe(2)
    expect(stdout).toBe('')
    expect(stderr.endsWith('\n')).toBe(true)
    const lines = stderr.trimEnd().split('\n')
    expect(lines).toHaveLength(1)
    if (typeof message === 'string') expect(lines[0]).toBe(message)
    else expect(lines[0]).toMatch(message)
  })

  it('every unusable file gets its own line', () => {
    const { exitCode, stderr } = run(['check', join(dir, 'missing.json'), join(dir, 'empty.json'), failingFile, join(dir, 'v2.json')])
    expect(exitCode).toBe(2)
    expect(stderr.trimEnd().split('\n')).toEqual([
      `loopguard check: ${join(dir, 'missing.json')}: no such file.`,
      `loopguard check: ${join(dir, 'empty.json')}: the file is empty; expected a loopguard report (JSON).`,
      `loopguard check: ${join(dir, 'v2.json')}: wrong schema: found "loopguard-report@2", expected "loopguard-report@1".`,
    ])
  })

  it('a failed merge leaves an existing output untouched and writes no other file', () => {
    const out = join(dir, 'kept', 'merged.json')
    mkdirSync(join(dir, 'kept'))
    writeFileSync(out, 'previous merge\n')
    const { exitCode } = run(['merge', failingFile, join(dir, 'truncated.json'), '-o', out])
    expect(exitCode).toBe(2)
    expect(readFileSync(out, 'utf8')).toBe('previous merge\n')
    expect(run(['merge', failingFile, join(dir, 'missing.json'), '-o', join(dir, 'kept', 'new.json')]).exitCode).toBe(2)
    expect(() => readFileSync(join(dir, 'kept', 'new.json'))).toThrow(/ENOENT/)
  })
})
