// Hand-made reports for the CLI's tests: each figure is chosen, so each verdict is known in advance.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { REPORT_SCHEMA, summarize, type Report, type ReportBlock, type ReportTest } from '../src/report/schema.js'

export function block(durationMs: number, startMs = 0, extra: Partial<ReportBlock> = {}): ReportBlock {
  return { startMs, durationMs, frame: { file: 'src/work.ts', line: 10, column: 3, function: 'work' }, ...extra }
}

/** A test; `longestMs`, `count` and `totalMs` follow from its blocks unless given. */
export function test(file: string, fullName: string, blocks: ReportBlock[] = [], extra: Partial<ReportTest> = {}): ReportTest {
  const budgetMs = extra.budgetMs === undefined ? 50 : extra.budgetMs
  const longestMs = extra.longestMs ?? Math.max(0, ...blocks.map((b) => b.durationMs))
  return {
    file,
    name: fullName.split(' > ').pop()!,
    fullName,
    status: 'passed',
    budgetMs,
    longestMs,
    totalMs: blocks.reduce((sum, b) => sum + b.durationMs, 0),
    count: blocks.length,
    overBudget: budgetMs !== null && longestMs > budgetMs,
    concurrent: false,
    blocks,
    ...extra,
  }
}

export function report(tests: ReportTest[], extra: Partial<Report> = {}): Report {
  return {
    schema: REPORT_SCHEMA,
    runner: 'vitest',
    createdAt: '2026-11-21T20:00:00.000Z',
    options: { budgetMs: 50, mode: 'fail', budgets: {}, thresholdMs: 10, top: 10 },
    tests,
    files: [],
    summary: summarize(tests),
    ...extra,
  }
}

/** A fresh folder for files the CLI reads and writes. */
export function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'loopguard-cli-'))
}

export function writeJson(dir: string, name: string, value: unknown): string {
  const file = join(dir, name)
  writeFileSync(file, typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`)
  return file
}
