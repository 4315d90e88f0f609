/**
 * binding — guardians bound to the right children (PRODUCT.md capability 1).
 *
 * A guardian binds a child with the class code + the child's name + the last 4 digits of the student number. An
 * exact roster match binds at once; anything else becomes one pending request per (guardian, class) for the head
 * teacher, who approves it to a student of the class or rejects it with a reason. Wrong codes and near misses count
 * toward a per-guardian hourly limit. Family members join through an expiring family code. Bindings are never
 * deleted: unbinding ends them (history stays) and binding again reactivates the same record.
 */
import { randomBytes } from 'crypto'
import { _, fetchList, trustedOnly } from '../../lib/cloud'
import { activeMemberships, checkCodeAttempts, findUser, recordFailedCodeAttempt, requireGuardianConsent, requireGuardianOf, requireManageClass } from '../../lib/auth'
import type { BindingRequestDoc, FamilyInviteDoc, MembershipDoc, StudentDoc, UserDoc } from '../../lib/docs'
import { time } from '../../lib/docs'
import { createFunction, type ActionContext } from '../../lib/router'
import type { ChildSummary, GuardianSummary, MyBindingRequest } from '@/shared/contract'
import { AppError } from '@/shared/errors'
import { maskName } from '@/shared/privacy'
import type { GuardianRelation } from '@/shared/roles'

const HOUR = 3600_000
const FAMILY_CODE_TTL = 72 * HOUR
const CLASS_SIZE_LIMIT = 200

const membershipId = (openid: string, studentId: string) => `g_${openid}_${studentId}`
const requestId = (openid: string, classId: string) => `r_${openid}_${classId}`

function sameName(a: string, b: string): boolean {
  return a.replace(/\s+/g, '').toLowerCase() === b.replace(/\s+/g, '').toLowerCase()
}

/** Creates or reactivates this guardian's binding to the student (idempotent: the id is the pair). */
async function bindTo(ctx: ActionContext, student: StudentDoc, relation: GuardianRelation, via: MembershipDoc['via']) {
  const doc: Omit<MembershipDoc, '_id'> = {
    openid: ctx.openid,
    role: 'guardian',
    status: 'active',
    countyId: student.countyId,
    schoolId: student.schoolId,
    schoolName: student.schoolName,
    classId: student.classId,
    studentId: student._id,
    relation,
    via,
    createdAt: ctx.now
  }
  await ctx.db.collection('memberships').doc(membershipId(ctx.openid, student._id)).set({ data: doc })
}

function childOf(student: Pick<StudentDoc, '_id' | 'name' | 'className' | 'schoolName'>, relation: GuardianRelation, primary: boolean): ChildSummary {
  return { studentId: student._id, name: student.name, className: student.className, schoolName: student.schoolName, relation, primary }
}

function requestView(r: BindingRequestDoc): MyBindingRequest {
  return {
    requestId: r._id,
    childName: r.childName,
    className: r.className,
    schoolName: r.schoolName,
    status: r.status,
    reason: r.reason ?? null,
    updatedAt: time(r.updatedAt)
  }
}

/** The primary guardian: the one it was handed to, else the earliest active binding. */
function primaryOf(student: Pick<StudentDoc, 'primaryGuardian'>, guardians: MembershipDoc[]): string | undefined {
  if (student.primaryGuardian && guardians.some((g) => g.openid === student.primaryGuardian)) return student.primaryGuardian
  return [...guardians].sort((a, b) => time(a.createdAt) - time(b.createdAt) || a.openid.localeCompare(b.openid))[0]?.openid
}

type GuardianWithName = MembershipDoc & { user: Array<Pick<UserDoc, 'displayName'>> }

/** The active guardians of a child with their display names, in one aggregate (membership → user lookup). */
async function guardiansOf(ctx: ActionContext, studentId: string): Promise<GuardianWithName[]> {
  const res = (await ctx.db
    .collection('memberships')
    .aggregate()
    .match(trustedOnly({ role: 'guardian', studentId, status: 'active' }))
    .limit(20)
    .lookup({ from: 'users', localField: 'openid', foreignField: '_id', as: 'user' })
    .project({ openid: 1, relation: 1, createdAt: 1, studentId: 1, 'user.displayName': 1 })
    .end()) as { list: GuardianWithName[] }
  return res.list
}

async function studentById(ctx: ActionContext, studentId: string): Promise<StudentDoc | null> {
  const [s] = await fetchList<StudentDoc>(ctx.db.collection('students').where({ _id: studentId }).limit(1))
  return s ?? null
}

