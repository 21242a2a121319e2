// The two libraries core depends on, loaded on first use: the runners start a fresh worker per test file, and one
// that matches no budget glob and attributes no block (every test within budget) never loads them, which spares it
// ~15-25 ms of CPU (loading picomatch and @jridgewell/trace-mapping, measured on the development machine).
import { createRequire } from 'node:module'
import type Picomatch from 'picomatch'
import type * as TraceMapping from '@jridgewell/trace-mapping'

/** Node's `require` for a library; made on first use, as where this module is evaluated may have neither. */
function load(id: string): unknown {
  // import.meta.url is empty in the CommonJS build, where __filename is defined.
  return createRequire(import.meta.url ?? __filename)(id)
}

let picomatch: typeof Picomatch | undefined
let traceMapping: typeof TraceMapping | undefined

export function picomatchLibrary(): typeof Picomatch {
  return (picomatch ??= load('picomatch') as typeof Picomatch)
}

export function traceMappingLibrary(): typeof TraceMapping {
  return (traceMapping ??= load('@jridgewell/trace-mapping') as typeof TraceMapping)
}
