/** The roster function through the genuine wx-server-sdk against the local cloud. */
import ExcelJS from 'exceljs'
import fc from 'fast-check'
import type { ClassView, FileLink, ImportProblem, ImportSummary, JoinRequestView, RosterStudent, SchoolProgress, SchoolSummary, StaffView, WhoAmI } from '@/shared/contract'
import { ERROR_CODES } from '@/shared/errors'
import { startTestCloud, type TestCloud } from '../../testing'
import { P, seedAdminInvite, seedJoinRequest, seedRosterFile, seedWorld, W, type RosterSheetRow } from '../../fixtures'

let t: TestCloud
beforeAll(async () => {
  t = await startTestCloud()
})
afterAll(async () => {
  await t.close()
})
beforeEach(() => seedWorld(t.cloud))

const call = <T>(openid: string, action: string, data: unknown) => t.call<T>('roster', openid, { action, data })
const ok = async <T>(openid: string, action: string, data: unknown): Promise<T> => {
  const { reply } = await call<T>(openid, action, data)
  if (!reply.ok) throw new Error(`${action}: ${reply.code} ${reply.message} ${JSON.stringify(reply.details ?? '')}`)
  return reply.data
}
const importRows = async (rows: RosterSheetRow[], openid: string = P.adminOfThis) => call<ImportSummary>(openid, 'importRoster', { fileID: await seedRosterFile(t.cloud, rows) })
const snapshot = () => JSON.stringify(['students', 'classes', 'memberships'].map((c) => t.cloud.store.find(c, {}, { sort: { _id: 1 } })))

async function readSheet(fileID: string): Promise<string[][]> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(t.cloud.storage.read(fileID) as unknown as ExcelJS.Buffer)
  const out: string[][] = []
  wb.worksheets[0].eachRow((row) => out.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))))
  return out
}

const ROWS: RosterSheetRow[] = [
  ['二年级', '1', '孙小圣', '2026070001', '男'],
  ['二年级', '1', '朱小能', '2026070002', '男'],
  ['二年级', '（2）班', '沙小净', '2026070003', '女'],
  ['三年级', '三年级（1）班', '唐小三', 'G110101201801010012', '女']
]

describe('the roster template and export', () => {
  it('gives the school admin an .xlsx template with the Chinese headers and an example row', async () => {
    const { reply, stats } = await call<FileLink>(P.adminOfThis, 'rosterTemplate', {})
    if (!reply.ok) throw new Error(reply.code)
    expect(reply.data.fileID).toMatch(/^cloud:\/\/.+\.xlsx$/)
    expect(reply.data.tempFileURL).toMatch(/^http/)
    expect(stats.dbRequests).toBeLessThanOrEqual(1)
    const rows = await readSheet(reply.data.fileID)
    expect(rows[0]).toEqual(['年级', '班级', '姓名', '学籍号', '性别'])
    expect(rows).toHaveLength(2)
  })

  it('a template uploaded back unchanged imports nothing and says so', async () => {
    const { fileID } = await ok<FileLink>(P.adminOfThis, 'rosterTemplate', {})
    const { reply } = await call(P.adminOfThis, 'importRoster', { fileID })
    expect(reply).toMatchObject({ ok: false, code: 'IMPORT_INVALID', message: expect.stringMatching(/没有学生/) })
  })

  it("exports the school's roster with roster fields only, never another school's students", async () => {
    const data = await ok<FileLink & { students: number }>(P.adminOfThis, 'exportRoster', {})
    expect(data.students).toBe(4)
    const rows = await readSheet(data.fileID)
    expect(rows[0]).toEqual(['年级', '班级', '姓名', '学籍号', '性别', '班级码', '状态'])
    const text = JSON.stringify(rows)
    expect(text).toContain('王小明')
    expect(text).toContain('已离校')
    expect(text).not.toContain('周舟') // other school
    expect(text).not.toMatch(/1[3-9]\d{9}/) // no phone numbers
  })
})

