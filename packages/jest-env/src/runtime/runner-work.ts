// Jest's own work inside a test's time, marked as the runner's so that no block charges it to the test: the stack
// formatter Jest installs maps every frame of an error's stack through the test's source maps the first time the
// stack is read (every `toThrow` reads it), tens to hundreds of ms for a file's first error.
//
// Jest 29 installs its formatter (source-map-support) as `Error.prepareStackTrace` in the test realm and in its own;
// Jest 30 in its own only, which Node calls for an error of any realm that has none. The formatter is wrapped
// where Jest put it, before the file's code runs: the wrapper calls it with the same arguments and returns what it
// returns, and keeps its name. A formatter the tests set themselves replaces the wrapper and is theirs.
import { asRunnerWork } from '@loopguard/core'

type Formatter = (error: Error, frames: unknown[]) => unknown
interface ErrorConstructorLike {
  prepareStackTrace?: unknown
}

/** Each wrapper and the formatter it wraps. */
const wrapped = new WeakMap<Function, Formatter>()

/** Wraps the formatters Jest installed in the test realm and in its own; returns what undoes it. */
export function markStackFormatting(testGlobal: object): () => void {
  const realms = [Error as ErrorConstructorLike, (testGlobal as { Error?: ErrorConstructorLike }).Error]
  const undo: (() => void)[] = []
  for (const ErrorClass of new Set(realms)) {
    if (!ErrorClass) continue
    const formatter = ErrorClass.prepareStackTrace
    if (typeof formatter !== 'function' || wrapped.has(formatter)) continue
    const wrapper = asRunnerWork(formatter as Formatter)
    wrapped.set(wrapper, formatter as Formatter)
    ErrorClass.prepareStackTrace = wrapper
    // Jest's own realm outlives the file: the formatter goes back as it was, unless something replaced the wrapper.
    undo.push(() => {
      if (ErrorClass.prepareStackTrace === wrapper) ErrorClass.prepareStackTrace = formatter
    })
  }
  return () => undo.forEach((restore) => restore())
}
