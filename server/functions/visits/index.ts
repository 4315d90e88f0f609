/**
 * The `visits` cloud function: 全员家访 (000 三(三)) — the semester plan, contact and home-visit records, the
 * teacher's "my work", one file per student (一人一档), the special-student registry, class coverage (T6/T7/T8,
 * computed with the statistics registry's own formulas), the teacher's to-do items, and the daily reminder job
 * (subscribe messages, timer trigger `dailyReminders`).
 *
 * Records are idempotent on the phone's clientKey (`_id = vr_<clientKey>`): a retried or repeated submission finds
 * the record already there and returns it. A correction keeps the earlier values in the record's history.
 */
import { _, fetchAll, fetchList, isDuplicateKey, one, trustedOnly } from '../../lib/cloud'
import { activeMemberships, requireSchoolAdmin, staffName, staffWithNames } from '../../lib/auth'
import type { ClassDoc, MembershipDoc, StudentDoc } from '../../lib/docs'
import { time } from '../../lib/docs'
import { tempUrls } from '../../lib/files'
import { createFunction, type ActionContext } from '../../lib/router'
import { aggregatePages, withStages } from '../../lib/query'
import { countGroups } from '../../lib/targets'
import { sendReminder } from '../../lib/reminders'
import { assignmentIdFor, staffContext, audit, classAccess, fetchByIds, loadStudent, requireStudentAccess, staffNameIn, teacherMemberships, type AssignmentDoc, type Staff } from './access'
import { factStages, factsOf, type FactsRow } from './facts'
import { dayKey, monthOf } from '@/shared/calendar'
import type {
  AuditEntry,
  ClassPlan,
  Coverage,
  CoverageRow,
  PlanClassRow,
  RegistryView,
  TeacherOption,
  TodoItem,
  TrainingView,
  VisitRecordView,
  WorkItem
} from '@/shared/contract-visits'
import { AppError } from '@/shared/errors'
import { compareClasses, compareClassNames, compareNames } from '@/shared/ordering'
import { SUBSCRIBE_TOPICS, thingValue } from '@/shared/subscriptions'
import { addCounters, evaluateTarget, targetById, windowOf, type TargetValue } from '@/shared/targets'
import {
  CORRECTABLE_FIELDS,
  DAY_MS,
  VISIT_LIMITS,
  compareWork,
  contactDateRefusal,
  correctableUntil,
  dayStart,
  followUpRefusal,
  homeVisitPace,
  homeVisitWindowStart,
  nextDue,
  isOverdue,
  photoFolder,
  planSemester,
  registryDueAt,
  trainingFolder,
  workUrgency,
  type ContactType,
  type CorrectableField,
  type SpecialCategory,
  type WorkFacts
} from '@/shared/visits'

const RECORDS = 'visitRecords'
const ASSIGNMENTS = 'visitAssignments'
const REGISTRY = 'specialRegistry'
/** a to-do shows a follow-up this many days before it is due */
const TODO_AHEAD_DAYS = 3
const INSERT_CHUNK = 500
/** reminders sent at once by the daily job */
const REMINDER_CONCURRENCY = 8
/** registry entries one list shows (a school's, or a teacher's classes') */
const REGISTRY_MAX = 1000

// ------------------------------------------------------------------ documents

interface RecordDoc {
  _id: string
  countyId: string
  schoolId: string
  classId: string
  className: string
  studentId: string
  studentName: string
  authorOpenid: string
  authorName: string
  type: ContactType
  /** the contact's day, as the instant it begins (Shanghai) */
  date: Date | string
  participants: string
  situation: { study: string; health: string; mood: string; family: string }
  suggestions: string
  followUp: { needed: boolean; by: Date | string | null; note: string }
  photos: string[]
  createdAt: Date | string
  updatedAt: Date | string
  history: Array<{ at: Date | string; by: string; byName: string; fields: CorrectableField[]; before: Record<string, unknown> }>
}

interface RegistryDoc {
  _id: string // the studentId
  studentId: string
  countyId: string
  schoolId: string
  classId: string
  className: string
  studentName: string
  categories: SpecialCategory[]
  intervalDays: number
  note: string
  registeredAt: Date | string
  registeredBy: string
  registeredByName: string
  endedAt: Date | string | null
  endReason: string | null
  history: Array<{ at: Date | string; byName: string; change: string }>
  updatedAt: Date | string
}

interface FamilyDoc {
  _id: string
  studentId: string
  schoolId: string
  family: string
  updatedAt: Date | string
  updatedBy: string
}

interface PlanDoc {
  _id: string
  schoolId: string
  semesterId: string
  training: { title: string; link: string; fileID: string; fileName: string; updatedAt: Date | string } | null
  updatedAt: Date | string
}

// ------------------------------------------------------------------ views

const dayOf = (d: Date | string | null | undefined): string | null => (d ? dayKey(new Date(d)) : null)

function recordView(r: RecordDoc, ctx: ActionContext, urls: Map<string, string>): VisitRecordView {
  const until = correctableUntil(time(r.createdAt))
  return {
    recordId: r._id,
    studentId: r.studentId,
    type: r.type,
    date: dayOf(r.date) ?? '',
    participants: r.participants ?? '',
    situation: { study: r.situation?.study ?? '', health: r.situation?.health ?? '', mood: r.situation?.mood ?? '', family: r.situation?.family ?? '' },
    suggestions: r.suggestions ?? '',
    followUp: { needed: Boolean(r.followUp?.needed), by: dayOf(r.followUp?.by), note: r.followUp?.note ?? '' },
    photos: (r.photos ?? []).map((fileID) => ({ fileID, tempFileURL: urls.get(fileID) ?? '' })),
    authorName: r.authorName,
    isMine: r.authorOpenid === ctx.openid,
    createdAt: time(r.createdAt),
    updatedAt: time(r.updatedAt),
    editableUntil: r.authorOpenid === ctx.openid && ctx.now.getTime() < until ? until : null,
    changes: (r.history ?? []).map((h) => ({ at: time(h.at), byName: h.byName, fields: h.fields.map((f) => CORRECTABLE_FIELDS[f] ?? f) }))
  }
}

function registryView(r: RegistryDoc, student: { name?: string; className?: string } | null, lastContactAt: number | null, now: number): RegistryView {
  const dueAt = registryDueAt(time(r.registeredAt), lastContactAt, r.intervalDays)
  return {
    studentId: r.studentId,
    name: student?.name ?? r.studentName,
    className: student?.className ?? r.className,
    categories: r.categories,
    intervalDays: r.intervalDays,
    note: r.note ?? '',
    registeredAt: time(r.registeredAt),
    registeredByName: r.registeredByName,
    lastContactAt,
    dueAt,
    overdue: isOverdue(dueAt, now),
    history: (r.history ?? []).map((h) => ({ at: time(h.at), byName: h.byName, change: h.change }))
  }
}

