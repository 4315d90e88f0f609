/**
 * A small hand-built world for function tests and the authorization matrix: two schools, three classes, a few
 * students, and one person for every vantage point (guardian of this child / of another child, teacher of this
 * class / of another class, admin of this school / of another school, bureau, nobody).
 */
import { CONSENT_VERSION } from '@/shared/consent'
import type { LocalCloud } from '../localcloud'

export const NOW = new Date('2026-11-20T10:00:00+08:00')
const accepted = { status: 'accepted', version: CONSENT_VERSION, at: NOW }
const none = { status: 'none', version: null, at: null }

export const P = {
  nobody: 'o-nobody',
  guardianOfThis: 'o-g-this',
  guardianOfOther: 'o-g-other',
  teacherOfThis: 'o-t-this',
  teacherOfOther: 'o-t-other',
  adminOfThis: 'o-a-this',
  adminOfOther: 'o-a-other',
  bureau: 'o-bureau',
  counsellorOfThis: 'o-c-this',
  // extra people for the journeys
  grandpa: 'o-grandpa',
  unconsented: 'o-g-noconsent'
} as const

export const W = {
  county: 'c1',
  school: 's1',
  otherSchool: 's2',
  klass: 'k1',
  otherClass: 'k2',
  farClass: 'k9',
  classCode: 'CG1X01',
  otherClassCode: 'CG1X02',
  farClassCode: 'NHZX01',
  child: 'st1', // 王小明, bound to guardianOfThis
  sibling: 'st2', // 李华, unbound, in the same class
  leaver: 'st3', // 赵六, left the school
  otherChild: 'st4', // in the other class, bound to guardianOfOther
  farChild: 'st9'
}

function student(id: string, name: string, studentNo: string, classId: string, status = 'enrolled') {
  const inS1 = classId !== W.farClass
  return {
    _id: id,
    countyId: W.county,
    schoolId: inS1 ? W.school : W.otherSchool,
    schoolName: inS1 ? '城关第一小学' : '南湖初级中学',
    classId,
    className: classId === W.klass ? '一年级（1）班' : classId === W.otherClass ? '一年级（2）班' : '七年级（1）班',
    classCode: classId === W.klass ? W.classCode : classId === W.otherClass ? W.otherClassCode : W.farClassCode,
    name,
    studentNo,
    gender: '男',
    status
  }
}

export function seedWorld(cloud: LocalCloud) {
  const s = cloud.store
  s.clear()
  s.insertMany('schools', [
    { _id: W.school, countyId: W.county, name: '城关第一小学', type: '小学', district: '城关学区', code: 'CG1X' },
    { _id: W.otherSchool, countyId: W.county, name: '南湖初级中学', type: '初中', district: '南湖学区', code: 'NHZX' }
  ])
  s.insertMany('classes', [
    { _id: W.klass, schoolId: W.school, countyId: W.county, grade: '一年级', name: '一年级（1）班', code: W.classCode },
    { _id: W.otherClass, schoolId: W.school, countyId: W.county, grade: '一年级', name: '一年级（2）班', code: W.otherClassCode },
    { _id: W.farClass, schoolId: W.otherSchool, countyId: W.county, grade: '七年级', name: '七年级（1）班', code: W.farClassCode }
  ])
  s.insertMany('students', [
    student(W.child, '王小明', '2026011234', W.klass),
    student(W.sibling, '李华', '2026015678', W.klass),
    student(W.leaver, '赵六', '2026019999', W.klass, 'left'),
    student(W.otherChild, '陈晨', '2026024321', W.otherClass),
    student(W.farChild, '周舟', '2026098765', W.farClass)
  ])
  const user = (openid: string, displayName: string, consent: unknown = accepted) => ({
    _id: openid,
    openid,
    displayName,
    consent,
    preferences: { largeText: false },
    createdAt: NOW
  })
  s.insertMany('users', [
    user(P.guardianOfThis, '王芳'),
    user(P.guardianOfOther, '陈刚'),
    user(P.teacherOfThis, '林老师', none),
    user(P.teacherOfOther, '吴老师', none),
    user(P.adminOfThis, '严校长', none),
    user(P.adminOfOther, '程校长', none),
    user(P.bureau, '周科长', none),
    user(P.counsellorOfThis, '郑老师', none),
    user(P.grandpa, '王建国'),
    user(P.unconsented, '刘丽', none)
  ])
  const base = { status: 'active', countyId: W.county, createdAt: NOW }
  const s1 = { schoolId: W.school, schoolName: '城关第一小学' }
  const s2 = { schoolId: W.otherSchool, schoolName: '南湖初级中学' }
  s.insertMany('memberships', [
    { _id: `g_${P.guardianOfThis}_${W.child}`, openid: P.guardianOfThis, role: 'guardian', ...base, ...s1, classId: W.klass, studentId: W.child, relation: '母亲', via: 'roster', createdAt: new Date(NOW.getTime() - 86400_000) },
    { _id: `g_${P.guardianOfOther}_${W.otherChild}`, openid: P.guardianOfOther, role: 'guardian', ...base, ...s1, classId: W.otherClass, studentId: W.otherChild, relation: '父亲', via: 'roster' },
    { _id: 'm-t-this', openid: P.teacherOfThis, role: 'teacher', ...base, ...s1, classIds: [W.klass], headTeacherOf: [W.klass] },
    { _id: 'm-t-other', openid: P.teacherOfOther, role: 'teacher', ...base, ...s1, classIds: [W.otherClass], headTeacherOf: [W.otherClass] },
    { _id: 'm-a-this', openid: P.adminOfThis, role: 'schoolAdmin', ...base, ...s1 },
    { _id: 'm-a-other', openid: P.adminOfOther, role: 'schoolAdmin', ...base, ...s2 },
    { _id: 'm-bureau', openid: P.bureau, role: 'bureauAdmin', ...base, countyName: '平阳县' },
    { _id: 'm-c-this', openid: P.counsellorOfThis, role: 'counsellor', ...base, ...s1, name: '郑老师' }
  ])
}

