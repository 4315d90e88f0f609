/**
 * The local cloud: the genuine wx-server-sdk inside each cloud function talks to a loopback HTTP server that
 * speaks the TCB database API and keeps data in SQLite. Production differs only in configuration.
 *
 *   const cloud = await startLocalCloud({ dataDir: '.data/localcloud' })
 *   const { result, stats } = await cloud.invoke('users', { action: 'me' }, { openid: 'o-demo-1' })
 *   await cloud.close()
 */
import crypto from 'crypto'
import path from 'path'
import http from 'http'
import { FunctionRunner } from './runner'
import { createLocalCloudServer, listen } from './server'
import { readCollectionsFile, Store, type OutboxFilter, type SentMessage } from './store'
import { handleTcb } from './tcb'
import { LocalStorage } from './storage'
import { TransactionManager } from './transactions'
import { findRepoRoot, workerFile } from './paths'
import { LocalCloudError, CODES } from './errors'
import { readTimerTriggers, type TimerTrigger } from './triggers'

export { Store, type SentMessage, type OutboxFilter } from './store'
export { LocalCloudError, CODES } from './errors'
export { LocalStorage } from './storage'
export { nextTimerFire, scheduleTimerTriggers, type TimerTrigger } from './triggers'

export interface LocalCloudOptions {
  /** SQLite file lives here (created if missing) */
  dataDir: string
  /** 0 / undefined = random free port on 127.0.0.1 */
  port?: number
  /** default <repo>/cloudfunctions; each function is <functionsDir>/<name>/index.js exporting main(event, context) */
  functionsDir?: string
  /** default <repo>/database/collections.json (collections + indexes; unique ones are enforced) */
  collectionsFile?: string
  /** if set, GET requests not matching an API route serve files from here ('/' → index.html) */
  staticDir?: string
  /** JSON array written by the seed: [{openid, name, roleLabel, description}] — served by GET /preview/demo-users */
  demoUsersFile?: string
  /** environment id the functions see (getWXContext().ENV); default 'local' */
  envId?: string
  /** worker pool size limit; default 16 */
  maxWorkers?: number
  /** function timeout when its config.json has none; default 3000 ms (WeChat's default) */
  defaultTimeoutMs?: number
  /** idle time after which an open transaction is aborted; default 30000 ms */
  transactionIdleMs?: number
}

export interface InvocationStats {
  /** TCB requests with a database.* action */
  dbRequests: number
  docsReturned: number
  /** the most documents one request returned */
  maxDocsPerRequest: number
  /** TCB requests with a storage.* action (an upload is one: getUploadMetadata; the PUT of the bytes is not counted) */
  storageRequests: number
  /** TCB requests with a wx.* action: `cloud.openapi.*` (wx.openApi), e.g. subscribeMessage.send — one per call */
  openapiRequests: number
  /** e.g. 'database.getDocument' per request */
  actions: string[]
}

export interface LocalCloud {
  /** http://127.0.0.1:PORT */
  url: string
  port: number
  /** direct access for seeding/tests: insertMany(coll, docs), find(coll, query), count(coll, query), clear(), close() */
  store: Store
  /** cloud storage (files under <dataDir>/storage/files): put(cloudPath, content) → fileID, read(fileID), tempUrl(cloudPath, s), clear() */
  storage: LocalStorage
  invoke(fnName: string, event: unknown, opts: { openid: string; appid?: string }): Promise<{ result: unknown; stats: InvocationStats }>
  /** Runs a function's timer trigger now, as WeChat Cloud would at its time: event {Type:'Timer', TriggerName, Time}, no OPENID. */
  fireTimer(fnName: string, triggerName: string, at?: Date): Promise<{ result: unknown; stats: InvocationStats }>
  /** The timer triggers of every function's config.json. */
  timerTriggers(): TimerTrigger[]
  /**
   * Subscribe messages sent with `cloud.openapi.subscribeMessage.send`, oldest first, optionally only those to
   * `touser` and/or of `templateId`. Persisted in the data folder (survives a restart); also GET /__localcloud/outbox.
   */
  outbox(filter?: OutboxFilter): SentMessage[]
  /** Empties the outbox (`store.clear()` does not). */
  clearOutbox(): void
  close(): Promise<void>
}

interface InvocationRecord {
  iid: string
  fn: string
  openid: string
  appid: string
  stats: InvocationStats
  parent?: InvocationRecord
}

const DEFAULT_APPID = 'wx00localcloud0000'

function newInvocationId(): string {
  return crypto.randomBytes(10).toString('hex')
}