async function trainingView(plan: PlanDoc | null): Promise<TrainingView | null> {
  const t = plan?.training
  if (!t) return null
  const urls = t.fileID ? await tempUrls([t.fileID], 'visits') : new Map<string, string>()
  return { title: t.title, link: t.link, fileName: t.fileName, tempFileURL: urls.get(t.fileID) ?? '', updatedAt: time(t.updatedAt) }
}

const byClass = (a: ClassDoc, b: ClassDoc) => compareClasses({ grade: a.grade, className: a.name }, { grade: b.grade, className: b.name })
const planIdFor = (schoolId: string, semesterId: string) => `${schoolId}_${semesterId}`

// ------------------------------------------------------------------ helpers

/** The school's active teachers with their names (for choosing visitors). */
async function schoolTeachers(ctx: ActionContext, schoolId: string): Promise<Array<MembershipDoc & { name: string }>> {
  const rows = await staffWithNames(ctx, schoolId, ['teacher'])
  return rows.map(({ user: _u, ...m }) => ({ ...m, name: staffName({ ...m, user: _u }) })).sort((a, b) => compareNames(a.name, b.name))
}

const option = (m: MembershipDoc & { name: string }, classId?: string): TeacherOption => ({
  openid: m.openid,
  name: m.name,
  ...(classId ? { headTeacher: (m.headTeacherOf ?? []).includes(classId) } : {})
})

async function loadClass(ctx: ActionContext, classId: string): Promise<ClassDoc | null> {
  return one<ClassDoc>(ctx.db.collection('classes').where(trustedOnly({ _id: classId })).limit(1))
}

async function enrolledOfClass(ctx: ActionContext, classId: string): Promise<StudentDoc[]> {
  return fetchList<StudentDoc>(ctx.db.collection('students').where(trustedOnly({ classId, status: 'enrolled' })).limit(1000))
}

/** Runs `task` over `items`, a few at a time. */
async function inBatches<T>(items: T[], size: number, task: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(task))
}

/** Sets the assignments of the given students for the semester, each in one write (no moment without one). */
async function replaceAssignments(ctx: ActionContext, docs: AssignmentDoc[]): Promise<void> {
  await inBatches(docs, 20, async ({ _id, ...data }) => { await ctx.db.collection(ASSIGNMENTS).doc(_id).set({ data }) })
}

/**
 * Adds assignments for students who had none, in batches. If an admin assigned some of them meanwhile (a batch
 * meets their documents), that batch's students are added one by one and the admin's choice is kept.
 */
async function addAssignments(ctx: ActionContext, docs: AssignmentDoc[]): Promise<number> {
  let added = 0
  for (let i = 0; i < docs.length; i += INSERT_CHUNK) {
    const chunk = docs.slice(i, i + INSERT_CHUNK)
    try {
      await ctx.db.collection(ASSIGNMENTS).add({ data: chunk as never })
      added += chunk.length
    } catch (e) {
      if (!isDuplicateKey(e)) throw e
      await inBatches(chunk, 20, async (d) => {
        try {
          await ctx.db.collection(ASSIGNMENTS).add({ data: d })
          added++
        } catch (err) {
          if (!isDuplicateKey(err)) throw err
        }
      })
    }
  }
  return added
}

/** Facts per assigned student for a teacher this semester (one aggregation). */
async function myAssignmentFacts(ctx: ActionContext, semesterId: string, schoolIds: string[]): Promise<Array<FactsRow & AssignmentDoc>> {
  const q = ctx.db
    .collection(ASSIGNMENTS)
    .aggregate()
    .match(trustedOnly({ teacherOpenids: ctx.openid, semesterId, schoolId: _.in(schoolIds) }))
    .sort({ _id: 1 })
    .limit(VISIT_LIMITS.workMax + 1)
  const res = (await withStages(q, factStages(['classId', 'className', 'studentName', 'schoolId', 'countyId', 'teacherOpenids'])).end()) as { list: Array<FactsRow & AssignmentDoc> }
  return res.list
}

/**
 * The active registry entries of the given schools — of some classes only (the student's class now) — with facts.
 * The class is matched in the database, before the limit: a school's other classes never crowd a class out.
 */
async function registryFacts(ctx: ActionContext, schoolIds: string[], classIds: string[] | null): Promise<Array<FactsRow & RegistryDoc>> {
  let q = ctx.db
    .collection(REGISTRY)
    .aggregate()
    .match(trustedOnly({ schoolId: _.in(schoolIds), endedAt: null }))
    .lookup({ from: 'students', localField: 'studentId', foreignField: '_id', as: 'now' })
    .match({ 'now.status': 'enrolled', ...(classIds ? { 'now.classId': _.in(classIds) } : {}) })
  q = q.sort({ registeredAt: 1 }).limit(REGISTRY_MAX)
  const keep = ['countyId', 'schoolId', 'classId', 'className', 'studentName', 'categories', 'intervalDays', 'note', 'registeredAt', 'registeredBy', 'registeredByName', 'endedAt', 'history']
  const res = (await withStages(q, factStages(keep)).end()) as { list: Array<FactsRow & RegistryDoc> }
  return res.list
}

function workItem(row: FactsRow & AssignmentDoc, now: number): { item: WorkItem; facts: WorkFacts } {
  const f = factsOf(row)
  const registryDue = f.registry ? registryDueAt(f.registry.registeredAt, f.lastContactAt, f.registry.intervalDays) : null
  const facts: WorkFacts = { name: row.student?.name ?? row.studentName, lastContactAt: f.lastContactAt, lastHomeVisitAt: f.lastHomeVisitAt, followUpBy: f.followUpBy, registryDueAt: registryDue }
  return {
    facts,
    item: {
      studentId: row.studentId,
      name: facts.name,
      classId: row.student?.classId ?? row.classId,
      className: row.student?.className ?? row.className,
      urgency: workUrgency(facts, now),
      lastContactAt: f.lastContactAt,
      lastHomeVisitAt: f.lastHomeVisitAt,
      contactedThisSemester: f.lastContactAt !== null && f.lastContactAt >= planSemester(now).start,
      homeVisitInWindow: f.lastHomeVisitAt !== null && f.lastHomeVisitAt >= homeVisitWindowStart(now),
      dueAt: nextDue(facts),
      special: f.registry !== null
    }
  }
}

/** The photos must be uploads of the visit-photo folder (not, say, another school's exports). */
/** A record takes only photos uploaded into its student's folder (never another child's or another school's file). */
function checkPhotos(photos: string[], studentId: string): void {
  for (const p of photos) {
    if (!p.includes(`/${photoFolder(studentId)}/`)) throw new AppError('INVALID_INPUT', '照片文件不正确，请重新上传')
  }
}

function checkDates(date: string, followUp: { needed: boolean; by?: string | null }, now: number, checkContactDate = true): void {
  const refusal = checkContactDate ? contactDateRefusal(date, now) : null
  if (refusal) throw new AppError('INVALID_INPUT', refusal)
  if (followUp.needed && followUp.by) {
    const r = followUpRefusal(followUp.by, date)
    if (r) throw new AppError('INVALID_INPUT', r)
  }
}

