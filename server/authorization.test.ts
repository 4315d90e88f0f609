/**
 * The authorization matrix: every action of every function, called by every kind of caller, against one table of
 * expectations. Adding an action to the contract without a row here fails the first test.
 */
import { CONSENT_VERSION } from '@/shared/consent'
import { allActions } from '@/shared/contract'
import { startTestCloud, type TestCloud } from './testing'
import { P, seedAdminInvite, seedFamilyInvite, seedJoinRequest, seedPendingRequest, seedRosterFile, seedWorld, W } from './fixtures'
import { FORM as PROGRAMME_FORM, expertItems, seedApplication, seedRound, selfItems } from './functions/programme/fixtures'
import { form as VISIT_FORM, seedRecord as seedVisitRecord, seedRegistry } from './functions/visits/fixtures'
import { bookingOfChild, HOUR, localStart, seedSlot } from './functions/counselling/fixtures'

type Persona = Exclude<keyof typeof P, 'grandpa' | 'unconsented'>
const PERSONAS: Persona[] = ['nobody', 'guardianOfThis', 'guardianOfOther', 'teacherOfThis', 'teacherOfOther', 'adminOfThis', 'adminOfOther', 'bureau', 'counsellorOfThis']
const DENIED = new Set(['PERMISSION_DENIED', 'NOT_REGISTERED', 'CONSENT_REQUIRED'])

interface Row {
  /** who is allowed; everyone else must be refused with PERMISSION_DENIED, NOT_REGISTERED or CONSENT_REQUIRED */
  allow: Persona[]
  /** the input, "about this child / this class"; may seed what it needs first */
  data: (t: TestCloud) => unknown | Promise<unknown>
}

const everyone = PERSONAS
const registered = PERSONAS.filter((p) => p !== 'nobody')
/** Guardian self-service needs the guardian consent: in the world only the two guardians have given it. */
const consentedGuardians: Persona[] = ['guardianOfThis', 'guardianOfOther']
const manageThisClass: Persona[] = ['teacherOfThis', 'adminOfThis']
/** Actions on the caller's own school: every school admin (each acts on their own school). */
const schoolAdmins: Persona[] = ['adminOfThis', 'adminOfOther']
/** Every teacher (each acts on their own students). */
const teachers: Persona[] = ['teacherOfThis', 'teacherOfOther']

