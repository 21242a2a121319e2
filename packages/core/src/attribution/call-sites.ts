// Reading source text around a profiled function: V8's profile gives line-level positions for the innermost
// frame only, and for every caller just the start of its function. The call a caller made is found again in
// its source by the callee's name. This is a small tokenizer (strings, templates, comments, regular
// expressions, brackets): enough to walk one function body, not a parser.

export interface CallSite {
  /** The called name (`readFileSync` in `fs.readFileSync(path)`). */
  name: string
  /** Offset of the name in the text: where V8 puts the position of a call. */
  offset: number
}

const KEYWORDS_BEFORE_PAREN = new Set([
  'if', 'for', 'while', 'switch', 'catch', 'function', 'return', 'typeof', 'await', 'yield', 'void', 'delete',
  'in', 'of', 'do', 'else', 'case', 'throw', 'instanceof', 'with', 'super', 'import',
])
// After these a `/` opens a regular expression rather than dividing.
const KEYWORDS_BEFORE_REGEX = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'instanceof', 'yield', 'await'])

const isIdentStart = (c: string) => /[A-Za-z_$]/.test(c)
const isIdentPart = (c: string) => /[A-Za-z0-9_$]/.test(c)
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r'

/** Offsets where each line starts (line n, 1-based, starts at `starts[n - 1]`). */
export function lineStarts(text: string): number[] {
  const starts = [0]
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
  return starts
}

export function offsetAt(starts: readonly number[], line: number, column0: number): number | undefined {
  const start = starts[line - 1]
  return start === undefined ? undefined : start + column0
}

/** 1-based line and column of an offset. */
export function positionAt(starts: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0
  let hi = starts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1
    if (starts[mid]! <= offset) lo = mid
    else hi = mid - 1
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 }
}

/**
 * The calls made in the body of the function that starts at `from` (V8's function position: the name of a
 * method, the `(` of a parameter list), in source order. Calls inside nested functions are included: they are
 * rarely where the caller's own time went, and their frames would be on the stack if they were.
 */
export function callsInFunction(text: string, from: number): CallSite[] {
  const calls: CallSite[] = []
  // Brackets still open, innermost last: '(' '[' '{', and '`' for a template literal's `${`.
  const open: string[] = []
  let bodyDepth = -1 // open.length once inside the body
  let expressionBody = false
  let lastSignificant = '' // the previous token, to tell a regex from a division
  let i = from
  const n = text.length

  const skipString = (quote: string) => {
    i++
    while (i < n && text[i] !== quote) {
      if (text[i] === '\\') i++
      else if (text[i] === '\n') break
      i++
    }
    i++
  }
  // Skips template text up to a `${` (then returns true) or the closing backtick.
  const skipTemplateText = (): boolean => {
    while (i < n) {
      const c = text[i]!
      if (c === '\\') i += 2
      else if (c === '`') {
        i++
        return false
      } else if (c === '$' && text[i + 1] === '{') {
        i += 2
        return true
      } else i++
    }
    return false
  }
  const skipRegex = () => {
    i++
    let inClass = false
    while (i < n) {
      const c = text[i]!
      if (c === '\\') i++
      else if (c === '[') inClass = true
      else if (c === ']') inClass = false
      else if (c === '/' && !inClass) break
      else if (c === '\n') break
      i++
    }
    i++
    while (i < n && isIdentPart(text[i]!)) i++
  }

  while (i < n) {
    const c = text[i]!
    if (isSpace(c)) {
      i++
      continue
    }
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i)
      i = end < 0 ? n : end
      continue
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2)
      i = end < 0 ? n : end + 2
      continue
    }
    if (c === '"' || c === "'") {
      skipString(c)
      lastSignificant = 'value'
      continue
    }
    if (c === '`') {
      i++
      if (skipTemplateText()) open.push('`')
      lastSignificant = 'value'
      continue
    }
    if (c === '/') {
      const regexAllowed = lastSignificant === '' || KEYWORDS_BEFORE_REGEX.has(lastSignificant) || /^[^\w$)\]]$/.test(lastSignificant)
      if (regexAllowed && lastSignificant !== 'value') {
        skipRegex()
        lastSignificant = 'value'
        continue
      }
    }
    if (isIdentStart(c)) {
      const start = i
      while (i < n && isIdentPart(text[i]!)) i++
      const name = text.slice(start, i)
      if (bodyDepth >= 0 && !KEYWORDS_BEFORE_PAREN.has(name) && lastSignificant !== 'function') {
        let j = i
        while (j < n && isSpace(text[j]!)) j++
        if (text[j] === '?' && text[j + 1] === '.') j += 2
        while (j < n && isSpace(text[j]!)) j++
        const isNew = lastSignificant === 'new'
        if (text[j] === '(' || text[j] === '`' || isNew) calls.push({ name, offset: start })
      }
      lastSignificant = name
      continue
    }
    if (c === '=' && text[i + 1] === '>' && bodyDepth < 0 && open.length === 0) {
      i += 2
      let j = i
      while (j < n && isSpace(text[j]!)) j++
      if (text[j] !== '{') {
        bodyDepth = 0
        expressionBody = true
      }
      lastSignificant = '=>'
      continue
    }
    if (c === '(' || c === '[' || c === '{') {
      open.push(c)
      if (c === '{' && bodyDepth < 0 && open.length === 1) bodyDepth = 1
      i++
      lastSignificant = c
      continue
    }
    if (c === ')' || c === ']' || c === '}') {
      if (open.length === 0) {
        // Before the body, a lone `)` closes the parameter list a mapped position can start inside (a source
        // map takes the generated `x => {` to the `x` of the original `(x: string) => {`).
        if (bodyDepth < 0 && c === ')') {
          i++
          lastSignificant = c
          continue
        }
        break // the end of an expression body, or of the enclosing code
      }
      const top = open.pop()
      i++
      if (top === '`') {
        if (skipTemplateText()) open.push('`')
        lastSignificant = 'value'
        continue
      }
      if (bodyDepth > 0 && open.length < bodyDepth) break
      lastSignificant = c
      continue
    }
    if (expressionBody && open.length === 0 && (c === ',' || c === ';')) break
    i++
    lastSignificant = c
  }
  return calls
}

/** Blocking built-ins that leave no frame of their own in a profile: their time is the caller line's. */
const BLOCKING_BUILTINS: ReadonlyArray<[RegExp, string]> = [
  [/\bJSON\s*\.\s*(parse)\s*\(/, 'JSON.parse'],
  [/\bJSON\s*\.\s*(stringify)\s*\(/, 'JSON.stringify'],
  [/\bAtomics\s*\.\s*(wait)\s*\(/, 'Atomics.wait'],
  [/\b(structuredClone)\s*\(/, 'structuredClone'],
]

/** A known blocking built-in called on this line: its name and the 0-based column of the called name. */
export function builtinOnLine(line: string): { activity: string; column0: number } | undefined {
  let best: { activity: string; column0: number } | undefined
  for (const [pattern, activity] of BLOCKING_BUILTINS) {
    const match = pattern.exec(line)
    if (!match) continue
    const column0 = match.index + match[0].lastIndexOf(match[1]!)
    if (!best || column0 < best.column0) best = { activity, column0 }
  }
  return best
}

/** 0-based column of the first character that is not a space. */
export function firstCodeColumn(line: string): number {
  const match = /\S/.exec(line)
  return match ? match.index : 0
}
