// Bad input to the installed `loopguard` bin (node_modules/.bin, from the packed package): exit code 2, one
// line per problem on stderr that names the file and what was wrong, nothing on stdout, nothing overwritten.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { node20, repoRoot } from '../support/paths.js'
import { RUNNERS, runnerDir, supportedRunners } from '../support/runners.js'

// The bin as a user runs it after `npm install`, with that runner's Node; the built one when no runner is installed.
const [runner] = supportedRunners()
const bin = runner ? join(runnerDir(runner), 'node_modules', '.bin', 'loopguard') : join(repoRoot, 'packages', 'core', 'dist', 'cli.js')
const node = runner ? RUNNERS[runner].node : node20

const cwd = mkdtempSync(join(tmpdir(), 'loopguard-bad-input-'))
const good = join(cwd, 'good.json')
cpSync(join(import.meta.dirname, 'fixtures', 'reports', 'sample-run.json'), good)
const text = readFileSync(good, 'utf8')
const write = (name: string, content: string) => (writeFileSync(join(cwd, name), content), name)

function loopguard(...args: string[]) {
  const result = spawnSync(node, [bin, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH } })
  return { exitCode: result.status, stdout: result.stdout, stderr: result.stderr }
}

describe(`bad input to ${runner ? `the loopguard bin installed beside ${runner}` : 'the built loopguard bin'}`, () => {
  const cases: [string, () => string[], string][] = [
    ['a missing file', () => ['check', 'shard-9.json'], 'loopguard check: shard-9.json: no such file.'],
    ['invalid JSON', () => ['check', write('invalid.json', "{ schema: 'loopguard-report@1' }")], 'loopguard check: invalid.json: not valid JSON ('],
    ['a truncated file', () => ['check', write('truncated.json', text.slice(0, 700))], 'loopguard check: truncated.json: the file is truncated (it ends before the JSON does).'],
    ['the wrong schema', () => ['check', write('v2.json', text.replace('loopguard-report@1', 'loopguard-report@2'))], 'loopguard check: v2.json: wrong schema: found "loopguard-report@2", expected "loopguard-report@1".'],
    ['an unknown option', () => ['check', 'good.json', '--treshold', '5'], 'loopguard check: unknown option --treshold. Accepted options: --budget <ms>,'],
    ['an unknown command', () => ['verify', 'good.json'], 'loopguard: unknown command "verify". Commands: check, merge, html;'],
    ['a bad option value', () => ['check', 'good.json', '--format', 'junit'], 'loopguard check: option --format must be one of text, json, github; received "junit".'],
    ['mixed runners', () => ['merge', 'good.json', write('jest.json', text.replace('"runner": "vitest"', '"runner": "jest"')), '-o', 'merged.json'], 'loopguard merge: cannot merge reports of different runners: good.json is from vitest, jest.json is from jest.'],
  ]

  test.each(cases)('%s: exit 2 and one line', (_name, args, start) => {
    const { exitCode, stdout, stderr } = loopguard(...args())
    expect({ exitCode, stdout }).toEqual({ exitCode: 2, stdout: '' })
    expect(stderr.trimEnd().split('\n')).toHaveLength(1)
    expect(stderr.startsWith(start), stderr).toBe(true)
  })

  test('a merge with a bad shard leaves the previous output as it was', () => {
    write('merged.json', 'the merge of yesterday\n')
    const { exitCode, stderr } = loopguard('merge', 'good.json', 'truncated.json', 'shard-9.json', '-o', 'merged.json')
    expect(exitCode).toBe(2)
    expect(stderr.trimEnd().split('\n')).toEqual([
      'loopguard merge: truncated.json: the file is truncated (it ends before the JSON does).',
      'loopguard merge: shard-9.json: no such file.',
    ])
    expect(readFileSync(join(cwd, 'merged.json'), 'utf8')).toBe('the merge of yesterday\n')
    // The same merge with good shards replaces it.
    expect(loopguard('merge', 'good.json', '-o', 'merged.json').exitCode).toBe(0)
    expect(JSON.parse(readFileSync(join(cwd, 'merged.json'), 'utf8')).tests).toHaveLength(14)
  })
})
