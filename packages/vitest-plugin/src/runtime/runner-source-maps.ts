// The source maps of the code Vitest's module runner transformed, straight from its module graph. Vitest 5 runs
// that code without a `sourceMappingURL` comment, so V8 (and core's own lookup) cannot find the map; Vitest 4
// keeps the comment, and reading the map from the graph spares the debugger pass core would otherwise make.
import type { RetrieveSourceMap } from '@loopguard/core/attribution'

interface EvaluatedModulesLike {
  getModuleSourceMapById(id: string): { map?: object } | null | undefined
}

/** The worker state Vitest keeps on the global of the context that runs the tests (vm pools included). */
function evaluatedModules(): EvaluatedModulesLike | undefined {
  const worker = (globalThis as { __vitest_worker__?: { evaluatedModules?: Partial<EvaluatedModulesLike> } }).__vitest_worker__
  const modules = worker?.evaluatedModules
  return typeof modules?.getModuleSourceMapById === 'function' ? (modules as EvaluatedModulesLike) : undefined
}

/**
 * A `retrieveSourceMap` for core's attribution. The graph is looked up at each call: Vitest may give a worker a
 * new one for each test file. Returns undefined (core looks for itself) for code the runner did not transform.
 */
export const retrieveRunnerSourceMap: RetrieveSourceMap = (path) => {
  try {
    // `map` is the raw source map inside Vite's DecodedMap; its sources are relative to the module's file.
    return evaluatedModules()?.getModuleSourceMapById(path)?.map ?? undefined
  } catch {
    return undefined
  }
}
