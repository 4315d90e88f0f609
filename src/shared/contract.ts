/**
 * The contract between the mini-program and the cloud functions: every function, every action, the zod
 * schema of its input and the type of its output. The client gateway and the server router are both typed
 * from this one table, so an action cannot be called with the wrong shape or answered with the wrong one.
 */
import { z } from 'zod'
import { GUARDIAN_RELATIONS, type GuardianRelation, type RoleScope } from './roles'

import { action } from './action'
import { recordId } from './fields'
import { statsActions } from './contract-stats'
import { programmeActions } from './contract-programme'
import { visitsActions } from './contract-visits'
import { counsellingActions } from './contract-counselling'
import { SUBSCRIBE_TOPIC_KEYS, type SubscribeTopic } from './subscriptions'

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

const allowReminderInput = z.object({
  topic: z.enum(SUBSCRIBE_TOPIC_KEYS as [SubscribeTopic, ...SubscribeTopic[]], { errorMap: () => ({ message: '提醒类型不存在' }) }),
  accepted: z.boolean({ required_error: '请选择是否接收提醒', invalid_type_error: '请选择是否接收提醒' })
})
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

// ---- roster: onboarding of schools, staff and the student roster (issue 3) ----
export const SCHOOL_TYPES = ['小学', '初中', '幼儿园', '九年一贯制', '高中', '其他'] as const
export type SchoolType = (typeof SCHOOL_TYPES)[number]
export const GENDERS = ['男', '女'] as const
/** 全国学籍号: G/L/J + 17 digits + digit or X, or a local number of 6–19 digits. */
export const STUDENT_NO_PATTERN = /^(?:[GLJ]\d{17}[\dX]|\d{6,19})$/
/** The roster template's columns, in order. */
export const ROSTER_HEADERS = ['年级', '班级', '姓名', '学籍号', '性别'] as const

export const rosterFields = {
  grade: z.string({ required_error: '请填写年级', invalid_type_error: '请填写年级' }).trim().min(1, '请填写年级').max(10, '年级不能超过 10 个字'),
  className: z.string({ required_error: '请填写班级', invalid_type_error: '请填写班级' }).trim().min(1, '请填写班级').max(20, '班级不能超过 20 个字'),
  name: z
    .string({ required_error: '请填写学生姓名', invalid_type_error: '请填写学生姓名' })
    .trim()
    .min(2, '请填写学生的完整姓名')
    .max(20, '姓名不能超过 20 个字')
    .regex(/^[\u4e00-\u9fa5·A-Za-z ]+$/, '姓名只能包含汉字或字母'),
  studentNo: z
    .string({ required_error: '请填写学籍号', invalid_type_error: '请填写学籍号' })
    .trim()
    .toUpperCase()
    .regex(STUDENT_NO_PATTERN, '学籍号应为 6–19 位数字，或以 G/L/J 开头的 19 位全国学籍号'),
  gender: z.enum(GENDERS, { errorMap: () => ({ message: '性别请填写“男”或“女”' }) })
}

const schoolTypeField = z.enum(SCHOOL_TYPES, { errorMap: () => ({ message: '请选择学校类型' }) })
const createSchoolInput = z.object({
  name: z.string({ required_error: '请填写学校名称' }).trim().min(2, '学校名称至少 2 个字').max(40, '学校名称不能超过 40 个字'),
  type: schoolTypeField,
  district: z.string({ required_error: '请填写所属学区' }).trim().min(1, '请填写所属学区').max(20, '学区名称不能超过 20 个字')
})
const listSchoolsInput = z
  .object({
    district: z.string().trim().max(20, '学区名称不能超过 20 个字').optional(),
    type: schoolTypeField.optional(),
    page: z.number({ invalid_type_error: '页码格式不正确' }).int('页码格式不正确').min(1, '页码格式不正确').max(1000, '页码格式不正确').optional()
  })
  .default({})
