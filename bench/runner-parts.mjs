// What a runner integration costs, split into its parts: once per run, once per test file, once per test. Three
// shapes of a suite of trivial tests are run without loopguard and with it (attribution 'off'), round after round:
// one file of one test, FILES files of one test, FILES files of TESTS tests. The CPU time loopguard adds to each
// shape (the median of the rounds' differences) gives the three parts:
//   per file = (added to FILES files - added to one file) / (FILES - 1)
//   per run  = added to one file - per file
//   per test = (added to FILES x TESTS - added to FILES x 1) / (FILES x (TESTS - 1))
// The tests do next to nothing, so what is added is the integration's own work, not a share of the tests'.
import { rmSync } from 'node:fs'
import { median } from './core/stats.mjs'

export const FILES = 10
export const TESTS = 201
export const SHAPES = [
  { name: 'one', files: 1, tests: 1 },
  { name: 'files', files: FILES, tests: 1 },
  { name: 'tests', files: FILES, tests: TESTS },
]
export const ROUNDS = Number(process.env.LOOPGUARD_PARTS_ROUNDS ?? 10)

/** A trivial test file's tests, `tests` of them, for `test` and `expect` given as globals or imported. */
export function trivialTests(tests) {
  return Array.from({ length: tests }, (_, t) => `test('case ${t}', () => {\n  expect(${t} + 1).toBe(${t + 1})\n})`).join('\n\n')
}

/**
 * A service's test file's tests, `tests` of them: each builds a JSON body and awaits a `handle(body, i)` the file
 * defines 20 times, as unit tests of a service do.
 */
export function serviceTests(tests) {
  return Array.from(
    { length: tests },
    (_, t) => `test('request ${t}', async () => {
  const body = JSON.stringify({ id: ${t}, items: Array.from({ length: 200 }, (_, i) => ({ i, name: 'item ' + i })) })
  let total = 0
  for (let i = 0; i < 20; i++) total += await handle(body, i)
  expect(total).toBeGreaterThan(0)
})`,
  ).join('\n\n')
}

/**
 * Writes each shape's suite with `writeShape(shape)` (returning its folder), runs `runOnce(folder, shape, variant)`
 * (returning `{ cpuMs }`) for each shape and the variants 'none' and 'off', `ROUNDS` times after a warm-up, removes
 * the folders, and returns the parts in ms, with each shape's added CPU time per round.
 */
export function measureParts({ writeShape, runOnce }, log = () => {}) {
  const folders = new Map()
  try {
    for (const shape of SHAPES) folders.set(shape, writeShape(shape))
    const run = (shape, variant) => runOnce(folders.get(shape), shape, variant)
    for (const shape of SHAPES) for (const variant of ['none', 'off']) run(shape, variant)
    const added = new Map(SHAPES.map((s) => [s.name, []]))
    for (let round = 0; round < ROUNDS; round++) {
      for (const shape of SHAPES) {
        // Alternate which variant runs first, so that drift on a shared machine favours neither.
        const order = round % 2 ? ['off', 'none'] : ['none', 'off']
        const cpu = Object.fromEntries(order.map((variant) => [variant, run(shape, variant).cpuMs]))
        added.get(shape.name).push(cpu.off - cpu.none)
      }
      log(`  parts, round ${round + 1} of ${ROUNDS}: ${SHAPES.map((s) => `${s.name} +${added.get(s.name).at(-1)} ms`).join(', ')}`)
    }
    return parts(added)
  } finally {
    for (const folder of folders.values()) rmSync(folder, { recursive: true, force: true })
  }
}

function parts(added) {
  const m = (name) => median(added.get(name))
  const perFileMs = (m('files') - m('one')) / (FILES - 1)
  return {
    perRunMs: m('one') - perFileMs,
    perFileMs,
    perTestUs: ((m('tests') - m('files')) / (FILES * (TESTS - 1))) * 1000,
    added,
  }
}

/** The rows of a parts measurement, for a section's table. */
export function partsRows({ perRunMs, perFileMs, perTestUs, added }, { fileLabel }) {
  const range = (name) => {
    const values = added.get(name)
    return `median ${median(values)} ms (rounds ${Math.min(...values)} to ${Math.max(...values)})`
  }
  return [
    {
      measure: `CPU added (attribution 'off'): 1 file of 1 test; ${FILES} files of 1 test; ${FILES} files of ${TESTS} tests`,
      value: SHAPES.map((s) => range(s.name)).join('; '),
    },
    { measure: "CPU per run (attribution 'off'): the runner's main process and what loads once", value: `${perRunMs.toFixed(1)} ms` },
    { measure: `CPU per ${fileLabel} (attribution 'off')`, value: `${perFileMs.toFixed(1)} ms` },
    { measure: "CPU per test (attribution 'off')", value: `${perTestUs.toFixed(0)} µs` },
  ]
}

export const PARTS_NOTE =
  `The parts come from three suites of trivial tests (one file of one test, ${FILES} files of one test, ${FILES} files ` +
  `of ${TESTS} tests), each run ${ROUNDS} times without loopguard and with it (attribution 'off'), in alternating ` +
  "order, after a warm-up run of each: per file = (CPU added to the second - CPU added to the first) / " +
  `${FILES - 1}, per run = CPU added to the first - per file, per test = (CPU added to the third - CPU added to the ` +
  `second) / ${FILES * (TESTS - 1)}, each added CPU time the median of the rounds' differences. CPU time is counted ` +
  'in 10 ms ticks and moves with the load of a shared machine: the rounds\' range says by how much, and a part smaller ' +
  'than that range divided by its divisor is within the noise.'
