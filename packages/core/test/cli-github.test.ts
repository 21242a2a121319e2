import { describe, expect, test as it } from 'vitest'
import { DEFAULT_TOLERANCE } from '../src/cli/baseline.js'
import { annotations, escapeData, escapeMarkdown, escapeProperty, formatAnnotation, stepSummary } from '../src/cli/github.js'
import { judge } from '../src/cli/verdict.js'
import { block, report, test } from './cli-fixtures.js'

/** Reads a workflow command back the way the Actions runner does: split on the first `::`, `,` and `=`, then unescape. */
function parseCommand(line: string): { command: string; properties: Record<string, string>; message: string } {
  const match = /^::(\w+) ?(.*?)::(.*)$/s.exec(line)
  if (!match) throw new Error(`not a workflow command: ${line}`)
  const unescape = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%')
  const properties: Record<string, string> = {}
  for (const pair of match[2]!.split(',').filter(Boolean)) {
    const at = pair.indexOf('=')
    properties[pair.slice(0, at)] = unescape(pair.slice(at + 1))
  }
  return { command: match[1]!, properties, message: unescape(match[3]!) }
}

describe('workflow command escaping', () => {
  it('escapes %, CR and LF in a message, and also : and , in a property', () => {
    expect(escapeData('50% done\r\nnext: a, b')).toBe('50%25 done%0D%0Anext: a, b')
    expect(escapeProperty('50% done\r\nnext: a, b')).toBe('50%25 done%0D%0Anext%3A a%2C b')
  })

  it('a nasty test name stays one command and reads back unchanged', () => {
    const nasty = 'parses "a, b": 100%\nsecond line ::error::injected'
    const line = formatAnnotation({ level: 'error', file: 'src/a,b.ts', line: 3, col: 7, title: nasty, message: nasty })
    expect(line.split('\n')).toHaveLength(1)
    expect(parseCommand(line)).toEqual({
      command: 'error',
      properties: { file: 'src/a,b.ts', line: '3', col: '7', title: nasty },
      message: nasty,
    })
  })
})

describe('annotations', () => {
  const frame = (file: string, line: number) => ({ file, line, column: 5, function: 'work' })
  const baseline = report([test('a.test.ts', 'grows', [block(20)]), test('a.test.ts', 'slow', [block(60)])])
  const current = report([
    test('a.test.ts', 'slow', [block(20, 0, { frame: frame('src/other.ts', 1) }), block(80, 30, { frame: frame('src/parse.ts', 12) })]),
    test('a.test.ts', 'grows', [block(40, 0, { frame: frame('src/cache.ts', 7) })]),
    test('b.test.ts', 'unattributed', [block(90, 0, { frame: null, activity: 'fs.readFileSync (sync I/O)' })]),
    test('b.test.ts', 'fine', [block(15)]),
  ])
  // A tolerance narrower than the default, for a suite whose figures are steady.
  const verdict = judge(current, { baseline: { source: 'main.json', report: baseline }, tolerance: { percent: 20, minMs: 5 } })
  const list = annotations(verdict)

  it('an error per test over budget, on the line of its longest block, worst first', () => {
    const errors = list.filter((a) => a.level === 'error')
    expect(errors.map((a) => [a.file, a.line])).toEqual([
      ['b.test.ts', undefined],
      ['src/parse.ts', 12],
    ])
    expect(errors[1]!.title).toBe('Event loop blocked 80.0 ms (budget 50 ms)')
    expect(errors[1]!.message).toBe(
      'a.test.ts > slow blocked the event loop for 80.0 ms (budget 50 ms) at src/parse.ts:12; it grew from 60.0 ms in the baseline (+20.0 ms, allowed +12.0 ms).',
    )
    expect(errors[0]!.message).toContain('at fs.readFileSync (sync I/O)')
  })

  it('a warning for a regression that stays under budget', () => {
    const warnings = list.filter((a) => a.level === 'warning')
    expect(warnings).toEqual([
      {
        level: 'warning',
        file: 'src/cache.ts',
        line: 7,
        col: 5,
        title: 'Event-loop blocking grew to 40.0 ms',
        message:
          'a.test.ts > grows blocked the event loop for 40.0 ms at src/cache.ts:7, under its 50 ms budget, but it grew from 20.0 ms in the baseline (+20.0 ms, allowed +5.0 ms).',
      },
      expect.objectContaining({ level: 'warning', title: 'New event-loop blocking of 15.0 ms' }),
    ])
  })
})

describe('step summary', () => {
  it('a Markdown table of offenders whose cells cannot break the table', () => {
    const r = report([test('a.test.ts', 'pipes | and <b>tags</b> *stars*', [block(70)]), test('a.test.ts', 'quiet')])
    const markdown = stepSummary(judge(r, { tolerance: DEFAULT_TOLERANCE }), 10)
    expect(markdown).toContain('### ❌ Event-loop blocking: 1 of 2 tests over budget (50 ms)')
    const row = markdown.split('\n').find((l) => l.includes('pipes'))!
    expect(row).toBe('| ❌ over | a.test.ts > pipes \\| and \\<b>tags\\</b> \\*stars\\* | 70.0 ms | 50 ms | src/work.ts:10 |')
    // Five cells: the escaped pipe is not a separator.
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(5)
  })

  it('says so when nothing blocked, and names the baseline', () => {
    const r = report([test('a.test.ts', 'quiet')])
    const markdown = stepSummary(judge(r, { baseline: { source: 'main_branch.json', report: r }, tolerance: DEFAULT_TOLERANCE }), 10)
    expect(markdown).toContain('### ✅ Event-loop blocking: 0 of 1 test over budget (50 ms)')
    expect(markdown).toContain('No test blocked the event loop for 10.0 ms or more.')
    expect(markdown).toContain('No regression against main\\_branch.json (tolerance 50 %, at least 50 ms).')
  })

  it('escapeMarkdown keeps a cell on one line', () => {
    expect(escapeMarkdown('a\nb\r\nc')).toBe('a b c')
  })
})