const MATRIX: Record<string, Row> = {
  'account.whoami': { allow: registered, data: () => ({}) },
  'account.acceptConsent': { allow: everyone, data: () => ({ version: CONSENT_VERSION }) },
  'account.withdrawConsent': { allow: registered, data: () => ({}) },
  'account.setPreferences': { allow: everyone, data: () => ({ largeText: true }) },
  'binding.bindChild': { allow: consentedGuardians, data: () => ({ classCode: W.classCode, childName: '李华', studentNoSuffix: '5678', relation: '父亲' }) },
  'binding.myChildren': { allow: everyone, data: () => ({}) },
  'binding.unbind': { allow: ['guardianOfThis'], data: () => ({ studentId: W.child }) },
  'binding.inviteFamily': { allow: ['guardianOfThis'], data: () => ({ studentId: W.child }) },
  'binding.joinByFamilyCode': { allow: consentedGuardians, data: (t) => ({ code: seedFamilyInvite(t.cloud), relation: '祖父母' }) },
  'binding.familyOf': { allow: ['guardianOfThis'], data: () => ({ studentId: W.child }) },
  'binding.handOverPrimary': { allow: ['guardianOfThis'], data: () => ({ studentId: W.child, toGuardianId: `g_${P.guardianOfThis}_${W.child}` }) },
  'binding.pendingRequests': { allow: manageThisClass, data: () => ({ classId: W.klass }) },
  'binding.decideRequest': { allow: manageThisClass, data: (t) => ({ requestId: seedPendingRequest(t.cloud), approve: false, reason: '请核对' }) },
  'binding.unboundStudents': { allow: manageThisClass, data: () => ({ classId: W.klass }) },
  'roster.createSchool': { allow: ['bureau'], data: () => ({ name: '城关第三小学', type: '小学', district: '城关学区' }) },
  'roster.listSchools': { allow: ['bureau'], data: () => ({}) },
  'roster.inviteSchoolAdmin': { allow: ['bureau'], data: () => ({ schoolId: W.school }) },
  // Self-registration of staff: a first-time user may use an invitation or ask to join (like acceptConsent).
  'roster.acceptAdminInvite': { allow: everyone, data: (t) => ({ code: seedAdminInvite(t.cloud) }) },
  'roster.rosterTemplate': { allow: schoolAdmins, data: () => ({}) },
  'roster.importRoster': { allow: schoolAdmins, data: async (t) => ({ fileID: await seedRosterFile(t.cloud, [['二年级', '1', '孙悟空', '2026070001', '男']]) }) },
  'roster.exportRoster': { allow: schoolAdmins, data: () => ({}) },
  'roster.listClasses': { allow: schoolAdmins, data: () => ({}) },
  'roster.listStudents': { allow: manageThisClass, data: () => ({ classId: W.klass, includeLeft: true }) },
  'roster.listStaff': { allow: schoolAdmins, data: () => ({}) },
  'roster.addStudent': { allow: ['adminOfThis'], data: () => ({ classId: W.klass, name: '钱多多', studentNo: '2026017777', gender: '女' }) },
  'roster.editStudent': { allow: ['adminOfThis'], data: () => ({ studentId: W.child, name: '王晓明' }) },
  'roster.transferStudent': { allow: ['adminOfThis'], data: () => ({ studentId: W.child, classId: W.otherClass }) },
  'roster.markLeft': { allow: ['adminOfThis'], data: () => ({ studentId: W.child }) },
  'roster.joinSchool': { allow: everyone, data: () => ({ schoolCode: 'CG1X', name: '新老师' }) },
  'roster.listJoinRequests': { allow: schoolAdmins, data: () => ({}) },
  'roster.decideJoin': { allow: ['adminOfThis'], data: (t) => ({ requestId: seedJoinRequest(t.cloud), approve: true }) },
  'roster.assignTeacher': { allow: ['adminOfThis'], data: () => ({ membershipId: 'm-t-this', classIds: [W.klass, W.otherClass], headTeacherOf: [W.klass] }) },
  'roster.grantRole': { allow: ['adminOfThis'], data: () => ({ membershipId: 'm-t-this', role: 'counsellor', grant: true }) },
  // 示范校 programme: the bureau runs rounds and decisions; a school admin applies and self-assesses for their own school.
  'programme.openRound': { allow: ['bureau'], data: () => ({ name: '2026年度示范校创建', year: 2026, deadline: '2099-03-01' }) },
  'programme.listRounds': { allow: ['adminOfThis', 'adminOfOther', 'bureau'], data: (t) => (seedRound(t.cloud), {}) },
  'programme.apply': { allow: schoolAdmins, data: (t) => ({ roundId: seedRound(t.cloud), ...PROGRAMME_FORM }) },
  'programme.listApplications': { allow: ['bureau'], data: (t) => (seedApplication(t.cloud, 'submitted'), {}) },
  'programme.getApplication': { allow: ['adminOfThis', 'bureau'], data: (t) => ({ applicationId: seedApplication(t.cloud, 'creating') }) },
  'programme.decideApplication': { allow: ['bureau'], data: (t) => ({ applicationId: seedApplication(t.cloud, 'submitted'), accept: true }) },
  'programme.saveSelfAssessment': { allow: ['adminOfThis'], data: (t) => ({ applicationId: seedApplication(t.cloud, 'creating'), items: selfItems() }) },
  'programme.submitSelfAssessment': { allow: ['adminOfThis'], data: (t) => ({ applicationId: seedApplication(t.cloud, 'creating'), items: selfItems() }) },
  'programme.evaluate': { allow: ['bureau'], data: (t) => ({ applicationId: seedApplication(t.cloud, 'selfAssessed'), items: expertItems(), comment: '材料属实', result: 'pass' }) },
  'programme.recheck': { allow: ['bureau'], data: (t) => ({ applicationId: seedApplication(t.cloud, 'certified'), result: 'pass', comment: '复查合格' }) },
  // Statistics: a principal sees their own school (admins of other schools get theirs, not this one); the bureau sees
  // every school of the county but never the students behind a gap.
  'stats.schoolDashboard': { allow: ['adminOfThis', 'bureau'], data: () => ({ schoolId: W.school }) },
  'stats.countyDashboard': { allow: ['bureau'], data: () => ({}) },
  'stats.classGap': { allow: manageThisClass, data: () => ({ classId: W.klass, targetId: 'T1' }) },
  'stats.recompute': { allow: ['bureau'], data: () => ({ scope: 'county' }) },
  'stats.exportStats': { allow: ['adminOfThis', 'bureau'], data: (t) => (seedSnapshots(t), { scope: 'school', schoolId: W.school, schoolYear: 2026 }) },
  'stats.annualReport': { allow: ['adminOfThis', 'bureau'], data: () => ({ scope: 'school', schoolId: W.school, schoolYear: 2026 }) },
  'stats.saveAnnualReport': { allow: schoolAdmins, data: () => ({ scope: 'school', schoolYear: 2026, sections: [{ key: 'cases', title: '典型案例', body: '护学岗' }] }) },
  'stats.resetAnnualReport': { allow: schoolAdmins, data: () => ({ scope: 'school', schoolYear: 2026 }) },
  'stats.downloadAnnualReport': { allow: ['adminOfThis', 'bureau'], data: () => ({ scope: 'school', schoolId: W.school, schoolYear: 2026 }) },
  'account.allowReminder': { allow: registered, data: () => ({ topic: 'followUpDue', accepted: true }) },
  // 全员家访: a visit's contents reach only the class's teachers and the school's admin — never a teacher of another
  // class, a guardian (of this child or another) or the bureau (which sees T6–T8 as counts in the statistics)
  'visits.planOverview': { allow: schoolAdmins, data: () => ({}) },
  'visits.classPlan': { allow: ['adminOfThis'], data: () => ({ classId: W.klass }) },
  'visits.assignClass': { allow: ['adminOfThis'], data: () => ({ classId: W.klass, teacherOpenids: [P.teacherOfThis] }) },
  'visits.assignDefaults': { allow: schoolAdmins, data: () => ({}) },
  'visits.saveTraining': { allow: schoolAdmins, data: () => ({ title: '家访操作手册', link: 'https://example.org/manual' }) },
  'visits.myWork': { allow: teachers, data: () => ({}) },
  'visits.submitVisit': { allow: manageThisClass, data: () => VISIT_FORM() },
  'visits.correctVisit': { allow: ['teacherOfThis'], data: (t) => ({ ...visitFields(), recordId: seedVisitRecord(t.cloud) }) },
  'visits.visitRecord': { allow: manageThisClass, data: (t) => ({ recordId: seedVisitRecord(t.cloud) }) },
  'visits.studentFile': { allow: manageThisClass, data: (t) => (seedVisitRecord(t.cloud), seedRegistry(t.cloud), { studentId: W.child }) },
  'visits.saveFamily': { allow: manageThisClass, data: () => ({ studentId: W.child, family: '与祖父母同住' }) },
  'visits.markSpecial': { allow: manageThisClass, data: () => ({ studentId: W.child, categories: ['留守儿童'] }) },
  'visits.endSpecial': { allow: manageThisClass, data: (t) => ({ studentId: seedRegistry(t.cloud), reason: '父母已返乡' }) },
  'visits.specialRegistry': { allow: manageThisClass, data: (t) => (seedRegistry(t.cloud), { classId: W.klass }) },
  'visits.classCoverage': { allow: manageThisClass, data: () => ({ classId: W.klass }) },
  'visits.todos': { allow: teachers, data: (t) => (seedRegistry(t.cloud), {}) },
  'visits.auditTrail': { allow: ['adminOfThis'], data: () => ({ studentId: W.child }) },
  // 个案咨询: case notes reach their counsellor only — never the school admin, the bureau or a guardian; a guardian
  // books only for a child bound to them
  'counselling.publishSlots': { allow: ['counsellorOfThis'], data: () => ({ mode: '电话', minutes: 30, starts: [localStart(50)] }) },
  'counselling.mySlots': { allow: ['counsellorOfThis'], data: () => ({}) },
  'counselling.cancelSlot': { allow: ['counsellorOfThis'], data: (t) => ({ slotId: seedSlot(t.cloud), reason: '临时有事' }) },
  'counselling.recordOutcome': { allow: ['counsellorOfThis'], data: (t) => ({ slotId: pastBooked(t), result: 'resolved', notes: '家长学会了倾听' }) },
  'counselling.caseNotes': { allow: ['counsellorOfThis'], data: (t) => ({ slotId: pastBooked(t) }) },
  'counselling.openSlots': { allow: ['guardianOfThis'], data: (t) => (seedSlot(t.cloud), { studentId: W.child }) },
  'counselling.holdSlot': { allow: ['guardianOfThis'], data: (t) => ({ slotId: seedSlot(t.cloud), studentId: W.child }) },
  'counselling.releaseHold': { allow: consentedGuardians, data: (t) => ({ slotId: seedSlot(t.cloud) }) },
  'counselling.confirmBooking': { allow: ['guardianOfThis'], data: (t) => ({ slotId: seedSlot(t.cloud), studentId: W.child, topic: '学习', description: '作业拖拉，想请教方法' }) },
  'counselling.myBookings': { allow: consentedGuardians, data: () => ({}) },
  'counselling.cancelBooking': { allow: ['guardianOfThis'], data: (t) => ({ slotId: seedSlot(t.cloud, { status: 'booked', booking: bookingOfChild() }) }) },
  'counselling.rescheduleBooking': { allow: ['guardianOfThis'], data: (t) => ({ slotId: seedSlot(t.cloud, { status: 'booked', booking: bookingOfChild() }), toSlotId: seedSlot(t.cloud, { start: new Date(Date.now() + 96 * HOUR) }) }) },
  'counselling.rateSession': { allow: ['guardianOfThis'], data: (t) => ({ slotId: pastBooked(t), score: 5 }) },
  'counselling.todos': { allow: ['guardianOfThis', 'guardianOfOther', 'counsellorOfThis'], data: () => ({}) }
}