describe('importing the roster', () => {
  it('creates missing classes with unique codes and the students with denormalized class fields', async () => {
    const { reply, stats } = await importRows(ROWS)
    expect(reply).toEqual({ ok: true, data: { rows: 4, classesCreated: 3, studentsAdded: 4, studentsUpdated: 0, studentsMoved: 0, unchanged: 0 } })
    expect(stats.dbRequests).toBeLessThanOrEqual(6)
    const classes = t.cloud.store.find('classes', { schoolId: W.school })
    expect(classes.map((c) => c.name).sort()).toEqual(['一年级（1）班', '一年级（2）班', '三年级（1）班', '二年级（1）班', '二年级（2）班'].sort())
    const codes = t.cloud.store.find('classes', {}).map((c) => c.code)
    expect(new Set(codes).size).toBe(codes.length)
    const s = t.cloud.store.find('students', { studentNo: '2026070003' })[0]
    const k = classes.find((c) => c.name === '二年级（2）班')
    expect(s).toMatchObject({ schoolId: W.school, schoolName: '城关第一小学', classId: k?._id, className: '二年级（2）班', classCode: k?.code, status: 'enrolled', gender: '女' })
  })

  it('is idempotent: importing the same file again changes nothing', async () => {
    const fileID = await seedRosterFile(t.cloud, ROWS)
    await ok(P.adminOfThis, 'importRoster', { fileID })
    const before = snapshot()
    const again = await ok<ImportSummary>(P.adminOfThis, 'importRoster', { fileID })
    expect(again).toMatchObject({ classesCreated: 0, studentsAdded: 0, studentsUpdated: 0, unchanged: 4 })
    expect(snapshot()).toBe(before)
  })

  it('moves a student whose class changed, keeps the history and the guardian binding (following the class)', async () => {
    const { reply } = await importRows([
      ['一年级', '2', '王小明', '2026011234', '男'],
      ['一年级', '1', '李华', '2026015678', '女']
    ])
    expect(reply).toMatchObject({ ok: true, data: { studentsMoved: 1, studentsUpdated: 2, studentsAdded: 0 } })
    const child = t.cloud.store.find('students', { _id: W.child })[0]
    expect(child).toMatchObject({ classId: W.otherClass, className: '一年级（2）班', classCode: W.otherClassCode })
    expect(child.classHistory).toEqual([expect.objectContaining({ classId: W.klass, className: '一年级（1）班' })])
    expect(t.cloud.store.find('memberships', { studentId: W.child, status: 'active' })).toEqual([expect.objectContaining({ classId: W.otherClass })])
    expect(t.cloud.store.find('students', { _id: W.sibling })[0].gender).toBe('女')
  })

  it('checks every row and imports nothing when any is wrong, reporting row by row in Chinese', async () => {
    const before = snapshot()
    const { reply } = await importRows([
      ['二年级', '1', '孙小圣', '2026070001', '男'],
      ['', '1', '朱小能', '2026070002', '男'],
      ['二年级', '1', '沙', '2026070003', '未知'],
      ['二年级', '1', '白小龙', '12AB', '男'],
      ['二年级', '1', '孙小圣', '2026070001', '男'],
      ['二年级', '1', '周小舟', '2026098765', '女']
    ])
    expect(reply.ok).toBe(false)
    if (reply.ok) return
    expect(reply.code).toBe('IMPORT_INVALID')
    const rows = (reply.details as { rows: ImportProblem[] }).rows
    const at = (row: number, field: string) => rows.find((p) => p.row === row && p.field === field)?.message
    expect(at(3, '年级')).toBe('请填写年级')
    expect(at(4, '姓名')).toMatch(/完整姓名/)
    expect(at(4, '性别')).toMatch(/男.*女/)
    expect(at(5, '学籍号')).toMatch(/学籍号应为/)
    expect(at(6, '学籍号')).toBe('与第 2 行的学籍号重复')
    expect(at(7, '学籍号')).toMatch(/其他学校/)
    expect(snapshot()).toBe(before)
  })

  it('refuses unreadable files, missing columns, missing files and other schools\u2019 exports', async () => {
    const notXlsx = t.cloud.storage.put('user-uploads/test/a.xlsx', 'not a workbook')
    expect((await call(P.adminOfThis, 'importRoster', { fileID: notXlsx })).reply).toMatchObject({ ok: false, code: 'IMPORT_FILE_INVALID' })
    const noCols = await seedRosterFile(t.cloud, [['x', 'y']], { headers: ['年级', '名字'] })
    expect((await call(P.adminOfThis, 'importRoster', { fileID: noCols })).reply).toMatchObject({ ok: false, code: 'IMPORT_FILE_INVALID', message: expect.stringMatching(/缺少“班级、姓名、学籍号、性别”列/) })
    const missing = notXlsx.replace('a.xlsx', 'gone.xlsx')
    expect((await call(P.adminOfThis, 'importRoster', { fileID: missing })).reply).toMatchObject({ ok: false, code: 'IMPORT_FILE_INVALID' })
    const theirs = await seedRosterFile(t.cloud, ROWS, { path: `exports/${W.otherSchool}/花名册.xlsx` })
    expect((await call(P.adminOfThis, 'importRoster', { fileID: theirs })).reply).toMatchObject({ ok: false, code: 'PERMISSION_DENIED' })
    expect((await call(P.adminOfThis, 'importRoster', { fileID: 'http://x' })).reply).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
  })

  it('never crashes, never writes partially, and always answers with a stable code on random or hostile rows (property)', async () => {
    const cell = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('一年级', '1', '（2）班', '王小明', '2026011234', '2026098765', '男', '女', '', ' ', '=1+1', '<script>', '$ne'),
      fc.integer(),
      fc.double(),
      fc.constant(2 ** 64), // a long number that a spreadsheet stored as a float
      fc.constant(null),
      fc.boolean(),
      fc.date()
    )
    const row = fc.oneof(fc.array(cell, { minLength: 0, maxLength: 7 }), fc.tuple(fc.constantFrom('二年级', '三年级'), fc.constantFrom('1', '2'), fc.constantFrom('赵一', '钱二', '孙三'), fc.stringMatching(/^\d{6,19}$/), fc.constantFrom('男', '女')))
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 0, maxLength: 12 }), async (rows) => {
        seedWorld(t.cloud)
        const before = snapshot()
        const { reply } = await importRows(rows)
        if (!reply.ok) {
          expect(ERROR_CODES).toContain(reply.code)
          expect(reply.code).not.toBe('INTERNAL_ERROR')
          expect(snapshot()).toBe(before)
        } else {
          const added = t.cloud.store.count('students') - 5
          expect(added).toBe(reply.data.studentsAdded)
        }
      }),
      { numRuns: 30 }
    )
  })
})

