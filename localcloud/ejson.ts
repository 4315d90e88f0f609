/**
 * EJSON and document helpers shared by the store and the TCB handlers.
 *
 * Wire format: the SDK sends queries, update specs and documents as canonical EJSON strings
 * (`{"$numberInt":"1"}`, `{"$date":{"$numberLong":"…"}}`, `{"$regularExpression":…}`) and parses replies
 * with EJSON too, so replies are written canonical (relaxed: false). Stored bodies use relaxed EJSON
 * (plain numbers, `{"$date":"ISO"}`), which round-trips Dates as Dates.
 */
import { BSONRegExp, EJSON } from 'bson'

export type Doc = Record<string, unknown>

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/** Converts bson's BSONRegExp (what EJSON.parse yields for `$regularExpression`) into a JS RegExp for mingo. */
function toJsRegExp(r: BSONRegExp): RegExp {
  const flags = (r.options || '').split('').filter((c) => 'imsu'.includes(c)).join('')
  return new RegExp(r.pattern, flags)
}

/**
 * Walks a freshly parsed value in place: BSONRegExp → RegExp, `{$tcb_server_date:{offset}}` → Date(now+offset),
 * holes/undefined in arrays → null. Returns the (possibly replaced) value.
 */
export function normalizeParsed(value: unknown, now: number): unknown {
  if (value instanceof BSONRegExp) return toJsRegExp(value)
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i]
      value[i] = v === undefined ? null : normalizeParsed(v, now)
    }
    return value
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value)
    if (keys.length === 1 && keys[0] === '$tcb_server_date') {
      const spec = value.$tcb_server_date as { offset?: unknown } | undefined
      const offset = spec && typeof spec.offset === 'number' ? spec.offset : 0
      return new Date(now + offset)
    }
    for (const k of keys) value[k] = normalizeParsed(value[k], now)
    return value
  }
  return value
}

/** Parses an EJSON string (or accepts an already-parsed object) from a request. */
export function parseWire(input: unknown, now = Date.now()): unknown {
  if (input === undefined || input === null || input === '') return undefined
  if (typeof input === 'string') return normalizeParsed(EJSON.parse(input, { relaxed: true }), now)
  // Plain JSON objects sent by non-SDK clients: run them through EJSON so `$date` etc. are honoured.
  return normalizeParsed(EJSON.parse(JSON.stringify(input), { relaxed: true }), now)
}

export function toWire(doc: unknown): string {
  return EJSON.stringify(doc as Doc, { relaxed: false })
}

export function toStored(doc: unknown): string {
  return EJSON.stringify(doc as Doc, { relaxed: true })
}

export function fromStored(text: string): Doc {
  return normalizeParsed(EJSON.parse(text, { relaxed: true }), Date.now()) as Doc
}

/** Deep clone for documents: plain objects, arrays and Dates are copied; other values (immutable BSON types, RegExp) are shared. */
export function deepClone<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => deepClone(v)) as unknown as T
  if (value instanceof Date) return new Date(value.getTime()) as unknown as T
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(value)) out[k] = deepClone(value[k])
    return out as T
  }
  return value
}

/** Structural equality for documents (key order matters, as in BSON). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime()
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false
    return true
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a)
    const kb = Object.keys(b)
    if (ka.length !== kb.length) return false
    for (let i = 0; i < ka.length; i++) {
      if (ka[i] !== kb[i]) return false
      if (!deepEqual(a[ka[i]], b[kb[i]])) return false
    }
    return true
  }
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b)
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    try {
      return toWire({ v: a }) === toWire({ v: b })
    } catch {
      return false
    }
  }
  return false
}

/** Value at a dotted path; undefined when any segment is missing. Arrays are traversed by numeric index only. */
export function getPath(doc: unknown, path: string): unknown {
  let cur: unknown = doc
  for (const seg of path.split('.')) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined
    cur = (cur as Record<string, unknown>)[seg]
  }
  return cur
}

/** Store key of a document id: strings as is, anything else (numbers…) in a distinct EJSON form. */
export function idKey(id: unknown): string {
  if (typeof id === 'string') return id
  return '\u0000' + EJSON.stringify({ v: id } as Doc, { relaxed: false })
}
