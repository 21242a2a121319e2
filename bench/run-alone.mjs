// A bench section run alone (`node bench/sections/<name>.mjs`, after `pnpm build`): its table and notes on stdout,
// its progress on stderr. `pnpm bench` runs the sections through bench/run.mjs instead, which writes RESULTS.md.
import { fileURLToPath } from 'node:url'

/** Runs the section and prints what it found, when `moduleUrl` is the script node was asked to run. */
export async function runAlone(moduleUrl, { title, run }) {
  if (process.argv[1] !== fileURLToPath(moduleUrl)) return
  const { rows, notes } = await run({ log: (line) => process.stderr.write(`${line}\n`) })
  const width = Math.max(...rows.map((r) => r.measure.length))
  const table = rows.map((r) => `  ${r.measure.padEnd(width)}  ${r.value}`).join('\n')
  process.stdout.write(`${title}\n${table}\n${notes ? `\n${notes}\n` : ''}`)
}