export async function startLocalCloud(opts: LocalCloudOptions): Promise<LocalCloud> {
  const root = findRepoRoot()
  const functionsDir = path.resolve(opts.functionsDir ?? path.join(root, 'cloudfunctions'))
  const collectionsFile = path.resolve(opts.collectionsFile ?? path.join(root, 'database', 'collections.json'))
  const envId = opts.envId ?? 'local'

  const store = new Store(path.resolve(opts.dataDir), readCollectionsFile(collectionsFile))
  const storage = new LocalStorage(path.resolve(opts.dataDir), envId)
  const txns = new TransactionManager(store, { idleMs: opts.transactionIdleMs })
  const invocations = new Map<string, InvocationRecord>()
  const runner = new FunctionRunner({
    functionsDir,
    workerFile: workerFile(root),
    nodeModules: path.join(root, 'node_modules'),
    adminUrl: '',
    envId,
    maxWorkers: opts.maxWorkers,
    defaultTimeoutMs: opts.defaultTimeoutMs
  })
  runner.onKilled = (iid) => txns.abortOwnedBy(iid, 'the function invocation that started it was killed')

  async function run(name: string, event: unknown, who: { openid: string; appid: string; source?: string }, parent?: InvocationRecord): Promise<{ result: unknown; stats: InvocationStats }> {
    const rec: InvocationRecord = {
      iid: newInvocationId(),
      fn: name,
      openid: who.openid,
      appid: who.appid,
      stats: { dbRequests: 0, docsReturned: 0, maxDocsPerRequest: 0, storageRequests: 0, openapiRequests: 0, actions: [] },
      parent
    }
    invocations.set(rec.iid, rec)
    try {
      const result = await runner.invoke({ iid: rec.iid, name, event, openid: who.openid, appid: who.appid, source: who.source })
      return { result, stats: rec.stats }
    } catch (e) {
      if (e && typeof e === 'object') (e as { stats?: InvocationStats }).stats = rec.stats
      throw e
    } finally {
      invocations.delete(rec.iid)
    }
  }

  const deps = {
    store,
    txns,
    storage,
    invocationOf: (iid: string) => {
      const rec = invocations.get(iid)
      return rec ? { fn: rec.fn, openid: rec.openid } : undefined
    },
    invokeFunction: async (name: string, event: unknown, parentIid: string | undefined): Promise<unknown> => {
      const parent = parentIid ? invocations.get(parentIid) : undefined
      const { result } = await run(name, event, { openid: parent?.openid ?? '', appid: parent?.appid ?? DEFAULT_APPID, source: 'wx_function' }, parent)
      return result
    }
  }

  const server: http.Server = createLocalCloudServer({
    store,
    storage,
    staticDir: opts.staticDir ? path.resolve(opts.staticDir) : undefined,
    demoUsersFile: opts.demoUsersFile ? path.resolve(opts.demoUsersFile) : undefined,
    async tcb(body, iid) {
      const rec = iid ? invocations.get(iid) : undefined
      const out = await handleTcb(body, deps, iid)
      const action = typeof body.action === 'string' ? body.action : '(none)'
      for (let r = rec; r; r = r.parent) {
        r.stats.actions.push(action)
        if (action.startsWith('database.')) r.stats.dbRequests++
        else if (action.startsWith('storage.')) r.stats.storageRequests++
        else if (action.startsWith('wx.')) r.stats.openapiRequests++
        r.stats.docsReturned += out.docsReturned
        r.stats.maxDocsPerRequest = Math.max(r.stats.maxDocsPerRequest, out.docsReturned)
      }
      return out.raw ?? out.reply
    },
    invokeForPreview: (name, event, openid) => run(name, event, { openid, appid: DEFAULT_APPID })
  })

  let port: number
  try {
    port = await listen(server, opts.port ?? 0)
  } catch (e) {
    txns.close()
    store.close()
    throw e
  }
  const url = `http://127.0.0.1:${port}`
  runner.setAdminUrl(`${url}/admin`)
  storage.baseUrl = url

  let closing: Promise<void> | undefined
  return {
    url,
    port,
    store,
    storage,
    invoke: (fnName, event, o) => run(fnName, event, { openid: o.openid, appid: o.appid ?? DEFAULT_APPID }),
    fireTimer(fnName, triggerName, at = new Date()) {
      const t = readTimerTriggers(functionsDir).find((x) => x.fn === fnName && x.name === triggerName)
      if (!t) throw new LocalCloudError(CODES.FUNCTION_NOT_FOUND, `no timer trigger ${triggerName} in ${fnName}/config.json`)
      return run(fnName, { Type: 'Timer', TriggerName: triggerName, Time: at.toISOString() }, { openid: '', appid: DEFAULT_APPID, source: 'wx_trigger' })
    },
    timerTriggers: () => readTimerTriggers(functionsDir),
    outbox: (filter) => store.outbox(filter),
    clearOutbox: () => store.clearOutbox(),
    close() {
      if (!closing) {
        closing = (async () => {
          await runner.close()
          await new Promise<void>((resolve) => {
            server.close(() => resolve())
            server.closeAllConnections()
          })
          txns.close()
          store.close()
        })()
      }
      return closing
    }
  }
}
