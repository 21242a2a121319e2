import { describe, expect, test as it } from 'vitest'
import { axis, tickStep } from '../src/cli/html-scale.js'
import { renderHtmlPage } from '../src/cli/html-page.js'
import { block, report, test } from './cli-fixtures.js'

describe('html page', () => {
  const r = report([
    test('a.test.ts', 'renders <script>alert(1)</script> & "quotes"', [block(80, 5, { activity: '<img src=x onerror=alert(1)>' })]),
    test('b.test.ts', 'under budget', [block(20)]),
    test('b.test.ts', 'quiet'),
  ])
  const html = renderHtmlPage(r, { sources: ['shard-"1".json'] })

  it('escapes every text from the report', () => {
    expect(html).not.toContain('<script>')
    expect(html).not.toContain('<img')
    expect(html).toContain('renders &#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;quotes&#34;')
    expect(html).toContain('shard-&#34;1&#34;.json')
  })

  it('needs nothing from outside the page: no URL, no script, and a policy that forbids loading any', () => {
    expect(html).not.toMatch(/https?:|\/\/[a-z]/i)
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i)
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`)
  })

  it('ranks the tests that blocked, links each offender to its timeline', () => {
    const rows = [...html.matchAll(/<a class="row (\w+)" href="#(test-\d+)"/g)].map((m) => [m[1], m[2]])
    expect(rows).toEqual([
      ['over', 'test-0'],
      ['under', 'test-1'],
    ])
    expect(html).toContain('<article class="offender" id="test-0"')
    expect(html).toContain('<svg class="timeline"')
  })

  it('says so when nothing blocked', () => {
    const quiet = renderHtmlPage(report([test('a.test.ts', 'quiet')]), { sources: ['r.json'] })
    expect(quiet).toContain('No test blocked the event loop for 10.0 ms or more.')
    expect(quiet).toContain('<p class="verdict ok" id="verdict">0 of 1 test over budget</p>')
  })
})

describe('axis ticks', () => {
  it('steps of 1, 2 or 5 times a power of ten', () => {
    expect(tickStep(300, 5)).toBe(100)
    expect(tickStep(80, 5)).toBe(20)
    expect(tickStep(7, 5)).toBe(2)
    expect(tickStep(0.9, 5)).toBe(0.2)
  })

  it('ends on a whole tick at or past the longest value', () => {
    expect(axis(312.4, 5)).toEqual({ endMs: 400, ticks: [0, 100, 200, 300, 400] })
    expect(axis(50, 5)).toEqual({ endMs: 50, ticks: [0, 10, 20, 30, 40, 50] })
  })
})