const schoolRef = z.object({ schoolId: recordId })
const adminInviteInput = z.object({
  code: z.string({ required_error: '请填写邀请码' }).trim().toUpperCase().regex(/^[A-Z0-9]{8}$/, '邀请码为 8 位字母或数字')
})
const importRosterInput = z.object({
  fileID: z.string({ required_error: '请先上传花名册文件' }).trim().max(1024, '文件编号不正确').regex(/^cloud:\/\/\S+$/, '文件编号不正确')
})
const addStudentInput = z.object({ classId: recordId, name: rosterFields.name, studentNo: rosterFields.studentNo, gender: rosterFields.gender })
const editStudentInput = z.object({ studentId: recordId, name: rosterFields.name.optional(), studentNo: rosterFields.studentNo.optional(), gender: rosterFields.gender.optional() })
const transferStudentInput = z.object({ studentId: recordId, classId: recordId })
const listStudentsInput = z.object({ classId: recordId, includeLeft: z.boolean({ invalid_type_error: '是否包含离校学生格式不正确' }).optional() })
const joinSchoolInput = z.object({
  schoolCode: z.string({ required_error: '请填写学校码' }).trim().toUpperCase().regex(/^[A-Z0-9]{4,8}$/, '学校码应为 4–8 位字母或数字'),
  name: z
    .string({ required_error: '请填写您的姓名' })
    .trim()
    .min(2, '请填写您的完整姓名')
    .max(20, '姓名不能超过 20 个字')
    .regex(/^[\u4e00-\u9fa5·A-Za-z ]+$/, '姓名只能包含汉字或字母')
})
const decideJoinInput = z.object({
  requestId: recordId,
  approve: z.boolean({ required_error: '请选择通过或拒绝', invalid_type_error: '请选择通过或拒绝' }),
  reason: z.string().trim().max(100, '原因不能超过 100 个字').optional()
})
const personRef = {
  membershipId: recordId.optional(),
  openid: z.string().trim().min(1, '缺少教职工').max(80, '教职工编号格式不正确').optional()
}
const whoRefine = (v: { membershipId?: string; openid?: string }) => Boolean(v.membershipId || v.openid)
const assignTeacherInput = z
  .object({
    ...personRef,
    classIds: z.array(recordId, { required_error: '请选择任教班级', invalid_type_error: '请选择任教班级' }).max(30, '任教班级不能超过 30 个'),
    headTeacherOf: z.array(recordId, { invalid_type_error: '班主任班级格式不正确' }).max(5, '担任班主任的班级不能超过 5 个').default([])
  })
  .refine(whoRefine, { message: '请选择教职工', path: ['membershipId'] })
const grantRoleInput = z
  .object({
    ...personRef,
    role: z.enum(['schoolAdmin', 'counsellor'], { errorMap: () => ({ message: '只能授予学校管理员或家庭教育指导师' }) }),
    grant: z.boolean({ required_error: '请选择授予或取消', invalid_type_error: '请选择授予或取消' })
  })
  .refine(whoRefine, { message: '请选择教职工', path: ['membershipId'] })

