/**
 * The action router shared by every cloud function: validates `{ action, data }` against the contract, resolves
 * the caller from `cloud.getWXContext().OPENID` only (never from the event), runs the handler, and answers with
 * the one envelope `{ ok: true, data }` / `{ ok: false, code, message }`.
 */
import { cloud, db } from './cloud'
import { contract, type ActionName, type ActionOutput, type FunctionName, type ParsedInput } from '@/shared/contract'
import { AppError, ERROR_MESSAGES, type Envelope } from '@/shared/errors'
import { parseInput } from '@/shared/validate'

export interface ActionContext {
  /** The caller, as WeChat vouches for it. */
  openid: string
  db: typeof db
  now: Date
}

export type Handlers<F extends FunctionName> = {
  [A in ActionName<F>]: (input: ParsedInput<F, A>, ctx: ActionContext) => Promise<ActionOutput<F, A>>
}

export function createFunction<F extends FunctionName>(fn: F, handlers: Handlers<F>) {
  const actions = contract[fn] as Record<string, { input: Parameters<typeof parseInput>[0] }>
  return async function main(event: unknown): Promise<Envelope<unknown>> {
    try {
      const { action, data } = (event ?? {}) as { action?: unknown; data?: unknown }
      if (typeof action !== 'string' || !Object.prototype.hasOwnProperty.call(actions, action) || !(action in handlers)) {
        throw new AppError('UNKNOWN_ACTION', `${ERROR_MESSAGES.UNKNOWN_ACTION}（${String(action)}）`)
      }
      const { OPENID } = cloud.getWXContext()
      if (!OPENID) throw new AppError('UNAUTHENTICATED')
      const input = parseInput(actions[action].input, data)
      const handler = handlers[action as ActionName<F>] as (i: unknown, c: ActionContext) => Promise<unknown>
      const result = await handler(input, { openid: OPENID, db, now: new Date() })
      return { ok: true, data: result }
    } catch (e) {
      if (e instanceof AppError) {
        return e.details === undefined
          ? { ok: false, code: e.code, message: e.message }
          : { ok: false, code: e.code, message: e.message, details: e.details }
      }
      // Unexpected: log for the developer, never leak internals to the user.
      console.error(`[${fn}]`, e)
      return { ok: false, code: 'INTERNAL_ERROR', message: ERROR_MESSAGES.INTERNAL_ERROR }
    }
  }
}
