import { createMonitor } from './monitor.js'
import type { Block } from './stats.js'
import { checkFiniteMs, checkObject, optionError } from '../options/validate.js'

export interface MonitorBlockingOptions {
  /** Blocks shorter than this are not reported (default 100, asyncio's `slow_callback_duration`). */
  thresholdMs?: number
  /** Called once per finished block at or over the threshold. */
  onBlock: (block: Block) => void
}

/**
 * Leaves a detector on in a long-running process, calling `onBlock` after each block at or over the threshold.
 * Stores nothing, keeps the process alive never. Returns a function that stops it.
 */
export function monitorBlocking(options: MonitorBlockingOptions): () => void {
  const where = 'monitorBlocking'
  const checked = checkObject(where, options, ['thresholdMs', 'onBlock'])
  if (typeof checked.onBlock !== 'function') {
    throw optionError(where, 'onBlock', checked.onBlock, 'a function (it is required)')
  }
  const monitor = createMonitor({
    thresholdMs: checkFiniteMs(where, 'thresholdMs', checked.thresholdMs, 100),
    onBlock: checked.onBlock as (block: Block) => void,
  })
  monitor.start()
  return () => monitor.stop()
}
