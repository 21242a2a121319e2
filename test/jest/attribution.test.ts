// The line that blocked, named in Jest: 43 ground-truth blocks of seven kinds (Atomics.wait, a CPU loop,
// fs.readFileSync, JSON.parse, crypto.pbkdf2Sync, zlib.gzipSync, child_process.execSync) at lines of TypeScript
// marked `// frame: <marker>`, each in a test whose name ends with `[<marker>]`, run through babel-jest and through
// ts-jest on Jest 29 (Node 20) and 30 (Node 24), in workers and in band. Then `scope` and `profileDir`.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { prepareProject, runFixture, type FixtureRun } from '../support/run-fixture.js'
import { failureOf, fixture, jestRunners, reportTest, summaryOf } from './support.js'

interface Frame {
  file: string
  line: number
  column: number
  function: string
}

interface Block {
  durationMs: number
  frame: Frame | null
  frames?: Frame[]
  activity?: string
  inScope?: boolean
}

interface Expected {
  file: string
  line: number
}

/** Where each marker is: the project-relative file and the 1-based line that carries `// frame: <marker>`. */
function markers(dir: string): Map<string, Expected> {
  const found = new Map<string, Expected>()
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (/\.[jt]s$/.test(entry.name)) {
        readFileSync(path, 'utf8')
          .split('\n')
          .forEach((text, i) => {
            const marker = /\/\/ frame: (\S+)/.exec(text)?.[1]
            if (marker) found.set(marker, { file: relative(dir, path).split('\\').join('/'), line: i + 1 })
          })
      }
    }
  }
  for (const folder of ['src', 'test', 'legacy']) {
    try {
      walk(join(dir, folder))
    } catch {
      // the fixture has no such folder
    }
  }
  return found
}

/** What ran on top of the project's line, by the describe block each kind of block is in. */
const ACTIVITY: Record<string, string | undefined> = {
  'Atomics.wait': 'Atomics.wait',
  'a CPU loop': undefined,
  'fs.readFileSync of a large file': 'fs.readFileSync (sync I/O)',
  'JSON.parse of a large string': 'JSON.parse',
  'crypto.pbkdf2Sync': 'crypto.pbkdf2Sync (sync)',
  'zlib.gzipSync': 'zlib.gzipSync (sync)',
  'child_process.execSync': 'child_process.execSync (sync I/O)',
}

const longest = (blocks: Block[]): Block | undefined => blocks.reduce<Block | undefined>((a, b) => (!a || b.durationMs > a.durationMs ? b : a), undefined)

const setups = [
  { runner: 'jest29', transform: 'babel-jest', config: 'jest.config.js', args: ['--maxWorkers=2'] },
  { runner: 'jest29', transform: 'ts-jest', config: 'jest.ts-jest.config.js', args: ['--runInBand'] },
  { runner: 'jest30', transform: 'babel-jest', config: 'jest.config.js', args: ['--runInBand'] },
  { runner: 'jest30', transform: 'ts-jest', config: 'jest.ts-jest.config.js', args: ['--maxWorkers=2'] },
].filter((setup) => (jestRunners as string[]).includes(setup.runner))

const expected = markers(fixture('attribution'))