/** A pending binding request in the class (a near miss by the unbound-yet guardian of another child). */
export function seedPendingRequest(cloud: LocalCloud, openid: string = P.guardianOfOther): string {
  const id = `r_${openid}_${W.klass}`
  cloud.store.insertMany('bindingRequests', [
    {
      _id: id,
      openid,
      guardianName: '陈刚',
      countyId: W.county,
      schoolId: W.school,
      schoolName: '城关第一小学',
      classId: W.klass,
      className: '一年级（1）班',
      childName: '李桦',
      studentNoSuffix: '5678',
      relation: '父亲',
      status: 'pending',
      reason: null,
      createdAt: NOW,
      updatedAt: NOW
    }
  ])
  return id
}

/** A family invitation to W.child, made by its guardian, valid for a day. */
export function seedFamilyInvite(cloud: LocalCloud, code = 'FAMCODE2', expiresAt = new Date(Date.now() + 86400_000)): string {
  cloud.store.insertMany('familyInvites', [{ _id: code, studentId: W.child, createdBy: P.guardianOfThis, expiresAt, createdAt: NOW }])
  return code
}

/** A pending request of the unregistered-yet teacher of another class to join W.school (issue 3). */
export function seedJoinRequest(cloud: LocalCloud, openid: string = P.grandpa, name = '王建国'): string {
  const id = `j_seed_${openid}`
  cloud.store.insertMany('joinRequests', [
    { _id: id, openid, name, countyId: W.county, schoolId: W.school, schoolName: '城关第一小学', status: 'pending', reason: null, createdAt: NOW, updatedAt: NOW }
  ])
  return id
}

/** A bureau invitation for W.school's admin, valid a week. */
export function seedAdminInvite(cloud: LocalCloud, code = 'ADMINV23', expiresAt = new Date(Date.now() + 7 * 86400_000)): string {
  cloud.store.insertMany('adminInvites', [
    { _id: code, countyId: W.county, schoolId: W.school, schoolName: '城关第一小学', createdBy: P.bureau, expiresAt, createdAt: NOW }
  ])
  return code
}

/** Rows of a roster workbook: [年级, 班级, 姓名, 学籍号, 性别] (any cell values, for hostile files too). */
export type RosterSheetRow = unknown[]

/** Builds a roster .xlsx with the template's headers (or others) and stores it, returning its fileID. */
export async function seedRosterFile(cloud: LocalCloud, rows: RosterSheetRow[], opts: { headers?: string[]; path?: string } = {}): Promise<string> {
  const ExcelJS = (await import('exceljs')).default
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('花名册')
  ws.addRow(opts.headers ?? ['年级', '班级', '姓名', '学籍号', '性别'])
  for (const r of rows) ws.addRow(r as never[])
  const buffer = Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer)
  return cloud.storage.put(opts.path ?? `user-uploads/test/roster-${Date.now()}-${Math.random().toString(36).slice(2)}.xlsx`, buffer)
}
