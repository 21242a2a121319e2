import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { resolveOptions, type LoopguardOptions } from '@loopguard/core'
import type { Plugin } from 'vitest/config'
import type { Vitest } from 'vitest/node'
import { WIRE_KEY, workerOptions } from '../shared/wire.js'
import { LoopguardReporter } from './reporter.js'

/** This module's URL: import.meta.url is empty in the CommonJS build, where __filename is defined. */
const here = import.meta.url ?? pathToFileURL(__filename).href

/** The setup file beside this module in the built package (ESM: Vitest imports setup files as modules). */
const setupFile = fileURLToPath(new URL('./setup.js', here))

/**
 * One reporter per run, whatever the number of `loopguard()` calls (one per project's config, say): one summary and
 * one report. It takes the run-level options (mode, report file, rows) of the first project configured; each
 * project's tests are judged in its workers by that project's own options.
 */
const reporters = new WeakMap<Vitest, LoopguardReporter>()

/**
 * The Vitest plugin: measures how each test blocks the event loop, fails tests over budget, adds `toBlockLoop`,
 * prints the offenders after the run and writes the JSON report. Options are checked here, when the config loads.
 */
export function loopguard(input?: LoopguardOptions): Plugin {
  checkVitestVersion(installedVitest())
  const options = resolveOptions(input, 'loopguard()')
  return {
    name: 'loopguard',
    // The setup file goes in while the config is still the user's: Vitest then treats it as a setup file from the
    // start, and re-evaluates it for every test file even with isolate: false (it would not, coming from
    // node_modules, if it were only added to the resolved config). First, so that the blocking of the user's own
    // setup files counts as the file's collect phase.
    config(config) {
      const test = (config.test ??= {})
      const listed = test.setupFiles === undefined ? [] : Array.isArray(test.setupFiles) ? test.setupFiles : [test.setupFiles]
      if (!listed.includes(setupFile)) test.setupFiles = [setupFile, ...listed]
    },
    configureVitest({ vitest, project }) {
      const setupFiles = project.config.setupFiles
      if (!setupFiles.includes(setupFile)) setupFiles.unshift(setupFile)
      ;(project.provide as (key: string, value: unknown) => void)(WIRE_KEY, workerOptions(options, vitest.config.root))
      let reporter = reporters.get(vitest)
      if (!reporter) {
        reporter = new LoopguardReporter(options)
        reporters.set(vitest, reporter)
        vitest.config.reporters.push(reporter)
      }
      reporter.measures(project.name)
    },
  }
}

/** The Vitest this package resolves (its peer: the project's own). */
function installedVitest(): string {
  return (createRequire(here)('vitest/package.json') as { version: string }).version
}

/**
 * Refuses a Vitest older than 3.2 (no `configureVitest` before 3.1, and 3.1 is not tested): every file would fail, or
 * nothing be measured, with nothing that says why. Vitest 3.2 and 4.0 lack the around-hooks of 4.1 and are measured
 * with the setup file's own before- and after-hooks (see the runtime's worker).
 */
export function checkVitestVersion(version: string): void {
  const [major = 0, minor = 0] = version.split('.').map((part) => Number.parseInt(part, 10))
  if (major > 3 || (major === 3 && minor >= 2)) return
  throw new Error(
    `loopguard(): @loopguard/vitest needs Vitest 3.2 or later; this project has Vitest ${version}. Upgrade Vitest, or take loopguard() out of the config.`,
  )
}