describe('single students', () => {
  it('adds, edits, transfers and marks a student as left; a left student no longer accepts bindings', async () => {
    const { student } = await ok<{ student: RosterStudent }>(P.adminOfThis, 'addStudent', { classId: W.klass, name: '钱多多', studentNo: '2026017777', gender: '女' })
    expect(student).toMatchObject({ className: '一年级（1）班', status: 'enrolled' })
    const retry = await call(P.adminOfThis, 'addStudent', { classId: W.klass, name: '钱多多', studentNo: '2026017777', gender: '女' })
    expect(retry.reply.ok).toBe(true)
    expect(t.cloud.store.count('students', { studentNo: '2026017777' })).toBe(1)
    const edited = await ok<{ student: RosterStudent }>(P.adminOfThis, 'editStudent', { studentId: student.studentId, name: '钱朵朵', gender: '女' })
    expect(edited.student.name).toBe('钱朵朵')
    const moved = await ok<{ student: RosterStudent }>(P.adminOfThis, 'transferStudent', { studentId: W.child, classId: W.otherClass })
    expect(moved.student.className).toBe('一年级（2）班')
    expect(t.cloud.store.find('students', { _id: W.child })[0]).toMatchObject({ classCode: W.otherClassCode, classHistory: [expect.objectContaining({ classId: W.klass })] })
    expect(t.cloud.store.find('memberships', { studentId: W.child })[0]).toMatchObject({ classId: W.otherClass, status: 'active' })
    await ok(P.adminOfThis, 'markLeft', { studentId: W.sibling })
    await ok(P.adminOfThis, 'markLeft', { studentId: W.sibling }) // a retry is fine
    const bind = await t.call('binding', P.grandpa, { action: 'bindChild', data: { classCode: W.classCode, childName: '李华', studentNoSuffix: '5678', relation: '父亲' } })
    expect(bind.reply).toMatchObject({ ok: false, code: 'STUDENT_NOT_ACCEPTING' })
  })

  it('refuses duplicate numbers, numbers of another school, classes of another school and unknown students', async () => {
    const dup = await call(P.adminOfThis, 'addStudent', { classId: W.klass, name: '钱多多', studentNo: '2026011234', gender: '女' })
    expect(dup.reply).toMatchObject({ ok: false, code: 'DUPLICATE' })
    const taken = await call(P.adminOfThis, 'addStudent', { classId: W.klass, name: '钱多多', studentNo: '2026098765', gender: '女' })
    expect(taken.reply).toMatchObject({ ok: false, code: 'STUDENT_NO_TAKEN' })
    const edit = await call(P.adminOfThis, 'editStudent', { studentId: W.child, studentNo: '2026015678' })
    expect(edit.reply).toMatchObject({ ok: false, code: 'DUPLICATE' })
    const far = await call(P.adminOfThis, 'transferStudent', { studentId: W.child, classId: W.farClass })
    expect(far.reply).toMatchObject({ ok: false, code: 'PERMISSION_DENIED' })
    const left = await call(P.adminOfThis, 'transferStudent', { studentId: W.leaver, classId: W.otherClass })
    expect(left.reply).toMatchObject({ ok: false, code: 'CONFLICT' })
    const unknown = await call(P.adminOfThis, 'markLeft', { studentId: 'nope' })
    expect(unknown.reply).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    const bad = await call(P.adminOfThis, 'addStudent', { classId: W.klass, name: '钱多多', studentNo: '2026017777', gender: 'M' })
    expect(bad.reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: '性别请填写“男”或“女”' })
  })
})

