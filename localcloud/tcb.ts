/**
 * The server side of the TCB HTTP API as @cloudbase/node-sdk 3.17 / @cloudbase/database 1.4 (inside
 * wx-server-sdk 4.0.2) speak it. Every request is a JSON POST whose `action` selects the handler; replies
 * always carry `requestId`; errors are `{code, message, requestId}` at the top level.
 *
 * Actions and reply shapes (from the SDK source):
 * - database.getDocument       {collectionName, queryType: WHERE|DOC, query, order, offset, limit, projection, transactionId?}
 *                              → {data: {list: [EJSON…], limit, offset}}
 * - database.insertDocument    {collectionName, data: [EJSON…], transactionId?} → {data: {insertedIds: […]}}
 * - database.modifyDocument    {collectionName, queryType, query, data, multi, merge, upsert, transactionId?}
 *                              → {data: {updated, upsert_id?}}   (merge:false = replace the whole document, as set() does)
 * - database.removeDocument    {collectionName, queryType, query, multi, transactionId?} → {data: {deleted}}
 * - database.calculateDocument {collectionName, query} → {data: {total}}        (count)
 * - database.aggregateDocuments {collectionName, stages: [{stageKey, stageValue}]} → {data: {list: [EJSON…]}}
 * - database.modifyAndReturnDoc {collectionName, query, data, transactionId?} → {data: {updated, doc}}
 * - database.addCollection     {collectionName} → {}
 * - database.startTransaction  → {transactionId};  commitTransaction / abortTransaction {transactionId} → {}
 * - functions.invokeFunction   {function_name, request_data} → {data: {response_data}}
 * - storage.getUploadMetadata / storage.batchGetDownloadUrl / storage.batchDeleteFile — see storage.ts
 * - wx.openApi                 multipart/form-data {apiName, requestData: protobuf bytes} → raw protobuf reply
 *                              (`outcome.raw`; only subscribeMessage.send, into the outbox) — see openapi.ts
 * Aliases accepted: database.updateDocument = modifyDocument, database.deleteDocument = removeDocument,
 * database.countDocument = calculateDocument.
 */
import crypto from 'crypto'
import { find as mingoFind, aggregate as mingoAggregate, Query, update as mingoUpdate } from 'mingo'
import { deepClone, deepEqual, Doc, getPath, idKey, isPlainObject, normalizeParsed, parseWire, toWire } from './ejson'
import { CODES, collectionNotExist, DuplicateKeyError, LocalCloudError } from './errors'
import { Change, newId, Store } from './store'
import { Transaction, TransactionManager } from './transactions'
import type { LocalStorage } from './storage'
import { handleOpenApi } from './openapi'

export interface TcbDeps {
  store: Store
  txns: TransactionManager
  /** functions.invokeFunction (cloud.callFunction from inside a function) */
  invokeFunction?: (name: string, event: unknown, parentInvocationId: string | undefined) => Promise<unknown>
  /** storage.* actions (see storage.ts) */
  storage?: LocalStorage
  /** the function and OPENID of an invocation id (recorded with each subscribe message in the outbox) */
  invocationOf?: (invocationId: string) => { fn: string; openid: string } | undefined
}

export interface TcbOutcome {
  reply: Record<string, unknown>
  /** a binary reply (wx.openApi: protobuf CommOpenApiResp), sent instead of `reply` as application/octet-stream */
  raw?: Buffer
  docsReturned: number
}

let requestCounter = 0
export function newRequestId(): string {
  requestCounter = (requestCounter + 1) % 1e9
  return `lc-${Date.now().toString(36)}-${requestCounter.toString(36)}-${crypto.randomBytes(3).toString('hex')}`
}

const DEFAULT_LIMIT = 100
const MAX_LIMIT = 1000
/** WeChat Cloud returns at most 20 aggregation results unless the pipeline has a $limit stage. */
const AGGREGATE_DEFAULT_LIMIT = 20

