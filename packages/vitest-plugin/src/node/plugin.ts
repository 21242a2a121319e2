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
    configureVitest({ vitest, project }) {
      const setupFiles = project.config.setupFiles
      // First, so that the blocking of the user's own setup files counts as the file's collect phase.
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
