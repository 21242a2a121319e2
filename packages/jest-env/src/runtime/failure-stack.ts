// The error a test over budget fails with, laid out for Jest's failure printer. Jest splits an error's text at
// its first "at file:line:column" line: the lines above are the message, the rest is a stack, from whose first
// frame with an absolute path Jest shows the code (its code frame) and whose paths it makes relative to the
// rootDir. So the message says what blocked and how to avoid it, and the stack holds the frames of the longest
// block, absolute, in the original source: Jest then shows the very line that blocked, as it does for a throw.
import { isAbsolute, resolve } from 'node:path'
import type { Frame, ReportBlock } from '@loopguard/core'
import { asyncHint, formatFrameLocation } from '@loopguard/core/attribution'

/** Frames shown under the failure (the report keeps up to 8). */
const SHOWN_FRAMES = 3

export interface FailureText {
  message: string
  /** `undefined` when no frame is known: the caller keeps the test's declaration as the stack. */
  frames: string | undefined
}

/**
 * `verdict`: core's over-budget message. `longest`: the longest block that counts, attributed or not.
 */
export function failureText(verdict: string, longest: ReportBlock | undefined, rootDir: string): FailureText {
  const lines = [verdict]
  const frames = framesFrom(longest)
  const top = frames[0]
  if (top) {
    const activity = longest!.activity
    lines.push(`longest block in ${formatFrameLocation(top)}${activity ? `${activity.startsWith('in ') ? ',' : ':'} ${activity}` : ''}`)
  } else if (longest?.activity) {
    lines.push(`longest block ${longest.activity.startsWith('in ') ? '' : 'in '}${longest.activity}`)
  }
  const hint = asyncHint(longest?.activity)
  if (hint) lines.push(`hint: ${hint}`)
  const stack = frames.slice(0, SHOWN_FRAMES).map((frame) => `    at ${formatFrameLocation({ ...frame, file: absolute(frame.file, rootDir) })}`)
  return { message: lines.join('\n'), frames: stack.length > 0 ? `\n${stack.join('\n')}` : undefined }
}

/** The block's frames from its project frame on: a dependency's frame is named by the activity instead. */
function framesFrom(block: ReportBlock | undefined): Frame[] {
  const frame = block?.frame
  if (!frame) return []
  const frames = block.frames && block.frames.length > 0 ? block.frames : [frame]
  const at = frames.findIndex((f) => f.file === frame.file && f.line === frame.line && f.column === frame.column)
  return at < 0 ? [frame] : frames.slice(at)
}

function absolute(file: string, rootDir: string): string {
  return isAbsolute(file) ? file : resolve(rootDir, file)
}