const ALIASES: Record<string, string> = {
  'database.updateDocument': 'database.modifyDocument',
  'database.deleteDocument': 'database.removeDocument',
  'database.countDocument': 'database.calculateDocument'
}

const UPDATE_OPERATORS = new Set(['$set', '$unset', '$inc', '$mul', '$push', '$pull', '$pullAll', '$addToSet', '$pop', '$min', '$max', '$rename', '$currentDate', '$bit', '$setOnInsert'])

type Params = Record<string, unknown>

// ------------------------------------------------------------------ helpers

function collectionOf(p: Params, store: Store): string {
  const coll = p.collectionName
  if (typeof coll !== 'string' || !coll) throw new LocalCloudError(CODES.INVALID_PARAM, 'collectionName is required')
  if (!store.hasCollection(coll)) throw collectionNotExist(coll)
  return coll
}

function parseObject(v: unknown, what: string, now: number): Record<string, unknown> {
  let parsed: unknown
  try {
    parsed = parseWire(v, now)
  } catch (e) {
    throw new LocalCloudError(CODES.INVALID_PARAM, `${what} is not valid EJSON: ${(e as Error).message}`)
  }
  if (parsed === undefined) return {}
  if (!isPlainObject(parsed)) throw new LocalCloudError(CODES.INVALID_PARAM, `${what} must be an object`)
  return parsed
}

function compileQuery(query: Record<string, unknown>): Query {
  try {
    return new Query(query)
  } catch (e) {
    throw new LocalCloudError(CODES.REQUEST_FAILED, `invalid query: ${(e as Error).message}`)
  }
}

/** Candidate documents for a query: direct lookups for `_id` equality / `$in`, else the whole collection. */
function candidates(store: Store, coll: string, query: Record<string, unknown>): Doc[] {
  const id = query._id
  const map = store.docMap(coll)
  if (id !== undefined && !(id instanceof RegExp) && !isPlainObject(id)) {
    const d = map.get(idKey(id))
    return d ? [d] : []
  }
  if (isPlainObject(id) && Object.keys(id).length === 1 && Array.isArray(id.$in)) {
    const out: Doc[] = []
    const seen = new Set<string>()
    for (const v of id.$in) {
      if (v instanceof RegExp || isPlainObject(v)) return [...map.values()]
      const k = idKey(v)
      const d = map.get(k)
      if (d && !seen.has(k)) {
        seen.add(k)
        out.push(d)
      }
    }
    // the order MongoDB's _id index gives
    const keyed = out.map((d) => [idKey(d._id), d] as const)
    keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    return keyed.map((x) => x[1])
  }
  return [...map.values()]
}

function matching(store: Store, coll: string, query: Record<string, unknown>, max: number): Doc[] {
  const q = compileQuery(query)
  const out: Doc[] = []
  for (const d of candidates(store, coll, query)) {
    if (q.test(d)) {
      out.push(d)
      if (out.length >= max) break
    }
  }
  return out
}

function project(docs: Doc[], projection: Record<string, unknown>): Doc[] {
  if (!Object.keys(projection).length) return docs
  return mingoFind(docs, {}, projection as never).all() as Doc[]
}

function docIdFromQuery(query: Record<string, unknown>): unknown {
  const id = query._id
  if (id === undefined || id instanceof RegExp || isPlainObject(id)) {
    throw new LocalCloudError(CODES.REQUEST_FAILED, 'transactions only support single-document operations: doc(id).get/set/update/remove and add — where() queries and batch operations are not allowed in a transaction (as in WeChat Cloud)')
  }
  return id
}

function pathTouchesId(path: string): boolean {
  return path === '_id' || path.startsWith('_id.')
}

