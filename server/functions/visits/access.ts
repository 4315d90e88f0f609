/**
 * Who may read and change a student's visit records, file and registry entry: the school's admin, a teacher of the
 * student's class (taught or headed), or the student's visiting teacher this semester. Nobody else — not another
 * class's teacher, not a guardian, not the bureau. Every read of a record or registry entry is written to the
 * audit log (who, what, when).
 */
import { _, fetchList, one, trustedOnly } from '../../lib/cloud'
import { activeMemberships, findUser } from '../../lib/auth'
import type { MembershipDoc, StudentDoc } from '../../lib/docs'
import type { ActionContext } from '../../lib/router'
import { AppError } from '@/shared/errors'
import { planSemester } from '@/shared/visits'

export interface AssignmentDoc {
  _id: string // `${semesterId}_${studentId}`
  countyId: string
  schoolId: string
  classId: string
  className: string
  studentId: string
  studentName: string
  semesterId: string
  teacherOpenids: string[]
  teacherNames: string[]
  updatedAt: Date
  updatedBy: string
}

export const assignmentIdFor = (semesterId: string, studentId: string) => `${semesterId}_${studentId}`

export type AccessRole = 'schoolAdmin' | 'teacher' | 'visitor'

export interface Access {
  role: AccessRole
  /** the caller's name as the school knows it */
  name: string
  membership: MembershipDoc
}

/** The caller's memberships, with their own account's name beside them (one request each, in parallel). */
export type Staff = MembershipDoc[] & { displayName?: string }
export async function staffContext(ctx: ActionContext): Promise<Staff> {
  const [memberships, user] = await Promise.all([activeMemberships(ctx), findUser(ctx)])
  return Object.assign(memberships, { displayName: user?.displayName })
}

/** The caller's name among the school's staff (the name given when joining, else their account's). */
export function staffNameIn(memberships: Staff, schoolId: string): string {
  return memberships.find((m) => m.schoolId === schoolId && m.name)?.name ?? (memberships.displayName || '教师')
}

/** Teachers of the class (taught or headed) and the school's admin — without needing the assignment. */
export function classAccess(memberships: MembershipDoc[], student: Pick<StudentDoc, 'schoolId' | 'classId'>): Access | null {
  const admin = memberships.find((m) => m.role === 'schoolAdmin' && m.schoolId === student.schoolId)
  const teacher = memberships.find(
    (m) => m.role === 'teacher' && m.schoolId === student.schoolId && ((m.classIds ?? []).includes(student.classId) || (m.headTeacherOf ?? []).includes(student.classId))
  )
  const m = teacher ?? admin
  if (!m) return null
  return { role: teacher ? 'teacher' : 'schoolAdmin', name: staffNameIn(memberships, student.schoolId), membership: m }
}

/**
 * The caller's access to a student, or PERMISSION_DENIED: a teacher of the class, the admin, or a teacher of the
 * school assigned to visit the student this semester (one more request, only when the first two do not apply).
 */
export async function requireStudentAccess(ctx: ActionContext, memberships: MembershipDoc[], student: StudentDoc | null): Promise<Access> {
  if (!student) throw new AppError('NOT_FOUND', '找不到这名学生')
  const direct = classAccess(memberships, student)
  if (direct) return direct
  const teacher = memberships.find((m) => m.role === 'teacher' && m.schoolId === student.schoolId)
  if (teacher) {
    const semester = planSemester(ctx.now.getTime())
    const a = await one<AssignmentDoc>(ctx.db.collection('visitAssignments').where(trustedOnly({ _id: assignmentIdFor(semester.id, student._id) })).limit(1))
    if (a?.teacherOpenids.includes(ctx.openid)) return { role: 'visitor', name: staffNameIn(memberships, student.schoolId), membership: teacher }
  }
  throw new AppError('PERMISSION_DENIED')
}

export async function loadStudent(ctx: ActionContext, studentId: string): Promise<StudentDoc | null> {
  return one<StudentDoc>(ctx.db.collection('students').where(trustedOnly({ _id: studentId })).limit(1))
}

/** Writes one audit entry: who (and in which role) read what about which students, now. */
export async function audit(ctx: ActionContext, entry: { access: Access; schoolId: string; countyId: string; studentIds: string[]; what: string; recordIds?: string[] }): Promise<void> {
  await ctx.db.collection('auditLog').add({
    data: {
      openid: ctx.openid,
      name: entry.access.name,
      role: entry.access.role,
      schoolId: entry.schoolId,
      countyId: entry.countyId,
      studentIds: entry.studentIds,
      recordIds: entry.recordIds ?? [],
      what: entry.what,
      at: ctx.now
    }
  })
}

/** The caller's active teacher memberships (a teacher's classes across schools). */
export function teacherMemberships(memberships: MembershipDoc[]): MembershipDoc[] {
  return memberships.filter((m) => m.role === 'teacher' && m.schoolId)
}

export async function fetchByIds<T>(ctx: ActionContext, collection: string, ids: string[]): Promise<T[]> {
  if (ids.length === 0) return []
  return fetchList<T>(ctx.db.collection(collection).where(trustedOnly({ _id: _.in(ids) })).limit(1000))
}