describe('listings for the school admin', () => {
  it("lists the school's classes with head teachers and enrolled counts, in few requests; never another school's", async () => {
    const { reply, stats } = await call<{ classes: ClassView[] }>(P.adminOfThis, 'listClasses', {})
    if (!reply.ok) throw new Error(reply.code)
    expect(stats.dbRequests).toBeLessThanOrEqual(4)
    expect(reply.data.classes).toEqual([
      { classId: W.klass, grade: '一年级', name: '一年级（1）班', code: W.classCode, headTeachers: ['林老师'], enrolled: 2 },
      { classId: W.otherClass, grade: '一年级', name: '一年级（2）班', code: W.otherClassCode, headTeachers: ['吴老师'], enrolled: 1 }
    ])
    const other = await ok<{ classes: ClassView[] }>(P.adminOfOther, 'listClasses', {})
    expect(other.classes.map((c) => c.classId)).toEqual([W.farClass])
    const teacher = await call(P.teacherOfThis, 'listClasses', {})
    expect(teacher.reply).toMatchObject({ ok: false, code: 'PERMISSION_DENIED' })
  })

  it("lists a class's students for the admin and the class's teacher; left students only on request", async () => {
    const { reply, stats } = await call<{ className: string; students: RosterStudent[] }>(P.adminOfThis, 'listStudents', { classId: W.klass })
    if (!reply.ok) throw new Error(reply.code)
    expect(stats.dbRequests).toBeLessThanOrEqual(4)
    expect(reply.data.className).toBe('一年级（1）班')
    expect(reply.data.students.map((s) => s.name).sort()).toEqual(['李华', '王小明'].sort())
    const all = await ok<{ students: RosterStudent[] }>(P.teacherOfThis, 'listStudents', { classId: W.klass, includeLeft: true })
    expect(all.students).toContainEqual(expect.objectContaining({ studentId: W.leaver, status: 'left' }))
    const otherTeacher = await call(P.teacherOfOther, 'listStudents', { classId: W.klass })
    expect(otherTeacher.reply).toMatchObject({ ok: false, code: 'PERMISSION_DENIED' })
    const otherAdmin = await call(P.adminOfOther, 'listStudents', { classId: W.klass })
    expect(otherAdmin.reply).toMatchObject({ ok: false, code: 'PERMISSION_DENIED' })
    const unknown = await call(P.adminOfThis, 'listStudents', { classId: 'nope' })
    expect(unknown.reply).toMatchObject({ ok: false, code: 'NOT_FOUND' })
  })

  it("lists the school's staff, one entry per person with all their roles and classes", async () => {
    await ok(P.adminOfThis, 'grantRole', { membershipId: 'm-t-this', role: 'counsellor', grant: true })
    const { reply, stats } = await call<{ staff: StaffView[] }>(P.adminOfThis, 'listStaff', {})
    if (!reply.ok) throw new Error(reply.code)
    expect(stats.dbRequests).toBeLessThanOrEqual(4)
    const byName = new Map(reply.data.staff.map((s) => [s.name, s]))
    expect(reply.data.staff).toHaveLength(4) // with the school's counsellor 郑老师
    expect(byName.get('林老师')).toEqual({ membershipId: 'm-t-this', name: '林老师', roles: ['teacher', 'counsellor'], classIds: [W.klass], headTeacherOf: [W.klass], isMe: false })
    expect(byName.get('严校长')).toMatchObject({ membershipId: 'm-a-this', roles: ['schoolAdmin'], isMe: true })
    expect(JSON.stringify(reply.data)).not.toContain('程校长') // other school
    const teacher = await call(P.teacherOfThis, 'listStaff', {})
    expect(teacher.reply).toMatchObject({ ok: false, code: 'PERMISSION_DENIED' })
  })
})