function validateModifier(before: Doc, modifier: Record<string, unknown>): void {
  for (const [op, spec] of Object.entries(modifier)) {
    if (!UPDATE_OPERATORS.has(op)) throw new LocalCloudError(CODES.REQUEST_FAILED, `Unknown modifier: ${op}`)
    if (!isPlainObject(spec)) throw new LocalCloudError(CODES.REQUEST_FAILED, `Modifiers operate on fields but we found type ${typeof spec} instead (${op})`)
    for (const [path, val] of Object.entries(spec)) {
      if (pathTouchesId(path) || (op === '$rename' && typeof val === 'string' && pathTouchesId(val))) {
        throw new LocalCloudError(CODES.REQUEST_FAILED, `Performing an update on the path '_id' would modify the immutable field '_id'`)
      }
      const cur = getPath(before, path)
      if ((op === '$inc' || op === '$mul') && cur !== undefined && typeof cur !== 'number') {
        throw new LocalCloudError(CODES.REQUEST_FAILED, `Cannot apply ${op} to a value of non-numeric type. {_id: ${JSON.stringify(before._id)}} has the field '${path}' of non-numeric type ${cur === null ? 'null' : typeof cur}`)
      }
      if ((op === '$inc' || op === '$mul') && typeof val !== 'number') {
        throw new LocalCloudError(CODES.REQUEST_FAILED, `Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${JSON.stringify(val)}}`)
      }
      if (['$push', '$addToSet', '$pop', '$pull', '$pullAll'].includes(op) && cur !== undefined && !Array.isArray(cur)) {
        throw new LocalCloudError(CODES.REQUEST_FAILED, `The field '${path}' must be an array but is of type ${cur === null ? 'null' : typeof cur} in document {_id: ${JSON.stringify(before._id)}}`)
      }
    }
  }
}

function hasOperators(data: Record<string, unknown>): { ops: boolean; plain: boolean } {
  let ops = false
  let plain = false
  for (const k of Object.keys(data)) {
    if (k.startsWith('$')) ops = true
    else plain = true
  }
  return { ops, plain }
}

/** The document after applying `data` to `before` (never mutates `before`). */
function applyUpdate(before: Doc, data: Record<string, unknown>, merge: boolean, inserting: boolean): Doc {
  const { ops, plain } = hasOperators(data)
  if (!merge) {
    if (ops) throw new LocalCloudError(CODES.REQUEST_FAILED, 'the replacement document (set) must not contain update operators')
    const { _id: _ignored, ...rest } = deepClone(data)
    if (_ignored !== undefined && !deepEqual(_ignored, before._id)) {
      throw new LocalCloudError(CODES.REQUEST_FAILED, `Performing an update on the path '_id' would modify the immutable field '_id'`)
    }
    return { _id: before._id, ...rest }
  }
  if (ops && plain) throw new LocalCloudError(CODES.REQUEST_FAILED, 'an update document must contain only update operators or only fields')
  let modifier: Record<string, unknown> = ops ? { ...data } : { $set: data }
  if (modifier.$setOnInsert !== undefined) {
    const soi = modifier.$setOnInsert as Record<string, unknown>
    const { $setOnInsert: _drop, ...rest } = modifier
    modifier = rest
    if (inserting) modifier.$set = { ...(isPlainObject(modifier.$set) ? modifier.$set : {}), ...soi }
  }
  validateModifier(before, modifier)
  const after = deepClone(before)
  if (Object.keys(modifier).length) {
    try {
      mingoUpdate(after, modifier as never, undefined, undefined, { cloneMode: 'deep' })
    } catch (e) {
      throw new LocalCloudError(CODES.REQUEST_FAILED, (e as Error).message)
    }
  }
  return normalizeParsed(after, Date.now()) as Doc
}

