// Bad options fail at once with a TypeError that names the option, shows the value received and says what is
// accepted.
import { describe, expect, it } from 'vitest'
import { budgetForFile, createMonitor, measureBlocking, monitorBlocking, resolveOptions } from '../src/index.js'

function errorFrom(call: () => unknown): TypeError {
  try {
    call()
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError)
    return error as TypeError
  }
  throw new Error('expected a TypeError; nothing was thrown')
}

const onBlock = () => {}

/** Each entry point, called with the options under test (plus what it requires). */
const ENTRY_POINTS = [
  { where: 'createMonitor', call: (options: unknown) => createMonitor(options as never) },
  { where: 'measureBlocking', call: (options: unknown) => measureBlocking(() => 0, options as never) },
  { where: 'monitorBlocking', call: (options: unknown) => monitorBlocking({ onBlock, ...(options as object) })() },
]

const BAD_MS: [unknown, string][] = [
  [-1, '-1'],
  [-0.5, '-0.5'],
  [Number.NaN, 'NaN'],
  [Number.POSITIVE_INFINITY, 'Infinity'],
  [Number.NEGATIVE_INFINITY, '-Infinity'],
  ['10', "'10'"],
  [null, 'null'],
  [10n, '10n'],
]

describe.each(ENTRY_POINTS)('$where', ({ where, call }) => {
  it.each(BAD_MS)('rejects thresholdMs: %s', (value, shown) => {
    expect(errorFrom(() => call({ thresholdMs: value })).message).toBe(
      `${where}: option "thresholdMs" must be a finite number of milliseconds, 0 or more; received ${shown}.`,
    )
  })

  it('rejects an unknown option, naming it, its value and the accepted ones', () => {
    const message = errorFrom(() => call({ threshold: 10 })).message
    expect(message).toMatch(new RegExp(`^${where}: unknown option "threshold"\\. Accepted options: `))
    expect(message).toContain('thresholdMs')
    expect(message).toMatch(/ Received threshold: 10\.$/)
  })

  it('accepts 0 and a fractional threshold', () => {
    expect(() => call({ thresholdMs: 0 })).not.toThrow()
    expect(() => call({ thresholdMs: 2.5 })).not.toThrow()
  })
})

describe.each(ENTRY_POINTS.filter((e) => e.where !== 'monitorBlocking'))('$where options object', ({ where, call }) => {
  it.each([
    [5, '5'],
    ['fast', "'fast'"],
    [null, 'null'],
    [[10], '[ 10 ]'],
  ])('must be an object, not %s', (value, shown) => {
    expect(errorFrom(() => call(value)).message).toBe(`${where}: options must be an object; received ${shown}.`)
  })
})

describe('onBlock', () => {
  it.each([
    ['yes', "'yes'"],
    [42, '42'],
    [{ handleEvent() {} }, '{ handleEvent: [Function: handleEvent] }'],
    [null, 'null'],
  ])('createMonitor rejects onBlock: %s', (value, shown) => {
    expect(errorFrom(() => createMonitor({ onBlock: value as never })).message).toBe(
      `createMonitor: option "onBlock" must be a function; received ${shown}.`,
    )
  })

  it('monitorBlocking requires it', () => {
    expect(errorFrom(() => monitorBlocking({} as never)).message).toBe(
      'monitorBlocking: option "onBlock" must be a function (it is required); received undefined.',
    )
    expect(errorFrom(() => monitorBlocking(undefined as never)).message).toBe(
      'monitorBlocking: option "onBlock" must be a function (it is required); received undefined.',
    )
  })
})

describe('other arguments', () => {
  it('measureBlocking wants a function to call', () => {
    expect(errorFrom(() => measureBlocking('JSON.parse(big)' as never)).message).toBe(
      "measureBlocking: expected a function; received 'JSON.parse(big)'.",
    )
  })

  it('since() wants a mark from mark()', () => {
    const monitor = createMonitor()
    expect(errorFrom(() => monitor.since(undefined as never)).message).toBe(
      'since: expected a Mark returned by mark(); received undefined.',
    )
    expect(errorFrom(() => monitor.since({ atMs: '5' } as never)).message).toMatch(/^since: expected a Mark returned by mark\(\); received /)
  })
})

