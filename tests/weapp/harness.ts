/**
 * Weapp page test harness: runs the **production weapp build** (`dist/weapp`, made by `npx taro build --type weapp`)
 * as WeChat would, with miniprogram-simulate (j-component + exparser + the official wcc compiler) rendering it.
 *
 *   const mp = await bootMiniProgram({ cloud: localCloudResponder(cloud, 'o-user-1'), storage: { 'gy.largeText': true } })
 *   const launch = await mp.openPage('/pages/launch/index')   // resolves at the page's first paint
 *   expect(launch.text()).toContain('共育')
 *   const consent = await mp.waitForPage('/pages/consent/index') // the launch page's reLaunch, followed
 *   await consent.tap('同意并继续')                              // by text, or by selector ('.consent__check')
 *   await consent.waitForText('请先勾选')
 *   await mp.close()
 *
 * How it works
 * - Each `bootMiniProgram()` is a fresh "realm": its own `wx` stub, `App`, `Page`, `Component`, `getApp`,
 *   `getCurrentPages` and its own copy of every dist module. The dist files run through a small CommonJS loader
 *   (not jest's `require`, whose module cache would keep the webpack runtime and the app's state alive from one
 *   test to the next) that passes those names in as parameters; `window` and `document` are shadowed to
 *   `undefined`, as in the mini-program's logic layer.
 * - `app.js` runs first (it requires common/vendors/taro/runtime itself); `App(obj)` is captured and its
 *   onLaunch/onShow called. A page is opened by running its chunk (subpackage pages require their `sub-common`
 *   chunk themselves), which calls `Page(config)` with Taro's createPageConfig object; that config becomes a
 *   j-component definition (its functions become methods) whose template is the page's wxml compiled by wcc, with
 *   Taro's recursive `comp` component registered from `comp.js`/`comp.wxml`. The page is created, attached, and
 *   given onLoad(query) → onShow() → onReady(), as WeChat does.
 * - Taro renders by calling `setData` on the page instance; j-component applies it to a jsdom tree, which is what
 *   the helpers read. A tap is exparser touchstart/touchend/tap events dispatched on the element and bubbling up
 *   the tree, so the React `onClick` of the element or of its nearest ancestor with one runs, as on a phone.
 * - `wx.cloud.callFunction` is answered by a pluggable responder (`localCloudResponder`, `routeResponder`, or any
 *   function); what crosses the wire is JSON-cloned both ways, and every call is recorded in `cloudCalls`.
 * - `wx.reLaunch/redirectTo/navigateTo/navigateBack/switchTab` are recorded in `navigations` and, by default,
 *   followed: pages leaving get onUnload (or onHide), the target is loaded, and the call succeeds once the target
 *   has painted. A route missing from app.json fails the call, as WeChat does (`…:fail page "…" is not found`).
 * - Storage (`get/set/remove/clearStorage[Sync]`) is an in-memory map, `mp.storage`, seeded from `storage`.
 *
 * Limits: no layout and no wxss (jsdom); only `tap` (with its touch events) is synthesised — no input typing or
 * native form submission; custom components other than Taro's `comp` are not supported; `wx` APIs not stubbed
 * here are miniprogram-simulate's mocks, which succeed with canned values.
 */
import * as fs from 'fs'
import * as path from 'path'

/** The weapp build under test: $WEAPP_DIST, else <repo>/dist/weapp. */
export const DIST = process.env.WEAPP_DIST ? path.resolve(process.env.WEAPP_DIST) : path.resolve(__dirname, '../../dist/weapp')

/** What a cloud function receives: the gateway sends `{ action, data }`. */
export interface CloudEvent {
  action?: string
  data?: unknown
  [key: string]: unknown
}

/** One `wx.cloud.callFunction` call as the cloud sees it. */
export interface CloudCall {
  name: string
  data: CloudEvent
}

/**
 * Answers a cloud call with the function's return value (what the client reads as `res.result`).
 * Throwing (or rejecting) makes `callFunction` fail, as a network error would.
 */
export type CloudResponder = (call: CloudCall) => unknown

export interface Navigation {
  type: 'reLaunch' | 'navigateTo' | 'redirectTo' | 'navigateBack' | 'switchTab'
  url?: string
  delta?: number
}

export interface BootOptions {
  /** Answers `wx.cloud.callFunction`. Default: every call fails (no cloud). Can be replaced later: `mp.cloud = …`. */
  cloud?: CloudResponder
  /** Initial contents of `wx` storage. */
  storage?: Record<string, unknown>
  /** Follow reLaunch/navigateTo/redirectTo/navigateBack by loading the target page (default true). */
  followNavigation?: boolean
  /** The weapp build to run. Default: DIST. */
  distDir?: string
}

