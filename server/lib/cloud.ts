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