/** The document an upsert inserts: `_id` and equality fields of the query, then the update. */
function upsertDoc(query: Record<string, unknown>, data: Record<string, unknown>, merge: boolean): Doc {
  const qid = query._id
  const _id = qid !== undefined && !(qid instanceof RegExp) && !isPlainObject(qid) ? qid : newId()
  const base: Doc = { _id }
  if (merge) {
    for (const [k, v] of Object.entries(query)) {
      if (k === '_id' || k.startsWith('$')) continue
      if (v instanceof RegExp) continue
      if (isPlainObject(v) && Object.keys(v).some((x) => x.startsWith('$'))) continue
      try {
        mingoUpdate(base, { $set: { [k]: deepClone(v) } } as never)
      } catch {
        /* conflicting equality paths: skip */
      }
    }
  }
  return applyUpdate(base, data, merge, true)
}

function bool(v: unknown, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt
  return v === true || v === 'true' || v === 1
}

// ------------------------------------------------------------------ actions

function getDocument(p: Params, deps: TcbDeps, now: number): TcbOutcome {
  const coll = collectionOf(p, deps.store)
  const query = parseObject(p.query, 'query', now)
  const projection = parseObject(p.projection, 'projection', now)
  const offset = typeof p.offset === 'number' && p.offset > 0 ? Math.floor(p.offset) : 0
  const limit = typeof p.limit === 'number' && p.limit > 0 ? Math.min(Math.floor(p.limit), MAX_LIMIT) : DEFAULT_LIMIT
  let docs: Doc[]
  if (p.transactionId) {
    const t = deps.txns.get(p.transactionId)
    const key = idKey(docIdFromQuery(query))
    const d = deps.txns.read(t, coll, key)
    docs = d && compileQuery(query).test(d) ? project([d], projection) : []
  } else {
    const order = parseObject(p.order, 'order', now)
    let cursor = mingoFind(candidates(deps.store, coll, query), query, (Object.keys(projection).length ? projection : undefined) as never)
    if (Object.keys(order).length) cursor = cursor.sort(order as never)
    if (offset) cursor = cursor.skip(offset)
    cursor = cursor.limit(limit)
    try {
      docs = cursor.all() as Doc[]
    } catch (e) {
      throw new LocalCloudError(CODES.REQUEST_FAILED, `invalid query: ${(e as Error).message}`)
    }
  }
  return { reply: { data: { list: docs.map(toWire), limit, offset } }, docsReturned: docs.length }
}

function insertDocument(p: Params, deps: TcbDeps, now: number): TcbOutcome {
  const coll = collectionOf(p, deps.store)
  const raw = Array.isArray(p.data) ? p.data : p.data !== undefined ? [p.data] : []
  if (!raw.length) throw new LocalCloudError(CODES.INVALID_PARAM, 'data is required')
  const docs = raw.map((r, i) => {
    const d = parseObject(r, `data[${i}]`, now)
    const { _id, ...rest } = d
    return { _id: _id === undefined || _id === null ? newId() : _id, ...rest } as Doc
  })
  if (p.transactionId) {
    const t = deps.txns.get(p.transactionId)
    if (docs.length !== 1) docIdFromQuery({})
    const d = docs[0]
    const key = idKey(d._id)
    if (deps.txns.read(t, coll, key)) throw new DuplicateKeyError(coll, '_id_', `{ _id: ${JSON.stringify(d._id)} }`, key)
    deps.txns.write(t, coll, key, d)
    return { reply: { data: { insertedIds: [d._id] }, ok: 1 }, docsReturned: 0 }
  }
  const changes: Change[] = docs.map((d) => {
    const key = idKey(d._id)
    if (deps.store.getDoc(coll, key)) throw new DuplicateKeyError(coll, '_id_', `{ _id: ${JSON.stringify(d._id)} }`, key)
    return { coll, key, after: d }
  })
  deps.store.commit(changes)
  return { reply: { data: { insertedIds: docs.map((d) => d._id) } }, docsReturned: 0 }
}