/* ------------------------------------------------------------------------------------------------------------ */
/* The untyped libraries, as far as the harness uses them                                                       */
/* ------------------------------------------------------------------------------------------------------------ */

type AnyFn = (...args: unknown[]) => unknown
type Dict = Record<string, unknown>

/** `this` of a page: j-component's method caller for the page component. */
interface PageInstance {
  data: Dict
  setData(data: Dict, cb?: () => void): void
  route?: string
  __route__?: string
  options?: Record<string, string>
  [key: string]: unknown
}

/** A j-component root component. */
interface JRoot {
  readonly dom: HTMLElement
  readonly instance: PageInstance
  attach(parent: Element): void
  detach(): void
}

interface Libs {
  jComponent: { register(def: Dict): string; create(id: string): JRoot; behavior(def: Dict): string }
  exparser: { Event: { create(name: string, detail: Dict, opts: Dict): unknown; dispatchEvent(target: unknown, ev: unknown): void } }
  getWxml(componentPath: string, opts: { compiler: 'official'; rootPath: string }): unknown
  simulateApi: Dict
}

/** Options object of a callback-style wx API. */
interface WxOptions {
  success?: (res: unknown) => void
  fail?: (res: unknown) => void
  complete?: (res: unknown) => void
  [key: string]: unknown
}

/** What Taro's createReactApp gives App(). */
interface AppObject {
  onLaunch?(options: Dict): void
  onShow?(options: Dict): void
}

/* ------------------------------------------------------------------------------------------------------------ */
/* DOM globals for exparser / j-component (the jest project runs in the node environment)                       */
/* ------------------------------------------------------------------------------------------------------------ */

let libsCache: Libs | null = null