export interface SchoolSummary {
  schoolId: string
  name: string
  type: SchoolType
  district: string
  code: string
}
/** A school with its onboarding progress (bureau view: counts only, no student data). */
export interface SchoolProgress extends SchoolSummary {
  classes: number
  enrolled: number
  teachers: number
  /** enrolled students with ≥ 1 bound guardian (T1 numerator) */
  boundStudents: number
}
export interface FileLink {
  fileID: string
  tempFileURL: string
}
export interface ImportProblem {
  /** the worksheet row (1 = header row) */
  row: number
  field: string
  message: string
}
export interface ImportSummary {
  rows: number
  classesCreated: number
  studentsAdded: number
  studentsUpdated: number
  studentsMoved: number
  unchanged: number
}
export interface RosterStudent {
  studentId: string
  name: string
  studentNo: string
  gender: string | null
  classId: string
  className: string
  status: 'enrolled' | 'left'
}
/** A class of the school as its admin sees it. */
export interface ClassView {
  classId: string
  grade: string
  name: string
  code: string
  /** the head teachers' names (full: the admin's own staff), empty when none is assigned */
  headTeachers: string[]
  enrolled: number
}
export type StaffRole = 'teacher' | 'counsellor' | 'schoolAdmin'
/** One person of the school's staff (all their active school roles together). */
export interface StaffView {
  /** the teacher membership when they teach, otherwise another of their memberships (for assignTeacher / grantRole) */
  membershipId: string
  name: string
  roles: StaffRole[]
  classIds: string[]
  headTeacherOf: string[]
  isMe: boolean
}
export type JoinRequestStatus = 'pending' | 'approved' | 'rejected'
export interface JoinRequestView {
  requestId: string
  name: string
  status: JoinRequestStatus
  reason: string | null
  createdAt: number
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
    ),
    /** After wx.requestSubscribeMessage: one more message of the topic may be sent to me (accepted), or none. */
    allowReminder: action<typeof allowReminderInput, { topic: SubscribeTopic; credits: number }>(allowReminderInput)
  },
  binding: {
    /** Guardian: bind a child with the class code, the child's name and the last 4 digits of the student number. */
    bindChild: action<typeof bindChildInput, BindResult>(bindChildInput),
    /** Guardian: my children and my binding requests. */
    myChildren: action<typeof empty, { children: ChildSummary[]; requests: MyBindingRequest[] }>(empty),
    /** Guardian: end my binding to a child (history stays; binding again later works). */
    unbind: action<typeof studentRef, { studentId: string }>(studentRef),
    /** Guardian: a code, valid 72 hours and for one use, with which another family member binds the same child. */
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
  },
  roster: {
    /** Bureau: create a school of the county (idempotent on county + name) with a unique school code. */
    createSchool: action<typeof createSchoolInput, { school: SchoolSummary; /** false: a school of that name already existed and is returned as it is */ created: boolean }>(createSchoolInput),
    /** Bureau: the county's schools with onboarding progress, 20 per page. */
    listSchools: action<typeof listSchoolsInput, { schools: SchoolProgress[]; page: number; hasMore: boolean }>(listSchoolsInput),
    /** Bureau: an invitation code (7 days) for the principal to become the school's admin. */
    inviteSchoolAdmin: action<typeof schoolRef, { code: string; expiresAt: number }>(schoolRef),
    /** Any registered user: accept an admin invitation. */
    acceptAdminInvite: action<typeof adminInviteInput, { schoolId: string; schoolName: string }>(adminInviteInput),
    /** School admin: the .xlsx roster template. */
    rosterTemplate: action<typeof empty, FileLink>(empty),
    /** School admin: import classes and students from a filled template — all rows or none. */
    importRoster: action<typeof importRosterInput, ImportSummary>(importRosterInput),
    /** School admin: the school's roster as .xlsx (roster fields only). */
    exportRoster: action<typeof empty, FileLink & { students: number }>(empty),
    /** School admin: the school's classes with head teachers and enrolled counts. */
    listClasses: action<typeof empty, { classes: ClassView[] }>(empty),
    /** School admin, or a teacher of the class: the class's roster students (enrolled; left ones too on request). */
    listStudents: action<typeof listStudentsInput, { classId: string; className: string; students: RosterStudent[] }>(listStudentsInput),
    /** School admin: the school's staff, one entry per person. */
    listStaff: action<typeof empty, { staff: StaffView[] }>(empty),
    addStudent: action<typeof addStudentInput, { student: RosterStudent }>(addStudentInput),
    editStudent: action<typeof editStudentInput, { student: RosterStudent }>(editStudentInput),
    transferStudent: action<typeof transferStudentInput, { student: RosterStudent }>(transferStudentInput),
    /** School admin: the student left the school (no new bindings; history stays). */
    markLeft: action<typeof studentRef, { student: RosterStudent }>(studentRef),
    /** Any registered user: ask to join a school as staff with its school code (idempotent). */
    joinSchool: action<typeof joinSchoolInput, { requestId: string; schoolName: string; status: JoinRequestStatus }>(joinSchoolInput),
    /** School admin: pending join requests. */
    listJoinRequests: action<typeof empty, { requests: JoinRequestView[] }>(empty),
    /** School admin: approve (teacher membership) or reject (with a reason) a join request. */
    decideJoin: action<typeof decideJoinInput, { requestId: string; status: JoinRequestStatus; membershipId: string | null }>(decideJoinInput),
    /** School admin: a teacher's classes and head-teacher classes. */
    assignTeacher: action<typeof assignTeacherInput, { membershipId: string; classIds: string[]; headTeacherOf: string[] }>(assignTeacherInput),
    /** School admin: grant or remove schoolAdmin / counsellor (never the last admin). */
    grantRole: action<typeof grantRoleInput, { openid: string; role: 'schoolAdmin' | 'counsellor'; granted: boolean }>(grantRoleInput)
  },
  stats: statsActions,
  programme: programmeActions,
  visits: visitsActions,
  counselling: counsellingActions
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
