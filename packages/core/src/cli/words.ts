// Small wording helpers shared by the text, GitHub and HTML output.
import { formatMs } from '../report/summary.js'

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

/** `+28.0 ms`, `-3.1 ms`. */
export function formatDeltaMs(ms: number): string {
  return `${ms >= 0 ? '+' : '-'}${formatMs(Math.abs(ms))}`
}
