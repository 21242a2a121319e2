// The built package, for tests that run the monitor where Vitest's transform does not reach: a child
// process, a worker thread, a vm context.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const BUILT_ESM = fileURLToPath(new URL('../../dist/index.js', import.meta.url))
export const BUILT_CJS = fileURLToPath(new URL('../../dist/index.cjs', import.meta.url))

export function requireBuild(): void {
  if (!existsSync(BUILT_ESM) || !existsSync(BUILT_CJS)) {
    throw new Error(`${BUILT_ESM} is missing: run \`pnpm build\` at the repository root before these tests.`)
  }
}
