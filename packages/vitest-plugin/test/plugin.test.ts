// The plugin's main-process side against stand-ins for Vitest's objects: options checked at config time, the
// setup file placed first once, one reporter per run, the options handed to the workers.
import { describe, expect, it } from 'vitest'
import { checkVitestVersion, loopguard } from '../src/node/plugin.js'
import { LoopguardReporter } from '../src/node/reporter.js'
import { resolvedFromWire, type WorkerOptions } from '../src/shared/wire.js'

type Hook = (...args: any[]) => void

function fakeProject() {
  const provided = new Map<string, unknown>()
  return { name: '', config: { setupFiles: [] as string[] }, provided, provide: (key: string, value: unknown) => provided.set(key, value) }
}

describe('loopguard()', () => {
  it('rejects a bad option when the config loads, naming it, the value and what is accepted', () => {
    expect(() => loopguard({ budgetMs: -5 })).toThrow(new TypeError('loopguard(): option "budgetMs" must be a number of milliseconds, 0 or more (Infinity allowed); received -5.'))
    expect(() => loopguard({ budgetMS: 5 } as never)).toThrow(/^loopguard\(\): unknown option "budgetMS"\. Accepted options: budgetMs, mode/)
  })

  it('refuses a Vitest before 3.2, naming the version it found and the one it needs', () => {
    for (const version of ['3.2.0', '3.2.4', '4.0.17', '4.1.0', '4.1.12', '5.0.0-beta.3', '5.1.2']) expect(() => checkVitestVersion(version)).not.toThrow()
    expect(() => checkVitestVersion('3.1.1')).toThrow(
      'loopguard(): @loopguard/vitest needs Vitest 3.2 or later; this project has Vitest 3.1.1. Upgrade Vitest, or take loopguard() out of the config.',
    )
    expect(() => checkVitestVersion('2.1.9')).toThrow(/this project has Vitest 2\.1\.9\./)
  })

  it('puts its setup file first in test.setupFiles, once', () => {
    const plugin = loopguard()
    const config: { test?: { setupFiles?: string | string[] } } = { test: { setupFiles: './mine.ts' } }
    ;(plugin.config as Hook)(config)
    ;(plugin.config as Hook)(config)
    const files = config.test!.setupFiles as string[]
    expect(files).toHaveLength(2)
    expect(files[0]).toMatch(/[\\/]setup\.js$/)
    expect(files[1]).toBe('./mine.ts')
  })

  it('adds one reporter per run, whatever the number of projects, and hands the options to each project', () => {
    const plugin = loopguard({ budgetMs: Infinity, budgets: { 'test/slow/**': 200 }, scope: ['src/**'], profileDir: 'profiles' })
    const vitest = { config: { root: '/project', reporters: [] as unknown[] } }
    const projects = [fakeProject(), fakeProject()]
    for (const project of projects) (plugin.configureVitest as Hook)({ vitest, project })
    expect(vitest.config.reporters).toHaveLength(1)
    expect(vitest.config.reporters[0]).toBeInstanceOf(LoopguardReporter)
    for (const project of projects) {
      const wire = project.provided.get('loopguard') as WorkerOptions
      // Infinity travels as null, which every serialisation keeps.
      // profileDir is resolved against Vitest's root here, where the root is known.
      expect(wire).toEqual({
        root: '/project',
        budgetMs: null,
        mode: 'fail',
        budgets: { 'test/slow/**': 200 },
        thresholdMs: 10,
        scope: ['src/**'],
        attribution: 'auto',
        profileDir: '/project/profiles',
        countGc: false,
      })
      expect(resolvedFromWire(wire)).toMatchObject({ budgetMs: Infinity, budgets: { 'test/slow/**': 200 }, scope: ['src/**'], attribution: 'auto', profileDir: '/project/profiles' })
      expect(project.config.setupFiles).toHaveLength(1)
    }
  })

  it('adds one reporter per run whatever the number of loopguard() calls, each project keeping its own options', () => {
    const vitest = { config: { root: '/project', reporters: [] as unknown[] } }
    const strict = fakeProject()
    const lenient = fakeProject()
    ;(loopguard({ budgetMs: 50 }).configureVitest as Hook)({ vitest, project: strict })
    ;(loopguard({ budgetMs: 300 }).configureVitest as Hook)({ vitest, project: lenient })
    expect(vitest.config.reporters).toHaveLength(1)
    expect((strict.provided.get('loopguard') as WorkerOptions).budgetMs).toBe(50)
    expect((lenient.provided.get('loopguard') as WorkerOptions).budgetMs).toBe(300)
  })
})
