/**
 * Transactions with snapshot isolation, as WeChat Cloud (MongoDB) gives them.
 *
 * - A transaction reads the committed state as of its start plus its own writes. Whenever a commit (by
 *   anyone) changes a document while a transaction is open, the document's previous state is saved into that
 *   transaction's pre-image map (copy-on-write snapshot), so its reads keep seeing the old version.
 * - Writes are buffered in the transaction's write set and are invisible outside until commit.
 * - Commit is first-committer-wins: if any document in the write set has a pre-image (it was changed by a
 *   commit after this transaction started — another transaction or a plain write), the commit fails with
 *   DATABASE_TRANSACTION_CONFLICT and the transaction is aborted. The conflict is reported by commit (not by
 *   the write) on purpose: @cloudbase/database's runTransaction retries only when the *commit* throws that
 *   code — wx-server-sdk wraps errors of in-transaction reads/writes into numeric errCodes, which would make
 *   a write-time conflict unretryable.
 * - Unique indexes are checked at each write against the transaction's own view, and again at commit
 *   against the latest committed state (a clash with a document committed after the start counts as a conflict).
 * - Any operation on a committed, aborted or expired transaction fails with DATABASE_TRANSACTION_FAIL;
 *   a transaction idle for `idleMs` (default 30 s) is aborted.
 */
import crypto from 'crypto'
import { Doc } from './ejson'
import { CODES, DuplicateKeyError, LocalCloudError } from './errors'
import { Change, describeKey, indexKeysOf, Store } from './store'

type State = 'open' | 'committed' | 'aborted'

const SEP = '\u0001'

export class Transaction {
  readonly id: string
  readonly owner: string | undefined
  state: State = 'open'
  endReason = ''
  lastActive = Date.now()
  readonly startedAt = Date.now()
  /** committed state as of start, for documents changed since (null = did not exist) */
  readonly pre = new Map<string, Doc | null>()
  /** own writes, in order (null = deleted) */
  readonly writes = new Map<string, { coll: string; key: string; after: Doc | null }>()

  constructor(id: string, owner: string | undefined) {
    this.id = id
    this.owner = owner
  }

  static k(coll: string, key: string): string {
    return coll + SEP + key
  }
}

export class TransactionManager {
  private txns = new Map<string, Transaction>()
  private sweeper: NodeJS.Timeout
  readonly idleMs: number

  constructor(private store: Store, opts: { idleMs?: number } = {}) {
    this.idleMs = opts.idleMs ?? 30_000
    store.onCommit((changes) => {
      for (const t of this.txns.values()) {
        if (t.state !== 'open') continue
        for (const c of changes) {
          const k = Transaction.k(c.coll, c.key)
          if (!t.pre.has(k)) t.pre.set(k, c.before)
        }
      }
    })
    store.onClear(() => {
      for (const t of this.txns.values()) if (t.state === 'open') this.end(t, 'aborted', 'the store was cleared')
    })
    this.sweeper = setInterval(() => this.sweep(), Math.min(1000, this.idleMs))
    this.sweeper.unref()
  }

  private sweep(): void {
    const now = Date.now()
    for (const t of [...this.txns.values()]) {
      if (t.state === 'open' && now - t.lastActive > this.idleMs) this.end(t, 'aborted', `expired after ${Math.round(this.idleMs / 1000)} s without activity`)
      // forget finished transactions after 10 minutes
      if (t.state !== 'open' && now - t.lastActive > 600_000) this.txns.delete(t.id)
    }
  }

  private end(t: Transaction, state: State, reason: string): void {
    t.state = state
    t.endReason = reason
    t.lastActive = Date.now()
    t.pre.clear()
    t.writes.clear()
  }

  start(owner?: string): Transaction {
    const t = new Transaction(crypto.randomBytes(12).toString('hex'), owner)
    this.txns.set(t.id, t)
    return t
  }

