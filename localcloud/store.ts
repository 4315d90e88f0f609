/**
 * The local cloud's document store: one SQLite file (WAL, synchronous=FULL) holding every collection as
 * `docs(coll, id, body)` rows with EJSON bodies, plus an in-memory copy of each collection (loaded on first
 * use) that queries are evaluated against with mingo. Writes go through `commit`, which checks unique indexes,
 * writes all changes in one SQLite transaction and only then updates memory — so a reply sent after `commit`
 * returns describes a durable write.
 */
import fs from 'fs'
import path from 'path'
import crypto from 'crypto'
import Database from 'better-sqlite3'
import { EJSON } from 'bson'
import { find as mingoFind, Query } from 'mingo'
import { deepClone, Doc, fromStored, getPath, idKey, toStored, toWire } from './ejson'
import { CODES, DuplicateKeyError, LocalCloudError } from './errors'

export interface IndexSpec {
  name: string
  keys: Record<string, number>
  unique?: boolean
}

export interface CollectionSpec {
  name: string
  description?: string
  indexes?: IndexSpec[]
}

/** One document change: `after === null` deletes. */
export interface Change {
  coll: string
  key: string
  after: Doc | null
}

/** What a committed change replaced, given to commit listeners (transactions keep these as pre-images). */
export interface CommittedChange {
  coll: string
  key: string
  before: Doc | null
}

interface UniqueIndex {
  name: string
  fields: string[]
  map: Map<string, string>
}

interface CollState {
  docs: Map<string, Doc>
  unique: UniqueIndex[]
}

export interface FindOptions {
  sort?: Record<string, 1 | -1>
  skip?: number
  limit?: number
  projection?: Record<string, unknown>
}

/**
 * A subscribe message "sent" through `cloud.openapi.subscribeMessage.send` (see openapi.ts), as the outbox
 * keeps it. `page`, `miniprogramState` and `lang` are what WeChat would use: `null` / 'formal' / 'zh_CN' when
 * the function did not give them.
 */
export interface SentMessage {
  /** what the SDK returned as `msgid` (increasing, unique per data folder) */
  msgid: number
  touser: string
  templateId: string
  page: string | null
  data: Record<string, { value: string }>
  miniprogramState: string
  lang: string
  /** ISO time the local cloud accepted the message */
  sentAt: string
  /** the invocation that sent it: its function and OPENID ('' for timer triggers); null if not attributable */
  invocation: { fn: string; openid: string } | null
}

export interface OutboxFilter {
  touser?: string
  templateId?: string
}

export function newId(): string {
  return crypto.randomBytes(16).toString('hex')
}

/** All index keys a document produces for a (possibly compound) index: missing → null; arrays are multikey. */
export function indexKeysOf(doc: Doc, fields: string[]): string[] {
  let combos: unknown[][] = [[]]
  for (const f of fields) {
    const v = getPath(doc, f)
    const vals = Array.isArray(v) ? (v.length ? v : [null]) : [v === undefined ? null : v]
    const next: unknown[][] = []
    for (const c of combos) for (const x of vals) next.push([...c, x === undefined ? null : x])
    combos = next
  }
  const out = new Set<string>()
  for (const c of combos) out.add(toWire({ k: c }))
  return [...out]
}

export function describeKey(fields: string[], keyStr: string): string {
  try {
    const parsed = EJSON.parse(keyStr, { relaxed: true }) as { k: unknown[] }
    return '{ ' + fields.map((f, i) => `${f}: ${JSON.stringify(parsed.k[i])}`).join(', ') + ' }'
  } catch {
    return keyStr
  }
}

export class Store {
  readonly file: string
  private readonly lockFile: string
  private db: Database.Database
  private specs = new Map<string, CollectionSpec>()
  private created = new Set<string>()
  private colls = new Map<string, CollState>()
  private listeners: Array<(changes: CommittedChange[]) => void> = []
  private clearListeners: Array<() => void> = []
  private stmts: {
    load: Database.Statement
    insert: Database.Statement
    update: Database.Statement
    remove: Database.Statement
    addColl: Database.Statement
    putSession: Database.Statement
    getSession: Database.Statement
    outboxAdd: Database.Statement
  }
  /** Number of commits so far (in this process). */
  seq = 0
  private closed = false