function modifyDocument(p: Params, deps: TcbDeps, now: number): TcbOutcome {
  const coll = collectionOf(p, deps.store)
  const query = parseObject(p.query, 'query', now)
  const data = parseObject(p.data, 'data', now)
  const merge = bool(p.merge, true)
  const upsert = bool(p.upsert, false)
  const multi = bool(p.multi, false)
  if (p.transactionId) {
    const t = deps.txns.get(p.transactionId)
    const id = docIdFromQuery(query)
    const key = idKey(id)
    const cur = deps.txns.read(t, coll, key)
    if (cur && compileQuery(query).test(cur)) {
      const after = applyUpdate(cur, data, merge, false)
      const changed = !deepEqual(after, cur)
      if (changed) deps.txns.write(t, coll, key, after)
      return { reply: { data: { updated: changed ? 1 : 0 } }, docsReturned: 0 }
    }
    if (!upsert) return { reply: { data: { updated: 0 } }, docsReturned: 0 }
    if (cur) throw new DuplicateKeyError(coll, '_id_', `{ _id: ${JSON.stringify(id)} }`, key)
    const created = upsertDoc(query, data, merge)
    deps.txns.write(t, coll, key, created)
    return { reply: { data: { updated: 0, upsert_id: created._id } }, docsReturned: 0 }
  }
  const matched = matching(deps.store, coll, query, multi ? Infinity : 1)
  const changes: Change[] = []
  for (const before of matched) {
    const after = applyUpdate(before, data, merge, false)
    if (!deepEqual(after, before)) changes.push({ coll, key: idKey(before._id), after })
  }
  let upsertId: unknown
  if (!matched.length && upsert) {
    const created = upsertDoc(query, data, merge)
    const key = idKey(created._id)
    if (deps.store.getDoc(coll, key)) throw new DuplicateKeyError(coll, '_id_', `{ _id: ${JSON.stringify(created._id)} }`, key)
    changes.push({ coll, key, after: created })
    upsertId = created._id
  }
  deps.store.commit(changes)
  const updated = changes.length - (upsertId !== undefined ? 1 : 0)
  const data2: Record<string, unknown> = { updated }
  if (upsertId !== undefined) data2.upsert_id = upsertId
  return { reply: { data: data2 }, docsReturned: 0 }
}

function modifyAndReturnDoc(p: Params, deps: TcbDeps, now: number): TcbOutcome {
  const coll = collectionOf(p, deps.store)
  const query = parseObject(p.query, 'query', now)
  const data = parseObject(p.data, 'data', now)
  if (p.transactionId) {
    const t = deps.txns.get(p.transactionId)
    const key = idKey(docIdFromQuery(query))
    const cur = deps.txns.read(t, coll, key)
    if (!cur || !compileQuery(query).test(cur)) return { reply: { data: { updated: 0, doc: null } }, docsReturned: 0 }
    const after = applyUpdate(cur, data, true, false)
    const changed = !deepEqual(after, cur)
    if (changed) deps.txns.write(t, coll, key, after)
    return { reply: { data: { updated: changed ? 1 : 0, doc: toWire(after) } }, docsReturned: 1 }
  }
  const [before] = matching(deps.store, coll, query, 1)
  if (!before) return { reply: { data: { updated: 0, doc: null } }, docsReturned: 0 }
  const after = applyUpdate(before, data, true, false)
  const changed = !deepEqual(after, before)
  if (changed) deps.store.commit([{ coll, key: idKey(before._id), after }])
  return { reply: { data: { updated: changed ? 1 : 0, doc: toWire(after) } }, docsReturned: 1 }
}

function removeDocument(p: Params, deps: TcbDeps, now: number): TcbOutcome {
  const coll = collectionOf(p, deps.store)
  const query = parseObject(p.query, 'query', now)
  const multi = bool(p.multi, false)
  if (p.transactionId) {
    const t = deps.txns.get(p.transactionId)
    const key = idKey(docIdFromQuery(query))
    const cur = deps.txns.read(t, coll, key)
    if (!cur || !compileQuery(query).test(cur)) return { reply: { data: { deleted: 0 } }, docsReturned: 0 }
    deps.txns.write(t, coll, key, null)
    return { reply: { data: { deleted: 1 } }, docsReturned: 0 }
  }
  const matched = matching(deps.store, coll, query, multi ? Infinity : 1)
  deps.store.commit(matched.map((d) => ({ coll, key: idKey(d._id), after: null })))
  return { reply: { data: { deleted: matched.length } }, docsReturned: 0 }
}

