// `setupFilesAfterEnv: ['@loopguard/jest/setup']`: adds `toBlockLoop` to the test realm's `expect`. The matcher
// itself lives in the environment, which measures with the detector of the outer realm.
import { findChannel } from './channel.js'
import { SETUP_WITHOUT_ENVIRONMENT } from '../shared/messages.js'

interface JestExpect {
  extend(matchers: Record<string, unknown>): void
}

const channel = findChannel(globalThis)
if (!channel) throw new Error(`@loopguard/jest/setup: ${SETUP_WITHOUT_ENVIRONMENT}.`)

// The global `expect`, or, with `injectGlobals: false`, the one Jest hands out as @jest/globals.
const expect = (globalThis as { expect?: JestExpect }).expect ?? (require('@jest/globals') as { expect: JestExpect }).expect
expect.extend({ toBlockLoop: channel.toBlockLoop })
