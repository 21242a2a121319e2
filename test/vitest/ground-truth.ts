// Ground truth for attribution tests: the lines a fixture marks with `// blocks: <id>`, and how many blocks of a
// report name the line their test's name says.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { FixtureRun } from '../support/run-fixture.js'

export interface Frame {
  file: string
  line: number
  column: number
  function: string
}

export interface Block {
  durationMs: number
  frame: Frame | null
  frames?: Frame[]
  activity?: string
  inScope?: boolean
}

export interface Test {
  file: string
  fullName: string
  status: string
  overBudget: boolean
  blocks: Block[]
}

/** Where each `// blocks: <id>` marker of a fixture is: `<id>` -> `file:line`, file relative to the fixture. */
export function markers(dir: string): Map<string, string> {
  const found = new Map<string, string>()
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name)
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(path)
      else if (entry.name.endsWith('.ts')) {
        readFileSync(path, 'utf8')
          .split('\n')
          .forEach((text, i) => {
            const marker = /\/\/ blocks: (\S+)/.exec(text)
            if (marker) found.set(marker[1]!, `${relative(dir, path).split('\\').join('/')}:${i + 1}`)
          })
      }
    }
  }
  walk(dir)
  return found
}

/** The tests of a report with a ground-truth block (20 ms or more), each with the line it should name. */
export function groundTruth(report: { tests: Test[] }, lines: Map<string, string>): { test: Test; block: Block; expected: string }[] {
  return report.tests.flatMap((test) => {
    const id = /^\[(\S+)\]/.exec(test.fullName)?.[1]
    const block = [...test.blocks].sort((a, b) => b.durationMs - a.durationMs)[0]
    if (!id || !block || block.durationMs < 20) return []
    const expected = lines.get(id)
    if (!expected) throw new Error(`the fixture has no marker "// blocks: ${id}"`)
    return [{ test, block, expected }]
  })
}

export const place = (frame: Frame | null | undefined) => (frame ? `${frame.file}:${frame.line}` : 'none')
/** Code that is not the project's: a frame there is never "the line that blocked". */
export const notProject = /node_modules|@loopguard|loopguard\/|vitest|^node:|^\//

export function hitRate(run: FixtureRun, dir: string): { hits: number; total: number; misses: string[] } {
  const truth = groundTruth(run.report, markers(dir))
  const misses = truth.filter((t) => place(t.block.frame) !== t.expected).map((t) => `${t.test.fullName}: ${place(t.block.frame)} (${t.block.durationMs} ms), expected ${t.expected}`)
  return { hits: truth.length - misses.length, total: truth.length, misses }
}