function libs(): Libs {
  if (libsCache) return libsCache
  const g = globalThis as unknown as Dict
  if (typeof g.document === 'undefined') {
    const { JSDOM } = require('jsdom')
    const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', { pretendToBeVisual: true })
    const w = dom.window
    g.window = w
    g.document = w.document
    // exparser and j-component create and dispatch DOM events: they must be jsdom's classes, not Node's.
    for (const k of ['Event', 'CustomEvent', 'TouchEvent', 'MouseEvent', 'Node', 'Element', 'HTMLElement', 'Text', 'Comment', 'DocumentFragment']) {
      g[k] = w[k]
    }
    if (typeof g.requestAnimationFrame === 'undefined') g.requestAnimationFrame = w.requestAnimationFrame.bind(w)
    if (typeof g.getComputedStyle === 'undefined') g.getComputedStyle = w.getComputedStyle.bind(w)
  }
  // miniprogram-simulate registers the built-in components (view, text, button, …) with j-component and builds
  // its wx API mocks (global `wx`); its compile module runs the official wcc compiler over the dist directory.
  require('miniprogram-simulate')
  libsCache = {
    jComponent: require('j-component'),
    exparser: require('miniprogram-exparser'),
    getWxml: require('miniprogram-simulate/src/compile').getWxml,
    simulateApi: { ...(g.wx as Dict) }
  }
  return libsCache
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Loader for the dist files                                                                                    */
/* ------------------------------------------------------------------------------------------------------------ */

const REALM_PARAMS = [
  'require', 'module', 'exports',
  'wx', 'App', 'Page', 'Component', 'Behavior', 'getApp', 'getCurrentPages', 'requirePlugin',
  'window', 'document'
] as const

const compiled = new Map<string, { mtimeMs: number; fn: AnyFn }>()

function compileDistFile(file: string): AnyFn {
  const { mtimeMs } = fs.statSync(file)
  const hit = compiled.get(file)
  if (hit && hit.mtimeMs === mtimeMs) return hit.fn
  const code = fs.readFileSync(file, 'utf8')
  // new Function runs in this (the jest sandbox's) realm; sourceURL keeps file names in stack traces.
  const fn = new Function(...REALM_PARAMS, `${code}\n//# sourceURL=${file}`) as AnyFn
  compiled.set(file, { mtimeMs, fn })
  return fn
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Helpers                                                                                                      */
/* ------------------------------------------------------------------------------------------------------------ */

export function sleep(ms = 0): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Polls `probe` until it returns a truthy value (returned) or the timeout passes (throws, saying `message()`). */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  opts: { timeout?: number; interval?: number; message?: () => string } = {}
): Promise<NonNullable<T>> {
  const timeout = opts.timeout ?? 3000
  const interval = opts.interval ?? 10
  const start = Date.now()
  let lastError: unknown
  for (;;) {
    try {
      const v = await probe()
      if (v) return v as NonNullable<T>
      lastError = undefined
    } catch (e) {
      lastError = e
    }
    if (Date.now() - start > timeout) {
      const why = opts.message ? opts.message() : 'condition not met'
      const last = lastError ? `\nlast error: ${lastError instanceof Error ? lastError.stack : String(lastError)}` : ''
      throw new Error(`waitFor timed out after ${timeout} ms: ${why}${last}`)
    }
    await sleep(interval)
  }
}

function normalizeText(s: string): string {
  return s.replace(/\s+/g, ' ').trim()
}

function clone<T>(v: T): T {
  return v === undefined ? v : JSON.parse(JSON.stringify(v))
}

function parseUrl(url: string, fromRoute: string | null): { route: string; query: Record<string, string> } {
  const [p, qs = ''] = url.split('?')
  const route = p.startsWith('/')
    ? p.slice(1)
    : path.posix.normalize(path.posix.join(fromRoute ? path.posix.dirname(fromRoute) : '', p))
  const query: Record<string, string> = {}
  for (const part of qs.split('&').filter(Boolean)) {
    const [k, v = ''] = part.split('=')
    query[decodeURIComponent(k)] = decodeURIComponent(v)
  }
  return { route, query }
}

const PAINT_TIMEOUT = 5000
let realmSeq = 0

/* ------------------------------------------------------------------------------------------------------------ */
/* A rendered page                                                                                              */
/* ------------------------------------------------------------------------------------------------------------ */

export class PageHandle {
  /** true once the page has been unloaded (reLaunch, redirectTo, navigateBack, close) */
  unloaded = false
  /** setData calls so far (Taro makes one per batch of React commits) */
  renders = 0

  constructor(
    readonly mp: MiniProgram,
    /** e.g. 'pages/consent/index' */
    readonly route: string,
    /** the page's URL query (what onLoad received) */
    readonly query: Record<string, string>,
    private readonly component: JRoot,
    private readonly container: HTMLElement
  ) {}

  /** The page instance (`this` inside Taro's page config: setData, $taroPath, …). */
  get instance(): PageInstance {
    return this.component.instance
  }

  /** The jsdom element holding the rendered page (`<page>`; built-in components are `wx-view`, `wx-text`, …). */
  get dom(): HTMLElement {
    return this.component.dom
  }

  /** All text the page shows, whitespace collapsed. */
  text(): string {
    return normalizeText(this.dom.textContent ?? '')
  }

  hasText(text: string | RegExp): boolean {
    const t = this.text()
    return typeof text === 'string' ? t.includes(text) : text.test(t)
  }

  /** First element matching a CSS selector (class names are the ones written in the source). */
  querySelector(selector: string): HTMLElement | null {
    return this.dom.querySelector(selector)
  }

  querySelectorAll(selector: string): HTMLElement[] {
    return Array.from(this.dom.querySelectorAll<HTMLElement>(selector))
  }

  /**
   * The element showing `text` (what a user would see and tap): of the innermost elements whose text contains it,
   * the first whose whole text equals it (so '重试' finds the button, not '…请检查网络后重试'), else the first.
   */
  findByText(text: string | RegExp): HTMLElement | null {
    const contains = (el: Element) => {
      const t = normalizeText(el.textContent ?? '')
      return typeof text === 'string' ? t.includes(text) : text.test(t)
    }
    const innermost: Element[] = []
    const walk = (el: Element) => {
      const inner = Array.from(el.children).filter(contains)
      if (inner.length === 0) innermost.push(el)
      else inner.forEach(walk)
    }
    if (!contains(this.dom)) return null
    walk(this.dom)
    const exact = innermost.find((el) => {
      const t = normalizeText(el.textContent ?? '')
      return typeof text === 'string' ? t === text : new RegExp(`^(?:${text.source})$`, text.flags).test(t)
    })
    return (exact ?? innermost[0]) as HTMLElement
  }

  /** Waits until the page shows `text`; returns the innermost element showing it. */
  waitForText(text: string | RegExp, timeout = 3000): Promise<HTMLElement> {
    return waitFor(() => this.findByText(text), {
      timeout,
      message: () => `${this.route} never showed ${String(text)}; it shows: ${this.text()}`
    })
  }

  waitForSelector(selector: string, timeout = 3000): Promise<HTMLElement> {
    return waitFor(() => this.querySelector(selector), {
      timeout,
      message: () => `${this.route} never rendered ${selector}; it shows: ${this.text()}`
    })
  }

  /**
   * Taps an element — found by CSS selector (starting with `.`, `#` or `[`), else by its text — then lets the
   * handlers and the re-render run (`mp.settle()`). The events bubble through the exparser tree, so the element's
   * handler and its ancestors' handlers run, as on a phone.
   */
  async tap(target: string | HTMLElement): Promise<void> {
    if (this.unloaded) throw new Error(`tap: ${this.route} has been unloaded`)
    const el = typeof target === 'string' ? (/^[.#[]/.test(target) ? this.querySelector(target) : this.findByText(target)) : target
    if (!el) throw new Error(`tap: nothing matches ${String(target)} on ${this.route}; it shows: ${this.text()}`)
    const wxEl = (el as unknown as { __wxElement?: unknown }).__wxElement
    if (!wxEl) throw new Error(`tap: <${el.tagName.toLowerCase()}> is not part of the exparser tree`)
    const { exparser } = libs()
    const touch = { identifier: 0, pageX: 0, pageY: 0, clientX: 0, clientY: 0, x: 0, y: 0 }
    const events: Array<[string, unknown[]]> = [['touchstart', [touch]], ['touchend', []], ['tap', []]]
    for (const [name, touches] of events) {
      exparser.Event.dispatchEvent(wxEl, exparser.Event.create(name, name === 'tap' ? { x: 0, y: 0 } : {}, {
        bubbles: true,
        capturePhase: true,
        composed: true,
        extraFields: { touches, changedTouches: [touch] }
      }))
    }
    await this.mp.settle()
  }

  /**
   * Types into the native `<input>` inside the element matching `selector` (e.g. a NutUI Input's class): sets its
   * value and dispatches the `input` event WeChat sends as the user types (detail.value), then lets React settle.
   */
  async type(selector: string, value: string): Promise<void> {
    if (this.unloaded) throw new Error(`type: ${this.route} has been unloaded`)
    const host = this.querySelector(selector)
    if (!host) throw new Error(`type: nothing matches ${selector} on ${this.route}; it shows: ${this.text()}`)
    const isInput = (e: Element) => ['input', 'wx-input', 'textarea', 'wx-textarea'].includes(e.tagName.toLowerCase())
    const el = (isInput(host) ? host : host.querySelector('wx-input, wx-textarea, input, textarea')) as HTMLElement | null
    if (!el) throw new Error(`type: no <input> inside ${selector}`)
    const wxEl = (el as unknown as { __wxElement?: unknown }).__wxElement
    if (!wxEl) throw new Error(`type: <input> in ${selector} is not part of the exparser tree`)
    const { exparser } = libs()
    for (const name of ['focus', 'input', 'blur']) {
      exparser.Event.dispatchEvent(
        wxEl,
        exparser.Event.create(name, { value, cursor: value.length, keyCode: 0 }, { bubbles: false, capturePhase: false, composed: false })
      )
    }
    await this.mp.settle()
  }

  /** Class list of the page's root view (PageShell's `gy-page` element), or of the first match of `selector`. */
  classesOf(selector = '.gy-page'): string[] {
    const el = this.querySelector(selector)
    if (!el) throw new Error(`classesOf: ${selector} not found on ${this.route}; it shows: ${this.text()}`)
    return Array.from(el.classList)
  }

  /** The rendered markup (for debugging a test). */
  html(): string {
    return this.dom.outerHTML
  }

  /** @internal runs onUnload and removes the tree */
  unload(): void {
    if (this.unloaded) return
    this.unloaded = true
    try {
      const onUnload = this.instance.onUnload
      if (typeof onUnload === 'function') onUnload.call(this.instance)
    } finally {
      this.component.detach()
      this.container.remove()
    }
  }
}

/* ------------------------------------------------------------------------------------------------------------ */
/* The mini-program                                                                                             */
/* ------------------------------------------------------------------------------------------------------------ */

export class MiniProgram {
  readonly id = ++realmSeq
  readonly distDir: string
  /** Every `wx.cloud.callFunction` made, in order. */
  readonly cloudCalls: CloudCall[] = []
  /** Every navigation requested, in order (including failed ones). */
  readonly navigations: Navigation[] = []
  /** Arguments of the `wx.cloud.init` calls. */
  readonly cloudInits: unknown[] = []
  /** The page stack, bottom first (what getCurrentPages() returns, as handles). */
  readonly stack: PageHandle[] = []
  /** `wx` storage. */
  readonly storage = new Map<string, unknown>()
  /** The `wx` object the dist code sees. */
  readonly wx: Dict
  /** Answers cloud calls; may be replaced at any time. */
  cloud: CloudResponder
  followNavigation: boolean

  private readonly modules = new Map<string, { exports: unknown }>()
  private readonly appJson: { pages: string[]; subPackages?: Array<{ root: string; pages: string[] }> }
  private appObj: AppObject | null = null
  private readonly pageConfigs = new Map<string, Dict>()
  private readonly pageIds = new Map<string, string>()
  private compId: string | null = null
  private loadingRoute: string | null = null
  private componentConfig: Dict | null = null
  private inFlight = 0
  private navQueue: Promise<void> = Promise.resolve()

  constructor(opts: BootOptions = {}) {
    this.distDir = opts.distDir ?? DIST
    if (!fs.existsSync(path.join(this.distDir, 'app.js'))) {
      throw new Error(`${this.distDir}/app.js is missing: build the weapp first (npx taro build --type weapp)`)
    }
    this.appJson = JSON.parse(fs.readFileSync(path.join(this.distDir, 'app.json'), 'utf8'))
    this.cloud = opts.cloud ?? (() => { throw new Error('no cloud responder') })
    this.followNavigation = opts.followNavigation ?? true
    for (const [k, v] of Object.entries(opts.storage ?? {})) this.storage.set(k, clone(v))
    this.wx = this.makeWx()
  }

  /* ------------------------------ wx ------------------------------ */

  /** Runs `work` on a later turn and settles the success/fail/complete callbacks, or returns a promise. */
  private asyncApi(name: string, options: WxOptions | undefined, work: () => unknown): Promise<unknown> | undefined {
    const o = options ?? {}
    const p = (async () => {
      await sleep(0)
      return work()
    })()
    this.inFlight++
    p.then(() => this.inFlight--, () => this.inFlight--)
    if (typeof o.success !== 'function' && typeof o.fail !== 'function' && typeof o.complete !== 'function') return p
    p.then(
      (res) => {
        o.success?.(res)
        o.complete?.(res)
      },
      (err) => {
        const res = { errMsg: `${name}:fail ${err instanceof Error ? err.message : String(err)}` }
        o.fail?.(res)
        o.complete?.(res)
      }
    )
    return undefined
  }

  private makeWx(): Dict {
    const okRes = (name: string, extra: Dict = {}) => ({ errMsg: `${name}:ok`, ...extra })
    const storage = this.storage
    const key = (o: WxOptions | undefined) => String(o?.key)

    const storageApi = {
      getStorageSync: (k: string) => (storage.has(k) ? clone(storage.get(k)) : ''),
      setStorageSync: (k: string, value: unknown) => { storage.set(k, clone(value)) },
      removeStorageSync: (k: string) => { storage.delete(k) },
      clearStorageSync: () => { storage.clear() },
      getStorageInfoSync: () => ({ keys: Array.from(storage.keys()), currentSize: 0, limitSize: 10240 }),
      getStorage: (o?: WxOptions) => this.asyncApi('getStorage', o, () => {
        if (!storage.has(key(o))) throw new Error('data not found')
        return okRes('getStorage', { data: clone(storage.get(key(o))) })
      }),
      setStorage: (o?: WxOptions) => this.asyncApi('setStorage', o, () => {
        storage.set(key(o), clone(o?.data))
        return okRes('setStorage')
      }),
      removeStorage: (o?: WxOptions) => this.asyncApi('removeStorage', o, () => {
        storage.delete(key(o))
        return okRes('removeStorage')
      }),
      clearStorage: (o?: WxOptions) => this.asyncApi('clearStorage', o, () => {
        storage.clear()
        return okRes('clearStorage')
      })
    }

    const cloud = {
      init: (options?: unknown) => { this.cloudInits.push(options) },
      callFunction: (o?: WxOptions) => this.asyncApi('cloud.callFunction', o, async () => {
        if (!this.cloudInits.length) throw new Error('cloud.init has not been called')
        // What crosses the wire is JSON, both ways.
        const call: CloudCall = { name: String(o?.name), data: clone((o?.data ?? {}) as CloudEvent) }
        this.cloudCalls.push(call)
        const result = await this.cloud(call)
        return okRes('cloud.callFunction', { result: clone(result), requestID: `req-${this.cloudCalls.length}` })
      })
    }

    const nav = (type: Navigation['type']) => (o?: WxOptions) => {
      const entry: Navigation = type === 'navigateBack' ? { type, delta: Number(o?.delta ?? 1) } : { type, url: String(o?.url ?? '') }
      this.navigations.push(entry)
      return this.asyncApi(type, o, async () => {
        if (entry.url !== undefined) {
          const { route } = parseUrl(entry.url, this.currentPage?.route ?? null)
          if (!this.isPage(route)) throw new Error(`page "${route}" is not found`)
        }
        if (this.followNavigation) await this.navigate(entry)
        return okRes(type)
      })
    }

    const launchOptions = () => ({ path: this.appJson.pages[0], query: {}, scene: 1001, referrerInfo: {} })
    return {
      ...libs().simulateApi,
      ...storageApi,
      cloud,
      reLaunch: nav('reLaunch'),
      navigateTo: nav('navigateTo'),
      redirectTo: nav('redirectTo'),
      navigateBack: nav('navigateBack'),
      switchTab: nav('switchTab'),
      getLaunchOptionsSync: launchOptions,
      getEnterOptionsSync: launchOptions
    }
  }

  /* ------------------------------ loading dist code ------------------------------ */

  private requireDist(file: string): unknown {
    const abs = file.endsWith('.js') ? file : `${file}.js`
    const cached = this.modules.get(abs)
    if (cached) return cached.exports
    const mod = { exports: {} as unknown }
    this.modules.set(abs, mod)
    compileDistFile(abs).call(
      undefined,
      (p: string) => this.requireDist(path.resolve(path.dirname(abs), p)), // require
      mod, // module
      mod.exports, // exports
      this.wx, // wx
      (obj: AppObject) => { this.appObj = obj }, // App
      (config: Dict) => { // Page
        if (!this.loadingRoute) throw new Error('Page() called outside of a page chunk')
        this.pageConfigs.set(this.loadingRoute, config)
      },
      (config: Dict) => { this.componentConfig = config }, // Component
      (def: Dict) => libs().jComponent.behavior(def), // Behavior
      () => this.appObj, // getApp
      () => this.stack.map((p) => p.instance), // getCurrentPages
      undefined, // requirePlugin
      undefined, // window
      undefined // document
    )
    return mod.exports
  }

  /** Runs app.js (and the chunks it requires) and the App's onLaunch/onShow. */
  async launchApp(): Promise<void> {
    this.requireDist(path.join(this.distDir, 'app.js'))
    const app = this.appObj
    if (!app) throw new Error('app.js did not call App()')
    const options = { path: this.appJson.pages[0], query: {}, scene: 1001, referrerInfo: {} }
    app.onLaunch?.call(app, options)
    app.onShow?.call(app, options)
    await this.settle()
  }

  /** Whether app.json declares the route (main package or a subpackage). */
  isPage(route: string): boolean {
    if (this.appJson.pages.includes(route)) return true
    return (this.appJson.subPackages ?? []).some((s) => s.pages.some((p) => `${s.root}/${p}` === route))
  }

  private registerComp(): string {
    if (this.compId) return this.compId
    const { jComponent, getWxml } = libs()
    const compPath = path.join(this.distDir, 'comp')
    this.componentConfig = null
    this.requireDist(`${compPath}.js`)
    const config = this.componentConfig as Dict | null
    if (!config) throw new Error('comp.js did not call Component()')
    const id = `mp${this.id}-comp`
    jComponent.register({
      ...config,
      id,
      path: compPath,
      tagName: 'comp',
      template: getWxml(compPath, { compiler: 'official', rootPath: this.distDir }),
      usingComponents: { comp: id },
      options: { ...((config.options as Dict | undefined) ?? {}), classPrefix: '' }
    })
    this.compId = id
    return id
  }

  private registerPage(route: string): string {
    const known = this.pageIds.get(route)
    if (known) return known
    const { jComponent, getWxml } = libs()
    const pagePath = path.join(this.distDir, route)
    if (!fs.existsSync(`${pagePath}.js`)) throw new Error(`${route}.js is not in ${this.distDir}: rebuild the weapp`)
    this.loadingRoute = route
    try {
      this.requireDist(`${pagePath}.js`)
    } finally {
      this.loadingRoute = null
    }
    const config = this.pageConfigs.get(route)
    if (!config) throw new Error(`${route}.js did not call Page() (a chunk it waits for may be missing)`)
    const json = JSON.parse(fs.readFileSync(`${pagePath}.json`, 'utf8')) as { usingComponents?: Record<string, string> }
    const using: Record<string, string> = {}
    for (const [tag, p] of Object.entries(json.usingComponents ?? {})) {
      const target = p.startsWith('/') ? path.join(this.distDir, p) : path.resolve(path.dirname(pagePath), p)
      if (target !== path.join(this.distDir, 'comp')) throw new Error(`${route} uses the component ${p}: only Taro's comp is supported`)
      using[tag] = this.registerComp()
    }
    // A Page config becomes a component: its functions (lifecycles, Taro's event handler `eh`) become methods.
    const methods: Dict = {}
    for (const [k, v] of Object.entries(config)) if (typeof v === 'function') methods[k] = v
    const id = `mp${this.id}-page-${route.replace(/\//g, '-')}`
    jComponent.register({
      id,
      path: pagePath,
      tagName: 'page',
      template: getWxml(pagePath, { compiler: 'official', rootPath: this.distDir }),
      usingComponents: using,
      data: clone(config.data ?? {}),
      methods,
      options: { classPrefix: '' }
    })
    this.pageIds.set(route, id)
    return id
  }

  /**
   * Opens a page on top of the stack (as navigateTo would, without hiding the one below) and runs
   * onLoad(query) → onShow() → onReady(). Resolves at the page's first paint — before anything the page started
   * (cloud calls, navigation) has answered — so a test sees what the user sees first; then use waitForText,
   * waitForPage or settle.
   */
  async openPage(url: string): Promise<PageHandle> {
    const { route, query } = parseUrl(url, this.currentPage?.route ?? null)
    if (!this.isPage(route)) throw new Error(`page "${route}" is not in app.json`)
    const id = this.registerPage(route)
    const container = document.createElement('div')
    container.setAttribute('data-route', route)
    document.body.appendChild(container)
    const component = libs().jComponent.create(id)
    component.attach(container)
    const page = new PageHandle(this, route, query, component, container)
    const inst = page.instance
    inst.route = route
    inst.__route__ = route
    inst.options = query
    // Taro renders by calling setData on the page instance: the first call is the page's first paint.
    let painted: () => void = () => undefined
    const firstPaint = new Promise<void>((resolve) => { painted = resolve })
    const setData = inst.setData
    inst.setData = (data: Dict, cb?: () => void) => {
      setData.call(inst, data, cb)
      page.renders++
      painted()
    }
    this.stack.push(page)
    const lifecycles: Array<[string, unknown[]]> = [['onLoad', [{ ...query }]], ['onShow', []], ['onReady', []]]
    for (const [name, args] of lifecycles) {
      const fn = inst[name]
      if (typeof fn === 'function') (fn as AnyFn).apply(inst, args)
    }
    let timer: ReturnType<typeof setTimeout> | undefined
    await Promise.race([
      firstPaint,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${route} did not render within ${PAINT_TIMEOUT} ms`)), PAINT_TIMEOUT)
      })
    ]).finally(() => clearTimeout(timer))
    return page
  }

  /** The top of the stack. */
  get currentPage(): PageHandle | null {
    return this.stack[this.stack.length - 1] ?? null
  }

  /** Applies a navigation to the stack (one at a time, in order). */
  private navigate(n: Navigation): Promise<void> {
    const run = async () => {
      switch (n.type) {
        case 'reLaunch':
        case 'switchTab':
          while (this.stack.length) this.stack.pop()?.unload()
          await this.openPage(n.url as string)
          break
        case 'redirectTo':
          this.stack.pop()?.unload()
          await this.openPage(n.url as string)
          break
        case 'navigateTo': {
          const below = this.currentPage?.instance
          if (typeof below?.onHide === 'function') (below.onHide as AnyFn).call(below)
          await this.openPage(n.url as string)
          break
        }
        case 'navigateBack': {
          for (let i = 0; i < (n.delta ?? 1) && this.stack.length > 1; i++) this.stack.pop()?.unload()
          const top = this.currentPage?.instance
          if (typeof top?.onShow === 'function') (top.onShow as AnyFn).call(top)
          break
        }
      }
    }
    const p = this.navQueue.then(run, run)
    this.navQueue = p.catch(() => undefined)
    return p
  }

  /**
   * Lets pending work finish: timers (Taro batches setData with setTimeout), React's scheduler, stubbed wx calls
   * and navigations in flight. Returns after three quiet turns with nothing in flight.
   */
  async settle(timeout = 5000): Promise<void> {
    const start = Date.now()
    let quiet = 0
    while (quiet < 3) {
      await sleep(5)
      quiet = this.inFlight === 0 ? quiet + 1 : 0
      if (Date.now() - start > timeout) throw new Error(`settle: still busy after ${timeout} ms (${this.inFlight} wx calls in flight)`)
    }
  }

  /** Waits until the top page is `route` (e.g. '/pages/consent/index') and the app has settled; returns it. */
  async waitForPage(route: string, timeout = 5000): Promise<PageHandle> {
    const want = route.replace(/^\//, '').split('?')[0]
    const page = await waitFor(() => (this.currentPage?.route === want ? this.currentPage : null), {
      timeout,
      message: () =>
        `expected page ${want}; stack: [${this.stack.map((p) => p.route).join(', ')}]; navigations: ${JSON.stringify(this.navigations)}; ` +
        `top page shows: ${this.currentPage?.text() ?? ''}`
    })
    await this.settle()
    return page
  }

  /** Cloud calls to function `name` (and `action`). */
  callsTo(name: string, action?: string): CloudCall[] {
    return this.cloudCalls.filter((c) => c.name === name && (action === undefined || c.data.action === action))
  }

  /** Waits for navigations in flight, then unloads every page. */
  async close(): Promise<void> {
    await this.navQueue
    while (this.stack.length) this.stack.pop()?.unload()
    await sleep(5)
  }
}

/** Boots the app from the weapp build: a fresh realm, app.js run, App onLaunch/onShow called. */
export async function bootMiniProgram(opts: BootOptions = {}): Promise<MiniProgram> {
  warnIfStale(opts.distDir ?? DIST)
  const mp = new MiniProgram(opts)
  await mp.launchApp()
  return mp
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Cloud responders                                                                                             */
/* ------------------------------------------------------------------------------------------------------------ */

/** What the harness needs of the local cloud (`startLocalCloud` in localcloud/index.ts). */
export interface CloudInvoker {
  invoke(fnName: string, event: unknown, opts: { openid: string }): Promise<{ result: unknown }>
}

/**
 * Routes every `wx.cloud.callFunction({ name, data })` to the local cloud, which runs the bundled function
 * (`cloudfunctions/<name>/index.js`, genuine wx-server-sdk) as the WeChat user `openid` (a string, or a function
 * read at each call so a test can switch users).
 */
export function localCloudResponder(cloud: CloudInvoker, openid: string | (() => string)): CloudResponder {
  return async (call) => {
    const { result } = await cloud.invoke(call.name, call.data, { openid: typeof openid === 'function' ? openid() : openid })
    return result
  }
}

/** The envelopes every function returns. */
export const ok = <T>(data: T) => ({ ok: true as const, data })
export const fail = (code: string, message = code) => ({ ok: false as const, code, message })

/**
 * An in-test responder: handlers keyed `function.action` get the action's data and return the reply (build it
 * with `ok`/`fail`); a missing handler answers UNKNOWN_ACTION.
 */
export function routeResponder(handlers: Record<string, (data: unknown, call: CloudCall) => unknown>): CloudResponder {
  return async (call) => {
    const h = handlers[`${call.name}.${call.data.action}`]
    if (!h) return fail('UNKNOWN_ACTION', `no handler for ${call.name}.${call.data.action}`)
    return h(call.data.data, call)
  }
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Build freshness                                                                                              */
/* ------------------------------------------------------------------------------------------------------------ */

function newestFile(dir: string, skip: (file: string) => boolean): { file: string; mtimeMs: number } | null {
  if (!fs.existsSync(dir)) return null
  let best: { file: string; mtimeMs: number } | null = null
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name)
    const found = entry.isDirectory() ? newestFile(file, skip) : skip(file) ? null : { file, mtimeMs: fs.statSync(file).mtimeMs }
    if (found && (!best || found.mtimeMs > best.mtimeMs)) best = found
  }
  return best
}

/**
 * Why the weapp build may not reflect the sources (a file under src/ or config/ newer than dist/weapp/app.js),
 * or null. `npm test` always rebuilds first; a bare `npx jest --selectProjects weapp` does not.
 */
export function staleBuildReason(distDir = DIST): string | null {
  const app = path.join(distDir, 'app.js')
  if (!fs.existsSync(app)) return `${app} is missing`
  const built = fs.statSync(app).mtimeMs
  const root = path.resolve(__dirname, '../..')
  for (const dir of ['src', 'config']) {
    const newest = newestFile(path.join(root, dir), (f) => /\.test\.tsx?$/.test(f))
    if (newest && newest.mtimeMs > built) return `${path.relative(root, newest.file)} is newer than the weapp build`
  }
  return null
}

let staleWarned = false

/** Warns once per test file when the build looks older than the sources. */
export function warnIfStale(distDir = DIST): void {
  if (staleWarned) return
  staleWarned = true
  const why = staleBuildReason(distDir)
  if (why) console.warn(`weapp page tests run the existing build, but ${why}: run \`npx taro build --type weapp\` (npm test does)`)
}
