// The `loopguard` executable: the process around runCli.
import { readFileSync } from 'node:fs'
import { runCli } from './run.js'

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version
  } catch {
    return 'unknown'
  }
}

// Output piped into a command that stops reading (`loopguard check r.json | head`) is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error
})

// Exiting through exitCode, not process.exit(), lets piped output drain first.
process.exitCode = runCli(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  env: process.env,
  colors: process.stdout.isTTY === true && process.stdout.hasColors(),
  version: version(),
})