describe('staff', () => {
  it('a registered user joins with the school code, the admin approves, assigns classes, and the teacher has the role', async () => {
    const joined = await ok<{ requestId: string; status: string }>(P.grandpa, 'joinSchool', { schoolCode: 'cg1x', name: '王建国' })
    expect(joined.status).toBe('pending')
    await ok(P.grandpa, 'joinSchool', { schoolCode: 'CG1X', name: '王建国' }) // idempotent
    expect(t.cloud.store.count('joinRequests', { openid: P.grandpa })).toBe(1)
    const { requests } = await ok<{ requests: JoinRequestView[] }>(P.adminOfThis, 'listJoinRequests', {})
    expect(requests).toEqual([expect.objectContaining({ requestId: joined.requestId, name: '王建国', status: 'pending' })])
    expect((await ok<{ requests: JoinRequestView[] }>(P.adminOfOther, 'listJoinRequests', {})).requests).toEqual([])
    const { reply, stats } = await call<{ membershipId: string }>(P.adminOfThis, 'decideJoin', { requestId: joined.requestId, approve: true })
    if (!reply.ok) throw new Error(reply.code)
    expect(stats.dbRequests).toBeLessThanOrEqual(4)
    const again = await call(P.adminOfThis, 'decideJoin', { requestId: joined.requestId, approve: true })
    expect(again.reply).toMatchObject({ ok: false, code: 'CONFLICT' })
    const assigned = await call(P.adminOfThis, 'assignTeacher', { openid: P.grandpa, classIds: [W.otherClass], headTeacherOf: [W.klass] })
    expect(assigned.reply).toMatchObject({ ok: true, data: { classIds: [W.otherClass, W.klass], headTeacherOf: [W.klass] } })
    expect(assigned.stats.dbRequests).toBeLessThanOrEqual(4)
    const me = await t.call<WhoAmI>('account', P.grandpa, { action: 'whoami', data: {} })
    expect(me.reply).toMatchObject({ ok: true, data: { roles: expect.arrayContaining([expect.objectContaining({ role: 'teacher', schoolId: W.school })]) } })
    const pending = await t.call('binding', P.grandpa, { action: 'pendingRequests', data: { classId: W.klass } })
    expect(pending.reply.ok).toBe(true)
    const rejoin = await ok<{ status: string }>(P.grandpa, 'joinSchool', { schoolCode: 'CG1X', name: '王建国' })
    expect(rejoin.status).toBe('approved')
  })

  it('rejects with a reason; refuses a wrong school code; cannot assign another school\u2019s classes', async () => {
    const id = seedJoinRequest(t.cloud)
    const noReason = await call(P.adminOfThis, 'decideJoin', { requestId: id, approve: false })
    expect(noReason.reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringMatching(/原因/) })
    await ok(P.adminOfThis, 'decideJoin', { requestId: id, approve: false, reason: '本校没有这位老师' })
    expect(t.cloud.store.count('memberships', { openid: P.grandpa, role: 'teacher' })).toBe(0)
    const wrong = await call(P.grandpa, 'joinSchool', { schoolCode: 'ZZZZ', name: '王建国' })
    expect(wrong.reply).toMatchObject({ ok: false, code: 'SCHOOL_CODE_INVALID', message: expect.stringMatching(/学校码/) })
    const far = await call(P.adminOfThis, 'assignTeacher', { membershipId: 'm-t-this', classIds: [W.farClass], headTeacherOf: [] })
    expect(far.reply).toMatchObject({ ok: false, code: 'PERMISSION_DENIED' })
    const stranger = await call(P.adminOfThis, 'assignTeacher', { openid: P.guardianOfThis, classIds: [W.klass] })
    expect(stranger.reply).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    // A first-time WeChat user (no account record yet) can ask to join: that is how staff start. A wrong code
    // is counted against them (their record holds the count); a right one makes one pending request.
    expect(t.cloud.store.count('users', { _id: P.nobody })).toBe(0)
    const nobodyWrong = await call(P.nobody, 'joinSchool', { schoolCode: 'ZZZZ', name: '新老师' })
    expect(nobodyWrong.reply).toMatchObject({ ok: false, code: 'SCHOOL_CODE_INVALID' })
    expect(t.cloud.store.find('users', { _id: P.nobody })[0]).toMatchObject({ bindAttempts: { count: 1 } })
    expect(t.cloud.store.count('joinRequests', { openid: P.nobody })).toBe(0)
    const nobody = await call(P.nobody, 'joinSchool', { schoolCode: 'CG1X', name: '新老师' })
    expect(nobody.reply).toMatchObject({ ok: true, data: { status: 'pending' } })
    expect(t.cloud.store.count('users', { _id: P.nobody })).toBe(1)
  })

  it('rate-limits wrong school codes and invitation codes, first-time users included', async () => {
    for (let i = 0; i < 10; i++) {
      const { reply } = await call(P.nobody, 'joinSchool', { schoolCode: `ZZ${String(i).padStart(2, '0')}`, name: '新老师' })
      expect(reply).toMatchObject({ ok: false, code: 'SCHOOL_CODE_INVALID' })
    }
    const right = await call(P.nobody, 'joinSchool', { schoolCode: 'CG1X', name: '新老师' })
    expect(right.reply).toMatchObject({ ok: false, code: 'RATE_LIMITED' })
    const invite = await call(P.nobody, 'acceptAdminInvite', { code: 'ABCDEFGH' })
    expect(invite.reply).toMatchObject({ ok: false, code: 'RATE_LIMITED' })
    expect(t.cloud.store.count('joinRequests', { openid: P.nobody })).toBe(0)
  })

  it('grants and removes school roles, but never the last admin', async () => {
    await ok(P.adminOfThis, 'grantRole', { membershipId: 'm-t-this', role: 'schoolAdmin', grant: true })
    await ok(P.adminOfThis, 'grantRole', { openid: P.teacherOfThis, role: 'schoolAdmin', grant: true }) // idempotent
    expect(t.cloud.store.count('memberships', { openid: P.teacherOfThis, role: 'schoolAdmin', status: 'active' })).toBe(1)
    await ok(P.teacherOfThis, 'grantRole', { openid: P.adminOfThis, role: 'schoolAdmin', grant: false })
    const last = await call(P.teacherOfThis, 'grantRole', { openid: P.teacherOfThis, role: 'schoolAdmin', grant: false })
    expect(last.reply).toMatchObject({ ok: false, code: 'LAST_ADMIN' })
    const revoked = await call(P.adminOfThis, 'listJoinRequests', {})
    expect(revoked.reply).toMatchObject({ ok: false, code: 'PERMISSION_DENIED' })
    await ok(P.teacherOfThis, 'grantRole', { openid: P.adminOfThis, role: 'schoolAdmin', grant: true }) // reactivates the same record
    expect(t.cloud.store.count('memberships', { openid: P.adminOfThis, role: 'schoolAdmin' })).toBe(1)
    const far = await call(P.adminOfThis, 'grantRole', { membershipId: 'm-a-other', role: 'counsellor', grant: true })
    expect(far.reply).toMatchObject({ ok: false, code: 'PERMISSION_DENIED' })
  })
})

