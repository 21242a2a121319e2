import { relative, sep } from 'node:path'
import type { TestIdentity } from '@loopguard/core'

/** The parts of a Vitest task loopguard reads; the same on Vitest 4 and 5. */
export interface TaskLike {
  id: string
  name: string
  type: string
  concurrent?: boolean
  meta: object
  filepath?: string
  file?: TaskLike
  suite?: TaskLike
  /** Where the test is declared, when Vitest's includeTaskLocation is on. */
  location?: { line: number; column: number }
}

export function projectPath(root: string, file: string): string {
  return relative(root, file).split(sep).join('/')
}

/** The last test file's project path: the tests of a file follow one another, and each needs it. */
let lastFile: { root: string; filepath: string; path: string } | undefined

function projectFile(root: string, filepath: string): string {
  if (lastFile?.root !== root || lastFile.filepath !== filepath) lastFile = { root, filepath, path: projectPath(root, filepath) }
  return lastFile.path
}

/** A test as the tracker and the report name it: project-relative file, suites joined by " > ". */
export function identify(task: TaskLike, root: string): TestIdentity {
  const names: string[] = [task.name]
  for (let suite = task.suite; suite && suite.filepath === undefined && suite !== task.file; suite = suite.suite) {
    names.unshift(suite.name)
  }
  return {
    id: task.id,
    file: projectFile(root, task.file?.filepath ?? ''),
    name: task.name,
    fullName: names.join(' > '),
    concurrent: task.concurrent === true,
  }
}