describe.each(setups)('$runner, $transform, $args', ({ runner, config, args }) => {
  let run: FixtureRun
  beforeAll(async () => {
    run = await runFixture(runner as (typeof jestRunners)[number], fixture('attribution'), { args: ['--config', config, ...args] })
  })

  test('at least 95 % of 43 ground-truth blocks are named at their line of TypeScript, with what blocked there', () => {
    expect(run.report, run.output).toBeDefined()
    const tests = run.report.tests as { fullName: string; longestMs: number; blocks: Block[] }[]
    expect(tests).toHaveLength(43)
    const misses: string[] = []
    for (const t of tests) {
      const marker = /\[([\w-]+)\]$/.exec(t.fullName)?.[1]
      const want = marker ? expected.get(marker) : undefined
      if (!want) throw new Error(`no marker for "${t.fullName}"`)
      // Ground truth: a block of 20 ms or more.
      expect(t.longestMs, t.fullName).toBeGreaterThanOrEqual(20)
      const block = longest(t.blocks)!
      const activity = ACTIVITY[t.fullName.split(' > ')[0]!]
      const hit = block.frame?.file === want.file && block.frame.line === want.line && block.activity === activity
      if (!hit) misses.push(`${t.fullName}: expected ${want.file}:${want.line} ${activity ?? ''}, got ${JSON.stringify(block)}`)
    }
    const hitRate = (tests.length - misses.length) / tests.length
    // The rate measured, for the README's table.
    console.info(`attribution hit rate ${runner} ${config}: ${tests.length - misses.length}/${tests.length}`)
    expect(hitRate, misses.join('\n')).toBeGreaterThanOrEqual(0.95)
  })

  test('no frame points into node_modules, loopguard or Jest: only the project’s own TypeScript', () => {
    const files = new Set<string>()
    for (const t of run.report.tests as { blocks: Block[] }[]) {
      for (const block of t.blocks) for (const frame of [block.frame, ...(block.frames ?? [])]) if (frame) files.add(frame.file)
    }
    expect(files.size).toBeGreaterThan(0)
    for (const file of files) expect(file).toMatch(/^(src|test)\/[\w.-]+\.ts$/)
  })

  test('the report keeps the frames of each block, innermost first; the top one is the block’s frame', () => {
    const block = longest(reportTest(run.report, 'JSON.parse of a large string > in a parser under a handler [parse-payload]').blocks as Block[])!
    const parse = expected.get('parse-payload')!
    expect(block.frames).toEqual([
      expect.objectContaining({ file: parse.file, line: parse.line, function: 'parsePayload' }),
      expect.objectContaining({ file: 'src/payload.ts', function: 'handle' }),
      expect.objectContaining({ file: 'test/json.spec.ts' }),
    ])
    expect(block.frame).toEqual(block.frames![0])
    for (const t of run.report.tests as { blocks: Block[] }[]) {
      for (const b of t.blocks) if (b.frame) expect(b.frames![0]).toEqual(b.frame)
    }
  })

  test('the failure names the line and what blocked there, hints at the async API, and shows the code', () => {
    const read = expected.get('read-whole')!
    const failure = failureOf(run.output, 'fs.readFileSync of a large file › in a helper [read-whole]')
    expect(failure).toMatch(/EventLoopBlockedError: blocked the event loop for \d+\.\d ms \(budget 15 ms\), 1 block\n/)
    expect(failure).toContain(`longest block in readWhole (${read.file}:${read.line}:16): fs.readFileSync (sync I/O)\n`)
    expect(failure).toMatch(/\n +hint: use fs\.promises\.readFile \(or fs\.readFile with a callback\): it does not block the event loop\n/)
    // Jest's own code frame, at the TypeScript line.
    expect(failure).toMatch(new RegExp(`\\n +> ${read.line} \\| +const text = readFileSync\\(path, 'utf8'\\) // frame: read-whole\\n`))
    expect(failure).toMatch(new RegExp(`\\n +at readWhole \\(src/blocking\\.ts:${read.line}:16\\)\\n +at test/fs\\.spec\\.ts:\\d+:\\d+\\n`))

    const json = expected.get('json-direct')!
    expect(failureOf(run.output, 'JSON.parse of a large string › in the test [json-direct]')).toContain(
      `longest block in ${json.file}:${json.line}:24: JSON.parse\n`,
    )
  })

  test('blocks outside tests are named too: a beforeAll that writes a large file', () => {
    const file = (run.report.files as { file: string; blocks: (Block & { phase: string })[] }[]).find((f) => f.file === 'test/fs.spec.ts')
    const beforeAll = longest(file?.blocks.filter((b) => b.phase === 'beforeAll') ?? [])
    expect(beforeAll?.frame, JSON.stringify(file)).toMatchObject(expected.get('fs-before-all')!)
    expect(beforeAll?.activity).toBe('fs.writeFileSync (sync I/O)')
  })

  test('each summary row ends with the line that blocked', () => {
    const summary = summaryOf(run.output)
    expect(summary).toMatch(/^ Event-loop blocking {3}43 of 43 tests over budget \(15 ms\)\n/)
    for (const t of run.report.tests as { file: string; fullName: string; blocks: Block[] }[]) {
      const frame = longest(t.blocks)!.frame
      if (!frame) continue
      // A long title is cut in the middle: its row holds both ends.
      const title = `${t.file} > ${t.fullName}`
      const row = summary.split('\n').find((line) => line.includes(title.slice(0, 30)) && line.includes(title.slice(-40)))
      expect(row, title).toBeDefined()
      // The location, then why the row is listed.
      expect(row, title).toMatch(new RegExp(` {2}${frame.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${frame.line} +over \\d+ ms$`))
    }
  })
})

