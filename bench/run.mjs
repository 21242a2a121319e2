// pnpm bench: runs every section in bench/sections (or those named on the command line), prints each one's
// Markdown and writes it into bench/RESULTS.md, leaving the sections it did not run as they were.
//
// A section is one module in bench/sections exporting `title` (its heading) and `run({ log })`, which returns
// Markdown, or `{ rows: [{ measure, value }], notes? }` for a two-column table. `log` writes progress to stderr.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, loadavg } from 'node:os'
import { basename } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

const here = fileURLToPath(new URL('.', import.meta.url))
const sectionsDir = `${here}sections`
const resultsFile = `${here}RESULTS.md`

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { help: { type: 'boolean', short: 'h' }, 'no-write': { type: 'boolean' } },
})
const available = readdirSync(sectionsDir)
  .filter((file) => file.endsWith('.mjs'))
  .map((file) => basename(file, '.mjs'))
  .sort()

if (values.help) {
  process.stdout.write(
    `Usage: pnpm bench [section ...] [--no-write]\nSections: ${available.join(', ')}\n` +
      'Runs the named sections (all by default) and writes their results into bench/RESULTS.md.\n',
  )
  process.exit(0)
}
const unknown = positionals.filter((name) => !available.includes(name))
if (unknown.length) {
  process.stderr.write(`pnpm bench: unknown section ${unknown.join(', ')}. Sections: ${available.join(', ')}.\n`)
  process.exit(2)
}
const chosen = positionals.length ? positionals : available

const machine = `Node ${process.version}, ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${availableParallelism()} cores, ${process.platform}`
const command = `pnpm bench${positionals.length ? ` ${positionals.join(' ')}` : ''}`

const INTRO = `# Benchmark results

Written by \`pnpm bench\` (\`node bench/run.mjs [section ...]\`); each section says when and where it ran.
Timings come from a shared 2-core machine unless a section says otherwise: read small differences as noise.
`

const startTag = (name) => `<!-- section:${name} -->`
const endTag = (name) => `<!-- /section:${name} -->`

function readSections() {
  let text = ''
  try {
    text = readFileSync(resultsFile, 'utf8')
  } catch {
    return new Map()
  }
  const found = new Map()
  const pattern = /<!-- section:([\w-]+) -->\n([\s\S]*?)<!-- \/section:\1 -->/g
  for (const match of text.matchAll(pattern)) found.set(match[1], match[2])
  return found
}

function asMarkdown(result) {
  if (typeof result === 'string') return result
  const cell = (value) => String(value).replaceAll('|', '\\|')
  const table = ['| measure | value |', '| --- | --- |', ...result.rows.map((r) => `| ${cell(r.measure)} | ${cell(r.value)} |`)]
  return [table.join('\n'), result.notes ?? ''].join('\n\n')
}

const log = (message) => process.stderr.write(`${message}\n`)
const results = readSections()
for (const name of chosen) {
  const section = await import(pathToFileURL(`${sectionsDir}/${name}.mjs`).href)
  log(`${name}: ${section.title}`)
  const started = Date.now()
  const loadBefore = loadavg()[0]
  const body = asMarkdown(await section.run({ log }))
  const minutes = ((Date.now() - started) / 60_000).toFixed(1)
  // Other work on the machine shows in every timing: the load average says how much there was.
  const load = `load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after`
  const block =
    `## ${section.title}\n\n` +
    `Ran \`${command}\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${machine}; ` +
    `the section took ${minutes} min (${load}).\n\n` +
    `${body.trim()}\n`
  process.stdout.write(`\n${block}\n`)
  results.set(name, block)
}

if (!values['no-write']) {
  const ordered = [...results.keys()].sort((a, b) => {
    const rank = (n) => (available.includes(n) ? available.indexOf(n) : available.length)
    return rank(a) - rank(b) || a.localeCompare(b)
  })
  const sections = ordered.map((name) => `${startTag(name)}\n${results.get(name).trim()}\n${endTag(name)}`)
  writeFileSync(resultsFile, `${INTRO}\n${sections.join('\n\n')}\n`)
  log(`wrote ${resultsFile}`)
}
