/**
 * The one place a function initialises wx-server-sdk. In WeChat Cloud and in the local cloud the code is the
 * same: the environment (and, locally, the loopback service URL) comes from the runtime's configuration.
 */
import cloud from 'wx-server-sdk'

// wx-server-sdk types DYNAMIC_CURRENT_ENV as a symbol; init() accepts it at run time. The SDK gives up on a database
// request after 15 s by default; a county-wide statistics aggregation may need longer (functions run up to 60 s).
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string, timeout: 55_000 } as Parameters<typeof cloud.init>[0])

export { cloud }
export const db = cloud.database()
export const _ = db.command

/** The documents a query returns, typed. (wx-server-sdk's typings include callback overloads that return void.) */
export async function fetchList<T>(query: { get(): unknown }): Promise<T[]> {
  const res = (await query.get()) as { data: T[] }
  return res.data
}

/**
 * Restricts a query to records written by cloud functions. A record inserted from a mini-program always carries
 * `_openid`; ours never do. If a collection's admin-only security rule were ever missing in a deployment, a user
 * could insert e.g. a membership granting themselves a role — this keeps such a record from ever counting.
 */
export function trustedOnly<Q extends Record<string, unknown>>(query: Q): Q & { _openid: unknown } {
  return { ...query, _openid: _.exists(false) }
}

/** The first document of a query, or null. */
export async function one<T>(query: { get(): unknown }): Promise<T | null> {
  const [doc] = await fetchList<T>(query)
  return doc ?? null
}

/**
 * Every document of a query, in pages of 1000 (the most a function's get() returns). `make` builds the query
 * afresh for each page and must give it a stable order; `onRequest` is told of each request (for cost counting).
 */
export async function fetchAll<T>(make: () => { skip(n: number): { limit(n: number): { get(): unknown } } }, onRequest: () => void = () => undefined): Promise<T[]> {
  const out: T[] = []
  for (let skip = 0; ; skip += 1000) {
    onRequest()
    const page = await fetchList<T>(make().skip(skip).limit(1000))
    out.push(...page)
    if (page.length < 1000) return out
  }
}

/** A write refused by a unique index (MongoDB's E11000, as WeChat Cloud and the local cloud report it). */
export function isDuplicateKey(e: unknown): boolean {
  const o = e as { errMsg?: unknown; message?: unknown }
  return /E11000/.test(`${String(o?.errMsg ?? '')} ${String(o?.message ?? '')}`)
}