function familyView(ctx: ActionContext, student: StudentDoc, guardians: GuardianWithName[]): GuardianSummary[] {
  const primary = primaryOf(student, guardians)
  const nameOf = (g: GuardianWithName) => g.user[0]?.displayName || '家长'
  return guardians.map((g) => ({
    guardianId: g._id,
    maskedName: g.openid === ctx.openid ? nameOf(g) : maskName(nameOf(g)),
    relation: g.relation ?? '其他监护人',
    primary: g.openid === primary,
    isMe: g.openid === ctx.openid
  }))
}

export const main = createFunction('binding', {
  async bindChild({ classCode, childName, studentNoSuffix, relation }, ctx) {
    const user = requireGuardianConsent(await findUser(ctx))
    checkCodeAttempts(user, ctx.now)
    const classmates = await fetchList<StudentDoc>(
      ctx.db.collection('students').where({ classCode }).field({ _id: true, name: true, studentNo: true, status: true, countyId: true, schoolId: true, schoolName: true, classId: true, className: true }).limit(CLASS_SIZE_LIMIT)
    )
    if (classmates.length === 0) {
      await recordFailedCodeAttempt(ctx, user)
      throw new AppError('CLASS_CODE_INVALID')
    }
    const exact = classmates.filter((s) => sameName(s.name, childName) && s.studentNo.endsWith(studentNoSuffix))
    if (exact.length === 1) {
      const student = exact[0]
      if (student.status !== 'enrolled') throw new AppError('STUDENT_NOT_ACCEPTING')
      await bindTo(ctx, student, relation, 'roster')
      return { status: 'bound' as const, child: childOf(student, relation, false) }
    }
    // A near miss: one pending request per guardian and class (a retry or a corrected try replaces it).
    const anyone = classmates[0]
    const request: Omit<BindingRequestDoc, '_id'> = {
      openid: ctx.openid,
      guardianName: user.displayName || '',
      countyId: anyone.countyId,
      schoolId: anyone.schoolId,
      schoolName: anyone.schoolName,
      classId: anyone.classId,
      className: anyone.className,
      childName,
      studentNoSuffix,
      relation,
      status: 'pending',
      reason: null,
      createdAt: ctx.now,
      updatedAt: ctx.now
    }
    const id = requestId(ctx.openid, anyone.classId)
    await Promise.all([ctx.db.collection('bindingRequests').doc(id).set({ data: request }), recordFailedCodeAttempt(ctx, user)])
    return { status: 'pending' as const, request: requestView({ _id: id, ...request }) }
  },

  async myChildren(_input, ctx) {
    const [memberships, requests] = await Promise.all([
      activeMemberships(ctx),
      fetchList<BindingRequestDoc>(ctx.db.collection('bindingRequests').where(trustedOnly({ openid: ctx.openid })).orderBy('updatedAt', 'desc').limit(20))
    ])
    const bindings = memberships.filter((m) => m.role === 'guardian' && m.studentId)
    if (bindings.length === 0) return { children: [], requests: requests.map(requestView) }
    const ids = bindings.map((b) => b.studentId as string)
    const [students, allGuardians] = await Promise.all([
      fetchList<StudentDoc>(
        ctx.db.collection('students').where({ _id: _.in(ids) }).field({ _id: true, name: true, className: true, schoolName: true, primaryGuardian: true }).limit(ids.length)
      ),
      fetchList<MembershipDoc>(
        ctx.db.collection('memberships').where(trustedOnly({ role: 'guardian', studentId: _.in(ids), status: 'active' })).field({ openid: true, studentId: true, createdAt: true }).limit(20 * ids.length)
      )
    ])
    const byId = new Map(students.map((s) => [s._id, s]))
    const children = bindings
      .filter((b) => byId.has(b.studentId as string))
      .map((b) => {
        const s = byId.get(b.studentId as string) as StudentDoc
        const primary = primaryOf(s, allGuardians.filter((g) => g.studentId === s._id)) === ctx.openid
        return childOf(s, b.relation ?? '其他监护人', primary)
      })
    return { children, requests: requests.filter((r) => r.status !== 'approved').map(requestView) }
  },

  async unbind({ studentId }, ctx) {
    const id = membershipId(ctx.openid, studentId)
    const [m] = await fetchList<MembershipDoc>(ctx.db.collection('memberships').where(trustedOnly({ _id: id })).limit(1))
    // Already unbound (a retry) is fine; never bound is not.
    if (!m) throw new AppError('PERMISSION_DENIED')
    if (m.status !== 'active') return { studentId }
    const res = (await ctx.db
      .collection('memberships')
      .where(trustedOnly({ _id: id, status: 'active' }))
      .update({ data: { status: 'ended', endedAt: ctx.now, endReason: 'unbound-by-guardian' } })) as { stats: { updated: number } }
    if (res.stats.updated === 1) {
      // The binding's period is kept: binding again later starts a new one on the same record, and the statistics of
      // past months (T1) still see that the child had this guardian then. One record per (binding, start).
      await ctx.db
        .collection('bindingPeriods')
        .doc(`${id}_${time(m.createdAt)}`)
        .set({ data: { openid: ctx.openid, studentId, countyId: m.countyId, schoolId: m.schoolId, from: m.createdAt ?? null, to: ctx.now } })
    }
    return { studentId }
  },

  async inviteFamily({ studentId }, ctx) {
    const [user, memberships] = await Promise.all([findUser(ctx), activeMemberships(ctx)])
    requireGuardianConsent(user)
    requireGuardianOf(memberships, studentId)
    const code = familyCode()
    const expiresAt = new Date(ctx.now.getTime() + FAMILY_CODE_TTL)
    const invite: Omit<FamilyInviteDoc, '_id'> = { studentId, createdBy: ctx.openid, expiresAt, createdAt: ctx.now }
    await ctx.db.collection('familyInvites').doc(code).set({ data: invite })
    return { code, expiresAt: expiresAt.getTime() }
  },

  async joinByFamilyCode({ code, relation }, ctx) {
    // The invitation and its child in one aggregate; the code is then claimed: it works once, for one family member.
    const [user, found] = await Promise.all([
      findUser(ctx),
      ctx.db
        .collection('familyInvites')
        .aggregate()
        .match({ _id: code })
        .limit(1)
        .lookup({ from: 'students', localField: 'studentId', foreignField: '_id', as: 'student' })
        .end() as Promise<{ list: Array<FamilyInviteDoc & { student: StudentDoc[] }> }>
    ])
    requireGuardianConsent(user)
    checkCodeAttempts(user, ctx.now)
    const invite = found.list[0]
    const usable = invite && time(invite.expiresAt) > ctx.now.getTime() && (!invite.usedBy || invite.usedBy === ctx.openid)
    const student = invite?.student[0]
    if (!usable || !student) {
      await recordFailedCodeAttempt(ctx, user)
      throw new AppError('FAMILY_CODE_INVALID')
    }
    if (student.status !== 'enrolled') throw new AppError('STUDENT_NOT_ACCEPTING')
    if (!invite.usedBy) {
      const claim = (await ctx.db
        .collection('familyInvites')
        .where({ _id: code, usedBy: _.exists(false) })
        .update({ data: { usedBy: ctx.openid, usedAt: ctx.now } })) as { stats: { updated: number } }
      if (claim.stats.updated === 0) throw new AppError('FAMILY_CODE_INVALID') // someone else used it a moment ago
    }
    await bindTo(ctx, student, relation, 'family')
    return { child: childOf(student, relation, false) }
  },

  async familyOf({ studentId }, ctx) {
    const [memberships, student, guardians] = await Promise.all([activeMemberships(ctx), studentById(ctx, studentId), guardiansOf(ctx, studentId)])
    requireGuardianOf(memberships, studentId)
    if (!student) throw new AppError('NOT_FOUND')
    return { guardians: familyView(ctx, student, guardians) }
  },

  async handOverPrimary({ studentId, toGuardianId }, ctx) {
    const [memberships, student, guardians] = await Promise.all([activeMemberships(ctx), studentById(ctx, studentId), guardiansOf(ctx, studentId)])
    requireGuardianOf(memberships, studentId)
    if (!student) throw new AppError('NOT_FOUND')
    if (primaryOf(student, guardians) !== ctx.openid) throw new AppError('PERMISSION_DENIED', '只有主要监护人可以移交')
    const to = guardians.find((g) => g._id === toGuardianId)
    if (!to) throw new AppError('NOT_FOUND', '对方不是这个孩子的监护人')
    await ctx.db.collection('students').doc(studentId).update({ data: { primaryGuardian: to.openid } })
    return { guardians: familyView(ctx, { ...student, primaryGuardian: to.openid }, guardians) }
  },

  async pendingRequests({ classId }, ctx) {
    const [memberships, requests, students] = await Promise.all([
      activeMemberships(ctx),
      fetchList<BindingRequestDoc>(ctx.db.collection('bindingRequests').where({ classId, status: 'pending' }).orderBy('createdAt', 'asc').limit(100)),
      fetchList<StudentDoc>(ctx.db.collection('students').where({ classId, status: 'enrolled' }).field({ _id: true, name: true, studentNo: true, schoolId: true }).limit(CLASS_SIZE_LIMIT))
    ])
    requireManageClass(memberships, classId, students[0]?.schoolId ?? requests[0]?.schoolId)
    return {
      requests: requests.map((r) => ({
        requestId: r._id,
        guardianMaskedName: maskName(r.guardianName || '家长'),
        relation: r.relation,
        childName: r.childName,
        studentNoSuffix: r.studentNoSuffix,
        createdAt: time(r.createdAt),
        candidates: students
          .filter((s) => sameName(s.name, r.childName) || s.studentNo.endsWith(r.studentNoSuffix))
          .map((s) => ({ studentId: s._id, name: s.name, studentNo: s.studentNo }))
      }))
    }
  },

  async decideRequest({ requestId: id, approve, studentId, reason }, ctx) {
    // One aggregate brings the request and its class's students (to check the chosen one), keeping this at 4 requests.
    const [memberships, found] = await Promise.all([
      activeMemberships(ctx),
      ctx.db
        .collection('bindingRequests')
        .aggregate()
        .match({ _id: id })
        .limit(1)
        .lookup({ from: 'students', localField: 'classId', foreignField: 'classId', as: 'classmates' })
        .end() as Promise<{ list: Array<BindingRequestDoc & { classmates: StudentDoc[] }> }>
    ])
    const request = found.list[0]
    if (!request) throw new AppError('NOT_FOUND')
    requireManageClass(memberships, request.classId, request.schoolId)
    if (request.status !== 'pending') throw new AppError('CONFLICT', '这条申请已经处理过了')
    if (!approve) {
      if (!reason) throw new AppError('INVALID_INPUT', '请填写拒绝的原因，家长会看到')
      await ctx.db.collection('bindingRequests').doc(id).update({ data: { status: 'rejected', reason, decidedBy: ctx.openid, updatedAt: ctx.now } })
      return { requestId: id, status: 'rejected' as const }
    }
    if (!studentId) throw new AppError('INVALID_INPUT', '请选择要绑定的学生')
    const student = request.classmates.find((s) => s._id === studentId)
    if (!student) throw new AppError('NOT_FOUND', '该学生不在这个班级')
    if (student.status !== 'enrolled') throw new AppError('STUDENT_NOT_ACCEPTING')
    await Promise.all([
      ctx.db.collection('memberships').doc(membershipId(request.openid, student._id)).set({
        data: {
          openid: request.openid,
          role: 'guardian',
          status: 'active',
          countyId: student.countyId,
          schoolId: student.schoolId,
          schoolName: student.schoolName,
          classId: student.classId,
          studentId: student._id,
          relation: request.relation,
          via: 'teacher',
          createdAt: ctx.now
        } satisfies Omit<MembershipDoc, '_id'>
      }),
      ctx.db.collection('bindingRequests').doc(id).update({ data: { status: 'approved', studentId: student._id, reason: null, decidedBy: ctx.openid, updatedAt: ctx.now } })
    ])
    return { requestId: id, status: 'approved' as const }
  },

  async unboundStudents({ classId }, ctx) {
    const [memberships, students, guardians] = await Promise.all([
      activeMemberships(ctx),
      fetchList<StudentDoc>(ctx.db.collection('students').where({ classId, status: 'enrolled' }).field({ _id: true, name: true, studentNo: true, schoolId: true, className: true, classCode: true }).limit(CLASS_SIZE_LIMIT)),
      fetchList<MembershipDoc>(ctx.db.collection('memberships').where(trustedOnly({ role: 'guardian', classId, status: 'active' })).field({ studentId: true }).limit(1000))
    ])
    requireManageClass(memberships, classId, students[0]?.schoolId)
    const bound = new Set(guardians.map((g) => g.studentId))
    return {
      classId,
      className: students[0]?.className ?? '',
      classCode: students[0]?.classCode ?? '',
      enrolled: students.length,
      unbound: students.filter((s) => !bound.has(s._id)).map((s) => ({ studentId: s._id, name: s.name, studentNo: s.studentNo }))
    }
  }
})

/** 8 characters without look-alikes (no 0/O, 1/I/L). */
function familyCode(): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
  let code = ''
  for (const b of randomBytes(8)) code += alphabet[b % alphabet.length]
  return code
}