  constructor(dataDir: string, specs: CollectionSpec[] = []) {
    fs.mkdirSync(dataDir, { recursive: true })
    this.file = path.join(dataDir, 'localcloud.sqlite')
    this.lockFile = path.join(dataDir, 'localcloud.lock')
    takeLock(this.lockFile)
    this.db = new Database(this.file)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = FULL')
    this.db.pragma('busy_timeout = 5000')
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS collections (name TEXT PRIMARY KEY, created_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS docs (seq INTEGER PRIMARY KEY AUTOINCREMENT, coll TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL);
      CREATE UNIQUE INDEX IF NOT EXISTS docs_coll_id ON docs (coll, id);
      CREATE TABLE IF NOT EXISTS sessions (token TEXT PRIMARY KEY, openid TEXT NOT NULL, created_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS outbox (msgid INTEGER PRIMARY KEY AUTOINCREMENT, touser TEXT NOT NULL, template_id TEXT NOT NULL, body TEXT NOT NULL);
    `)
    this.stmts = {
      load: this.db.prepare('SELECT id, body FROM docs WHERE coll = ? ORDER BY seq'),
      insert: this.db.prepare('INSERT INTO docs (coll, id, body) VALUES (?, ?, ?)'),
      update: this.db.prepare('UPDATE docs SET body = ? WHERE coll = ? AND id = ?'),
      remove: this.db.prepare('DELETE FROM docs WHERE coll = ? AND id = ?'),
      addColl: this.db.prepare('INSERT OR IGNORE INTO collections (name, created_at) VALUES (?, ?)'),
      putSession: this.db.prepare('INSERT OR REPLACE INTO sessions (token, openid, created_at) VALUES (?, ?, ?)'),
      getSession: this.db.prepare('SELECT openid FROM sessions WHERE token = ?'),
      outboxAdd: this.db.prepare('INSERT INTO outbox (touser, template_id, body) VALUES (?, ?, ?)')
    }
    for (const s of specs) this.specs.set(s.name, s)
    for (const row of this.db.prepare('SELECT name FROM collections').all() as Array<{ name: string }>) this.created.add(row.name)
  }

  // ---------------------------------------------------------------- collections

  hasCollection(name: string): boolean {
    return this.specs.has(name) || this.created.has(name)
  }

  collectionNames(): string[] {
    return [...new Set([...this.specs.keys(), ...this.created])].sort()
  }

  /** Creates a collection (persisted). Returns false when it already existed. */
  createCollection(name: string): boolean {
    if (this.hasCollection(name)) return false
    this.stmts.addColl.run(name, Date.now())
    this.created.add(name)
    return true
  }

  private state(coll: string): CollState {
    let st = this.colls.get(coll)
    if (st) return st
    const docs = new Map<string, Doc>()
    for (const row of this.stmts.load.all(coll) as Array<{ id: string; body: string }>) docs.set(row.id, fromStored(row.body))
    const unique: UniqueIndex[] = []
    for (const ix of this.specs.get(coll)?.indexes ?? []) {
      if (!ix.unique) continue
      const u: UniqueIndex = { name: ix.name, fields: Object.keys(ix.keys), map: new Map() }
      for (const [key, doc] of docs) {
        for (const k of indexKeysOf(doc, u.fields)) {
          if (u.map.has(k) && u.map.get(k) !== key) {
            console.warn(`[localcloud] existing data violates unique index ${coll}.${ix.name} ${describeKey(u.fields, k)}`)
            continue
          }
          u.map.set(k, key)
        }
      }
      unique.push(u)
    }
    st = { docs, unique }
    this.colls.set(coll, st)
    return st
  }

  /** Live document (do not mutate) or undefined. */
  getDoc(coll: string, key: string): Doc | undefined {
    return this.state(coll).docs.get(key)
  }

  /** Live documents of a collection in natural (insertion) order (do not mutate). */
  docs(coll: string): Doc[] {
    return [...this.state(coll).docs.values()]
  }

  /** Live id → doc map (do not mutate). */
  docMap(coll: string): ReadonlyMap<string, Doc> {
    return this.state(coll).docs
  }

  uniqueIndexes(coll: string): Array<{ name: string; fields: string[]; owner(key: string): string | undefined }> {
    return this.state(coll).unique.map((u) => ({ name: u.name, fields: u.fields, owner: (k: string) => u.map.get(k) }))
  }

  // ---------------------------------------------------------------- writes

  onCommit(listener: (changes: CommittedChange[]) => void): void {
    this.listeners.push(listener)
  }

  onClear(listener: () => void): void {
    this.clearListeners.push(listener)
  }

  /** Throws DuplicateKeyError when applying `changes` to the committed state would violate a unique index. */
  checkUnique(changes: Change[]): void {
    const byColl = new Map<string, Change[]>()
    for (const c of changes) {
      const list = byColl.get(c.coll) ?? []
      list.push(c)
      byColl.set(c.coll, list)
    }
    for (const [coll, list] of byColl) {
      const st = this.state(coll)
      const changed = new Set(list.map((c) => c.key))
      // _id uniqueness among inserts of the same batch
      const seenIds = new Set<string>()
      for (const c of list) {
        if (!c.after) continue
        if (seenIds.has(c.key)) throw new DuplicateKeyError(coll, '_id_', `{ _id: ${JSON.stringify(c.after._id)} }`, c.key)
        seenIds.add(c.key)
      }
      for (const u of st.unique) {
        const fresh = new Map<string, string>()
        for (const c of list) {
          if (!c.after) continue
          for (const k of indexKeysOf(c.after, u.fields)) {
            const other = fresh.get(k)
            if (other !== undefined && other !== c.key) throw new DuplicateKeyError(coll, u.name, describeKey(u.fields, k), other)
            fresh.set(k, c.key)
            const owner = u.map.get(k)
            if (owner !== undefined && owner !== c.key && !changed.has(owner)) throw new DuplicateKeyError(coll, u.name, describeKey(u.fields, k), owner)
          }
        }
      }
    }
  }

  /**
   * Applies changes atomically: unique check, one SQLite transaction (durable when this returns), then memory.
   * Inserting over an existing id is the caller's responsibility to prevent (see `insertMany`).
   */
  commit(changes: Change[]): void {
    if (this.closed) throw new LocalCloudError(CODES.REQUEST_FAILED, 'local cloud store is closed')
    if (!changes.length) return
    this.checkUnique(changes)
    const committed: CommittedChange[] = []
    const write = this.db.transaction(() => {
      for (const c of changes) {
        const st = this.state(c.coll)
        const before = st.docs.get(c.key) ?? null
        if (!c.after) {
          if (before) this.stmts.remove.run(c.coll, c.key)
        } else if (before) {
          this.stmts.update.run(toStored(c.after), c.coll, c.key)
        } else {
          this.stmts.insert.run(c.coll, c.key, toStored(c.after))
        }
      }
    })
    write()
    for (const c of changes) {
      const st = this.state(c.coll)
      const before = st.docs.get(c.key) ?? null
      for (const u of st.unique) {
        if (before) for (const k of indexKeysOf(before, u.fields)) if (u.map.get(k) === c.key) u.map.delete(k)
      }
      if (c.after) {
        st.docs.set(c.key, c.after)
        for (const u of st.unique) for (const k of indexKeysOf(c.after, u.fields)) u.map.set(k, c.key)
      } else {
        st.docs.delete(c.key)
      }
      committed.push({ coll: c.coll, key: c.key, before })
    }
    this.seq++
    for (const l of this.listeners) l(committed)
  }

  // ---------------------------------------------------------------- public helpers (seeding, tests)

  /**
   * Inserts documents (deep-copied; `_id` generated as a 32-hex string when absent). Creates the collection
   * when it does not exist yet. All-or-nothing: a duplicate `_id` or unique key inserts nothing.
   * Returns the ids.
   */
  insertMany(coll: string, docs: Array<Record<string, unknown>>): string[] {
    if (!this.hasCollection(coll)) this.createCollection(coll)
    const changes: Change[] = []
    const ids: string[] = []
    for (const d of docs) {
      const doc = deepClone(d) as Doc
      if (doc._id === undefined || doc._id === null) doc._id = newId()
      const key = idKey(doc._id)
      if (this.getDoc(coll, key)) throw new DuplicateKeyError(coll, '_id_', `{ _id: ${JSON.stringify(doc._id)} }`, key)
      // keep _id first, as the cloud returns it
      const { _id, ...rest } = doc
      changes.push({ coll, key, after: { _id, ...rest } })
      ids.push(typeof _id === 'string' ? _id : String(_id))
    }
    this.commit(changes)
    return ids
  }

  /** Deep copies of the matching documents (MongoDB query language). Unknown collection → []. */
  find(coll: string, query: Record<string, unknown> = {}, opts: FindOptions = {}): Doc[] {
    if (!this.hasCollection(coll)) return []
    let cursor = mingoFind(this.docs(coll), query, opts.projection as never)
    if (opts.sort) cursor = cursor.sort(opts.sort)
    if (opts.skip) cursor = cursor.skip(opts.skip)
    if (opts.limit) cursor = cursor.limit(opts.limit)
    return cursor.all().map((d) => deepClone(d as Doc))
  }

  count(coll: string, query: Record<string, unknown> = {}): number {
    if (!this.hasCollection(coll)) return 0
    const q = new Query(query)
    let n = 0
    for (const d of this.state(coll).docs.values()) if (q.test(d)) n++
    return n
  }

  /** Removes every document of every collection (collections, preview sessions and the outbox are kept). */
  clear(): void {
    this.db.exec('DELETE FROM docs')
    this.colls.clear()
    this.seq++
    for (const l of this.clearListeners) l()
  }

  // ---------------------------------------------------------------- preview sessions

  putSession(token: string, openid: string): void {
    this.stmts.putSession.run(token, openid, Date.now())
  }

  getSession(token: string): string | undefined {
    const row = this.stmts.getSession.get(token) as { openid: string } | undefined
    return row?.openid
  }

  // ---------------------------------------------------------------- outbox (subscribe messages, see openapi.ts)

  /** Appends a sent message (durable when this returns) and returns its msgid. Not a collection: functions cannot query it. */
  appendOutbox(entry: Omit<SentMessage, 'msgid'>): number {
    if (this.closed) throw new LocalCloudError(CODES.REQUEST_FAILED, 'local cloud store is closed')
    const { touser, templateId, ...rest } = entry
    const info = this.stmts.outboxAdd.run(touser, templateId, JSON.stringify(rest))
    return Number(info.lastInsertRowid)
  }

  /** The sent messages, oldest first, optionally only those to `touser` and/or of `templateId`. */
  outbox(filter: OutboxFilter = {}): SentMessage[] {
    const where: string[] = []
    const args: string[] = []
    if (filter.touser !== undefined) {
      where.push('touser = ?')
      args.push(filter.touser)
    }
    if (filter.templateId !== undefined) {
      where.push('template_id = ?')
      args.push(filter.templateId)
    }
    const rows = this.db.prepare(`SELECT msgid, touser, template_id, body FROM outbox${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY msgid`).all(...args) as Array<{ msgid: number; touser: string; template_id: string; body: string }>
    return rows.map((r) => {
      const rest = JSON.parse(r.body) as Omit<SentMessage, 'msgid' | 'touser' | 'templateId'>
      return { msgid: r.msgid, touser: r.touser, templateId: r.template_id, page: rest.page, data: rest.data, miniprogramState: rest.miniprogramState, lang: rest.lang, sentAt: rest.sentAt, invocation: rest.invocation }
    })
  }

  /** Empties the outbox (msgids keep increasing). `clear()` does not touch the outbox. */
  clearOutbox(): void {
    this.db.exec('DELETE FROM outbox')
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.db.close()
    releaseLock(this.lockFile)
  }
}

/**
 * One process per data folder: the in-memory copy of the collections would silently go stale if another
 * process wrote to the same SQLite file. A lock file names the owning pid; a dead owner's lock is taken over.
 */
function takeLock(file: string): void {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim())
    if (pid && pid !== process.pid) {
      let alive = true
      try {
        process.kill(pid, 0)
      } catch (e) {
        alive = (e as NodeJS.ErrnoException).code === 'EPERM'
      }
      if (alive) throw new Error(`localcloud: the data folder ${path.dirname(file)} is in use by process ${pid}; stop it first (one local cloud per data folder)`)
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
  }
  fs.writeFileSync(file, String(process.pid))
}

function releaseLock(file: string): void {
  try {
    if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.unlinkSync(file)
  } catch {
    /* already gone */
  }
}

export function readCollectionsFile(file: string): CollectionSpec[] {
  if (!fs.existsSync(file)) return []
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { collections?: CollectionSpec[] } | CollectionSpec[]
  const list = Array.isArray(parsed) ? parsed : parsed.collections ?? []
  return list.filter((c) => c && typeof c.name === 'string')
}
