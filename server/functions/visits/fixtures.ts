/** Visit records, registry entries and assignments for function tests and the authorization matrix (the hand-built world). */
import type { LocalCloud } from '../../../localcloud'
import { P, W } from '../../fixtures'
import { dayKey } from '@/shared/calendar'
import { dayStart, planSemester } from '@/shared/visits'

export const DAY = 86_400_000
/** Today (Shanghai) as YYYY-MM-DD, and a day `n` days before it. */
export const today = () => dayKey(Date.now())
export const daysAgo = (n: number) => dayKey(Date.now() - n * DAY)
/** The instant a day begins (Shanghai). */
export const dayAt = (day: string) => new Date(dayStart(day))

let seq = 0
/** A unique client key per call (a phone makes one per draft). */
export const newKey = () => `key${Date.now().toString(36)}${(seq++).toString(36)}abc`

/** The form as a teacher fills it in (a phone contact today about W.child). */
export function form(extra: Record<string, unknown> = {}) {
  return {
    clientKey: newKey(),
    studentId: W.child,
    type: '电话',
    date: today(),
    participants: '林老师、母亲',
    situation: { study: '作业按时完成', health: '', mood: '情绪稳定', family: '' },
    suggestions: '希望多反馈在校表现',
    followUp: { needed: false, by: null, note: '' },
    photos: [],
    ...extra
  }
}

/** A stored record (written as the function writes them), by default by the head teacher of W.klass about W.child. */
export function seedRecord(cloud: LocalCloud, fields: Record<string, unknown> = {}): string {
  const id = (fields._id as string) ?? `vr_seed${seq++}`
  const now = new Date()
  cloud.store.insertMany('visitRecords', [
    {
      _id: id,
      countyId: W.county,
      schoolId: W.school,
      classId: W.klass,
      className: '一年级（1）班',
      studentId: W.child,
      studentName: '王小明',
      authorOpenid: P.teacherOfThis,
      authorName: '林老师',
      type: '电话',
      date: dayAt(today()),
      participants: '林老师、母亲',
      situation: { study: '良好', health: '', mood: '', family: '' },
      suggestions: '',
      followUp: { needed: false, by: null, note: '' },
      photos: [],
      createdAt: now,
      updatedAt: now,
      history: [],
      ...fields
    }
  ])
  return id
}

/** W.child (or another student) on the special registry since `registeredAt`. */
export function seedRegistry(cloud: LocalCloud, fields: Record<string, unknown> = {}): string {
  const studentId = (fields.studentId as string) ?? W.child
  cloud.store.insertMany('specialRegistry', [
    {
      _id: studentId,
      studentId,
      countyId: W.county,
      schoolId: W.school,
      classId: W.klass,
      className: '一年级（1）班',
      studentName: '王小明',
      categories: ['留守儿童'],
      intervalDays: 30,
      note: '父母在外务工，与祖父母同住',
      registeredAt: new Date(Date.now() - 40 * DAY),
      registeredBy: P.teacherOfThis,
      registeredByName: '林老师',
      endedAt: null,
      endReason: null,
      history: [],
      updatedAt: new Date(),
      ...fields
    }
  ])
  return studentId
}

/** The visiting teacher(s) of a student this semester. */
export function seedAssignment(cloud: LocalCloud, studentId: string, teacherOpenids: string[], classId: string = W.klass) {
  const semester = planSemester(Date.now())
  cloud.store.insertMany('visitAssignments', [
    {
      _id: `${semester.id}_${studentId}`,
      countyId: W.county,
      schoolId: W.school,
      classId,
      className: classId === W.klass ? '一年级（1）班' : '一年级（2）班',
      studentId,
      studentName: '',
      semesterId: semester.id,
      teacherOpenids,
      teacherNames: teacherOpenids.map(() => '教师'),
      updatedAt: new Date(),
      updatedBy: P.adminOfThis
    }
  ])
}
