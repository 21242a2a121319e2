// The browser tests of the HTML report and the .cpuprofile use Debian's Chromium. Where it is missing, install it
// (as root, with apt-get), or stop at once with the one command that does.
import { execFileSync, spawnSync } from 'node:child_process'

const found = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0

if (!found('chromium')) {
  const isRoot = process.getuid?.() === 0
  if (!isRoot || !found('apt-get')) {
    console.error('The tests need Debian\'s Chromium, which is not installed. Install it, then run the tests again:')
    console.error(`  ${isRoot ? '' : 'sudo '}apt-get update && ${isRoot ? '' : 'sudo '}apt-get install -y chromium`)
    process.exit(1)
  }
  console.log('Installing Debian\'s Chromium for the browser tests (apt-get install -y chromium)...')
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' })
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: ['ignore', 'ignore', 'inherit'] })
}