interface RecordInput {
  type: ContactType
  date: string
  participants: string
  situation: { study: string; health: string; mood: string; family: string }
  suggestions: string
  followUp: { needed: boolean; by?: string | null; note: string }
  photos: string[]
}

/** A record's stored fields from the form's. */
function recordFields(input: RecordInput): Pick<RecordDoc, CorrectableField> {
  return {
    type: input.type,
    date: new Date(dayStart(input.date)),
    participants: input.participants,
    situation: input.situation,
    suggestions: input.suggestions,
    followUp: { needed: input.followUp.needed, by: input.followUp.needed && input.followUp.by ? new Date(dayStart(input.followUp.by)) : null, note: input.followUp.needed ? input.followUp.note : '' },
    photos: [...new Set(input.photos)]
  }
}

const comparable = (v: unknown): string => JSON.stringify(v, (_k, x) => (typeof x === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(x) ? new Date(x).getTime() : x))

function photoUrlsOf(records: RecordDoc[]): Promise<Map<string, string>> {
  return tempUrls(records.flatMap((r) => r.photos ?? []), 'visits')
}

const schoolsOf = (ms: MembershipDoc[]) => [...new Set(ms.map((m) => m.schoolId).filter((x): x is string => Boolean(x)))]

/** The day of a student's last contact (the registry's due date counts from it): one read of the latest record's date. */
async function lastContactOf(ctx: ActionContext, studentId: string): Promise<number | null> {
  const [latest] = await fetchList<RecordDoc>(ctx.db.collection(RECORDS).where(trustedOnly({ studentId })).orderBy('date', 'desc').limit(1).field({ date: true }))
  return latest ? time(latest.date) : null
}

/** An audit entry per school for a list that shows which students are on the registry (nothing when none is). */
async function auditRegistryMarks(ctx: ActionContext, memberships: Staff, rows: Array<{ studentId: string; schoolId: string; countyId: string }>, studentIds: string[], what: string) {
  const bySchool = new Map<string, { countyId: string; ids: Set<string> }>()
  for (const r of rows) {
    if (!studentIds.includes(r.studentId)) continue
    const entry = bySchool.get(r.schoolId) ?? { countyId: r.countyId, ids: new Set<string>() }
    entry.ids.add(r.studentId)
    bySchool.set(r.schoolId, entry)
  }
  for (const [schoolId, { countyId, ids }] of bySchool) {
    const membership = memberships.find((m) => m.schoolId === schoolId && (m.role === 'teacher' || m.role === 'schoolAdmin')) ?? memberships[0]
    const role = membership.role === 'schoolAdmin' ? 'schoolAdmin' : 'teacher'
    await audit(ctx, { access: { role, name: staffNameIn(memberships, schoolId), membership }, schoolId, countyId, studentIds: [...ids], what })
  }
}

/** Reminds each teacher once a day of the follow-ups due today or overdue, where they allowed it. */
async function dailyReminders(ctx: Omit<ActionContext, 'openid'>): Promise<{ due: number; sent: number; noPermission: number; already: number; failed: number }> {
  const now = ctx.now.getTime()
  const endOfToday = dayStart(dayKey(now)) + DAY_MS
  const semester = planSemester(now)
  const outcome = { due: 0, sent: 0, noPermission: 0, already: 0, failed: 0 }
  // every active registry entry and every follow-up asked for in the last 60 days, with their facts (in pages)
  const registry = await aggregatePages<FactsRow>(() => ctx.db.collection(REGISTRY).aggregate().match(trustedOnly({ endedAt: null })).sort({ _id: 1 }), factStages(['schoolId', 'classId']))
  const followUps = await aggregatePages<FactsRow & { authorOpenid: string }>(
    () =>
      ctx.db
        .collection(RECORDS)
        .aggregate()
        .match(trustedOnly({ 'followUp.needed': true, 'followUp.by': _.and(_.lt(new Date(endOfToday)), _.gte(new Date(now - 60 * DAY_MS))) }))
        .sort({ _id: 1 }),
    factStages(['authorOpenid'])
  )

  type Due = { studentId: string; schoolId: string; classId: string; name: string; dueAt: number; task: string; fallback: string[] }
  const dues: Due[] = []
  for (const r of registry) {
    const f = factsOf(r)
    if (!f.registry || r.student?.status !== 'enrolled') continue
    const dueAt = registryDueAt(f.registry.registeredAt, f.lastContactAt, f.registry.intervalDays)
    if (dueAt < endOfToday) dues.push({ studentId: r.studentId, schoolId: r.student.schoolId ?? '', classId: r.student.classId ?? '', name: r.student.name ?? '', dueAt, task: '特殊学生随访', fallback: [] })
  }
  for (const r of followUps) {
    const f = factsOf(r)
    // only the latest record's follow-up is open (a later contact closed it)
    if (f.followUpRecordId !== r._id || f.followUpBy === null || f.followUpBy >= endOfToday || r.student?.status !== 'enrolled') continue
    dues.push({ studentId: r.studentId, schoolId: r.student.schoolId ?? '', classId: r.student.classId ?? '', name: r.student.name ?? '', dueAt: f.followUpBy, task: '家访后续跟进', fallback: [r.authorOpenid] })
  }
  if (!dues.length) return outcome

  // who is reminded: the student's visiting teachers this semester (the teachers whose to-do list shows it), else
  // the record's author or the class's head teachers — and only while they still teach at the student's school
  const assignments = new Map<string, AssignmentDoc>()
  const ids = [...new Set(dues.map((d) => assignmentIdFor(semester.id, d.studentId)))]
  for (let i = 0; i < ids.length; i += 1000) for (const a of await fetchByIds<AssignmentDoc>(ctx as ActionContext, ASSIGNMENTS, ids.slice(i, i + 1000))) assignments.set(a.studentId, a)
  const classIds = [...new Set(dues.filter((d) => !assignments.has(d.studentId)).map((d) => d.classId))].filter(Boolean)
  const teachers: MembershipDoc[] = []
  for (let i = 0; i < classIds.length; i += 500) {
    teachers.push(...(await fetchList<MembershipDoc>(ctx.db.collection('memberships').where(trustedOnly({ role: 'teacher', status: 'active', headTeacherOf: _.in(classIds.slice(i, i + 500)) })).limit(1000))))
  }
  const heads = new Map<string, string[]>()
  for (const t of teachers) for (const c of t.headTeacherOf ?? []) heads.set(c, [...(heads.get(c) ?? []), t.openid])
  const wanted = new Map<Due, string[]>()
  for (const d of dues) wanted.set(d, assignments.get(d.studentId)?.teacherOpenids ?? (d.fallback.length ? d.fallback : heads.get(d.classId) ?? []))
  const openids = [...new Set([...wanted.values()].flat())]
  const active = new Set<string>()
  for (let i = 0; i < openids.length; i += 1000) {
    const rows = await fetchList<MembershipDoc>(ctx.db.collection('memberships').where(trustedOnly({ openid: _.in(openids.slice(i, i + 1000)), role: 'teacher', status: 'active' })).limit(1000))
    for (const m of rows) active.add(`${m.openid}|${m.schoolId}`)
  }
  const byTeacher = new Map<string, Due[]>()
  for (const [d, to] of wanted) {
    for (const openid of to) {
      if (!active.has(`${openid}|${d.schoolId}`)) continue
      const list = byTeacher.get(openid)
      if (list) list.push(d)
      else byTeacher.set(openid, [d])
    }
  }

  // one message per teacher and day, however many students fell due: each "allow" permits one message only
  const f = SUBSCRIBE_TOPICS.followUpDue.fields
  const send = async (openid: string, list: Due[]) => {
    list.sort((a, b) => a.dueAt - b.dueAt)
    const students = [...new Set(list.map((d) => d.studentId))]
    const first = list[0]
    const overdue = new Set(list.filter((d) => isOverdue(d.dueAt, now)).map((d) => d.studentId)).size
    outcome.due += list.length
    const res = await sendReminder(
      ctx,
      {
        key: `${openid}_${dayKey(now)}`,
        openid,
        topic: 'followUpDue',
        // one student: their file; several: my work, most urgent first
        page: students.length === 1 ? `packages/teacher/pages/file/index?studentId=${first.studentId}` : 'packages/teacher/pages/work/index',
        data: {
          [f.name]: thingValue(students.length === 1 ? first.name : `${first.name}等${students.length}名学生`),
          [f.task]: thingValue([...new Set(list.map((d) => d.task))].join('、')),
          [f.due]: dayKey(first.dueAt),
          [f.note]: thingValue(overdue ? `${overdue}名学生已逾期，请尽快联系家长` : '今天到期，请联系家长')
        }
      },
      ctx.now
    )
    outcome[res]++
  }
  // a few at a time: the job must finish inside the function's time limit for a whole county
  const queue = [...byTeacher.entries()]
  await Promise.all(Array.from({ length: Math.min(REMINDER_CONCURRENCY, queue.length) }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await send(next[0], next[1])
  }))
  return outcome
}

