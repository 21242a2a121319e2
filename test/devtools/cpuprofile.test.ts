// A test's .cpuprofile (the `profileDir` option) loaded into Chrome DevTools' Performance panel, the DevTools that
// Debian's chromium ships, driven by playwright-core: what a person who opens the file sees.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { artifactsDir, repoRoot } from '../support/paths.js'

const CHROMIUM = '/usr/bin/chromium'
const work = mkdtempSync(join(tmpdir(), 'loopguard-cpuprofile-'))
let browser: Browser
let page: Page
let profileFile: string
let blockMs: number

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: the DevTools test needs Debian's chromium (apt-get install -y chromium).`)
  const written = execFileSync(process.execPath, [join(import.meta.dirname, 'fixtures', 'write-profile.mjs'), join(repoRoot, 'packages', 'core', 'dist'), work], { encoding: 'utf8' })
  ;({ file: profileFile, durationMs: blockMs } = JSON.parse(written) as { file: string; durationMs: number })
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] })
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
  await page.goto('devtools://devtools/bundled/devtools_app.html')
  await page.getByRole('tab', { name: 'Performance' }).click()
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: /^Load (trace|profile)/ }).first().click()])
  await chooser.setFiles(profileFile)
})

afterAll(async () => {
  await browser?.close()
  rmSync(work, { recursive: true, force: true })
})

test('DevTools loads the profile: the Bottom-up view lists the blocking function with its 80 ms', async () => {
  expect(profileFile).toMatch(/devtools-spins-for-80-ms\.cpuprofile$/)
  const bottomUp = page.getByRole('tab', { name: 'Bottom-up' })
  // DevTools parses the profile and lays out its panel: seconds, more on a busy machine.
  await bottomUp.waitFor({ timeout: 90_000 })
  // DevTools opens a keyboard-shortcuts card over the panel the first time a trace loads, and a click on the tab
  // while the card goes away or the panel is still laid out is lost: the tab is clicked until its view shows (one
  // DevTools, one profile: what is awaited is the UI, not a result).
  const row = page.getByRole('row').filter({ hasText: 'spinForDevtoolsCheck' }).first()
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape')
    await bottomUp.click({ force: true })
    try {
      await row.waitFor({ timeout: 15_000 })
      break
    } catch (error) {
      if (attempt === 6) {
        mkdirSync(artifactsDir, { recursive: true })
        await page.screenshot({ path: join(artifactsDir, 'cpuprofile-in-devtools-missing-row.png') })
        throw error
      }
    }
  }
  // The function's total time, as DevTools reads it from the samples: the block, give or take the samples at its
  // two ends. How far apart samples are depends on the machine (a busy one delivers the profiler's signal late), so
  // the bound is the profile's own widest gap between samples, not a count of them.
  const { timeDeltas } = JSON.parse(readFileSync(profileFile, 'utf8')) as { timeDeltas: number[] }
  const widestGapMs = Math.max(...timeDeltas) / 1000
  const totals = [...(await row.innerText()).matchAll(/(\d+(?:\.\d+)?)\s*ms/g)].map((m) => Number(m[1]))
  expect(Math.max(...totals)).toBeGreaterThanOrEqual(80 - 2 * widestGapMs)
  expect(Math.max(...totals)).toBeLessThanOrEqual(blockMs + 2 * widestGapMs)
  // And it links the function to its line in the script.
  expect(await row.innerText()).toContain('write-profile.mjs:10')
  mkdirSync(artifactsDir, { recursive: true })
  await page.screenshot({ path: join(artifactsDir, 'cpuprofile-in-devtools.png') })
})