function calculateDocument(p: Params, deps: TcbDeps, now: number): TcbOutcome {
  const coll = collectionOf(p, deps.store)
  const query = parseObject(p.query, 'query', now)
  if (p.transactionId) {
    const t = deps.txns.get(p.transactionId)
    const key = idKey(docIdFromQuery(query))
    const d = deps.txns.read(t, coll, key)
    return { reply: { data: { total: d && compileQuery(query).test(d) ? 1 : 0 } }, docsReturned: 0 }
  }
  const total = matching(deps.store, coll, query, Infinity).length
  return { reply: { data: { total } }, docsReturned: 0 }
}

function aggregateDocuments(p: Params, deps: TcbDeps, now: number): TcbOutcome {
  const coll = collectionOf(p, deps.store)
  if (!Array.isArray(p.stages)) throw new LocalCloudError(CODES.INVALID_PARAM, 'stages must be an array')
  const pipeline: Array<Record<string, unknown>> = p.stages.map((s: unknown, i: number) => {
    if (isPlainObject(s) && typeof s.stageKey === 'string') {
      let value: unknown
      try {
        value = typeof s.stageValue === 'string' ? parseWire(s.stageValue, now) : parseWire(JSON.stringify({ v: s.stageValue }), now)
        if (typeof s.stageValue !== 'string' && isPlainObject(value)) value = value.v
      } catch (e) {
        throw new LocalCloudError(CODES.INVALID_PARAM, `stages[${i}].stageValue is not valid EJSON: ${(e as Error).message}`)
      }
      return { [s.stageKey]: value }
    }
    if (isPlainObject(s) && Object.keys(s).length === 1) return parseWire(JSON.stringify(s), now) as Record<string, unknown>
    throw new LocalCloudError(CODES.INVALID_PARAM, `stages[${i}] is not a pipeline stage`)
  })
  for (const st of pipeline) {
    const k = Object.keys(st)[0]
    if (k === '$out' || k === '$merge') throw new LocalCloudError(CODES.REQUEST_FAILED, `${k} is not supported by WeChat Cloud aggregate`)
  }
  const hasLimit = pipeline.some((st) => Object.keys(st)[0] === '$limit')
  // Filter with a leading $match on the live documents, then clone only what the rest of the pipeline sees.
  let input: Doc[]
  let rest = pipeline
  if (pipeline.length && isPlainObject(pipeline[0].$match)) {
    const m = pipeline[0].$match as Record<string, unknown>
    const q = compileQuery(m)
    input = candidates(deps.store, coll, m).filter((d) => q.test(d)).map((d) => deepClone(d))
    rest = pipeline.slice(1)
  } else {
    input = deps.store.docs(coll).map((d) => deepClone(d))
  }
  const foreign = new Map<string, Doc[]>()
  let out: Doc[]
  try {
    out = mingoAggregate(input, rest as never, {
      collectionResolver: (name: string) => {
        let docs = foreign.get(name)
        if (!docs) {
          docs = deps.store.hasCollection(name) ? deps.store.docs(name).map((d) => deepClone(d)) : []
          foreign.set(name, docs)
        }
        return docs
      }
    } as never) as Doc[]
  } catch (e) {
    throw new LocalCloudError(CODES.REQUEST_FAILED, `aggregate failed: ${(e as Error).message}`)
  }
  if (!hasLimit) out = out.slice(0, AGGREGATE_DEFAULT_LIMIT)
  return { reply: { data: { list: out.map(toWire) } }, docsReturned: out.length }
}

// ------------------------------------------------------------------ dispatcher

