// A server-like loop that blocks now and then; monitorBlocking reports each block as it ends.
import { monitorBlocking } from '@loopguard/core'
import { pbkdf2Sync } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'

const stop = monitorBlocking({
  thresholdMs: 20,
  onBlock: (block) => console.log(`blocked the event loop for ${block.durationMs.toFixed(1)} ms`),
})

await sleep(50)
pbkdf2Sync('password', 'salt', 200_000, 64, 'sha512') // a sync hash: blocks
await sleep(50)
JSON.parse(JSON.stringify(Array.from({ length: 300_000 }, (_, i) => ({ i, name: `item ${i}` })))) // a big JSON round trip
await sleep(50)
stop()
