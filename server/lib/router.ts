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

/** What a timer trigger (config.json `triggers`) runs: no caller, only the database and the time. */
export type TimerHandler = (event: { TriggerName?: string; Time?: string }, ctx: Omit<ActionContext, 'openid'>) => Promise<unknown>

export function createFunction<F extends FunctionName>(fn: F, handlers: Handlers<F>, opts: { timer?: TimerHandler } = {}) {
  const actions = contract[fn] as Record<string, { input: Parameters<typeof parseInput>[0] }>
  return async function main(event: unknown): Promise<Envelope<unknown>> {
    try {
      const { action, data } = (event ?? {}) as { action?: unknown; data?: unknown }
      // A timer trigger's event is {Type: 'Timer' (SCF docs also spell it 'timer'), TriggerName, Time} and it has
      // no OPENID. A user's call always has one, so a user cannot start a timer job by sending such an event.
      const type = (event as { Type?: unknown })?.Type
      if (opts.timer && action === undefined && typeof type === 'string' && type.toLowerCase() === 'timer' && !cloud.getWXContext().OPENID) {
        return { ok: true, data: await opts.timer(event as { TriggerName?: string; Time?: string }, { db, now: new Date() }) }
      }
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