// ------------------------------------------------------------------ the actions

export const main = createFunction(
  'visits',
  {
    // ---------------------------------------------------------------- the plan
    async planOverview(_input, ctx) {
      const admin = requireSchoolAdmin(await activeMemberships(ctx))
      const semester = planSemester(ctx.now.getTime())
      const [classes, enrolledRows, assignedRows, teachers, plan] = await Promise.all([
        fetchList<ClassDoc>(ctx.db.collection('classes').where(trustedOnly({ schoolId: admin.schoolId })).limit(1000)),
        ctx.db
          .collection('students')
          .aggregate()
          .match(trustedOnly({ schoolId: admin.schoolId, status: 'enrolled' }))
          .group({ _id: '$classId', n: { $sum: 1 } })
          .group({ _id: null, rows: { $push: { c: '$_id', n: '$n' } } })
          .limit(1)
          .end() as Promise<{ list: Array<{ rows: Array<{ c: string; n: number }> }> }>,
        // assignments of students still enrolled, by their class now and their visitors
        ctx.db
          .collection(ASSIGNMENTS)
          .aggregate()
          .match(trustedOnly({ schoolId: admin.schoolId, semesterId: semester.id }))
          .lookup({ from: 'students', localField: 'studentId', foreignField: '_id', as: 'student' })
          .unwind('$student')
          .match({ 'student.status': 'enrolled' })
          .group({ _id: { c: '$student.classId', t: '$teacherOpenids' }, n: { $sum: 1 } })
          .group({ _id: null, rows: { $push: { c: '$_id.c', t: '$_id.t', n: '$n' } } })
          .limit(1)
          .end() as Promise<{ list: Array<{ rows: Array<{ c: string; t: string[]; n: number }> }> }>,
        schoolTeachers(ctx, admin.schoolId),
        one<PlanDoc>(ctx.db.collection('visitPlans').where(trustedOnly({ _id: planIdFor(admin.schoolId, semester.id) })).limit(1))
      ])
      const enrolled = new Map((enrolledRows.list[0]?.rows ?? []).map((r) => [r.c, r.n]))
      const byTeacher = new Map(teachers.map((t) => [t.openid, t]))
      const rows: PlanClassRow[] = classes.sort(byClass).map((c) => {
        const mine = (assignedRows.list[0]?.rows ?? []).filter((r) => r.c === c._id)
        const visitors = new Map<string, number>()
        for (const r of mine) for (const t of r.t) visitors.set(t, (visitors.get(t) ?? 0) + r.n)
        return {
          classId: c._id,
          grade: c.grade,
          name: c.name,
          enrolled: enrolled.get(c._id) ?? 0,
          assigned: mine.reduce((n, r) => n + r.n, 0),
          headTeachers: teachers.filter((t) => (t.headTeacherOf ?? []).includes(c._id)).map((t) => option(t)),
          visitors: [...visitors.entries()]
            .map(([openid, students]) => ({ openid, name: byTeacher.get(openid)?.name ?? '已离校教师', students }))
            .sort((a, b) => compareNames(a.name, b.name))
        }
      })
      return {
        semester: { id: semester.id, label: semester.label },
        classes: rows,
        totals: { enrolled: rows.reduce((n, r) => n + r.enrolled, 0), assigned: rows.reduce((n, r) => n + Math.min(r.assigned, r.enrolled), 0) },
        teachers: teachers.map((t) => option(t)),
        training: await trainingView(plan)
      }
    },

    async classPlan({ classId }, ctx) {
      const [memberships, cls] = await Promise.all([activeMemberships(ctx), loadClass(ctx, classId)])
      const admin = requireSchoolAdmin(memberships)
      if (!cls) throw new AppError('NOT_FOUND', '找不到这个班级')
      if (cls.schoolId !== admin.schoolId) throw new AppError('PERMISSION_DENIED')
      const semester = planSemester(ctx.now.getTime())
      const [students, teachers] = await Promise.all([enrolledOfClass(ctx, classId), schoolTeachers(ctx, admin.schoolId)])
      const assignments = await fetchByIds<AssignmentDoc>(ctx, ASSIGNMENTS, students.map((s) => assignmentIdFor(semester.id, s._id)))
      const byStudent = new Map(assignments.map((a) => [a.studentId, a]))
      const byTeacher = new Map(teachers.map((t) => [t.openid, t]))
      const plan: ClassPlan = {
        classId,
        className: cls.name,
        students: students
          .map((s) => ({
            studentId: s._id,
            name: s.name,
            visitors: (byStudent.get(s._id)?.teacherOpenids ?? []).map((o) => ({ openid: o, name: byTeacher.get(o)?.name ?? '已离校教师' }))
          }))
          .sort((a, b) => compareNames(a.name, b.name)),
        teachers: teachers.map((t) => option(t, classId))
      }
      return plan
    },

    async assignClass({ classId, teacherOpenids, studentIds }, ctx) {
      const [memberships, cls] = await Promise.all([activeMemberships(ctx), loadClass(ctx, classId)])
      const admin = requireSchoolAdmin(memberships)
      if (!cls) throw new AppError('NOT_FOUND', '找不到这个班级')
      if (cls.schoolId !== admin.schoolId) throw new AppError('PERMISSION_DENIED')
      const [students, teachers] = await Promise.all([enrolledOfClass(ctx, classId), schoolTeachers(ctx, admin.schoolId)])
      const visitors = teacherOpenids.map((o) => teachers.find((t) => t.openid === o))
      if (visitors.some((v) => !v)) throw new AppError('INVALID_INPUT', '只能安排本校在职教师家访')
      let chosen = students
      if (studentIds) {
        const ids = new Set(studentIds)
        chosen = students.filter((s) => ids.has(s._id))
        if (chosen.length !== ids.size) throw new AppError('INVALID_INPUT', '所选学生不在该班级，或已离校')
      }
      const semester = planSemester(ctx.now.getTime())
      await replaceAssignments(
        ctx,
        chosen.map((s) => ({
          _id: assignmentIdFor(semester.id, s._id),
          countyId: cls.countyId,
          schoolId: cls.schoolId,
          classId,
          className: cls.name,
          studentId: s._id,
          studentName: s.name,
          semesterId: semester.id,
          teacherOpenids,
          teacherNames: visitors.map((v) => v!.name),
          updatedAt: ctx.now,
          updatedBy: ctx.openid
        }))
      )
      return { assigned: chosen.length }
    },

    async assignDefaults(_input, ctx) {
      const admin = requireSchoolAdmin(await activeMemberships(ctx))
      const semester = planSemester(ctx.now.getTime())
      const [classes, teachers, students, existing] = await Promise.all([
        fetchList<ClassDoc>(ctx.db.collection('classes').where(trustedOnly({ schoolId: admin.schoolId })).limit(1000)),
        schoolTeachers(ctx, admin.schoolId),
        fetchAll<StudentDoc>(() => ctx.db.collection('students').where(trustedOnly({ schoolId: admin.schoolId, status: 'enrolled' })).orderBy('_id', 'asc')),
        fetchAll<AssignmentDoc>(() => ctx.db.collection(ASSIGNMENTS).where(trustedOnly({ schoolId: admin.schoolId, semesterId: semester.id })).orderBy('_id', 'asc'))
      ])
      const taken = new Set(existing.map((a) => a.studentId))
      const headsOf = (classId: string) => teachers.filter((t) => (t.headTeacherOf ?? []).includes(classId)).slice(0, VISIT_LIMITS.visitorsMax)
      const docs: AssignmentDoc[] = []
      for (const s of students) {
        if (taken.has(s._id)) continue
        const heads = headsOf(s.classId)
        if (!heads.length) continue
        docs.push({
          _id: assignmentIdFor(semester.id, s._id),
          countyId: s.countyId,
          schoolId: s.schoolId,
          classId: s.classId,
          className: s.className,
          studentId: s._id,
          studentName: s.name,
          semesterId: semester.id,
          teacherOpenids: heads.map((h) => h.openid),
          teacherNames: heads.map((h) => h.name),
          updatedAt: ctx.now,
          updatedBy: ctx.openid
        })
      }
      const assigned = await addAssignments(ctx, docs)
      const withStudents = new Set(students.map((s) => s.classId))
      const classesWithoutHeadTeacher = classes
        .filter((c) => withStudents.has(c._id) && headsOf(c._id).length === 0)
        .sort(byClass)
        .map((c) => c.name)
      return { assigned, classesWithoutHeadTeacher }
    },

    async saveTraining(input, ctx) {
      const admin = requireSchoolAdmin(await activeMemberships(ctx))
      // a document the school's admin uploaded into the school's folder (not, say, another school's file)
      if (input.fileID && !input.fileID.includes(`/${trainingFolder(admin.schoolId)}/`)) throw new AppError('INVALID_INPUT', '培训文档不正确，请重新上传')
      const semester = planSemester(ctx.now.getTime())
      const training = { title: input.title, link: input.link, fileID: input.fileID, fileName: input.fileName, updatedAt: ctx.now }
      const _id = planIdFor(admin.schoolId, semester.id)
      await ctx.db.collection('visitPlans').doc(_id).set({ data: { schoolId: admin.schoolId, semesterId: semester.id, training, updatedAt: ctx.now, updatedBy: ctx.openid } })
      return (await trainingView({ _id, schoolId: admin.schoolId, semesterId: semester.id, training, updatedAt: ctx.now }))!
    },

    // ---------------------------------------------------------------- the teacher's work
    async myWork(_input, ctx) {
      const memberships = await activeMemberships(ctx)
      const mine = teacherMemberships(memberships)
      if (!mine.length) throw new AppError('PERMISSION_DENIED')
      const now = ctx.now.getTime()
      const semester = planSemester(now)
      const schoolIds = schoolsOf(mine)
      const [rows, plan] = await Promise.all([
        myAssignmentFacts(ctx, semester.id, schoolIds),
        one<PlanDoc>(ctx.db.collection('visitPlans').where(trustedOnly({ _id: planIdFor(schoolIds[0], semester.id) })).limit(1))
      ])
      const truncated = rows.length > VISIT_LIMITS.workMax
      const clean = rows
        .slice(0, VISIT_LIMITS.workMax)
        .filter((r) => r.student?.status === 'enrolled')
        .map((r) => workItem(r, now))
        .sort((a, b) => compareWork(a.facts, b.facts, now))
        .map((w) => w.item)
      // the list marks the students on the special registry: that is a read of their entries (no categories shown)
      await auditRegistryMarks(ctx, memberships, rows, clean.filter((i) => i.special).map((i) => i.studentId), '查看家访任务（含特殊学生标记）')
      return {
        semester: { id: semester.id, label: semester.label },
        items: clean,
        counts: {
          assigned: clean.length,
          notContacted: clean.filter((i) => !i.contactedThisSemester).length,
          noHomeVisit: clean.filter((i) => !i.homeVisitInWindow).length,
          overdue: clean.filter((i) => i.urgency === 'overdue').length
        },
        truncated,
        training: await trainingView(plan)
      }
    },

    async submitVisit(input, ctx) {
      const _id = `vr_${input.clientKey}`
      const [memberships, student, existing] = await Promise.all([
        staffContext(ctx),
        loadStudent(ctx, input.studentId),
        one<RecordDoc>(ctx.db.collection(RECORDS).where(trustedOnly({ _id })).limit(1))
      ])
      const who = await requireStudentAccess(ctx, memberships, student)
      const answer = async (r: RecordDoc, created: boolean) => {
        if (r.authorOpenid !== ctx.openid || r.studentId !== input.studentId) throw new AppError('DUPLICATE', '提交编号已被使用，请重新打开表单后提交')
        // the same key with other content: the draft was changed after a submission that did reach the cloud
        const fields = recordFields(input)
        if ((Object.keys(fields) as CorrectableField[]).some((f) => comparable(fields[f]) !== comparable(r[f]))) {
          throw new AppError('DUPLICATE', '这份草稿之前已提交成功，之后又改动过：改动的内容将作为一条新记录提交，请核对后再次提交', { recordId: r._id })
        }
        if (!created) await audit(ctx, { access: who, schoolId: r.schoolId, countyId: r.countyId, studentIds: [r.studentId], recordIds: [r._id], what: '重新提交时查看家访记录' })
        return { record: recordView(r, ctx, await photoUrlsOf([r])), created }
      }
      // a retry of a submission that reached the cloud: the same record, nothing new
      if (existing) return answer(existing, false)
      if (student!.status !== 'enrolled') throw new AppError('INVALID_STATE', '该学生已离校，不能再记录家访')
      checkDates(input.date, input.followUp, ctx.now.getTime())
      checkPhotos(input.photos, student!._id)
      const doc: RecordDoc = {
        _id,
        countyId: student!.countyId,
        schoolId: student!.schoolId,
        classId: student!.classId,
        className: student!.className,
        studentId: student!._id,
        studentName: student!.name,
        authorOpenid: ctx.openid,
        authorName: who.name,
        ...recordFields(input),
        createdAt: ctx.now,
        updatedAt: ctx.now,
        history: []
      }
      try {
        await ctx.db.collection(RECORDS).add({ data: doc })
      } catch (e) {
        if (!isDuplicateKey(e)) throw e
        // the same submission, sent again while the first was being written
        const first = await one<RecordDoc>(ctx.db.collection(RECORDS).where(trustedOnly({ _id })).limit(1))
        if (!first) throw e
        return answer(first, false)
      }
      return answer(doc, true)
    },

    async correctVisit(input, ctx) {
      const [memberships, record] = await Promise.all([staffContext(ctx), one<RecordDoc>(ctx.db.collection(RECORDS).where(trustedOnly({ _id: input.recordId })).limit(1))])
      if (!record) throw new AppError('NOT_FOUND', '找不到这条记录')
      if (record.authorOpenid !== ctx.openid) throw new AppError('PERMISSION_DENIED', '只有记录人本人可以修改这条记录')
      if (!memberships.some((m) => m.schoolId === record.schoolId && (m.role === 'teacher' || m.role === 'schoolAdmin'))) throw new AppError('PERMISSION_DENIED')
      if (ctx.now.getTime() >= correctableUntil(time(record.createdAt))) throw new AppError('INVALID_STATE', `记录提交已超过 ${VISIT_LIMITS.correctionDays} 天，不能再修改`)
      // a changed date: not in the future, and not longer before the record was written than a new one may be
      if (input.date !== dayOf(record.date)) {
        const t = dayStart(input.date)
        if (t > ctx.now.getTime()) throw new AppError('INVALID_INPUT', '联系日期不能晚于今天')
        if (time(record.createdAt) - t > VISIT_LIMITS.backdateDays * DAY_MS) throw new AppError('INVALID_INPUT', `只能补记 ${VISIT_LIMITS.backdateDays} 天内的联系`)
      }
      checkDates(input.date, input.followUp, Number.POSITIVE_INFINITY, false)
      checkPhotos(input.photos, record.studentId)
      const next = recordFields(input)
      const fields = (Object.keys(next) as CorrectableField[]).filter((f) => comparable(next[f]) !== comparable(record[f]))
      // nothing to change (also a retry of a correction that did go through)
      if (!fields.length) return { record: recordView(record, ctx, await photoUrlsOf([record])) }
      // a correction made from an earlier version (a second phone, an old draft): nothing is overwritten
      if (input.baseUpdatedAt !== undefined && input.baseUpdatedAt !== time(record.updatedAt)) {
        throw new AppError('CONFLICT', '这条记录在您修改期间已被更改，请重新打开记录后再修改')
      }
      const before: Record<string, unknown> = {}
      for (const f of fields) before[f] = record[f]
      const entry = { at: ctx.now, by: ctx.openid, byName: staffNameIn(memberships, record.schoolId), fields, before }
      if ((record.history ?? []).length >= 50) throw new AppError('INVALID_STATE', '这条记录修改次数过多，请联系学校管理员')
      // only if nobody changed it since it was read (a second phone of the same teacher): no change is lost
      const res = (await ctx.db
        .collection(RECORDS)
        .where({ _id: record._id, updatedAt: record.updatedAt instanceof Date ? record.updatedAt : new Date(record.updatedAt) })
        .update({ data: { ...next, updatedAt: ctx.now, history: _.push([entry]) } })) as { stats: { updated: number } }
      if (res.stats.updated !== 1) throw new AppError('CONFLICT')
      const updated: RecordDoc = { ...record, ...next, updatedAt: ctx.now, history: [...(record.history ?? []), entry] }
      return { record: recordView(updated, ctx, await photoUrlsOf([updated])) }
    },

    async visitRecord({ recordId }, ctx) {
      const [memberships, record] = await Promise.all([staffContext(ctx), one<RecordDoc>(ctx.db.collection(RECORDS).where(trustedOnly({ _id: recordId })).limit(1))])
      if (!record) throw new AppError('NOT_FOUND', '找不到这条记录')
      const student = await loadStudent(ctx, record.studentId)
      const who = await requireStudentAccess(ctx, memberships, student ?? ({ ...record, _id: record.studentId, status: 'left' } as unknown as StudentDoc))
      await audit(ctx, { access: who, schoolId: record.schoolId, countyId: record.countyId, studentIds: [record.studentId], recordIds: [record._id], what: '查看家访记录' })
      return { record: recordView(record, ctx, await photoUrlsOf([record])) }
    },

    async studentFile({ studentId }, ctx) {
      const [memberships, student] = await Promise.all([staffContext(ctx), loadStudent(ctx, studentId)])
      const who = await requireStudentAccess(ctx, memberships, student)
      const s = student!
      const semester = planSemester(ctx.now.getTime())
      const [records, registry, family, assignment, guardians] = await Promise.all([
        fetchList<RecordDoc>(ctx.db.collection(RECORDS).where(trustedOnly({ studentId })).orderBy('date', 'desc').orderBy('createdAt', 'desc').limit(VISIT_LIMITS.fileRecords)),
        one<RegistryDoc>(ctx.db.collection(REGISTRY).where(trustedOnly({ _id: studentId })).limit(1)),
        one<FamilyDoc>(ctx.db.collection('studentFiles').where(trustedOnly({ _id: studentId })).limit(1)),
        one<AssignmentDoc>(ctx.db.collection(ASSIGNMENTS).where(trustedOnly({ _id: assignmentIdFor(semester.id, studentId) })).limit(1)),
        ctx.db.collection('memberships').where(trustedOnly({ studentId, role: 'guardian', status: 'active' })).count() as Promise<{ total: number }>
      ])
      await audit(ctx, { access: who, schoolId: s.schoolId, countyId: s.countyId, studentIds: [studentId], recordIds: records.map((r) => r._id), what: registry && !registry.endedAt ? '查看一人一档（含特殊学生名册）' : '查看一人一档' })
      const urls = await photoUrlsOf(records)
      const views = records.map((r) => recordView(r, ctx, urls))
      const lastContact = records[0] ? time(records[0].date) : null
      const homes = records.filter((r) => r.type === '入户家访')
      const latest = records[0]
      return {
        student: { studentId, name: s.name, className: s.className, schoolName: s.schoolName, gender: s.gender ?? null, status: s.status },
        family: family?.family ?? '',
        familyUpdatedAt: family ? time(family.updatedAt) : null,
        guardiansBound: guardians.total,
        visitors: (assignment?.teacherOpenids ?? []).map((openid, i) => ({ openid, name: assignment?.teacherNames[i] ?? '' })),
        registry: registry && !registry.endedAt ? registryView(registry, s, lastContact, ctx.now.getTime()) : null,
        registryEnded:
          registry?.endedAt
            ? { endedAt: time(registry.endedAt), reason: registry.endReason ?? '', history: (registry.history ?? []).map((h) => ({ at: time(h.at), byName: h.byName, change: h.change })) }
            : null,
        viewerRole: who.role,
        records: views,
        followUp: latest?.followUp?.needed && latest.followUp.by ? { by: dayOf(latest.followUp.by)!, note: latest.followUp.note, recordId: latest._id } : null,
        summary: { contacts: records.length, homeVisits: homes.length, lastContactAt: lastContact, lastHomeVisitAt: homes[0] ? time(homes[0].date) : null },
        canEdit: s.status === 'enrolled'
      }
    },

    async saveFamily({ studentId, family }, ctx) {
      const [memberships, student] = await Promise.all([staffContext(ctx), loadStudent(ctx, studentId)])
      await requireStudentAccess(ctx, memberships, student)
      if (student!.status !== 'enrolled') throw new AppError('INVALID_STATE', '该学生已离校，档案不能再修改')
      await ctx.db.collection('studentFiles').doc(studentId).set({ data: { studentId, schoolId: student!.schoolId, family, updatedAt: ctx.now, updatedBy: ctx.openid } })
      return { family, familyUpdatedAt: ctx.now.getTime() }
    },

    // ---------------------------------------------------------------- the registry
    async markSpecial({ studentId, categories, intervalDays, note }, ctx) {
      const [memberships, student, existing] = await Promise.all([
        staffContext(ctx),
        loadStudent(ctx, studentId),
        one<RegistryDoc>(ctx.db.collection(REGISTRY).where(trustedOnly({ _id: studentId })).limit(1))
      ])
      const who = await requireStudentAccess(ctx, memberships, student)
      const s = student!
      if (s.status !== 'enrolled') throw new AppError('INVALID_STATE', '该学生已离校，不能登记名册')
      const active = existing && !existing.endedAt
      let doc: RegistryDoc
      if (active) {
        const changes: string[] = []
        if (existing.categories.join('、') !== categories.join('、')) changes.push(`类别改为${categories.join('、')}`)
        if (existing.intervalDays !== intervalDays) changes.push(`随访间隔改为 ${intervalDays} 天`)
        if ((existing.note ?? '') !== note) changes.push('修改关注要点')
        if (!changes.length) return { entry: registryView(existing, s, await lastContactOf(ctx, studentId), ctx.now.getTime()) }
        const entry = { at: ctx.now, byName: who.name, change: changes.join('；') }
        await ctx.db.collection(REGISTRY).doc(studentId).update({ data: { categories, intervalDays, note, updatedAt: ctx.now, history: _.push([entry]) } })
        doc = { ...existing, categories, intervalDays, note, updatedAt: ctx.now, history: [...(existing.history ?? []), entry] }
      } else {
        doc = {
          _id: studentId,
          studentId,
          countyId: s.countyId,
          schoolId: s.schoolId,
          classId: s.classId,
          className: s.className,
          studentName: s.name,
          categories,
          intervalDays,
          note,
          registeredAt: ctx.now,
          registeredBy: ctx.openid,
          registeredByName: who.name,
          endedAt: null,
          endReason: null,
          history: [...(existing?.history ?? []), { at: ctx.now, byName: who.name, change: `登记：${categories.join('、')}，每 ${intervalDays} 天随访` }],
          updatedAt: ctx.now
        }
        const { _id: _omit, ...data } = doc
        await ctx.db.collection(REGISTRY).doc(studentId).set({ data })
      }
      return { entry: registryView(doc, s, await lastContactOf(ctx, studentId), ctx.now.getTime()) }
    },

    async endSpecial({ studentId, reason }, ctx) {
      const [memberships, student, existing] = await Promise.all([
        staffContext(ctx),
        loadStudent(ctx, studentId),
        one<RegistryDoc>(ctx.db.collection(REGISTRY).where(trustedOnly({ _id: studentId })).limit(1))
      ])
      const who = await requireStudentAccess(ctx, memberships, student)
      if (!existing || existing.endedAt) throw new AppError('INVALID_STATE', '该学生不在特殊学生名册中')
      const res = (await ctx.db
        .collection(REGISTRY)
        .where({ _id: studentId, endedAt: null })
        .update({ data: { endedAt: ctx.now, endReason: reason, updatedAt: ctx.now, history: _.push([{ at: ctx.now, byName: who.name, change: `移出名册：${reason}` }]) } })) as {
        stats: { updated: number }
      }
      if (res.stats.updated !== 1) throw new AppError('INVALID_STATE', '该学生不在特殊学生名册中')
      return { studentId }
    },

    async specialRegistry({ classId }, ctx) {
      const memberships = await staffContext(ctx)
      const admin = memberships.find((m) => m.role === 'schoolAdmin' && m.schoolId)
      const teachers = teacherMemberships(memberships)
      let schoolIds: string[]
      let classIds: string[] | null
      if (classId) {
        const cls = await loadClass(ctx, classId)
        if (!cls || !classAccess(memberships, { schoolId: cls.schoolId, classId })) throw new AppError('PERMISSION_DENIED')
        schoolIds = [cls.schoolId]
        classIds = [classId]
      } else if (admin) {
        schoolIds = [admin.schoolId!]
        classIds = null
      } else if (teachers.length) {
        schoolIds = schoolsOf(teachers)
        classIds = [...new Set(teachers.flatMap((m) => [...(m.classIds ?? []), ...(m.headTeacherOf ?? [])]))]
      } else {
        throw new AppError('PERMISSION_DENIED')
      }
      const rows = await registryFacts(ctx, schoolIds, classIds)
      const now = ctx.now.getTime()
      const entries = rows
        .map((r) => registryView(r, r.student, factsOf(r).lastContactAt, now))
        .sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.dueAt - b.dueAt || compareNames(a.name, b.name))
      await auditRegistryMarks(ctx, memberships, rows, rows.map((r) => r.studentId), '查看特殊学生名册')
      return { entries }
    },

    // ---------------------------------------------------------------- coverage, to-dos, audit
    async classCoverage({ classId }, ctx) {
      const memberships = await activeMemberships(ctx)
      const admin = memberships.find((m) => m.role === 'schoolAdmin' && m.schoolId)
      const heads = teacherMemberships(memberships).filter((m) => (m.headTeacherOf ?? []).length > 0)
      let scope: { countyId: string; schoolId: string; classIds?: string[] }
      if (classId) {
        const head = heads.find((m) => (m.headTeacherOf ?? []).includes(classId))
        if (head) scope = { countyId: head.countyId, schoolId: head.schoolId!, classIds: [classId] }
        else if (admin) scope = { countyId: admin.countyId, schoolId: admin.schoolId!, classIds: [classId] }
        else throw new AppError('PERMISSION_DENIED')
      } else if (admin) {
        scope = { countyId: admin.countyId, schoolId: admin.schoolId! }
      } else if (heads.length) {
        scope = { countyId: heads[0].countyId, schoolId: heads[0].schoolId!, classIds: heads.filter((m) => m.schoolId === heads[0].schoolId).flatMap((m) => m.headTeacherOf ?? []) }
      } else {
        throw new AppError('PERMISSION_DENIED')
      }
      const T6 = targetById('T6')!
      const T7 = targetById('T7')!
      const T8 = targetById('T8')!
      const month = monthOf(ctx.now).id
      // the statistics' own formulas, now: T6 and T7 share one aggregation, T8 is the other (a class filter on a
      // school the caller does not run yields nothing: the scope's school is always the caller's)
      const [visitRows, registryRows] = await Promise.all([
        countGroups(ctx, T6.count, windowOf(T6, month, ctx.now), scope, { label: '$className' }),
        countGroups(ctx, T8.count, windowOf(T8, month, ctx.now), scope)
      ])
      // the admin named a class: it must be of their school (looked up only when it gave no row — an empty class, or another school's)
      if (classId && !visitRows.some((r) => r._id.c === classId)) {
        const cls = await loadClass(ctx, classId)
        if (!cls || cls.schoolId !== scope.schoolId) throw new AppError(cls ? 'PERMISSION_DENIED' : 'NOT_FOUND')
      }
      const at = windowOf(T6, month, ctx.now).at.getTime()
      const value = (def: typeof T6, c: Record<string, number> | undefined): TargetValue => evaluateTarget(def, c ?? {}, at)
      const t8 = new Map(registryRows.map((r) => [r._id.c, r.v]))
      const classes: CoverageRow[] = visitRows
        .filter((r) => r._id.c)
        .map((r) => ({ classId: r._id.c!, className: r.l ?? '', T6: value(T6, r.v), T7: value(T7, r.v), T8: value(T8, t8.get(r._id.c)) }))
        .sort((a, b) => compareClassNames(a.className, b.className))
      const sum = (rows: Array<{ v: Record<string, number> }>) => rows.reduce<Record<string, number>>((acc, r) => addCounters(acc, r.v), {})
      const visitSum = sum(visitRows)
      const coverage: Coverage = {
        asOf: ctx.now.getTime(),
        homeVisitPace: homeVisitPace(at),
        school: scope.classIds ? null : { T6: value(T6, visitSum), T7: value(T7, visitSum), T8: value(T8, sum(registryRows)) },
        classes
      }
      return coverage
    },

    async todos(_input, ctx) {
      const memberships = await activeMemberships(ctx)
      const mine = teacherMemberships(memberships)
      if (!mine.length) throw new AppError('PERMISSION_DENIED')
      const now = ctx.now.getTime()
      const semester = planSemester(now)
      const classIds = [...new Set(mine.flatMap((m) => [...(m.classIds ?? []), ...(m.headTeacherOf ?? [])]))]
      const [assigned, registry] = await Promise.all([myAssignmentFacts(ctx, semester.id, schoolsOf(mine)), registryFacts(ctx, schoolsOf(mine), classIds)])
      const horizon = dayStart(dayKey(now)) + (TODO_AHEAD_DAYS + 1) * DAY_MS
      const items: TodoItem[] = []
      const seen = new Set<string>()
      const registryIds: string[] = []
      const push = (studentId: string, name: string, dueAt: number, kind: 'followUp' | 'registry', note: string) => {
        const key = `${kind}_${studentId}`
        if (dueAt >= horizon || seen.has(key)) return
        seen.add(key)
        if (kind === 'registry') registryIds.push(studentId)
        const overdue = isOverdue(dueAt, now)
        items.push({
          id: `visits_${key}_${dayKey(dueAt)}`,
          kind: kind === 'followUp' ? (overdue ? 'followUpOverdue' : 'followUpDue') : overdue ? 'registryOverdue' : 'registryDue',
          title: `${name}：${kind === 'followUp' ? '家访后续跟进' : '特殊学生随访'}${overdue ? '已逾期' : '即将到期'}`,
          detail: note,
          dueAt,
          overdue,
          url: `/packages/teacher/pages/file/index?studentId=${studentId}`
        })
      }
      for (const r of assigned) {
        if (r.student?.status !== 'enrolled') continue
        const f = factsOf(r)
        const name = r.student?.name ?? r.studentName
        // what to follow up is record content: it is read (and audited) in the student's file, not shown here
        if (f.followUpBy !== null) push(r.studentId, name, f.followUpBy, 'followUp', '按家访记录约定的日期跟进，详见一人一档')
        if (f.registry) push(r.studentId, name, registryDueAt(f.registry.registeredAt, f.lastContactAt, f.registry.intervalDays), 'registry', `名册学生，每 ${f.registry.intervalDays} 天随访`)
      }
      for (const r of registry) {
        const f = factsOf(r)
        push(r.studentId, r.student?.name ?? r.studentName, registryDueAt(time(r.registeredAt), f.lastContactAt, r.intervalDays), 'registry', `名册学生，每 ${r.intervalDays} 天随访`)
      }
      items.sort((a, b) => a.dueAt - b.dueAt)
      await auditRegistryMarks(ctx, memberships, [...assigned, ...registry], registryIds, '查看待办（特殊学生随访）')
      return { items }
    },

    async auditTrail({ studentId }, ctx) {
      const [memberships, student] = await Promise.all([activeMemberships(ctx), loadStudent(ctx, studentId)])
      if (!student) throw new AppError('NOT_FOUND', '找不到这名学生')
      if (!memberships.some((m) => m.role === 'schoolAdmin' && m.schoolId === student.schoolId)) throw new AppError('PERMISSION_DENIED')
      const rows = await fetchList<{ at: Date | string; name: string; role: string; what: string }>(
        ctx.db.collection('auditLog').where(trustedOnly({ studentIds: studentId })).orderBy('at', 'desc').limit(100)
      )
      const roleLabel: Record<string, string> = { schoolAdmin: '学校管理员', teacher: '任课教师', visitor: '家访教师' }
      const entries: AuditEntry[] = rows.map((r) => ({ at: time(r.at), who: r.name, role: roleLabel[r.role] ?? r.role, what: r.what }))
      return { entries }
    }
  },
  { timer: (_event, ctx) => dailyReminders(ctx) }
)