describe('the bureau', () => {
  it('creates a school once per county and name, with a unique school code', async () => {
    const a = await ok<{ school: SchoolSummary; created: boolean }>(P.bureau, 'createSchool', { name: '城关第三小学', type: '小学', district: '城关学区' })
    expect(a.created).toBe(true)
    expect(a.school.code).toMatch(/^[A-Z2-9]{6}$/)
    const b = await ok<{ school: SchoolSummary; created: boolean }>(P.bureau, 'createSchool', { name: '城关第三小学', type: '小学', district: '城关学区' })
    expect(b.created).toBe(false) // the page says it already exists
    expect(b.school).toEqual(a.school)
    const existing = await ok<{ school: SchoolSummary }>(P.bureau, 'createSchool', { name: '城关第一小学', type: '小学', district: '城关学区' })
    expect(existing.school).toMatchObject({ schoolId: W.school, code: 'CG1X' })
    const bad = await call(P.bureau, 'createSchool', { name: '某校', type: '大学', district: '城关学区' })
    expect(bad.reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: '请选择学校类型' })
  })

  it('lists schools with onboarding progress in a fixed number of requests', async () => {
    const { reply, stats } = await call<{ schools: SchoolProgress[]; hasMore: boolean }>(P.bureau, 'listSchools', {})
    if (!reply.ok) throw new Error(reply.code)
    expect(stats.dbRequests).toBeLessThanOrEqual(6)
    const s1 = reply.data.schools.find((s) => s.schoolId === W.school)
    expect(s1).toMatchObject({ classes: 2, enrolled: 3, teachers: 2, boundStudents: 2 })
    expect(reply.data.schools.find((s) => s.schoolId === W.otherSchool)).toMatchObject({ classes: 1, enrolled: 1, teachers: 0, boundStudents: 0 })
    const filtered = await ok<{ schools: SchoolProgress[] }>(P.bureau, 'listSchools', { type: '初中' })
    expect(filtered.schools.map((s) => s.schoolId)).toEqual([W.otherSchool])
  })

  it('invites a principal with a 7-day code that makes them the school admin, once', async () => {
    const { code, expiresAt } = await ok<{ code: string; expiresAt: number }>(P.bureau, 'inviteSchoolAdmin', { schoolId: W.otherSchool })
    expect(expiresAt - Date.now()).toBeGreaterThan(6.9 * 86400_000)
    const accepted = await ok<{ schoolId: string }>(P.teacherOfThis, 'acceptAdminInvite', { code: code.toLowerCase() })
    expect(accepted.schoolId).toBe(W.otherSchool)
    await ok(P.teacherOfThis, 'acceptAdminInvite', { code }) // a retry is fine
    expect(t.cloud.store.count('memberships', { openid: P.teacherOfThis, role: 'schoolAdmin', schoolId: W.otherSchool, status: 'active' })).toBe(1)
    const reused = await call(P.grandpa, 'acceptAdminInvite', { code })
    expect(reused.reply).toMatchObject({ ok: false, code: 'ADMIN_INVITE_INVALID' })
    const old = seedAdminInvite(t.cloud, 'OLDINV23', new Date(Date.now() - 1000))
    expect((await call(P.grandpa, 'acceptAdminInvite', { code: old })).reply).toMatchObject({ ok: false, code: 'ADMIN_INVITE_INVALID' })
    const far = await call(P.bureau, 'inviteSchoolAdmin', { schoolId: 'nope' })
    expect(far.reply).toMatchObject({ ok: false, code: 'NOT_FOUND' })
  })
})
