/**
 * The contract between the mini-program and the cloud functions: every function, every action, the zod
 * schema of its input and the type of its output. The client gateway and the server router are both typed
 * from this one table, so an action cannot be called with the wrong shape or answered with the wrong one.
 */
import { z } from 'zod'
import type { RoleScope } from './roles'

/** Declares an action: a runtime input schema plus a compile-time output type. */
function action<I extends z.ZodTypeAny, O>(input: I): { input: I; output: O } {
  return { input, output: undefined as unknown as O }
}

export type ConsentStatus = 'none' | 'accepted' | 'withdrawn'

export interface ConsentState {
  status: ConsentStatus
  version: string | null
  /** epoch ms of the last change */
  at: number | null
  /** true when the consent concerns this user: they act as a guardian, or have no role yet (about to bind a child) */
  applies: boolean
  /** true when it applies and the current version has not been accepted: the user is in limited mode */
  required: boolean
}

export interface Preferences {
  largeText: boolean
}

export interface WhoAmI {
  userId: string
  displayName: string
  roles: RoleScope[]
  consent: ConsentState
  preferences: Preferences
}

const empty = z.object({}).default({})

export const contract = {
  account: {
    whoami: action<typeof empty, WhoAmI>(empty),
    acceptConsent: action<z.ZodObject<{ version: z.ZodString }>, ConsentState>(
      z.object({ version: z.string().trim().min(1, '缺少规则版本').max(40, '规则版本过长') })
    ),
    withdrawConsent: action<typeof empty, ConsentState>(empty),
    setPreferences: action<z.ZodObject<{ largeText: z.ZodBoolean }>, Preferences>(
      z.object({ largeText: z.boolean({ required_error: '请选择是否开启大字模式', invalid_type_error: '大字模式只能是开或关' }) })
    )
  }
} as const

export type Contract = typeof contract
export type FunctionName = keyof Contract
export type ActionName<F extends FunctionName> = keyof Contract[F] & string
type Entry<F extends FunctionName, A extends ActionName<F>> = Contract[F][A] extends { input: infer I; output: infer O }
  ? { input: I; output: O }
  : never
export type ActionInput<F extends FunctionName, A extends ActionName<F>> = Entry<F, A>['input'] extends z.ZodTypeAny
  ? z.input<Entry<F, A>['input']>
  : never
export type ParsedInput<F extends FunctionName, A extends ActionName<F>> = Entry<F, A>['input'] extends z.ZodTypeAny
  ? z.output<Entry<F, A>['input']>
  : never
export type ActionOutput<F extends FunctionName, A extends ActionName<F>> = Entry<F, A>['output']

/** The request every function receives: `{ action, data }`. Anything else in the event is ignored. */
export interface CallEvent {
  action: string
  data?: unknown
}

/** Every (function, action) pair, for tables that must cover them all (authorization matrix, benchmarks). */
export function allActions(): Array<{ fn: FunctionName; action: string }> {
  const list: Array<{ fn: FunctionName; action: string }> = []
  for (const fn of Object.keys(contract) as FunctionName[]) {
    for (const a of Object.keys(contract[fn])) list.push({ fn, action: a })
  }
  return list
}
