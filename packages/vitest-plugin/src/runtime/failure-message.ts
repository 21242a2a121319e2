// The text of a test's failure over budget once attribution has named the line: core's head line, then where
// the longest block happened, as the "at ..." lines of a JavaScript stack, and a hint for a sync Node.js API.
import { formatBlockStack, type ReportBlock } from '@loopguard/core'

/**
 *     blocked the event loop for 182.4 ms (budget 50 ms), 2 blocks
 *       at parsePayload (src/parse.ts:42:10)          JSON.parse
 *       at handle (src/api.ts:17:3)
 *       at test/api.test.ts:12:5
 */
export function failureMessage(judged: string, blamed: ReportBlock | undefined): string {
  const where = blamed ? formatBlockStack(blamed) : []
  if (where.length === 0) return judged
  // Core's notes (shared by concurrent tests) qualify the frames: they come first.
  const [head, ...notes] = judged.split('\n')
  return [head, ...notes, ...where.map((line) => `  ${line}`)].join('\n')
}
