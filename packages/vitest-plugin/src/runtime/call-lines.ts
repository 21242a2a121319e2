// Puts a caller's frame on the line of its call. For a frame below the innermost one, V8's profile gives only
// where the caller's function starts; core maps that start through the source map and looks for the call from
// there. With Vite's transform, the start of a callback written inline (`test('…', () => {`) often maps to an
// earlier token of its line, where core's look-up finds no call and leaves the frame on the line the callback
// starts on. This looks again, from the start of that line to the end of the block it opens, for the one call
// the frame made, and moves the frame there only when it finds it.
import { readFileSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import type { Frame, ReportBlock } from '@loopguard/core'

/** What the innermost project frame called, from its activity: `fs.readFileSync (sync I/O)` -> `fs`, `readFileSync`. */
const NODE_CALL = /^(fs|zlib|crypto|child_process)\.(\w+)\b/
/** Node.js runs some sync APIs under other names (zlib.gzipSync runs `syncBufferWrapper`): any `…Sync(` call then. */
const ANY_SYNC_CALL = String.raw`[A-Za-z_$][\w$]*Sync`

/** Reads the project's source files once per attribution pass. */
export class SourceTexts {
  private readonly texts = new Map<string, string[] | null>()

  constructor(private readonly root: string) {}

  lines(file: string): string[] | undefined {
    if (isAbsolute(file) || file.includes('node_modules/')) return undefined
    let lines = this.texts.get(file)
    if (lines === undefined) {
      try {
        lines = readFileSync(resolve(this.root, file), 'utf8').split('\n')
      } catch {
        lines = null
      }
      this.texts.set(file, lines)
    }
    return lines ?? undefined
  }
}

/** The block with each caller frame moved to the line of its call, where the call is found for certain. */
export function placeCalls<B extends ReportBlock>(block: B, texts: SourceTexts): B {
  const frames = block.frames
  if (!block.frame || !frames || frames.length === 0) return block
  const top = frames.findIndex((f) => sameFrame(f, block.frame!))
  if (top < 0) return block
  let activity = block.activity
  const placed = frames.map((frame, i) => {
    if (i < top) return frame
    if (i > top) return placeCall(frame, frames[i - 1]?.function, texts)?.frame ?? frame
    if (activity?.startsWith('in ')) return placeCall(frame, frames[i - 1]?.function, texts)?.frame ?? frame
    const node = activity ? NODE_CALL.exec(activity) : null
    if (!node) return frame
    const [, module, name] = node as unknown as [string, string, string]
    const found = placeCall(frame, name, texts) ?? (name.endsWith('Sync') ? undefined : placeCall(frame, ANY_SYNC_CALL, texts))
    if (!found) return frame
    // The API the line calls, when Node.js ran it under another name.
    if (found.name !== name) activity = `${module}.${found.name} (${module === 'fs' || module === 'child_process' ? 'sync I/O' : 'sync'})`
    return found.frame
  })
  const result: B = { ...block, frame: placed[top], frames: placed }
  if (activity !== undefined) result.activity = activity
  return result
}

/**
 * The frame on the line that calls `callee` (a name, or a pattern of names): the frame itself when its line
 * makes the call, another line of the block its line opens, or undefined when no such call is found.
 */
function placeCall(frame: Frame, callee: string | undefined, texts: SourceTexts): { frame: Frame; name: string } | undefined {
  const name = callee?.split('.').pop() ?? ''
  if (name === '') return undefined
  const pattern = name === ANY_SYNC_CALL ? name : /^[A-Za-z_$][\w$]*$/.test(name) ? name.replace(/\$/g, '\\$') : undefined
  if (!pattern) return undefined
  const lines = texts.lines(frame.file)
  const line = lines?.[frame.line - 1]
  if (!lines || line === undefined) return undefined
  const call = new RegExp(String.raw`(?<![\w$])(${pattern})\s*(?:\(|\x60)`)
  const own = call.exec(codeOnly(line))
  if (own) return { frame, name: own[1]! }
  const found = findCall(lines, frame.line - 1, call)
  return found ? { frame: { ...frame, line: found.line + 1, column: found.column + 1 }, name: found.name } : undefined
}

/**
 * The first call matching `call` after the line `from`, within the block the line opens: the scan starts at the
 * line's first character and ends where the brackets opened on it close again (after a `{` was opened), so that
 * it never reaches the next function.
 */
function findCall(lines: readonly string[], from: number, call: RegExp): { line: number; column: number; name: string } | undefined {
  let depth = 0
  let openedBlock = false
  let inBlockComment = false
  let template = 0
  for (let l = from; l < lines.length && l < from + 400; l++) {
    const text = lines[l]!
    if (l > from) {
      // Only code outside strings and comments can call: blank those out before matching.
      const code = codeOnly(text)
      const match = call.exec(code)
      if (match && depth > 0) return { line: l, column: match.index, name: match[1]! }
    }
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!
      if (inBlockComment) {
        if (c === '*' && text[i + 1] === '/') {
          inBlockComment = false
          i++
        }
        continue
      }
      if (template > 0) {
        if (c === '\\') i++
        else if (c === '`') template--
        continue
      }
      if (c === '/' && text[i + 1] === '/') break
      if (c === '/' && text[i + 1] === '*') {
        inBlockComment = true
        i++
        continue
      }
      if (c === '"' || c === "'") {
        for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++
        continue
      }
      if (c === '`') {
        template++
        continue
      }
      if (c === '(' || c === '[' || c === '{') {
        depth++
        if (c === '{') openedBlock = true
      } else if (c === ')' || c === ']' || c === '}') {
        depth--
        if (depth <= 0 && openedBlock) return undefined
        if (depth < 0) return undefined
      }
    }
  }
  return undefined
}

/** The line with string, template and comment text blanked out, columns kept. */
function codeOnly(text: string): string {
  return text
    .replace(/\/\/.*$/, (m) => ' '.repeat(m.length))
    .replace(/(["'`])(?:\\.|(?!\1).)*\1/g, (m) => ' '.repeat(m.length))
}

function sameFrame(a: Frame, b: Frame): boolean {
  return a.file === b.file && a.line === b.line && a.column === b.column
}
