/**
 * The `visits` function's part of the contract: 全员家访 (000 三(三)) — the semester plan, contact and home-visit
 * records, the teacher's "my work", one file per student (一人一档), the special-student registry, class coverage
 * (T6/T7/T8) and the teacher's to-do items. The rules are in ./visits.
 *
 * Who sees what: a record's contents, a student file and the registry only reach the student's teachers (their
 * class, or their visiting teacher this semester) and the school's admin; every such read is written to the audit
 * log. Guardians and bureau users never reach them (the bureau sees T6–T8 as counts in the statistics).
 */
import { z } from 'zod'
import { action } from './action'
import { recordId } from './fields'
import { CONTACT_TYPES, SPECIAL_CATEGORIES, VISIT_LIMITS, type ContactType, type SpecialCategory, type WorkUrgency } from './visits'
import type { TargetValue } from './targets'

const empty = z.object({}).default({})
const day = (what: string) =>
  z
    .string({ required_error: `请选择${what}`, invalid_type_error: `请选择${what}` })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${what}格式应为 YYYY-MM-DD`)
    .refine((d) => {
      const [y, m, dd] = d.split('-').map(Number)
      const t = new Date(Date.UTC(y, m - 1, dd))
      return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === dd
    }, `${what}不是有效的日期`)
const text = (what: string, max: number) =>
  z.string({ invalid_type_error: `${what}应为文字` }).trim().max(max, `${what}不能超过 ${max} 个字`).default('')
const studentRef = z.object({ studentId: recordId })
const openid = z.string({ required_error: '请选择教师', invalid_type_error: '请选择教师' }).trim().min(1, '请选择教师').max(80, '教师编号格式不正确')

const contactType = z.enum(CONTACT_TYPES, { errorMap: () => ({ message: '请选择联系方式（入户家访、到校约谈、电话、视频或微信）' }) })
const situation = z
  .object({
    study: text('学习情况', VISIT_LIMITS.situation),
    health: text('身体健康情况', VISIT_LIMITS.situation),
    mood: text('心理情绪情况', VISIT_LIMITS.situation),
    family: text('家庭情况', VISIT_LIMITS.situation)
  }, { invalid_type_error: '学生情况格式不正确' })
  .default({})
const followUp = z
  .object({
    needed: z.boolean({ invalid_type_error: '请选择是否需要跟进' }).default(false),
    by: day('跟进日期').nullable().optional(),
    note: text('跟进事项', VISIT_LIMITS.note)
  }, { invalid_type_error: '后续跟进格式不正确' })
  .default({})
  .superRefine((f, ctx) => {
    if (f.needed && !f.by) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['by'], message: '需要跟进时请选择跟进日期' })
  })
const photos = z
  .array(
    z.string({ invalid_type_error: '照片编号不正确' }).trim().max(1024, '照片编号不正确').regex(/^cloud:\/\/\S+$/, '照片编号不正确'),
    { invalid_type_error: '照片格式不正确' }
  )
  .max(VISIT_LIMITS.photos, `照片最多 ${VISIT_LIMITS.photos} 张`)
  .default([])

/** The fields of a record as the teacher fills them in. */
const recordFields = {
  type: contactType,
  date: day('联系日期'),
  participants: text('参与人员', VISIT_LIMITS.participants),
  situation,
  suggestions: text('家长意见建议', VISIT_LIMITS.suggestions),
  followUp,
  photos
}
const submitVisitInput = z
  .object({
    /** made by the phone when the draft starts: a retried submission carries the same key and creates nothing new */
    clientKey: z.string({ required_error: '缺少提交编号', invalid_type_error: '提交编号格式不正确' }).trim().regex(/^[A-Za-z0-9_-]{8,40}$/, '提交编号格式不正确'),
    studentId: recordId,
    ...recordFields
  })
  .superRefine(hasContent)
const correctVisitInput = z
  .object({
    recordId,
    /** the record's updatedAt the correction was made from: refused with CONFLICT when it has changed since */
    baseUpdatedAt: z.number({ invalid_type_error: '记录版本格式不正确' }).int('记录版本格式不正确').nonnegative('记录版本格式不正确').optional(),
    ...recordFields
  })
  .superRefine(hasContent)

/** A record says something: at least one aspect of the child's situation or the family's suggestions. */
export function contentProblem(v: { situation: Record<string, string>; suggestions: string }): string | null {
  return !Object.values(v.situation).some((s) => s.trim().length > 0) && !v.suggestions.trim() ? '请至少填写一项学生情况或家长意见建议' : null
}

function hasContent(v: { situation: Record<string, string>; suggestions: string }, ctx: z.RefinementCtx) {
  const message = contentProblem(v)
  if (message) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['situation'], message })
}

const assignClassInput = z.object({
  classId: recordId,
  teacherOpenids: z
    .array(openid, { required_error: '请选择家访教师', invalid_type_error: '请选择家访教师' })
    .min(1, '请选择家访教师')
    .max(VISIT_LIMITS.visitorsMax, `每位学生最多安排 ${VISIT_LIMITS.visitorsMax} 位家访教师（结对家访）`)
    .refine((l) => new Set(l).size === l.length, '同一位教师不能选两次'),
  /** only these students of the class; all enrolled students when omitted */
  studentIds: z.array(recordId, { invalid_type_error: '学生格式不正确' }).min(1, '请选择学生').max(200, '一次最多安排 200 名学生').optional()
})
const saveTrainingInput = z
  .object({
    title: z.string({ required_error: '请填写培训材料标题' }).trim().min(2, '培训材料标题至少 2 个字').max(40, '培训材料标题不能超过 40 个字'),
    link: z
      .string({ invalid_type_error: '链接格式不正确' })
      .trim()
      .max(500, '链接过长')
      .regex(/^(https:\/\/\S+)?$/, '链接应以 https:// 开头')
      .default(''),
    fileID: z.string().trim().max(1024, '文件编号不正确').regex(/^(cloud:\/\/\S+)?$/, '文件编号不正确').default(''),
    fileName: text('文件名', 80)
  })
  .refine((t) => Boolean(t.link || t.fileID), { message: '请上传培训文档或填写链接', path: ['link'] })
const markSpecialInput = z.object({
  studentId: recordId,
  categories: z
    .array(z.enum(SPECIAL_CATEGORIES, { errorMap: () => ({ message: '请选择名册类别' }) }), { required_error: '请选择名册类别', invalid_type_error: '请选择名册类别' })
    .min(1, '请至少选择一个类别')
    .max(SPECIAL_CATEGORIES.length, '类别重复')
    .refine((l) => new Set(l).size === l.length, '类别重复'),
  intervalDays: z
    .number({ invalid_type_error: '随访间隔应为天数' })
    .int('随访间隔应为整数天')
    .min(VISIT_LIMITS.intervalMin, `随访间隔至少 ${VISIT_LIMITS.intervalMin} 天`)
    .max(VISIT_LIMITS.intervalMax, `随访间隔不能超过 ${VISIT_LIMITS.intervalMax} 天`)
    .default(VISIT_LIMITS.intervalDefault),
  note: text('关注要点', VISIT_LIMITS.note)
})
const endSpecialInput = z.object({
  studentId: recordId,
  reason: z.string({ required_error: '请填写移出名册的原因' }).trim().min(2, '请填写移出名册的原因').max(VISIT_LIMITS.note, `原因不能超过 ${VISIT_LIMITS.note} 个字`)
})
const saveFamilyInput = z.object({ studentId: recordId, family: text('家庭基本情况', VISIT_LIMITS.family) })
const optionalClass = z.object({ classId: recordId.optional() }).default({})

export interface TeacherOption {
  openid: string
  name: string
  /** head teacher of this class (plan pages) */
  headTeacher?: boolean
}

export interface TrainingView {
  title: string
  link: string
  fileName: string
  /** a temporary URL of the uploaded document, '' for a link */
  tempFileURL: string
  updatedAt: number
}

export interface PlanClassRow {
  classId: string
  grade: string
  name: string
  enrolled: number
  assigned: number
  headTeachers: TeacherOption[]
  /** the visiting teachers of the class's students with how many each */
  visitors: Array<TeacherOption & { students: number }>
}

export interface PlanOverview {
  semester: { id: string; label: string }
  classes: PlanClassRow[]
  totals: { enrolled: number; assigned: number }
  /** the school's teachers, for choosing visitors */
  teachers: TeacherOption[]
  training: TrainingView | null
}

export interface ClassPlan {
  classId: string
  className: string
  students: Array<{ studentId: string; name: string; visitors: TeacherOption[] }>
  teachers: TeacherOption[]
}

export interface WorkItem {
  studentId: string
  name: string
  classId: string
  className: string
  urgency: WorkUrgency
  /** epoch ms of the day, null when none */
  lastContactAt: number | null
  lastHomeVisitAt: number | null
  contactedThisSemester: boolean
  homeVisitInWindow: boolean
  /** the earliest follow-up due (a record's or the registry's) */
  dueAt: number | null
  /** in the special registry (no categories here: those are read, and audited, in the student file) */
  special: boolean
}

export interface MyWork {
  semester: { id: string; label: string }
  items: WorkItem[]
  counts: { assigned: number; notContacted: number; noHomeVisit: number; overdue: number }
  /** more students are assigned than one page lists */
  truncated: boolean
  training: TrainingView | null
}

export interface RecordChange {
  at: number
  byName: string
  fields: string[]
}

export interface VisitRecordView {
  recordId: string
  studentId: string
  type: ContactType
  date: string
  participants: string
  situation: { study: string; health: string; mood: string; family: string }
  suggestions: string
  followUp: { needed: boolean; by: string | null; note: string }
  photos: Array<{ fileID: string; tempFileURL: string }>
  authorName: string
  isMine: boolean
  createdAt: number
  updatedAt: number
  /** until when I may correct it; null when I may not */
  editableUntil: number | null
  changes: RecordChange[]
}

export interface RegistryView {
  studentId: string
  name: string
  className: string
  categories: SpecialCategory[]
  intervalDays: number
  note: string
  registeredAt: number
  registeredByName: string
  lastContactAt: number | null
  dueAt: number
  overdue: boolean
  history: Array<{ at: number; byName: string; change: string }>
}

export interface StudentFile {
  student: { studentId: string; name: string; className: string; schoolName: string; gender: string | null; status: 'enrolled' | 'left' }
  family: string
  familyUpdatedAt: number | null
  guardiansBound: number
  visitors: TeacherOption[]
  registry: RegistryView | null
  /** the last time the student was taken off the registry (when not on it now) */
  registryEnded: { endedAt: number; reason: string; history: Array<{ at: number; byName: string; change: string }> } | null
  /** how the caller reaches the file: the admin also sees who read it (auditTrail) */
  viewerRole: 'schoolAdmin' | 'teacher' | 'visitor'
  /** newest first */
  records: VisitRecordView[]
  /** the open follow-up asked for by the latest record */
  followUp: { by: string; note: string; recordId: string } | null
  summary: { contacts: number; homeVisits: number; lastContactAt: number | null; lastHomeVisitAt: number | null }
  /** the file may be changed by the caller (their class, or the admin) */
  canEdit: boolean
}

export interface CoverageRow {
  classId: string
  className: string
  T6: TargetValue
  T7: TargetValue
  T8: TargetValue
}

export interface Coverage {
  asOf: number
  /** T7's expected share by now of the three-year cycle */
  homeVisitPace: number
  school: Omit<CoverageRow, 'classId' | 'className'> | null
  classes: CoverageRow[]
}

export type TodoKind = 'followUpOverdue' | 'followUpDue' | 'registryOverdue' | 'registryDue'
export interface TodoItem {
  id: string
  kind: TodoKind
  title: string
  detail: string
  dueAt: number
  overdue: boolean
  /** the page that deals with it */
  url: string
}

export interface AuditEntry {
  at: number
  who: string
  role: string
  what: string
}

export const visitsActions = {
  // ---- the semester plan (school admin)
  /** School admin: this semester's plan per class — enrolled, assigned, visiting teachers — and the training material. */
  planOverview: action<typeof empty, PlanOverview>(empty),
  /** School admin: a class's students with their visiting teachers (unassigned ones have none). */
  classPlan: action<z.ZodObject<{ classId: typeof recordId }>, ClassPlan>(z.object({ classId: recordId })),
  /** School admin: assign a class's students (all, or the chosen ones) to one teacher or a pair, for this semester. */
  assignClass: action<typeof assignClassInput, { assigned: number }>(assignClassInput),
  /** School admin: every unassigned student goes to their class's head teacher(s). */
  assignDefaults: action<typeof empty, { assigned: number; classesWithoutHeadTeacher: string[] }>(empty),
  /** School admin: the semester's 家访培训 material (an uploaded document or a link). */
  saveTraining: action<typeof saveTrainingInput, TrainingView>(saveTrainingInput),

  // ---- the teacher's work
  /** Teacher: the students assigned to me this semester, most urgent first. */
  myWork: action<typeof empty, MyWork>(empty),
  /** Teacher: log a contact or visit (idempotent on clientKey: a retry returns the same record). */
  submitVisit: action<typeof submitVisitInput, { record: VisitRecordView; created: boolean }>(submitVisitInput),
  /** The author, within 7 days: correct a record (the earlier version is kept). */
  correctVisit: action<typeof correctVisitInput, { record: VisitRecordView }>(correctVisitInput),
  /** The student's teachers and the school admin: one record with its change history (audited). */
  visitRecord: action<z.ZodObject<{ recordId: typeof recordId }>, { record: VisitRecordView }>(z.object({ recordId })),
  /** The student's teachers and the school admin: the student's file (一人一档, audited). */
  studentFile: action<typeof studentRef, StudentFile>(studentRef),
  /** The student's teachers and the school admin: the family's basic situation in the file. */
  saveFamily: action<typeof saveFamilyInput, { family: string; familyUpdatedAt: number }>(saveFamilyInput),

  // ---- the special registry
  /** The student's teachers and the school admin: put a student on the registry, or change the entry. */
  markSpecial: action<typeof markSpecialInput, { entry: RegistryView }>(markSpecialInput),
  /** The student's teachers and the school admin: take a student off the registry, with the reason (kept). */
  endSpecial: action<typeof endSpecialInput, { studentId: string }>(endSpecialInput),
  /** Teacher: the registry of my classes; school admin: of the school (audited), overdue first. */
  specialRegistry: action<typeof optionalClass, { entries: RegistryView[] }>(optionalClass),

  // ---- coverage, to-dos, audit
  /** Head teacher: my classes; school admin: every class — T6, T7 (with the pace) and T8, now. */
  classCoverage: action<typeof optionalClass, Coverage>(optionalClass),
  /** Teacher: follow-ups due within 3 days or overdue (my visiting students, my classes' registry). */
  todos: action<typeof empty, { items: TodoItem[] }>(empty),
  /** School admin: who read a student's records and registry entry, newest first. */
  auditTrail: action<typeof studentRef, { entries: AuditEntry[] }>(studentRef)
} as const
