/** End-to-end support: the H5 preview on a fresh local cloud with the demo county, and Debian's headless Chromium. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { startLocalCloud, type LocalCloud } from '../../localcloud'
import { seedDemo } from '../../demo/seed'
import { buildFunctionsOnce } from '../../server/testing'

const root = path.resolve(__dirname, '..', '..')
export const artifactsDir = path.join(root, 'artifacts', 'e2e')

export interface Preview {
  cloud: LocalCloud
  browser: Browser
  /** A phone-sized page (390×844, touch) with its own storage, i.e. a fresh phone. */
  newPhone(): Promise<{ context: BrowserContext; page: Page }>
  shot(page: Page, name: string): Promise<string>
  close(): Promise<void>
}

export async function startPreview(): Promise<Preview> {
  const staticDir = path.join(root, 'dist', 'h5')
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) throw new Error('dist/h5 is missing: npm test builds it (npx taro build --type h5)')
  buildFunctionsOnce()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gy-e2e-'))
  const demoUsersFile = path.join(dataDir, 'demo-users.json')
  const cloud = await startLocalCloud({ dataDir, staticDir, demoUsersFile, functionsDir: path.join(root, 'cloudfunctions') })
  seedDemo(cloud.store, demoUsersFile)
  // playwright gives every launch a fresh, empty profile of its own (the --user-data-dir the probe used).
  const browser = await chromium
    .launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync'
    ]
  })
    .catch(async (e: unknown) => {
      await cloud.close()
      throw e
    })
  fs.mkdirSync(artifactsDir, { recursive: true })
  return {
    cloud,
    browser,
    async newPhone() {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true, locale: 'zh-CN' })
      const page = await context.newPage()
      page.setDefaultTimeout(30_000) // generous: a loaded 2-core CI machine runs two browsers at once
      return { context, page }
    },
    async shot(page, name) {
      const file = path.join(artifactsDir, `${name}.png`)
      await page.waitForTimeout(300) // let transitions settle
      await page.screenshot({ path: file, fullPage: true })
      return file
    },
    async close() {
      await browser.close()
      await cloud.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

export async function signInAs(page: Page, baseUrl: string, demoName: string) {
  await page.goto(`${baseUrl}/`)
  await page.getByText('选择一个演示账号', { exact: false }).waitFor()
  await tapOn(page, demoName)
}

/** The tappable things of our pages (Taro H5 renders inner custom elements that would swallow a tap on the text). */
const TAPPABLE =
  '.nut-button, .nut-cell-clickable, .gy-tile, .roles__card, .consent__check, .nut-dialog-footer-ok, .nut-dialog-footer-cancel, .relation-picker__item, .children__head, .tb__candidate'

/** Taps the tappable element whose text contains `text` — as a finger would. */
export async function tapOn(page: Page, text: string) {
  await page.locator(TAPPABLE).filter({ hasText: text }).filter({ visible: true }).last().tap()
}

/** The first visible element showing `text` (hidden pages of the H5 page stack and the nav bar title don't count). */
export function see(page: Page, text: string, exact = false) {
  return page.getByText(text, { exact }).filter({ visible: true }).first()
}

/** Waits until `read()` returns `expected` (deep equality), or fails with the last value seen. */
export async function eventually<T>(read: () => T, expected: T, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let last: T = read()
  while (JSON.stringify(last) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50))
    last = read()
  }
  expect(last).toEqual(expected)
}

/**
 * Registers a fresh preview (local cloud + demo county + Chromium) for the test file: started before its tests,
 * closed after. Returns a getter, since the preview exists only once beforeAll has run.
 */
export function previewForThisFile(): () => Preview {
  let preview: Preview | undefined
  beforeAll(async () => {
    preview = await startPreview()
  })
  afterAll(async () => {
    await preview?.close()
  })
  return () => {
    if (!preview) throw new Error('the preview is not started yet')
    return preview
  }
}

/** Taps the choice whose text is exactly `text` (e.g. 祖父母, not 外祖父母). */
export async function choose(page: Page, text: string) {
  await page.locator('.relation-picker__item, .tb__candidate').filter({ hasText: new RegExp(`^\\s*${text}\\s*$`) }).first().tap()
}

/**
 * Opens a page of the app by its route as a fresh load (typing the address). A bare hash change on an already
 * loaded app is a same-document navigation that Taro's router may or may not pick up in time; a load always is.
 */
export async function openRoute(page: Page, baseUrl: string, route: string) {
  await page.goto(`${baseUrl}/#${route}`)
  await page.reload()
}
