// The built `loopguard` executable (dist/cli.js, built by `pnpm build`) as a child process: exit codes and streams.
import { spawnSync } from 'node:child_process'
import { accessSync, constants, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test as it } from 'vitest'
import { block, report, scratch, test, writeJson } from './cli-fixtures.js'

const packageDir = fileURLToPath(new URL('..', import.meta.url))
const bin = join(packageDir, 'dist', 'cli.js')
const packageJson = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'))

function loopguard(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  })
  return { exitCode: result.status, stdout: result.stdout, stderr: result.stderr }
}

const dir = scratch()
const failing = writeJson(dir, 'failing.json', report([test('a.test.ts', 'slow', [block(80)]), test('a.test.ts', 'fine')]))
const passing = writeJson(dir, 'passing.json', report([test('a.test.ts', 'slow', [block(30)]), test('a.test.ts', 'fine')]))

describe('the loopguard bin', () => {
  it('is the package\'s bin: an executable ESM file with a node shebang', () => {
    expect(packageJson.bin).toEqual({ loopguard: './dist/cli.js' })
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true)
    expect(() => accessSync(bin, constants.X_OK)).not.toThrow()
    const direct = spawnSync(bin, ['--version'], { encoding: 'utf8' })
    expect(direct.status).toBe(0)
    expect(direct.stdout).toBe(`${packageJson.version}\n`)
  })

  it('exits 0 when the check passes, 1 when it fails, 2 on bad input', () => {
    const ok = loopguard(['check', passing])
    expect([ok.exitCode, ok.stderr]).toEqual([0, ''])
    expect(ok.stdout).toContain('0 of 2 tests over budget (50 ms)')

    const failed = loopguard(['check', failing])
    expect([failed.exitCode, failed.stderr]).toEqual([1, ''])
    expect(failed.stdout).toContain('1 of 2 tests over budget (50 ms)')

    const bad = loopguard(['check', join(dir, 'nope.json')])
    expect(bad).toEqual({ exitCode: 2, stdout: '', stderr: `loopguard check: ${join(dir, 'nope.json')}: no such file.\n` })
  })

  it('prints no colour codes when stdout is not a terminal', () => {
    expect(loopguard(['check', failing], { FORCE_COLOR: '1' }).stdout).not.toMatch(/\u001b\[/)
  })

  it('annotates for GitHub when GITHUB_ACTIONS=true', () => {
    const { exitCode, stdout } = loopguard(['check', failing], { GITHUB_ACTIONS: 'true' })
    expect(exitCode).toBe(1)
    expect(stdout).toMatch(/^::error file=src\/work\.ts,line=10,col=3,title=Event loop blocked 80\.0 ms \(budget 50 ms\)::a\.test\.ts > slow /m)
  })

  it('usage: --help exits 0 on stdout; no command exits 2 on stderr', () => {
    const help = loopguard(['--help'])
    expect(help.exitCode).toBe(0)
    expect(help.stdout).toMatch(/^Usage: loopguard <command> \[options\]/)
    expect(loopguard(['check', '--help']).stdout).toMatch(/^Usage: loopguard check <report\.json \.\.\.> \[options\]/)
    const none = loopguard([])
    expect([none.exitCode, none.stdout]).toEqual([2, ''])
    expect(none.stderr).toMatch(/^Usage: loopguard <command>/)
  })
})
