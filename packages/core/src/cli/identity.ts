// How one test is recognised across reports (shards, retries, a baseline from another commit): by its file and
// full name, and by which occurrence of that pair it is, since two tests in one file may share a name.
import type { ReportTest } from '../report/schema.js'

export function testKeys(tests: readonly ReportTest[]): string[] {
  const seen = new Map<string, number>()
  return tests.map((test) => {
    const name = `${test.file}\u0000${test.fullName}`
    const occurrence = seen.get(name) ?? 0
    seen.set(name, occurrence + 1)
    return `${name}\u0000${occurrence}`
  })
}

/** How a test is named to a person: the same words as the summary table. */
export function testTitle(test: Pick<ReportTest, 'file' | 'fullName'>): string {
  return `${test.file} > ${test.fullName}`
}
