// A Vitest older than loopguard supports (4.0, installed past the peer range) is refused when the config loads,
// in one line naming both versions, and nothing runs or is written.
import { describe, expect, test } from 'vitest'
import { runFixture } from '../support/run-fixture.js'
import { selectedRunners } from '../support/runners.js'
import { fixture } from './support.js'

describe.runIf(selectedRunners().includes('vitest40'))('Vitest 4.0', () => {
  test('refuses to start, saying which Vitest it found and which it needs, and writes no report', async () => {
    const run = await runFixture('vitest40', fixture('shard'), { env: { RUN_NAME: 'old' } })
    expect(run.exitCode).not.toBe(0)
    expect(run.output).toMatch(
      /loopguard\(\): @loopguard\/vitest needs Vitest 4\.1 or later \(for its aroundAll and aroundEach hooks\); this project has Vitest 4\.0\.\d+\. Upgrade Vitest, or take loopguard\(\) out of the config\./,
    )
    expect(run.output).not.toContain('aroundAll is not a function')
    expect(run.report).toBeUndefined()
  })
})