describe('the runner options share the same checks', () => {
  it.each([
    [{ budgetMs: -5 }, 'option "budgetMs" must be a number of milliseconds, 0 or more (Infinity allowed); received -5.'],
    [{ thresholdMs: Infinity }, 'option "thresholdMs" must be a finite number of milliseconds, 0 or more; received Infinity.'],
    [{ mode: 'strict' }, "option \"mode\" must be one of 'fail', 'report', 'off'; received 'strict'."],
    [{ budgets: { 'test/slow/**': -1 } }, "option \"budgets['test/slow/**']\" must be a number of milliseconds, 0 or more (Infinity allowed); received -1."],
    [{ top: 2.5 }, 'option "top" must be a whole number, 0 or more; received 2.5.'],
    [{ onBlock: 'log' }, "option \"onBlock\" must be a function; received 'log'."],
    [{ scope: [] }, 'option "scope" must be a glob or a non-empty array of globs; received [].'],
    [{ budgetMS: 100 }, 'unknown option "budgetMS". Accepted options: budgetMs, mode, budgets, thresholdMs, outputFile, top, onBlock, scope, attribution, profileDir, countGc. Received budgetMS: 100.'],
  ])('%o', (input, message) => {
    expect(errorFrom(() => resolveOptions(input, 'loopguard', {})).message).toBe(`loopguard: ${message}`)
  })

  it('fills in the defaults, and writes a report by default only on CI', () => {
    expect(resolveOptions(undefined, 'loopguard', {})).toMatchObject({
      budgetMs: 50,
      mode: 'fail',
      thresholdMs: 10,
      top: 10,
      attribution: 'auto',
      outputFile: undefined,
    })
    expect(resolveOptions({}, 'loopguard', { CI: 'true' }).outputFile).toBe('loopguard-report.json')
    expect(resolveOptions({}, 'loopguard', { CI: 'false' }).outputFile).toBeUndefined()
    expect(resolveOptions({ outputFile: false }, 'loopguard', { CI: '1' }).outputFile).toBeUndefined()
    expect(resolveOptions({ budgetMs: Infinity }, 'loopguard', {}).budgetMs).toBe(Infinity)
  })

  it('takes the report file and the mode from the environment, over the config (which a runner may key its cache on)', () => {
    const env = { LOOPGUARD_OUTPUT_FILE: 'reports/shard-2.json', LOOPGUARD_MODE: 'report' }
    expect(resolveOptions({ outputFile: 'loopguard-report.json', mode: 'fail' }, 'loopguard', env)).toMatchObject({
      outputFile: 'reports/shard-2.json',
      mode: 'report',
    })
    // Empty is unset.
    expect(resolveOptions({ mode: 'off' }, 'loopguard', { LOOPGUARD_MODE: '', LOOPGUARD_OUTPUT_FILE: '' })).toMatchObject({ mode: 'off', outputFile: undefined })
    expect(() => resolveOptions({}, 'loopguard', { LOOPGUARD_MODE: 'warn' })).toThrow(
      `loopguard: the environment variable LOOPGUARD_MODE must be 'fail', 'report' or 'off'; received "warn".`,
    )
  })
})

describe('budgets', () => {
  it('gives a file the budget of the first glob it matches, call after call, whatever the options object', () => {
    const first = resolveOptions({ budgetMs: 50, budgets: { 'test/slow/**': 200, 'test/**/*.db.test.ts': 100, '**/.cache/**': 0 } }, 'loopguard', {})
    const second = resolveOptions({ budgetMs: 20, budgets: { 'test/**/*.db.test.ts': 300 } }, 'loopguard', {})
    for (let round = 0; round < 3; round++) {
      expect(budgetForFile(first, 'test/slow/a.test.ts')).toBe(200)
      expect(budgetForFile(first, 'test/slow/users.db.test.ts')).toBe(200)
      expect(budgetForFile(first, 'test/api/users.db.test.ts')).toBe(100)
      expect(budgetForFile(first, 'test/.cache/x.test.ts')).toBe(0)
      expect(budgetForFile(first, 'src/a.test.ts')).toBe(50)
      expect(budgetForFile(second, 'test/api/users.db.test.ts')).toBe(300)
      expect(budgetForFile(second, 'test/slow/a.test.ts')).toBe(20)
    }
  })
})