describe.each(jestRunners)('%s', (runner) => {
  describe('scope: only blocks in src/ count against the budget', () => {
    let run: FixtureRun
    const lines = markers(fixture('attribution-scope'))
    beforeAll(async () => {
      const cwd = prepareProject(runner, fixture('attribution-scope'))
      // A dependency that blocks in its own code (node_modules is no fixture's to keep in git).
      mkdirSync(join(cwd, 'node_modules', 'slow-schema'), { recursive: true })
      writeFileSync(join(cwd, 'node_modules', 'slow-schema', 'package.json'), JSON.stringify({ name: 'slow-schema', main: 'index.js' }))
      writeFileSync(
        join(cwd, 'node_modules', 'slow-schema', 'index.js'),
        // It computes for `ms` of CPU time (the process's: this thread is the one computing), however busy the machine.
        'exports.compileSchema = (schema, ms) => {\n  const start = process.cpuUsage()\n' +
          '  for (let x = 0, spent = 0; spent < ms * 1000; ) { for (let i = 0; i < 2e6; i++) x = (x + i) | 0; const used = process.cpuUsage(start); spent = used.user + used.system }\n' +
          '  return () => true\n}\n',
      )
      run = await runFixture(runner, fixture('attribution-scope'), { cwd, args: ['--runInBand'] })
    })

    test('a test that blocks out of scope passes, its blocks listed and marked', () => {
      expect(run.exitCode, run.output).toBe(1)
      expect(run.output).toMatch(/Tests: +3 failed, 3 passed, 6 total/)
      const legacy = lines.get('legacy')!
      expect(reportTest(run.report, 'blocks in legacy code only')).toMatchObject({ status: 'passed', overBudget: false })
      // Only the ground-truth blocks: a busy machine may add short ones.
      const ofAtLeast = (name: string, ms: number) => (reportTest(run.report, name).blocks as Block[]).filter((b) => b.durationMs >= ms)
      expect(ofAtLeast('blocks in legacy code only', 100)).toEqual([
        expect.objectContaining({ frame: expect.objectContaining(legacy), inScope: false }),
      ])
      const spec = lines.get('spec')!
      expect(reportTest(run.report, 'blocks in the spec itself')).toMatchObject({ status: 'passed', overBudget: false })
      expect(ofAtLeast('blocks in the spec itself', 100)).toEqual([expect.objectContaining({ frame: expect.objectContaining(spec), inScope: false })])
      expect(summaryOf(run.output)).toMatch(/\n +\d+\.\d ms {2}test\/scope\.test\.js > blocks in legacy code only +legacy\/report\.js:\d+ \(out of scope\) +under 50 ms\n/)
    })

    test('a test that blocks in scope over budget fails, judged and named by its block in scope', () => {
      const app = lines.get('app')!
      expect(reportTest(run.report, 'blocks in src')).toMatchObject({ status: 'failed', overBudget: true })
      const both = reportTest(run.report, 'blocks longer in legacy code than in src')
      expect(both).toMatchObject({ status: 'failed', overBudget: true })
      const blocks = (both.blocks as Block[]).filter((b) => b.durationMs >= 80)
      expect(blocks).toEqual([
        expect.objectContaining({ frame: expect.objectContaining(lines.get('legacy')), inScope: false }),
        expect.objectContaining({ frame: expect.objectContaining(app), inScope: true }),
      ])
      const inScope = blocks[1]!.durationMs
      const failure = failureOf(run.output, 'blocks longer in legacy code than in src')
      // The message gives the longest block in scope, not the longer one in legacy/.
      expect(failure).toContain(`blocked the event loop for ${inScope.toFixed(1)} ms (budget 50 ms), `)
      expect(failure).toMatch(new RegExp(`longest block in .*\\(src/app\\.js:${app.line}:\\d+\\): Atomics\\.wait\\n`))
      expect(reportTest(run.report, 'blocks in src under budget')).toMatchObject({ status: 'passed', overBudget: false })
    })

    test('time spent in a dependency is charged to the project line that called it, and names the dependency', () => {
      const schema = lines.get('schema')!
      const test = reportTest(run.report, 'blocks in a dependency called from src')
      expect(test).toMatchObject({ status: 'failed', overBudget: true })
      const block = longest(test.blocks as Block[])!
      expect(block).toMatchObject({ frame: expect.objectContaining(schema), activity: 'in slow-schema/index.js', inScope: true })
      expect(block.frames![0]).toMatchObject({ file: 'slow-schema/index.js', line: 3 })
      expect(block.frames![1]).toEqual(block.frame)
      expect(failureOf(run.output, 'blocks in a dependency called from src')).toMatch(
        new RegExp(`\\n +longest block in .*\\(src/schema\\.js:${schema.line}:\\d+\\), in slow-schema/index\\.js\\n`),
      )
    })
  })

  // Jest 30 in worker threads (its `workerThreads` option), Jest 29 in child processes.
  const workers = runner === 'jest30' ? ['--maxWorkers=2', '--workerThreads'] : ['--maxWorkers=2']
  describe(`profileDir: a .cpuprofile per test over budget (${workers.join(' ')})`, () => {
    let run: FixtureRun
    beforeAll(async () => {
      run = await runFixture(runner, fixture('attribution-profiles'), { args: workers })
    })

    test('one file per test over budget, named after the test, none for the test within budget', () => {
      expect(run.exitCode, run.output).toBe(1)
      expect(run.output).toMatch(/Tests: +3 failed, 1 passed, 4 total/)
      expect(readdirSync(join(run.cwd, 'profiles')).sort()).toEqual([
        'test-profile.test.js-hashes-twice-slow-slower.cpuprofile',
        'test-profile.test.js-parses-the-huge-payload.cpuprofile',
        'test-second.test.js-blocks-in-a-second-file.cpuprofile',
      ])
    })

    test('each opens as a DevTools CPU profile of the test’s blocking windows, pointing at the spec', () => {
      for (const name of readdirSync(join(run.cwd, 'profiles'))) {
        const profile = JSON.parse(readFileSync(join(run.cwd, 'profiles', name), 'utf8'))
        expect(Array.isArray(profile.nodes), name).toBe(true)
        expect(profile.samples.length, name).toBeGreaterThan(0)
        expect(profile.timeDeltas).toHaveLength(profile.samples.length)
        expect(profile.endTime).toBeGreaterThan(profile.startTime)
        const ids = new Set(profile.nodes.map((n: { id: number }) => n.id))
        for (const sample of profile.samples) expect(ids.has(sample)).toBe(true)
        const urls = profile.nodes.map((n: { callFrame: { url: string } }) => n.callFrame.url)
        const spec = name.startsWith('test-second') ? '/test/second.test.js' : '/test/profile.test.js'
        expect(urls.some((url: string) => url.startsWith('file://') && url.endsWith(spec)), name).toBe(true)
      }
    })
  })
})
