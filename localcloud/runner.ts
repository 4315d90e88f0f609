/**
 * Function runner: a lazily grown pool of worker_threads (default max 16) running cloud functions' genuine
 * `main(event, context)`, one invocation per worker at a time, queueing beyond the pool size.
 *
 * Each invocation gets its own environment in its worker (OPENID etc. and a TCB endpoint URL that names the
 * invocation, `/admin/w/<worker>/i/<invocation>`, so the server can attribute every database request).
 * A function's `config.json` `timeout` (seconds, default 3) is enforced by terminating the worker.
 */
import fs from 'fs'
import path from 'path'
import { Worker } from 'worker_threads'
import { CODES, LocalCloudError } from './errors'

export interface RunnerOptions {
  functionsDir: string
  workerFile: string
  nodeModules: string
  /** e.g. http://127.0.0.1:PORT/admin (may be set later with setAdminUrl, before the first invocation) */
  adminUrl: string
  envId: string
  maxWorkers?: number
  defaultTimeoutMs?: number
}

export interface InvocationRequest {
  iid: string
  name: string
  event: unknown
  openid: string
  appid: string
  unionid?: string
  source?: string
}

interface DoneMessage {
  type: 'done'
  iid?: string | null
  ok?: boolean
  fatal?: boolean
  result?: unknown
  error?: { message: string; stack?: string; errCode?: number; code?: string }
  phase?: string
}

interface Pending {
  iid: string
  resolve: (v: unknown) => void
  reject: (e: Error) => void
  timer?: NodeJS.Timeout
}

interface Slot {
  id: number
  worker: Worker
  ready: Promise<void>
  busy: boolean
  dead: boolean
  pending?: Pending
}

export class FunctionRunner {
  private slots: Slot[] = []
  private waiters: Array<(s: Slot) => void> = []
  private nextSlotId = 1
  private closed = false
  readonly maxWorkers: number
  readonly defaultTimeoutMs: number
  /** called when an invocation was killed (timeout/crash), to clean up e.g. its open transactions */
  onKilled?: (iid: string) => void

  constructor(private opts: RunnerOptions) {
    this.maxWorkers = opts.maxWorkers ?? 16
    this.defaultTimeoutMs = opts.defaultTimeoutMs ?? 3000
  }

  setAdminUrl(url: string): void {
    this.opts.adminUrl = url
  }

  workerCount(): number {
    return this.slots.length
  }

  functionFile(name: string): string | undefined {
    if (!/^[A-Za-z0-9_-]+$/.test(name)) return undefined
    const file = path.join(this.opts.functionsDir, name, 'index.js')
    return fs.existsSync(file) ? file : undefined
  }

  timeoutMs(name: string): number {
    const cfg = path.join(this.opts.functionsDir, name, 'config.json')
    try {
      const parsed = JSON.parse(fs.readFileSync(cfg, 'utf8')) as { timeout?: unknown }
      if (typeof parsed.timeout === 'number' && parsed.timeout > 0) return Math.min(parsed.timeout, 60) * 1000 // WeChat Cloud allows at most 60 s
    } catch {
      /* no config.json: default */
    }
    return this.defaultTimeoutMs
  }

  private spawn(): Slot {
    const id = this.nextSlotId++
    const worker = new Worker(this.opts.workerFile, {
      workerData: { nodeModules: this.opts.nodeModules, slotId: id },
      env: {
        ...process.env,
        TENCENTCLOUD_SECRETID: 'localcloud',
        TENCENTCLOUD_SECRETKEY: 'localcloud',
        TENCENTCLOUD: 'true',
        SILENCE: 'true',
        TCB_ENV: this.opts.envId,
        SCF_NAMESPACE: this.opts.envId,
        TCB_CONTEXT_CNFG: JSON.stringify({ URL: `${this.opts.adminUrl}/w/${id}` })
      }
    })
    let markReady: () => void = () => undefined
    const ready = new Promise<void>((resolve) => {
      markReady = resolve
    })
    const slot: Slot = { id, worker, ready, busy: false, dead: false }
    worker.on('message', (msg: DoneMessage | { type: 'ready' }) => {
      if (msg.type === 'ready') markReady()
      else if (msg.type === 'done') this.settle(slot, msg)
    })
    worker.on('error', (err) => {
      markReady()
      this.kill(slot, `worker error: ${err.message}`)
    })
    worker.on('exit', () => {
      markReady()
      this.kill(slot, 'worker exited')
    })
    this.slots.push(slot)
    return slot
  }

  private settle(slot: Slot, msg: DoneMessage): void {
    const p = slot.pending
    if (msg.fatal) {
      // uncaught exception in the worker: fail the invocation it was running (if any) and replace the thread
      const e = msg.error ?? { message: 'unknown error' }
      this.kill(slot, `uncaught exception: ${e.message}`)
      return
    }
    if (!p || p.iid !== msg.iid) return
    slot.pending = undefined
    if (p.timer) clearTimeout(p.timer)
    if (msg.ok) p.resolve(msg.result)
    else {
      const e = msg.error ?? { message: 'unknown error' }
      const err = new LocalCloudError(CODES.FUNCTION_EXECUTE_FAIL, msg.phase === 'load' ? `failed to load the function: ${e.message}` : `Error: ${e.message}`, { errCode: -504002 })
      if (e.stack) (err as LocalCloudError & { functionStack?: string }).functionStack = e.stack
      if (e.errCode !== undefined) (err as LocalCloudError & { functionErrCode?: number }).functionErrCode = e.errCode
      p.reject(err)
    }
    this.release(slot)
  }