/** A session of 郑老师 with W.child that took place yesterday. */
function pastBooked(t: TestCloud): string {
  return seedSlot(t.cloud, { status: 'booked', booking: bookingOfChild(), start: new Date(Date.now() - 24 * HOUR) })
}

/** The visit form, about W.child, as a teacher sends it (fields only: a correction's). */
function visitFields() {
  const { clientKey: _k, studentId: _s, ...fields } = VISIT_FORM()
  return fields
}

/** A snapshot of W.school for October 2026 (exports need one). */
function seedSnapshots(t: TestCloud) {
  t.cloud.store.insertMany('statistics', [
    { _id: `2026-10_school_${W.school}`, kind: 'school', month: '2026-10', countyId: W.county, schoolId: W.school, schoolName: '城关第一小学', district: '城关学区', schoolType: '小学', computedAt: new Date('2026-11-01T02:00:00+08:00'), partial: false, runId: 'r', counters: { T1: { enrolled: 2, withGuardian: 1 } }, values: { T1: { value: 0.5, numerator: 1, denominator: 2, met: false } }, classes: [] }
  ])
}

let t: TestCloud
beforeAll(async () => {
  t = await startTestCloud()
})
afterAll(async () => {
  await t.close()
})

it('has a row for every action of every function', () => {
  const actions = allActions().map((a) => `${a.fn}.${a.action}`)
  expect(Object.keys(MATRIX).sort()).toEqual(actions.sort())
})

for (const [name, row] of Object.entries(MATRIX)) {
  const [fn, action] = name.split('.')
  describe(name, () => {
    for (const persona of PERSONAS) {
      const allowed = row.allow.includes(persona)
      it(`${allowed ? 'allows' : 'refuses'} ${persona}`, async () => {
        seedWorld(t.cloud)
        const data = await row.data(t)
        const { reply } = await t.call(fn, P[persona], { action, data })
        if (allowed) {
          if (!reply.ok) throw new Error(`${name} refused ${persona}: ${reply.code} ${reply.message}`)
        } else {
          expect(reply.ok).toBe(false)
          if (!reply.ok) expect(DENIED).toContain(reply.code)
        }
      })
    }
  })
}
