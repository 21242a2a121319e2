// The environment behaviour, as one mixin over Jest's own environment classes (node and jsdom): it measures from
// the outer realm, so fake timers installed in the test realm never reach the detector.
import { createToBlockLoop, describeValue, resolveOptions, type ResolvedOptions } from '@loopguard/core'
import { openChannel, type Channel } from './channel.js'
import { FileRecorder } from './file-recorder.js'
import { projectDir } from './project-dir.js'
import { markStackFormatting } from './runner-work.js'
import type { JestEvent, JestState } from './jest-circus.js'
import { RESULTS_DIR_VARIABLE, resultsFile, writeResults } from '../shared/sidecar.js'

/** The constructor arguments of a Jest environment, as far as loopguard reads them (Jest 29 and 30 alike). */
export interface EnvironmentConfig {
  projectConfig: { id: string; rootDir: string; testEnvironmentOptions: Record<string, unknown> }
  globalConfig: object
}

export interface EnvironmentContext {
  testPath: string
  docblockPragmas: Record<string, string | string[]>
}

export interface EnvironmentInstance {
  global: object
  setup(): Promise<void>
  teardown(): Promise<void>
}

// A mixin's base constructor must accept any arguments (TypeScript's rule for mixins).
type EnvironmentClass = new (...args: any[]) => EnvironmentInstance

interface Measuring {
  recorder: FileRecorder
  /** Where the reporter wants this file's results, when a reporter runs. */
  resultsFile: string | undefined
  /** Puts back the stack formatters wrapped as Jest's work. */
  unmarkStackFormatting?: () => void
}

/** Each environment's recorder, kept outside the class so that the mixin adds no members but its own API. */
const measuring = new WeakMap<object, Measuring>()

/** Adds loopguard to a Jest environment class; `@loopguard/jest` and `@loopguard/jest/jsdom` are this over Jest's. */
export function withLoopguard<Base extends EnvironmentClass>(Base: Base) {
  class LoopguardEnvironment extends Base {
    /** This file's options: the config's `testEnvironmentOptions.loopguard`, or a docblock's. */
    readonly loopguard: ResolvedOptions

    constructor(...args: any[]) {
      const [config, context] = args as [EnvironmentConfig, EnvironmentContext]
      const { loopguard: input, ...baseOptions } = config.projectConfig.testEnvironmentOptions
      // Checked before the base class builds a realm that a bad option would leave behind.
      const options = resolveOptions(input, `@loopguard/jest (testEnvironmentOptions.loopguard${docblockNote(context)})`)
      // Jest copies every testEnvironmentOptions key onto the test realm's global (node) or into JSDOM's options
      // (jsdom): the base class gets the options without loopguard's.
      super({ ...config, projectConfig: { ...config.projectConfig, testEnvironmentOptions: baseOptions } }, context, ...args.slice(2))
      this.loopguard = options

      const resultsDir = process.env[RESULTS_DIR_VARIABLE]
      // The variable is the reporter's, for this process: the spec's copy of process.env should not show it.
      const specEnv = (this.global as { process?: { env?: Record<string, string> } }).process?.env
      if (specEnv && RESULTS_DIR_VARIABLE in specEnv) delete specEnv[RESULTS_DIR_VARIABLE]

      let recorder: FileRecorder | undefined
      if (options.mode !== 'off') {
        recorder = new FileRecorder(options, projectDir(config.projectConfig.rootDir), context.testPath)
        const file = resultsDir ? resultsFile(resultsDir, config.projectConfig.id, context.testPath) : undefined
        measuring.set(this, { recorder, resultsFile: file })
      }
      openChannel(this.global, createChannel(recorder, options))
    }

    handleTestEvent(event: JestEvent, state: JestState): unknown {
      const waiting = measuring.get(this)?.recorder.handleTestEvent(event, state)
      // A project's own environment may listen to the events too.
      const own = (Base.prototype as { handleTestEvent?: (event: JestEvent, state: JestState) => unknown }).handleTestEvent
      if (!waiting) return own?.call(this, event, state)
      return waiting.then(() => own?.call(this, event, state))
    }

    override async setup(): Promise<void> {
      await super.setup()
      // Jest has installed its stack formatter by now, and no code of the file has run.
      const state = measuring.get(this)
      if (state) state.unmarkStackFormatting = markStackFormatting(this.global)
    }

    override async teardown(): Promise<void> {
      const state = measuring.get(this)
      if (state) {
        state.unmarkStackFormatting?.()
        const { tests, outside, failedForBlocking } = state.recorder.finish()
        if (state.resultsFile) writeResults(state.resultsFile, { file: state.recorder.file, tests, outside, failedForBlocking })
        measuring.delete(this)
      }
      await super.teardown()
    }
  }
  return LoopguardEnvironment
}

/** What the test realm may ask of the environment: see channel.ts. */
function createChannel(recorder: FileRecorder | undefined, options: ResolvedOptions): Channel {
  const budget = () => (recorder ? recorder.budget(recorder.currentTest()) : options.budgetMs)
  return {
    allowBlocking(ms: number): void {
      if (typeof ms !== 'number' || Number.isNaN(ms) || ms < 0) {
        throw new TypeError(
          `allowBlocking(ms): ms must be a number of milliseconds, 0 or more, or Infinity to exempt the test; received ${describeValue(ms)}.`,
        )
      }
      if (!recorder) return // mode 'off': nothing is judged
      const test = recorder.currentTest()
      if (!test) throw outsideTest(recorder.phase)
      recorder.allowBlocking(test, ms)
    },
    budget,
    toBlockLoop: createToBlockLoop(budget),
  }
}

function docblockNote(context: EnvironmentContext): string {
  return context.docblockPragmas?.['jest-environment-options'] ? ` or the file's @jest-environment-options` : ''
}

function outsideTest(phase: string | undefined): Error {
  const where = phase === 'collect' ? 'while the file was being collected' : phase === 'beforeAll' || phase === 'afterAll' ? `in ${phase}` : 'outside a test'
  return new Error(
    `allowBlocking() must be called inside a test (its body or a beforeEach/afterEach hook); it was called ${where}.`,
  )
}

