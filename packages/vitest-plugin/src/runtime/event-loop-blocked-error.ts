// The failure of a test over budget, as Vitest shows it: the message, then the code of the line that blocked.
import { isAbsolute, resolve } from 'node:path'
import type { ReportBlock } from '@loopguard/core'
import type { TaskLike } from './identity.js'

/** The failure of a test over budget, thrown where Vitest expects a test's own errors. */
export class EventLoopBlockedError extends Error {
  override name = 'EventLoopBlockedError'
  constructor(message: string, test: TaskLike, blamed: ReportBlock | undefined, root: string) {
    super(message)
    // Its own stack would point into loopguard. Vitest shows the code of the first frame of the stack: the line
    // that blocked when attribution named it, then the test's declaration when Vitest knows it
    // (includeTaskLocation), as it does for a timeout. The message's own "at" lines stay out of the stack, where
    // Vitest would read them as frames too.
    const frames = stackFrames(blamed, root)
    if (test.location && test.file?.filepath) frames.push(`    at ${test.file.filepath}:${test.location.line}:${test.location.column}`)
    this.stack = [`${this.name}: ${message.split('\n')[0]}`, ...frames].join('\n')
  }
}

/** The blamed block's project frames, from the one that blocked outwards, as stack lines with absolute paths. */
function stackFrames(blamed: ReportBlock | undefined, root: string): string[] {
  const frames = blamed?.frames ?? (blamed?.frame ? [blamed.frame] : [])
  const top = blamed?.frame ? frames.findIndex((f) => f.file === blamed.frame!.file && f.line === blamed.frame!.line) : -1
  if (top < 0) return []
  return frames
    .slice(top)
    .filter((f) => !isAbsolute(f.file) && !f.file.includes('node_modules/'))
    .map((f) => {
      const place = `${resolve(root, f.file)}:${f.line}:${f.column}`
      return `    at ${f.function ? `${f.function} (${place})` : place}`
    })
}
