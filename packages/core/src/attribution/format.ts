// The "at ..." lines a failing test shows under its error, in the shape of a JavaScript stack trace so that
// editors and terminals link them.
import type { Frame, ReportBlock } from '../report/schema.js'
import { asyncHint } from './node-apis.js'

export interface StackLinesOptions {
  /** Frames shown at most (default 3); the report keeps up to 8. */
  maxFrames?: number
}

export function formatFrameLocation(frame: Frame): string {
  const place = `${frame.file}:${frame.line}:${frame.column}`
  return frame.function ? `${frame.function} (${place})` : place
}

/**
 * The lines that say where a block happened, innermost first, with what ran there on the top line and a hint
 * at the asynchronous alternative when one exists:
 *
 *     at parsePayload (src/parse.ts:42:10)          JSON.parse
 *     at handle (src/api.ts:17:3)
 *     at test/api.test.ts:12:5
 */
export function formatBlockStack(block: Pick<ReportBlock, 'frame' | 'frames' | 'activity' | 'inScope'>, options: StackLinesOptions = {}): string[] {
  const maxFrames = options.maxFrames ?? 3
  const frames = block.frames && block.frames.length > 0 ? block.frames : block.frame ? [block.frame] : []
  // Start at the project's frame: a dependency's frame is named by the activity instead.
  const from = block.frame ? Math.max(0, frames.findIndex((f) => sameFrame(f, block.frame!))) : 0
  const shown = block.frame ? frames.slice(from, from + maxFrames) : []
  const notes = [block.activity, block.inScope === false ? '(out of scope)' : undefined].filter(Boolean).join(' ')
  const lines = shown.map((frame) => `at ${formatFrameLocation(frame)}`)
  if (lines.length === 0) return notes ? [`in ${notes.replace(/^in /, '')}`] : []
  if (notes) {
    const width = Math.max(...lines.map((l) => l.length))
    lines[0] = `${lines[0]!.padEnd(width + 2)}${notes}`
  }
  const hint = asyncHint(block.activity)
  if (hint) lines.push(`hint: ${hint}`)
  return lines
}

function sameFrame(a: Frame, b: Frame): boolean {
  return a.file === b.file && a.line === b.line && a.column === b.column
}
