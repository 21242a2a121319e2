// The parts of jest-circus's test events and state this package reads, as Jest 29 and 30 both shape them.
// Declared here rather than imported from @jest/types so the published typings stand alone.

export interface JestDescribeBlock {
  type: 'describeBlock'
  name: string
  parent?: JestDescribeBlock
  children: Array<JestDescribeBlock | JestTestEntry>
}

export interface JestHook {
  type: 'beforeAll' | 'beforeEach' | 'afterAll' | 'afterEach'
  fn?: unknown
}

export interface JestTestEntry {
  type: 'test'
  name: string
  parent: JestDescribeBlock
  concurrent: boolean
  fn: ((this: unknown, ...args: unknown[]) => unknown) | undefined
  /** Captured where the test was declared; its stack points at the `test(...)` call in the spec. */
  asyncError: unknown
  errors: unknown[]
  /** `test.failing`: Jest passes it when it throws. */
  failing?: boolean
}

export interface JestState {
  currentDescribeBlock: JestDescribeBlock
  currentlyRunningTest?: JestTestEntry | null
}

/** The events this package acts on; every other event passes through. */
export type JestEvent =
  | { name: 'setup' }
  | { name: 'add_hook'; hookType: JestHook['type']; fn: unknown }
  | { name: 'add_test'; fn: unknown; concurrent: boolean }
  | { name: 'run_start' }
  | { name: 'hook_start'; hook: JestHook }
  | { name: 'hook_success' | 'hook_failure'; hook: JestHook; test?: JestTestEntry }
  | { name: 'test_fn_start'; test: JestTestEntry }
  | { name: 'test_done'; test: JestTestEntry }
  | { name: string }

/** The name Jest gives the implicit top-level describe block. */
export const ROOT_DESCRIBE_BLOCK = 'ROOT_DESCRIBE_BLOCK'