export async function handleTcb(body: Params, deps: TcbDeps, invocationId?: string): Promise<TcbOutcome> {
  const requestId = newRequestId()
  const rawAction = typeof body.action === 'string' ? body.action : ''
  const action = ALIASES[rawAction] ?? rawAction
  const now = Date.now()
  try {
    let out: TcbOutcome
    switch (action) {
      case 'database.getDocument':
        out = getDocument(body, deps, now)
        break
      case 'database.insertDocument':
        out = insertDocument(body, deps, now)
        break
      case 'database.modifyDocument':
        out = modifyDocument(body, deps, now)
        break
      case 'database.modifyAndReturnDoc':
        out = modifyAndReturnDoc(body, deps, now)
        break
      case 'database.removeDocument':
        out = removeDocument(body, deps, now)
        break
      case 'database.calculateDocument':
        out = calculateDocument(body, deps, now)
        break
      case 'database.aggregateDocuments':
        out = aggregateDocuments(body, deps, now)
        break
      case 'database.addCollection': {
        const name = body.collectionName
        if (typeof name !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw new LocalCloudError(CODES.INVALID_PARAM, 'collectionName must be 1–64 letters, digits, _ or -')
        if (!deps.store.createCollection(name)) throw new LocalCloudError(CODES.COLLECTION_ALREADY_EXIST, `[ResourceInUse] collection ${name} already exists`)
        out = { reply: {}, docsReturned: 0 }
        break
      }
      case 'database.startTransaction': {
        const t: Transaction = deps.txns.start(invocationId)
        out = { reply: { transactionId: t.id }, docsReturned: 0 }
        break
      }
      case 'database.commitTransaction':
        deps.txns.commit(body.transactionId)
        out = { reply: {}, docsReturned: 0 }
        break
      case 'database.abortTransaction':
        deps.txns.abort(body.transactionId)
        out = { reply: {}, docsReturned: 0 }
        break
      case 'functions.invokeFunction': {
        if (!deps.invokeFunction) throw new LocalCloudError(CODES.UNSUPPORTED_ACTION, 'functions.invokeFunction is not available here')
        const name = body.function_name
        if (typeof name !== 'string' || !name) throw new LocalCloudError(CODES.INVALID_PARAM, 'function_name is required')
        let event: unknown = {}
        if (typeof body.request_data === 'string' && body.request_data) {
          try {
            event = JSON.parse(body.request_data)
          } catch {
            throw new LocalCloudError(CODES.INVALID_PARAM, 'request_data is not JSON')
          }
        }
        const result = await deps.invokeFunction(name, event, invocationId)
        out = { reply: { data: { response_data: JSON.stringify(result === undefined ? null : result) } }, docsReturned: 0 }
        break
      }
      case 'storage.getUploadMetadata':
      case 'storage.batchGetDownloadUrl':
      case 'storage.batchDeleteFile':
        if (!deps.storage) throw new LocalCloudError(CODES.UNSUPPORTED_ACTION, `${action} is not available here`)
        out = { reply: deps.storage.handleAction(action, body), docsReturned: 0 }
        break
      case 'wx.openApi': {
        const invocation = invocationId && deps.invocationOf ? deps.invocationOf(invocationId) : undefined
        out = { reply: {}, raw: handleOpenApi(body, { store: deps.store, invocation }), docsReturned: 0 }
        break
      }
      default:
        throw new LocalCloudError(CODES.UNSUPPORTED_ACTION, `local cloud does not support the TCB action '${rawAction || '(none)'}'`)
    }
    out.reply.requestId = requestId
    return out
  } catch (e) {
    if (e instanceof LocalCloudError) return { reply: { code: e.code, message: e.message, requestId }, docsReturned: 0 }
    const err = e as Error
    console.error('[localcloud] internal error in', rawAction, err)
    return { reply: { code: CODES.REQUEST_FAILED, message: `local cloud internal error: ${err && err.message}`, requestId }, docsReturned: 0 }
  }
}
