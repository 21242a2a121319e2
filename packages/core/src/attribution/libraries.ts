// The two libraries attribution reads with, loaded on first use: a worker that runs the profiler but never
// attributes a block (every test within budget, attribution 'auto') never loads them, which spares it ~15-25 ms
// of CPU in a fresh worker (loading picomatch and @jridgewell/trace-mapping, measured on the development machine).
import { createRequire } from 'node:module'
import type Picomatch from 'picomatch'
import type * as TraceMapping from '@jridgewell/trace-mapping'

// import.meta.url is empty in the CommonJS build, where __filename is defined.
const load = createRequire(import.meta.url ?? __filename)

let picomatch: typeof Picomatch | undefined
let traceMapping: typeof TraceMapping | undefined

export function picomatchLibrary(): typeof Picomatch {
  return (picomatch ??= load('picomatch') as typeof Picomatch)
}

export function traceMappingLibrary(): typeof TraceMapping {
  return (traceMapping ??= load('@jridgewell/trace-mapping') as typeof TraceMapping)
}
