import { fileURLToPath } from 'node:url'
import { resolveOptions, type LoopguardOptions } from '@loopguard/core'
import type { Plugin } from 'vitest/config'
import type { Vitest } from 'vitest/node'
import { WIRE_KEY, workerOptions } from '../shared/wire.js'
import { LoopguardReporter } from './reporter.js'

/** The setup file beside this module in the built package (ESM: Vitest imports setup files as modules). */
const setupFile = fileURLToPath(new URL('./setup.js', import.meta.url))

/**
 * The Vitest plugin: measures how each test blocks the event loop, fails tests over budget, adds `toBlockLoop`,
 * prints the offenders after the run and writes the JSON report. Options are checked here, when the config loads.
 */
export function loopguard(input?: LoopguardOptions): Plugin {
  const options = resolveOptions(input, 'loopguard()')
  // configureVitest runs once per project that has the plugin; the reporter is one per run.
  const reporters = new WeakMap<Vitest, LoopguardReporter>()
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
      if (!reporters.has(vitest)) {
        const reporter = new LoopguardReporter(options)
        reporters.set(vitest, reporter)
        vitest.config.reporters.push(reporter)
      }
    },
  }
}