  /** The open transaction with this id, or a DATABASE_TRANSACTION_FAIL error explaining why not. */
  get(id: unknown): Transaction {
    if (typeof id !== 'string' || !id) throw new LocalCloudError(CODES.INVALID_PARAM, 'transactionId is required')
    const t = this.txns.get(id)
    if (!t) throw new LocalCloudError(CODES.TRANSACTION_FAIL, `[NoSuchTransaction] transaction ${id} does not exist (unknown or long finished)`)
    if (t.state === 'committed') throw new LocalCloudError(CODES.TRANSACTION_FAIL, `[TransactionCommitted] transaction ${id} has already been committed; no further operations are allowed`)
    if (t.state === 'aborted') throw new LocalCloudError(CODES.TRANSACTION_FAIL, `[NoSuchTransaction] transaction ${id} has been aborted (${t.endReason}); no further operations are allowed`)
    t.lastActive = Date.now()
    return t
  }

  /** Document as the transaction sees it (live object: do not mutate), null when absent. */
  read(t: Transaction, coll: string, key: string): Doc | null {
    const k = Transaction.k(coll, key)
    const w = t.writes.get(k)
    if (w) return w.after
    if (t.pre.has(k)) return t.pre.get(k) ?? null
    return this.store.getDoc(coll, key) ?? null
  }

  /** Buffers a write after checking unique indexes against the transaction's view. */
  write(t: Transaction, coll: string, key: string, after: Doc | null): void {
    if (after) this.checkUniqueInView(t, coll, key, after)
    const k = Transaction.k(coll, key)
    t.writes.delete(k)
    t.writes.set(k, { coll, key, after })
  }

  private checkUniqueInView(t: Transaction, coll: string, key: string, after: Doc): void {
    const touched: string[] = []
    for (const k of t.pre.keys()) if (k.startsWith(coll + SEP)) touched.push(k.slice(coll.length + 1))
    for (const w of t.writes.values()) if (w.coll === coll) touched.push(w.key)
    for (const u of this.store.uniqueIndexes(coll)) {
      for (const ik of indexKeysOf(after, u.fields)) {
        const candidates = new Set(touched)
        const owner = u.owner(ik)
        if (owner !== undefined) candidates.add(owner)
        for (const c of candidates) {
          if (c === key) continue
          const other = this.read(t, coll, c)
          if (other && indexKeysOf(other, u.fields).includes(ik)) {
            throw new DuplicateKeyError(coll, u.name, describeKey(u.fields, ik), c)
          }
        }
      }
    }
  }

  commit(id: unknown): void {
    const t = this.get(id)
    for (const [k, w] of t.writes) {
      if (t.pre.has(k)) {
        this.end(t, 'aborted', 'write conflict')
        throw new LocalCloudError(CODES.TRANSACTION_CONFLICT, `[WriteConflict] transaction ${t.id} aborted: document ${w.coll}/${w.key} was changed by another write after the transaction started`)
      }
    }
    const changes: Change[] = [...t.writes.values()].map((w) => ({ coll: w.coll, key: w.key, after: w.after }))
    try {
      this.store.commit(changes)
    } catch (e) {
      if (e instanceof DuplicateKeyError && t.pre.has(Transaction.k(e.coll, e.ownerKey))) {
        this.end(t, 'aborted', 'write conflict')
        throw new LocalCloudError(CODES.TRANSACTION_CONFLICT, `[WriteConflict] transaction ${t.id} aborted: ${e.message} (written by another commit after the transaction started)`)
      }
      this.end(t, 'aborted', e instanceof Error ? e.message : String(e))
      throw e
    }
    this.end(t, 'committed', 'committed')
  }

  abort(id: unknown, reason = 'aborted by the client'): void {
    const t = this.get(id)
    this.end(t, 'aborted', reason)
  }

  /** Aborts every open transaction started by an invocation (used when the invocation is killed). */
  abortOwnedBy(owner: string, reason: string): void {
    for (const t of this.txns.values()) if (t.state === 'open' && t.owner === owner) this.end(t, 'aborted', reason)
  }

  openCount(): number {
    let n = 0
    for (const t of this.txns.values()) if (t.state === 'open') n++
    return n
  }

  close(): void {
    clearInterval(this.sweeper)
    for (const t of this.txns.values()) if (t.state === 'open') this.end(t, 'aborted', 'the local cloud stopped')
  }
}