  /** Removes a slot (terminating its thread) and fails its running invocation. */
  private kill(slot: Slot, reason: string, error?: LocalCloudError): void {
    if (slot.dead) return
    slot.dead = true
    this.slots = this.slots.filter((s) => s !== slot)
    const p = slot.pending
    slot.pending = undefined
    if (p) {
      if (p.timer) clearTimeout(p.timer)
      p.reject(error ?? new LocalCloudError(CODES.FUNCTION_EXECUTE_FAIL, `Error: ${reason}`, { errCode: -504002 }))
      this.onKilled?.(p.iid)
    }
    void slot.worker.terminate().catch(() => undefined)
    // a waiter may now get a fresh worker
    if (this.waiters.length && !this.closed && this.slots.length < this.maxWorkers) {
      const s = this.spawn()
      s.busy = true
      this.waiters.shift()!(s)
    }
  }

  private acquire(): Promise<Slot> {
    const idle = this.slots.find((s) => !s.busy && !s.dead)
    if (idle) {
      idle.busy = true
      return Promise.resolve(idle)
    }
    if (this.slots.length < this.maxWorkers) {
      const s = this.spawn()
      s.busy = true
      return Promise.resolve(s)
    }
    return new Promise((resolve) => this.waiters.push(resolve))
  }

  private release(slot: Slot): void {
    if (slot.dead) return
    const next = this.waiters.shift()
    if (next) next(slot)
    else slot.busy = false
  }

  async invoke(req: InvocationRequest): Promise<unknown> {
    if (this.closed) throw new LocalCloudError(CODES.FUNCTION_EXECUTE_FAIL, 'the local cloud is closed')
    const file = this.functionFile(req.name)
    if (!file) {
      throw new LocalCloudError(CODES.FUNCTION_NOT_FOUND, `[ResourceNotFound.Function] FunctionName parameter could not be found: ${req.name} (no ${path.join(this.opts.functionsDir, req.name, 'index.js')})`, { errCode: -501000 })
    }
    const timeoutMs = this.timeoutMs(req.name)
    const slot = await this.acquire()
    await slot.ready
    if (slot.dead) throw new LocalCloudError(CODES.FUNCTION_EXECUTE_FAIL, 'Error: the function worker failed to start', { errCode: -504002 })
    const keys = ['WX_OPENID', 'WX_APPID']
    const env: Record<string, string> = {
      WX_OPENID: req.openid,
      WX_APPID: req.appid,
      WX_ENV: this.opts.envId,
      WX_SOURCE: req.source ?? 'wx_client',
      TCB_SOURCE: req.source ?? 'wx_client',
      TCB_CONTEXT_CNFG: JSON.stringify({ URL: `${this.opts.adminUrl}/w/${slot.id}/i/${req.iid}` })
    }
    if (req.unionid) {
      env.WX_UNIONID = req.unionid
      keys.push('WX_UNIONID')
    }
    env.WX_CONTEXT_KEYS = keys.join(',')
    const context = {
      callbackWaitsForEmptyEventLoop: false,
      memory_limit_in_mb: 256,
      time_limit_in_ms: timeoutMs,
      request_id: req.iid,
      function_name: req.name,
      function_version: '$LATEST',
      namespace: this.opts.envId,
      tencentcloud_region: 'ap-shanghai',
      environment: JSON.stringify({ ...env, TCB_ENV: this.opts.envId, SCF_NAMESPACE: this.opts.envId })
    }
    return new Promise<unknown>((resolve, reject) => {
      const pending: Pending = { iid: req.iid, resolve, reject }
      slot.pending = pending
      pending.timer = setTimeout(() => {
        if (slot.pending !== pending) return
        const secs = timeoutMs / 1000
        this.kill(slot, 'timeout', new LocalCloudError(CODES.FUNCTION_TIMEOUT, `Invoking task timed out after ${secs} seconds`, { errCode: -504003 }))
      }, timeoutMs)
      try {
        slot.worker.postMessage({ type: 'invoke', iid: req.iid, file, event: req.event, context, env })
      } catch (e) {
        // event not structured-cloneable
        slot.pending = undefined
        clearTimeout(pending.timer)
        this.release(slot)
        reject(new LocalCloudError(CODES.INVALID_PARAM, `the event cannot be passed to the function: ${(e as Error).message}`))
      }
    })
  }

  async close(): Promise<void> {
    this.closed = true
    const slots = this.slots
    this.slots = []
    for (const s of slots) {
      s.dead = true
      if (s.pending) {
        if (s.pending.timer) clearTimeout(s.pending.timer)
        s.pending.reject(new LocalCloudError(CODES.FUNCTION_EXECUTE_FAIL, 'the local cloud stopped'))
      }
    }
    await Promise.all(slots.map((s) => s.worker.terminate().catch(() => undefined)))
  }
}
