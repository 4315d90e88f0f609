/**
 * Plain MongoDB query objects (as the shared target registry writes them) → wx-server-sdk query commands.
 *
 * `where()` and `aggregate().match()` serialize a plain nested object as a field path, so `{ a: { $gte: 1 } }`
 * would mean "a.$gte equals 1". Operators must be the SDK's `db.command` objects; this turns the usual operators
 * into them. Anything else is rejected, so a registry entry cannot silently mean something different in the cloud.
 */
import { _ } from './cloud'

type Command = ReturnType<typeof _.eq>
const FIELD_OPERATORS: Record<string, (v: never) => Command> = {
  $eq: (v) => _.eq(v),
  $ne: (v) => _.neq(v),
  $gt: (v) => _.gt(v),
  $gte: (v) => _.gte(v),
  $lt: (v) => _.lt(v),
  $lte: (v) => _.lte(v),
  $in: (v) => _.in(v),
  $nin: (v) => _.nin(v),
  $exists: (v) => _.exists(v)
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof RegExp)

function fieldCondition(field: string, cond: Record<string, unknown>): unknown {
  const parts: Command[] = []
  for (const [op, value] of Object.entries(cond)) {
    const make = FIELD_OPERATORS[op]
    if (!make) throw new Error(`unsupported query operator ${op} on ${field}`)
    parts.push(make(value as never))
  }
  return parts.length === 1 ? parts[0] : _.and(parts as never)
}

/** Translates one query object. Top-level `$and` / `$or` become `_.and` / `_.or` over translated parts. */
export function toSdkQuery(query: Record<string, unknown>): Record<string, unknown> | ReturnType<typeof _.and> {
  const fields: Record<string, unknown> = {}
  const logic: unknown[] = []
  for (const [key, value] of Object.entries(query)) {
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value)) throw new Error(`${key} needs an array`)
      const parts = value.map((q) => toSdkQuery(q as Record<string, unknown>))
      logic.push(key === '$and' ? _.and(parts as never) : _.or(parts as never))
    } else if (key.startsWith('$')) {
      throw new Error(`unsupported top-level operator ${key}`)
    } else if (isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'))) {
      fields[key] = fieldCondition(key, value)
    } else {
      fields[key] = value
    }
  }
  if (logic.length === 0) return fields
  return _.and([...(Object.keys(fields).length ? [fields] : []), ...logic] as never)
}

/** Appends plain pipeline stages (`{ $lookup: … }`, `{ $addFields: … }`…) to an SDK aggregate by their names. */
export function withStages<Q extends object>(q: Q, stages: ReadonlyArray<Record<string, unknown>>): Q {
  let out = q
  for (const stage of stages) {
    const [name] = Object.keys(stage)
    const method = (out as Record<string, unknown>)[name.slice(1)]
    if (typeof method !== 'function') throw new Error(`unsupported aggregate stage ${name}`)
    out = (method as (v: unknown) => Q).call(out, stage[name])
  }
  return out
}

/**
 * Every result of an aggregation, in pages of 1000 (an aggregate returns what its $limit allows; WeChat Cloud
 * needs one): `make` builds the matched and sorted query afresh for each page, `stages` run on each page after
 * skip/limit (joins then touch only the page's documents).
 */
export async function aggregatePages<T>(make: () => { skip(n: number): { limit(n: number): object } }, stages: ReadonlyArray<Record<string, unknown>>, pageSize = 1000): Promise<T[]> {
  const out: T[] = []
  for (let skip = 0; ; skip += pageSize) {
    const q = withStages(make().skip(skip).limit(pageSize), stages) as { end(): Promise<unknown> }
    const page = ((await q.end()) as { list: T[] }).list
    out.push(...page)
    if (page.length < pageSize) return out
  }
}
