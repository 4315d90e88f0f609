/**
 * The contract between the mini-program and the cloud functions: every function, every action, the zod
 * schema of its input and the type of its output. The client gateway and the server router are both typed
 * from this one table, so an action cannot be called with the wrong shape or answered with the wrong one.
 */
import { z } from 'zod'
import { GUARDIAN_RELATIONS, type GuardianRelation, type RoleScope } from './roles'

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

// Shared field schemas (Chinese messages on every rule a user can break).
const recordId = z.string({ required_error: '缺少编号' }).trim().min(1, '缺少编号').max(80, '编号格式不正确').regex(/^[A-Za-z0-9_-]+$/, '编号格式不正确')
const relation = z.enum(GUARDIAN_RELATIONS, { errorMap: () => ({ message: '请选择您与孩子的关系' }) })
const classCode = z
  .string({ required_error: '请填写班级码' })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{4,12}$/, '班级码应为 4–12 位字母或数字')
const childName = z
  .string({ required_error: '请填写孩子的姓名' })
  .trim()
  .min(2, '请填写孩子的完整姓名')
  .max(20, '姓名不能超过 20 个字')
  .regex(/^[\u4e00-\u9fa5·A-Za-z ]+$/, '姓名只能包含汉字或字母')
const studentNoSuffix = z.string({ required_error: '请填写学籍号后 4 位' }).trim().regex(/^\d{4}$/, '请填写学籍号的后 4 位数字')
const familyCode = z
  .string({ required_error: '请填写家庭邀请码' })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{8}$/, '家庭邀请码为 8 位字母或数字')

const bindChildInput = z.object({ classCode, childName, studentNoSuffix, relation })
const studentRef = z.object({ studentId: recordId })
const classRef = z.object({ classId: recordId })
const joinByFamilyCodeInput = z.object({ code: familyCode, relation })
const handOverInput = z.object({ studentId: recordId, toGuardianId: recordId })
const decideInput = z.object({
  requestId: recordId,
  approve: z.boolean({ required_error: '请选择通过或拒绝', invalid_type_error: '请选择通过或拒绝' }),
  studentId: recordId.optional(),
  reason: z.string().trim().max(100, '原因不能超过 100 个字').optional()
})

/** A child as their own guardian sees them (full name: it is their child). */
export interface ChildSummary {
  studentId: string
  name: string
  className: string
  schoolName: string
  relation: GuardianRelation
  primary: boolean
}

export type BindingRequestStatus = 'pending' | 'approved' | 'rejected'

export interface MyBindingRequest {
  requestId: string
  childName: string
  className: string
  schoolName: string
  status: BindingRequestStatus
  /** the head teacher's reason, shown to the guardian when rejected */
  reason: string | null
  updatedAt: number
}

export type BindResult =
  | { status: 'bound'; child: ChildSummary }
  | { status: 'pending'; request: MyBindingRequest }

/** Another guardian of the same child, as family members see each other: masked name, relation. */
export interface GuardianSummary {
  guardianId: string
  maskedName: string
  relation: GuardianRelation
  primary: boolean
  isMe: boolean
}

/** A pending binding as the head teacher sees it, with the students of the class it may mean. */
export interface PendingBindingView {
  requestId: string
  guardianMaskedName: string
  relation: GuardianRelation
  childName: string
  studentNoSuffix: string
  createdAt: number
  /** students of the class whose name or number suffix matches (the teacher's own class: full names) */
  candidates: Array<{ studentId: string; name: string; studentNo: string }>
}

export interface UnboundStudents {
  classId: string
  className: string
  classCode: string
  enrolled: number
  unbound: Array<{ studentId: string; name: string; studentNo: string }>
}

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
  },
  binding: {
    /** Guardian: bind a child with the class code, the child's name and the last 4 digits of the student number. */
    bindChild: action<typeof bindChildInput, BindResult>(bindChildInput),
    /** Guardian: my children and my binding requests. */
    myChildren: action<typeof empty, { children: ChildSummary[]; requests: MyBindingRequest[] }>(empty),
    /** Guardian: end my binding to a child (history stays; binding again later works). */
    unbind: action<typeof studentRef, { studentId: string }>(studentRef),
    /** Guardian: a code, valid 72 hours, with which another family member binds the same child. */
    inviteFamily: action<typeof studentRef, { code: string; expiresAt: number }>(studentRef),
    /** Family member: bind the child of a family invitation. */
    joinByFamilyCode: action<typeof joinByFamilyCodeInput, { child: ChildSummary }>(joinByFamilyCodeInput),
    /** Guardian: the guardians of my child. */
    familyOf: action<typeof studentRef, { guardians: GuardianSummary[] }>(studentRef),
    /** Primary guardian: hand the primary role to another guardian of the child. */
    handOverPrimary: action<typeof handOverInput, { guardians: GuardianSummary[] }>(handOverInput),
    /** Head teacher / school admin: pending bindings of a class. */
    pendingRequests: action<typeof classRef, { requests: PendingBindingView[] }>(classRef),
    /** Head teacher / school admin: approve (to a chosen student) or reject (with a reason) a pending binding. */
    decideRequest: action<typeof decideInput, { requestId: string; status: BindingRequestStatus }>(decideInput),
    /** Head teacher / school admin: enrolled students without a bound guardian (T1), with the class code to send. */
    unboundStudents: action<typeof classRef, UnboundStudents>(classRef)
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
