// `loopguard html` opened in a real browser (Debian's chromium, driven by playwright-core): what a person sees.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { artifactsDir, repoRoot } from '../support/paths.js'

const CHROMIUM = '/usr/bin/chromium'
const bin = join(repoRoot, 'packages', 'core', 'dist', 'cli.js')
const reportFile = join(import.meta.dirname, 'fixtures', 'reports', 'sample-run.json')
const report = JSON.parse(readFileSync(reportFile, 'utf8'))

const work = mkdtempSync(join(tmpdir(), 'loopguard-html-'))
const pageFile = join(work, 'report.html')
let context: BrowserContext
let page: Page
const requests: string[] = []
const problems: string[] = []

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: the browser test needs Debian's chromium (apt-get install -y chromium).`)
  execFileSync(process.execPath, [bin, 'html', reportFile, '-o', pageFile])
  // A fresh profile each run, and every background service off: the page alone decides what is loaded.
  context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1200, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  page = context.pages()[0] ?? (await context.newPage())
  page.on('request', (request) => requests.push(request.url()))
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()))
  page.on('pageerror', (error) => problems.push(error.message))
  await page.goto(pathToFileURL(pageFile).href)
})

afterAll(async () => {
  await context?.close()
  rmSync(work, { recursive: true, force: true })
})

describe('the HTML page in chromium', () => {
  test('loads nothing but itself and logs no error', () => {
    expect(requests).toEqual([pathToFileURL(pageFile).href])
    expect(problems).toEqual([])
  })

  test('leads with the verdict and the run\'s figures', async () => {
    expect(await page.title()).toBe('loopguard: 3 of 14 tests over budget')
    await expect.poll(() => page.locator('#verdict').innerText()).toBe('3 of 14 tests over budget')
    expect(await page.locator('.card .value').allInnerTexts()).toEqual(['14', '3', '4', '412.7 ms'])
    expect(await page.locator('.facts').innerText()).toContain('budget 50 ms')
  })

  test('ranks the tests by longest block, each bar against its own budget line', async () => {
    const rows = page.locator('.chart .row')
    const names = await rows.evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.test))
    expect(names).toEqual([
      'test/legacy/export.test.ts > exports the archive',
      'test/api/users.test.ts > GET /users > lists users from the seed file',
      'test/bench.test.ts > measures the worst case (allowBlocking)',
      'test/auth/password.test.ts > hashes a password',
      'test/cache.test.ts > cache > warms up concurrently',
      'test/report/render.test.ts > renders the monthly report',
      'test/config.test.ts > validates the config schema',
    ])
    expect(await rows.evaluateAll((els) => els.map((el) => el.classList[1]))).toEqual(['under', 'over', 'exempt', 'over', 'over', 'under', 'under'])

    // Measured on screen: a bar ends past its budget line exactly when the test is over budget.
    const geometry = await rows.evaluateAll((els) =>
      els.map((el) => {
        const bar = el.querySelector('.bar')!.getBoundingClientRect()
        const budget = el.querySelector('.budget')?.getBoundingClientRect()
        return { over: el.classList.contains('over'), barEnd: bar.right, budgetAt: budget ? budget.left : null, width: bar.width }
      }),
    )
    for (const row of geometry) {
      if (row.budgetAt === null) continue
      expect(row.barEnd > row.budgetAt + 1, JSON.stringify(row)).toBe(row.over)
    }
    expect(geometry[2]!.budgetAt).toBeNull() // exempt: no budget line
    // Widths keep the figures' proportions: 412.7 ms against 182.6 ms.
    expect(geometry[0]!.width / geometry[1]!.width).toBeCloseTo(412.7 / 182.6, 1)
  })

  test('shows each offender\'s blocks on a timeline, with the code that blocked', async () => {
    const offenders = page.locator('#offenders .offender')
    expect(await offenders.count()).toBe(3)
    const first = offenders.first()
    expect(await first.locator('h3').innerText()).toContain('GET /users > lists users from the seed file')
    const blocks = first.locator('svg.timeline g.block')
    expect(await blocks.evaluateAll((els) => els.map((el) => el.classList[1]))).toEqual(['under', 'over', 'under'])
    // The longest block is drawn widest and to scale with the axis: 182.6 ms of a 300 ms axis.
    const widths = await blocks.evaluateAll((els) => els.map((el) => el.querySelector('rect')!.getBoundingClientRect().width))
    const lane = await first.locator('svg.timeline rect.lane').evaluate((el) => el.getBoundingClientRect().width)
    expect(widths[1]! / lane).toBeCloseTo(182.6 / 300, 2)
    const row = first.locator('table.blocks tbody tr').nth(1)
    expect(await row.innerText()).toMatch(/\+15\.3 ms\s+182\.6 ms\s+src\/db\/seed\.ts:14:18 in loadSeed\s+fs\.readFileSync \(sync I\/O\)/)

    // The stack opens on a click.
    const frames = row.locator('ol.frames li')
    expect(await frames.first().isVisible()).toBe(false)
    await row.locator('summary').click()
    expect(await frames.allInnerTexts()).toEqual([
      'loadSeed src/db/seed.ts:14:18',
      'openDatabase src/db/index.ts:31:10',
      'listUsers src/api/users.ts:8:22',
      '(anonymous) test/api/users.test.ts:12:11',
    ])
    expect(await frames.first().isVisible()).toBe(true)
  })

  test('keeps under-budget tests folded, and blocking outside tests listed', async () => {
    const under = page.locator('details.under-budget')
    expect(await under.locator('summary').innerText()).toBe('4 tests blocked under budget')
    expect(await under.locator('.offender').first().isVisible()).toBe(false)
    expect(await page.locator('#files tbody tr').innerText()).toMatch(/test\/api\/users\.test\.ts\s+collect\s+45\.2 ms/)
  })

  test('fits the window without sideways scrolling, wide and narrow; screenshots saved for a person to look at', async () => {
    mkdirSync(artifactsDir, { recursive: true })
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
    await page.screenshot({ path: join(artifactsDir, 'cli-html-report.png'), fullPage: true })
    await page.setViewportSize({ width: 420, height: 900 })
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
    await page.screenshot({ path: join(artifactsDir, 'cli-html-report-narrow.png'), fullPage: true })
    expect(existsSync(join(artifactsDir, 'cli-html-report.png'))).toBe(true)
  })
})

test('the sample report is what the page was made from', () => {
  expect(report.tests).toHaveLength(14)
})
