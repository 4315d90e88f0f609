/**
 * roster — onboarding of schools, staff and the student roster (PRODUCT.md capability 1).
 *
 * The bureau creates schools (a unique school code) and invites each principal with a 7-day code. A school admin
 * imports classes and students from the .xlsx template — every row is checked first and the import writes all or
 * nothing (batched: a few requests for thousands of students) — exports the roster, and keeps it current (add,
 * edit, transfer, left). Staff join with the school code; the admin approves, assigns classes and grants roles.
 * Ids are deterministic where a retry must not duplicate (schools per county + name, students per school + number,
 * classes per school + grade + name, join requests per person + school, staff roles per person + school).
 */
import { createHash, randomBytes } from 'crypto'
import { _, cloud, fetchList, isDuplicateKey, one, trustedOnly } from '../../lib/cloud'
import { publish, stamp } from '../../lib/files'
import { activeMemberships, checkCodeAttempts, ensureUser, findUser, recordFailedCodeAttempt, requireBureau, requireSchoolAdmin, staffName, staffWithNames } from '../../lib/auth'
import type { AdminInviteDoc, ClassDoc, JoinRequestDoc, MembershipDoc, SchoolDoc, StudentDoc } from '../../lib/docs'
import { time } from '../../lib/docs'
import { createFunction, type ActionContext } from '../../lib/router'
import type { ClassView, JoinRequestView, RosterStudent, SchoolProgress, SchoolSummary, SchoolType, StaffRole, StaffView } from '@/shared/contract'
import { AppError } from '@/shared/errors'
import { exportWorkbook, readRoster, templateWorkbook } from './workbook'

const DAY = 86400_000
const ADMIN_INVITE_TTL = 7 * DAY
const PAGE_SIZE = 20
/** studentNos per `_.in` query / students per insert request */
const CHUNK = 500
const MAX_PROBLEMS = 500
const STAFF_ROLES = ['teacher', 'counsellor', 'schoolAdmin']

const hash = (s: string) => createHash('sha1').update(s).digest('hex').slice(0, 16)
const studentIdFor = (schoolId: string, studentNo: string) => `st_${hash(`${schoolId}|${studentNo}`)}`
const classIdFor = (schoolId: string, grade: string, name: string) => `k_${hash(`${schoolId}|${grade}|${name}`)}`
const schoolIdFor = (countyId: string, name: string) => `sch_${hash(`${countyId}|${name}`)}`
const joinIdFor = (openid: string, schoolId: string) => `j_${hash(`${openid}|${schoolId}`)}`
const roleIdFor = (role: string, openid: string, schoolId: string) => `${role}_${hash(`${openid}|${schoolId}`)}`

/** Codes without look-alikes (no 0/O, 1/I/L). */
function randomCode(length: number): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
  let code = ''
  for (const b of randomBytes(length)) code += alphabet[b % alphabet.length]
  return code
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size))
  return out
}

function studentView(s: StudentDoc): RosterStudent {
  return { studentId: s._id, name: s.name, studentNo: s.studentNo, gender: s.gender ?? null, classId: s.classId, className: s.className, status: s.status }
}

function schoolView(s: SchoolDoc): SchoolSummary {
  return { schoolId: s._id, name: s.name, type: s.type as SchoolType, district: s.district, code: s.code }
}

/** The path of a fileID (`cloud://env.bucket/<path>`). */
function cloudPathOf(fileID: string): string {
  const rest = fileID.replace(/^cloud:\/\//, '')
  const slash = rest.indexOf('/')
  return slash < 0 ? '' : rest.slice(slash + 1)
}

/** Loads a student and checks it belongs to the admin's school (another school's: PERMISSION_DENIED). */
async function studentOfSchool(ctx: ActionContext, studentId: string) {
  const [memberships, student] = await Promise.all([activeMemberships(ctx), one<StudentDoc>(ctx.db.collection('students').where({ _id: studentId }).limit(1))])
  const admin = requireSchoolAdmin(memberships)
  if (!student) throw new AppError('NOT_FOUND', '找不到这名学生')
  if (student.schoolId !== admin.schoolId) throw new AppError('PERMISSION_DENIED')
  return { admin, student }
}

/** Other students (any school) holding this number. */
function holdersOf(ctx: ActionContext, studentNo: string) {
  return fetchList<StudentDoc>(ctx.db.collection('students').where({ studentNo }).field({ _id: true, schoolId: true, name: true, classId: true }).limit(10))
}

function refuseTaken(holders: StudentDoc[], schoolId: string, exceptId?: string) {
  const others = holders.filter((h) => h._id !== exceptId)
  if (others.some((h) => h.schoolId !== schoolId)) throw new AppError('STUDENT_NO_TAKEN')
  if (others.length) throw new AppError('DUPLICATE', '本校已有这个学籍号的学生')
}

/** Creates the missing classes in one request, with fresh codes if a code happened to be taken (bounded). */
async function createClasses(ctx: ActionContext, docs: ClassDoc[]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      for (const d of docs) d.code = randomCode(6)
      await ctx.db.collection('classes').add({ data: docs })
      return
    } catch (e) {
      if (!isDuplicateKey(e) || attempt >= 2) throw e
    }
  }
}

/** Grades in school order (unknown grades after these, by name). */
const GRADE_ORDER = ['小班', '中班', '大班', '一年级', '二年级', '三年级', '四年级', '五年级', '六年级', '七年级', '八年级', '九年级', '高一', '高二', '高三']
function gradeRank(grade: string): number {
  const i = GRADE_ORDER.indexOf(grade)
  return i < 0 ? GRADE_ORDER.length : i
}

interface StaffTarget {
  membershipId?: string
  openid?: string
}

/** The staff membership (teacher/counsellor/admin) of the admin's school that the input names. */
async function staffOfSchool(ctx: ActionContext, schoolId: string, who: StaffTarget): Promise<MembershipDoc> {
  const found = await fetchList<MembershipDoc>(
    ctx.db.collection('memberships').where(trustedOnly(who.membershipId ? { _id: who.membershipId } : { openid: who.openid as string, role: _.in(STAFF_ROLES) })).limit(20)
  )
  // Staff of the school now, or earlier (a role removed by mistake can be granted again).
  const staff = found.filter((m) => STAFF_ROLES.includes(m.role))
  const mine = staff.find((m) => m.schoolId === schoolId && m.status === 'active') ?? staff.find((m) => m.schoolId === schoolId)
  if (mine) return mine
  if (staff.length) throw new AppError('PERMISSION_DENIED', '只能管理本校的教职工')
  throw new AppError('NOT_FOUND', '该人员不是本校教职工，请先让其用学校码申请加入')
}

export const main = createFunction('roster', {
  // ---------------------------------------------------------------- bureau
  async createSchool({ name, type, district }, ctx) {
    const bureau = requireBureau(await activeMemberships(ctx))
    const existing = await one<SchoolDoc>(ctx.db.collection('schools').where({ countyId: bureau.countyId, name }).limit(1))
    if (existing) return { school: schoolView(existing), created: false }
    const id = schoolIdFor(bureau.countyId, name)
    for (let attempt = 0; ; attempt++) {
      const doc: SchoolDoc = { _id: id, countyId: bureau.countyId, name, type, district, code: randomCode(6), createdBy: ctx.openid, createdAt: ctx.now }
      try {
        await ctx.db.collection('schools').add({ data: doc })
        return { school: schoolView(doc), created: true }
      } catch (e) {
        if (!isDuplicateKey(e) || attempt >= 2) throw e
        // The same school created at the same moment (retry): answer with it. Otherwise the code was taken: try another.
        const raced = await one<SchoolDoc>(ctx.db.collection('schools').where({ _id: id }).limit(1))
        if (raced) return { school: schoolView(raced), created: false }
      }
    }
  },

  async listSchools({ district, type, page = 1 }, ctx) {
    const bureau = requireBureau(await activeMemberships(ctx))
    const filter: Record<string, unknown> = { countyId: bureau.countyId }
    if (district) filter.district = district
    if (type) filter.type = type
    const found = await fetchList<SchoolDoc>(ctx.db.collection('schools').where(filter).orderBy('name', 'asc').skip((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1))
    const schools = found.slice(0, PAGE_SIZE)
    if (!schools.length) return { schools: [], page, hasMore: false }
    const ids = schools.map((s) => s._id)
    const $ = ctx.db.command.aggregate
    type Count = { _id: string; n: number }
    const grouped = (coll: string, match: Record<string, unknown>, distinct?: string) => {
      let q = ctx.db.collection(coll).aggregate().match(match)
      if (distinct) q = q.group({ _id: { s: '$schoolId', d: `$${distinct}` } }).group({ _id: '$_id.s', n: $.sum(1) })
      else q = q.group({ _id: '$schoolId', n: $.sum(1) })
      return (q.limit(ids.length).end() as Promise<{ list: Count[] }>).then((r) => new Map(r.list.map((c) => [c._id, c.n])))
    }
    const [classes, enrolled, teachers, bound] = await Promise.all([
      grouped('classes', { schoolId: _.in(ids) }),
      grouped('students', { schoolId: _.in(ids), status: 'enrolled' }),
      grouped('memberships', trustedOnly({ schoolId: _.in(ids), role: 'teacher', status: 'active' })),
      grouped('memberships', trustedOnly({ schoolId: _.in(ids), role: 'guardian', status: 'active' }), 'studentId')
    ])
    const progress: SchoolProgress[] = schools.map((s) => ({
      ...schoolView(s),
      classes: classes.get(s._id) ?? 0,
      enrolled: enrolled.get(s._id) ?? 0,
      teachers: teachers.get(s._id) ?? 0,
      boundStudents: bound.get(s._id) ?? 0
    }))
    return { schools: progress, page, hasMore: found.length > PAGE_SIZE }
  },

  async inviteSchoolAdmin({ schoolId }, ctx) {
    const [memberships, school] = await Promise.all([activeMemberships(ctx), one<SchoolDoc>(ctx.db.collection('schools').where({ _id: schoolId }).limit(1))])
    const bureau = requireBureau(memberships)
    if (!school || school.countyId !== bureau.countyId) throw new AppError('NOT_FOUND', '找不到这所学校')
    const code = randomCode(8)
    const expiresAt = new Date(ctx.now.getTime() + ADMIN_INVITE_TTL)
    const invite: Omit<AdminInviteDoc, '_id'> = { countyId: school.countyId, schoolId, schoolName: school.name, createdBy: ctx.openid, expiresAt, createdAt: ctx.now }
    await ctx.db.collection('adminInvites').doc(code).set({ data: invite })
    return { code, expiresAt: expiresAt.getTime() }
  },

  async acceptAdminInvite({ code }, ctx) {
    const [user, memberships, invite] = await Promise.all([findUser(ctx), activeMemberships(ctx), one<AdminInviteDoc>(ctx.db.collection('adminInvites').where({ _id: code }).limit(1))])
    checkCodeAttempts(user, ctx.now)
    if (!invite || time(invite.expiresAt) <= ctx.now.getTime() || (invite.usedBy && invite.usedBy !== ctx.openid)) {
      await recordFailedCodeAttempt(ctx, user)
      throw new AppError('ADMIN_INVITE_INVALID')
    }
    // Joining is how staff start using the app: a first-time user gets their account record here.
    await ensureUser(ctx, user)
    const done = { schoolId: invite.schoolId, schoolName: invite.schoolName }
    if (memberships.some((m) => m.role === 'schoolAdmin' && m.schoolId === invite.schoolId)) return done
    // Claim the code first (one use only), then grant.
    const claim = (await ctx.db
      .collection('adminInvites')
      .where({ _id: code, usedBy: _.exists(false) })
      .update({ data: { usedBy: ctx.openid, usedAt: ctx.now } })) as { stats: { updated: number } }
    if (claim.stats.updated === 0 && invite.usedBy !== ctx.openid) throw new AppError('ADMIN_INVITE_INVALID')
    await grantStaffRole(ctx, { openid: ctx.openid, role: 'schoolAdmin', countyId: invite.countyId, schoolId: invite.schoolId, schoolName: invite.schoolName, via: 'invite' })
    return done
  },

  // ---------------------------------------------------------------- roster files
  async rosterTemplate(_input, ctx) {
    requireSchoolAdmin(await activeMemberships(ctx))
    return publish('templates/花名册模板.xlsx', await templateWorkbook())
  },

  async importRoster({ fileID }, ctx) {
    const admin = requireSchoolAdmin(await activeMemberships(ctx))
    const schoolId = admin.schoolId
    // Files this function writes for other schools (exports) are not readable through an import.
    const cloudPath = cloudPathOf(fileID)
    if (cloudPath.startsWith('exports/') && !cloudPath.startsWith(`exports/${schoolId}/`)) throw new AppError('PERMISSION_DENIED')
    let content: Buffer
    try {
      content = ((await cloud.downloadFile({ fileID })) as { fileContent: Buffer }).fileContent
    } catch {
      throw new AppError('IMPORT_FILE_INVALID', '找不到上传的花名册文件，请重新上传')
    }
    const { rows, problems } = await readRoster(content)
    if (!rows.length && !problems.length) throw new AppError('IMPORT_INVALID', '花名册里没有学生，请在模板中填写后再导入', { rows: [] })

    // One read for the classes, one per 500 numbers for the students already holding them (any school).
    const numbers = rows.map((r) => r.studentNo)
    const [classes, holders] = await Promise.all([
      fetchList<ClassDoc>(ctx.db.collection('classes').where({ schoolId }).limit(1000)),
      Promise.all(
        chunks(numbers, CHUNK).map((c) =>
          fetchList<StudentDoc>(
            ctx.db
              .collection('students')
              .where({ studentNo: _.in(c) })
              .field({ _id: true, schoolId: true, studentNo: true, name: true, gender: true, classId: true, className: true, classCode: true, status: true })
              .limit(1000)
          )
        )
      ).then((lists) => lists.flat())
    ])
    const mine = new Map<string, StudentDoc>()
    const rowOf = new Map(rows.map((r) => [r.studentNo, r.row]))
    for (const h of holders) {
      if (h.schoolId === schoolId) mine.set(h.studentNo, h)
      else problems.push({ row: rowOf.get(h.studentNo) ?? 0, field: '学籍号', message: `学籍号 ${h.studentNo} 已在其他学校登记，请核对或联系教育局` })
    }
    if (problems.length) {
      problems.sort((a, b) => a.row - b.row)
      throw new AppError('IMPORT_INVALID', `花名册有 ${problems.length} 处错误，请按提示修改后重新导入（本次未导入任何数据）`, {
        rows: problems.slice(0, MAX_PROBLEMS),
        total: problems.length
      })
    }

    // Classes: the missing ones are created together (deterministic ids, fresh unique codes).
    const classByKey = new Map(classes.map((c) => [`${c.grade}|${c.name}`, c]))
    const newClasses: ClassDoc[] = []
    for (const r of rows) {
      const key = `${r.grade}|${r.className}`
      if (classByKey.has(key)) continue
      const c: ClassDoc = { _id: classIdFor(schoolId, r.grade, r.className), schoolId, countyId: admin.countyId, grade: r.grade, name: r.className, code: '', createdAt: ctx.now }
      classByKey.set(key, c)
      newClasses.push(c)
    }
    if (newClasses.length) {
      await createClasses(ctx, newClasses) // sets each new class's code
    }

    // Students: new ones inserted in batches; changed ones updated in groups that share the same change.
    const toAdd: StudentDoc[] = []
    const groups = new Map<string, { set: Record<string, unknown>; history: StudentDoc['classHistory']; ids: string[]; movedTo?: string }>()
    let unchanged = 0
    let moved = 0
    for (const r of rows) {
      const cls = classByKey.get(`${r.grade}|${r.className}`) as ClassDoc
      const cur = mine.get(r.studentNo)
      if (!cur) {
        toAdd.push({
          _id: studentIdFor(schoolId, r.studentNo),
          countyId: admin.countyId,
          schoolId,
          schoolName: admin.schoolName ?? '',
          classId: cls._id,
          className: cls.name,
          classCode: cls.code,
          name: r.name,
          gender: r.gender,
          studentNo: r.studentNo,
          status: 'enrolled',
          classHistory: [],
          createdAt: ctx.now,
          updatedAt: ctx.now
        })
        continue
      }
      const set: Record<string, unknown> = {}
      if (cur.name !== r.name) set.name = r.name
      if (cur.gender !== r.gender) set.gender = r.gender
      if (cur.status !== 'enrolled') set.status = 'enrolled'
      const isMove = cur.classId !== cls._id
      if (isMove || cur.className !== cls.name || cur.classCode !== cls.code) Object.assign(set, { classId: cls._id, className: cls.name, classCode: cls.code })
      if (!Object.keys(set).length) {
        unchanged++
        continue
      }
      if (isMove) moved++
      const history = isMove ? [{ classId: cur.classId, className: cur.className, until: ctx.now }] : undefined
      const key = JSON.stringify([set, isMove ? cur.classId : null])
      const g = groups.get(key) ?? { set, history, ids: [], movedTo: isMove ? cls._id : undefined }
      g.ids.push(cur._id)
      groups.set(key, g)
    }
    for (const batch of chunks(toAdd, CHUNK)) await ctx.db.collection('students').add({ data: batch })
    const guardianMoves = new Map<string, string[]>()
    await Promise.all(
      [...groups.values()].map((g) => {
        if (g.movedTo) guardianMoves.set(g.movedTo, [...(guardianMoves.get(g.movedTo) ?? []), ...g.ids])
        const data: Record<string, unknown> = { ...g.set, updatedAt: ctx.now }
        if (g.set.status === 'enrolled') data.leftAt = _.remove()
        if (g.history) data.classHistory = _.push(g.history)
        return ctx.db.collection('students').where({ _id: _.in(g.ids) }).update({ data })
      })
    )
    // Guardians stay bound to a moved student; their binding follows the class.
    await Promise.all(
      [...guardianMoves].map(([classId, ids]) =>
        ctx.db.collection('memberships').where(trustedOnly({ role: 'guardian', studentId: _.in(ids) })).update({ data: { classId } })
      )
    )
    const updated = [...groups.values()].reduce((n, g) => n + g.ids.length, 0)
    return { rows: rows.length, classesCreated: newClasses.length, studentsAdded: toAdd.length, studentsUpdated: updated, studentsMoved: moved, unchanged }
  },

  async exportRoster(_input, ctx) {
    const admin = requireSchoolAdmin(await activeMemberships(ctx))
    const fields = { _id: true, name: true, studentNo: true, gender: true, classId: true, className: true, classCode: true, status: true }
    const [classes, students] = await Promise.all([
      fetchList<ClassDoc>(ctx.db.collection('classes').where({ schoolId: admin.schoolId }).limit(1000)),
      (async () => {
        const all: StudentDoc[] = []
        for (;;) {
          const page = await fetchList<StudentDoc>(ctx.db.collection('students').where({ schoolId: admin.schoolId }).orderBy('_id', 'asc').skip(all.length).field(fields).limit(1000))
          all.push(...page)
          if (page.length < 1000) return all
        }
      })()
    ])
    const gradeOf = new Map(classes.map((c) => [c._id, c.grade]))
    const rows = students
      .map((s) => ({ grade: gradeOf.get(s.classId) ?? '', className: s.className, classCode: s.classCode, name: s.name, studentNo: s.studentNo, gender: s.gender ?? '', status: s.status === 'left' ? '已离校' : '在读' }))
      .sort((a, b) => a.grade.localeCompare(b.grade, 'zh') || a.className.localeCompare(b.className, 'zh') || a.studentNo.localeCompare(b.studentNo))
    const link = await publish(`exports/${admin.schoolId}/花名册-${stamp(ctx.now)}.xlsx`, await exportWorkbook(rows))
    return { ...link, students: rows.length }
  },

  // ---------------------------------------------------------------- listings
  async listClasses(_input, ctx) {
    const admin = requireSchoolAdmin(await activeMemberships(ctx))
    const schoolId = admin.schoolId
    const $ = ctx.db.command.aggregate
    const [classes, counts, teachers] = await Promise.all([
      fetchList<ClassDoc>(ctx.db.collection('classes').where({ schoolId }).limit(1000)),
      ctx.db
        .collection('students')
        .aggregate()
        .match({ schoolId, status: 'enrolled' })
        .group({ _id: '$classId', n: $.sum(1) })
        .limit(1000)
        .end() as Promise<{ list: Array<{ _id: string; n: number }> }>,
      staffWithNames(ctx, schoolId, ['teacher'])
    ])
    const enrolled = new Map(counts.list.map((c) => [c._id, c.n]))
    const views: ClassView[] = classes
      .map((c) => ({
        classId: c._id,
        grade: c.grade,
        name: c.name,
        code: c.code,
        headTeachers: teachers.filter((m) => (m.headTeacherOf ?? []).includes(c._id)).map(staffName),
        enrolled: enrolled.get(c._id) ?? 0
      }))
      .sort((a, b) => gradeRank(a.grade) - gradeRank(b.grade) || a.grade.localeCompare(b.grade, 'zh') || a.name.localeCompare(b.name, 'zh'))
    return { classes: views }
  },

  async listStudents({ classId, includeLeft }, ctx) {
    const [memberships, cls] = await Promise.all([activeMemberships(ctx), one<ClassDoc>(ctx.db.collection('classes').where({ _id: classId }).limit(1))])
    const staff = memberships.filter((m) => m.role === 'schoolAdmin' || m.role === 'teacher')
    if (!cls) throw new AppError(staff.length ? 'NOT_FOUND' : 'PERMISSION_DENIED', staff.length ? '找不到这个班级' : undefined)
    const allowed = staff.some(
      (m) => m.schoolId === cls.schoolId && (m.role === 'schoolAdmin' || (m.classIds ?? []).includes(classId) || (m.headTeacherOf ?? []).includes(classId))
    )
    if (!allowed) throw new AppError('PERMISSION_DENIED')
    const filter: Record<string, unknown> = { schoolId: cls.schoolId, classId }
    if (!includeLeft) filter.status = 'enrolled'
    const students = await fetchList<StudentDoc>(
      ctx.db
        .collection('students')
        .where(filter)
        .field({ _id: true, name: true, studentNo: true, gender: true, classId: true, className: true, status: true })
        .orderBy('studentNo', 'asc')
        .limit(1000)
    )
    return { classId, className: cls.name, students: students.map(studentView) }
  },

  async listStaff(_input, ctx) {
    const admin = requireSchoolAdmin(await activeMemberships(ctx))
    const rows = await staffWithNames(ctx, admin.schoolId, STAFF_ROLES)
    const byPerson = new Map<string, StaffView>()
    for (const m of rows) {
      const cur = byPerson.get(m.openid) ?? { membershipId: m._id, name: staffName(m), roles: [], classIds: [], headTeacherOf: [], isMe: m.openid === ctx.openid }
      cur.roles.push(m.role as StaffRole)
      if (m.role === 'teacher') {
        // The teacher record is the one assignTeacher changes; its name is the one given when joining.
        Object.assign(cur, { membershipId: m._id, name: staffName(m), classIds: m.classIds ?? [], headTeacherOf: m.headTeacherOf ?? [] })
      }
      byPerson.set(m.openid, cur)
    }
    const order: StaffRole[] = ['schoolAdmin', 'teacher', 'counsellor']
    const staff: StaffView[] = [...byPerson.values()]
      .map((v) => ({ ...v, roles: order.filter((r) => v.roles.includes(r)) }))
      .sort((a, b) => a.name.localeCompare(b.name, 'zh'))
    return { staff }
  },

  // ---------------------------------------------------------------- single students
  async addStudent({ classId, name, studentNo, gender }, ctx) {
    const [memberships, cls, holders] = await Promise.all([activeMemberships(ctx), one<ClassDoc>(ctx.db.collection('classes').where({ _id: classId }).limit(1)), holdersOf(ctx, studentNo)])
    const admin = requireSchoolAdmin(memberships)
    if (!cls) throw new AppError('NOT_FOUND', '找不到这个班级')
    if (cls.schoolId !== admin.schoolId) throw new AppError('PERMISSION_DENIED')
    const id = studentIdFor(admin.schoolId, studentNo)
    const doc: StudentDoc = {
      _id: id,
      countyId: cls.countyId,
      schoolId: admin.schoolId,
      schoolName: admin.schoolName ?? '',
      classId: cls._id,
      className: cls.name,
      classCode: cls.code,
      name,
      gender,
      studentNo,
      status: 'enrolled',
      classHistory: [],
      createdAt: ctx.now,
      updatedAt: ctx.now
    }
    // A retry of the same addition answers with the student it created.
    const same = holders.find((h) => h._id === id && h.name === name && h.classId === classId)
    if (same) return { student: studentView(doc) }
    refuseTaken(holders, admin.schoolId)
    try {
      await ctx.db.collection('students').add({ data: doc })
    } catch (e) {
      if (isDuplicateKey(e)) throw new AppError('DUPLICATE', '本校已有这个学籍号的学生')
      throw e
    }
    return { student: studentView(doc) }
  },

  async editStudent({ studentId, name, studentNo, gender }, ctx) {
    const { admin, student } = await studentOfSchool(ctx, studentId)
    const set: Record<string, unknown> = {}
    if (name !== undefined && name !== student.name) set.name = name
    if (gender !== undefined && gender !== student.gender) set.gender = gender
    if (studentNo !== undefined && studentNo !== student.studentNo) {
      refuseTaken(await holdersOf(ctx, studentNo), admin.schoolId, studentId)
      set.studentNo = studentNo
    }
    if (Object.keys(set).length) {
      try {
        await ctx.db.collection('students').doc(studentId).update({ data: { ...set, updatedAt: ctx.now } })
      } catch (e) {
        if (isDuplicateKey(e)) throw new AppError('DUPLICATE', '本校已有这个学籍号的学生')
        throw e
      }
    }
    return { student: studentView({ ...student, ...set } as StudentDoc) }
  },

  async transferStudent({ studentId, classId }, ctx) {
    const [{ admin, student }, cls] = await Promise.all([studentOfSchool(ctx, studentId), one<ClassDoc>(ctx.db.collection('classes').where({ _id: classId }).limit(1))])
    if (!cls) throw new AppError('NOT_FOUND', '找不到这个班级')
    if (cls.schoolId !== admin.schoolId) throw new AppError('PERMISSION_DENIED', '只能转到本校的班级')
    if (student.status !== 'enrolled') throw new AppError('CONFLICT', '该学生已离校，不能转班')
    if (student.classId === classId) return { student: studentView(student) }
    // Conditional on the old class, so a retried transfer records the history once.
    await Promise.all([
      ctx.db
        .collection('students')
        .where({ _id: studentId, classId: student.classId })
        .update({
          data: {
            classId: cls._id,
            className: cls.name,
            classCode: cls.code,
            classHistory: _.push([{ classId: student.classId, className: student.className, until: ctx.now }]),
            updatedAt: ctx.now
          }
        }),
      ctx.db.collection('memberships').where(trustedOnly({ role: 'guardian', studentId })).update({ data: { classId: cls._id } })
    ])
    return { student: studentView({ ...student, classId: cls._id, className: cls.name, classCode: cls.code }) }
  },

  async markLeft({ studentId }, ctx) {
    const { student } = await studentOfSchool(ctx, studentId)
    if (student.status !== 'left') {
      await ctx.db.collection('students').where({ _id: studentId, status: 'enrolled' }).update({ data: { status: 'left', leftAt: ctx.now, updatedAt: ctx.now } })
    }
    return { student: studentView({ ...student, status: 'left' }) }
  },

  // ---------------------------------------------------------------- staff
  async joinSchool({ schoolCode, name }, ctx) {
    const [user, memberships, school] = await Promise.all([findUser(ctx), activeMemberships(ctx), one<SchoolDoc>(ctx.db.collection('schools').where({ code: schoolCode }).limit(1))])
    checkCodeAttempts(user, ctx.now)
    if (!school) {
      await recordFailedCodeAttempt(ctx, user)
      throw new AppError('SCHOOL_CODE_INVALID')
    }
    // Joining is how staff start using the app: a first-time user gets their account record here.
    await ensureUser(ctx, user)
    const requestId = joinIdFor(ctx.openid, school._id)
    if (memberships.some((m) => m.role === 'teacher' && m.schoolId === school._id)) return { requestId, schoolName: school.name, status: 'approved' as const }
    const request: Omit<JoinRequestDoc, '_id'> = {
      openid: ctx.openid,
      name,
      countyId: school.countyId,
      schoolId: school._id,
      schoolName: school.name,
      status: 'pending',
      reason: null,
      createdAt: ctx.now,
      updatedAt: ctx.now
    }
    await ctx.db.collection('joinRequests').doc(requestId).set({ data: request })
    return { requestId, schoolName: school.name, status: 'pending' as const }
  },

  async listJoinRequests(_input, ctx) {
    const admin = requireSchoolAdmin(await activeMemberships(ctx))
    const list = await fetchList<JoinRequestDoc>(
      ctx.db.collection('joinRequests').where(trustedOnly({ schoolId: admin.schoolId, status: 'pending' })).orderBy('createdAt', 'asc').limit(100)
    )
    const requests: JoinRequestView[] = list.map((r) => ({ requestId: r._id, name: r.name, status: r.status, reason: r.reason ?? null, createdAt: time(r.createdAt) }))
    return { requests }
  },

  async decideJoin({ requestId, approve, reason }, ctx) {
    // One aggregate brings the request and the requester's memberships (to reuse an earlier teacher record).
    const [memberships, found] = await Promise.all([
      activeMemberships(ctx),
      ctx.db
        .collection('joinRequests')
        .aggregate()
        .match(trustedOnly({ _id: requestId }))
        .limit(1)
        .lookup({ from: 'memberships', localField: 'openid', foreignField: 'openid', as: 'held' })
        .end() as Promise<{ list: Array<JoinRequestDoc & { held: Array<MembershipDoc & { _openid?: string }> }> }>
    ])
    const admin = requireSchoolAdmin(memberships)
    const request = found.list[0]
    if (!request) throw new AppError('NOT_FOUND')
    if (request.schoolId !== admin.schoolId) throw new AppError('PERMISSION_DENIED')
    if (request.status !== 'pending') throw new AppError('CONFLICT', '这条申请已经处理过了')
    if (!approve) {
      if (!reason) throw new AppError('INVALID_INPUT', '请填写拒绝的原因，申请人会看到')
      await ctx.db.collection('joinRequests').where({ _id: requestId, status: 'pending' }).update({ data: { status: 'rejected', reason, decidedBy: ctx.openid, updatedAt: ctx.now } })
      return { requestId, status: 'rejected' as const, membershipId: null }
    }
    const earlier = request.held.find((m) => m.role === 'teacher' && m.schoolId === request.schoolId && m._openid === undefined)
    const membershipId = earlier?._id ?? roleIdFor('teacher', request.openid, request.schoolId)
    await Promise.all([
      earlier
        ? ctx.db.collection('memberships').doc(earlier._id).update({ data: { status: 'active', name: request.name, updatedAt: ctx.now } })
        : ctx.db.collection('memberships').doc(membershipId).set({
            data: {
              openid: request.openid,
              role: 'teacher',
              status: 'active',
              countyId: request.countyId,
              schoolId: request.schoolId,
              schoolName: request.schoolName,
              classIds: [],
              headTeacherOf: [],
              name: request.name,
              via: 'join',
              createdAt: ctx.now
            } satisfies Omit<MembershipDoc, '_id'>
          }),
      ctx.db.collection('joinRequests').where({ _id: requestId, status: 'pending' }).update({ data: { status: 'approved', reason: null, decidedBy: ctx.openid, updatedAt: ctx.now } })
    ])
    return { requestId, status: 'approved' as const, membershipId }
  },

  async assignTeacher({ membershipId, openid, classIds, headTeacherOf }, ctx) {
    const all = [...new Set([...classIds, ...headTeacherOf])]
    const memberships = await activeMemberships(ctx)
    const admin = requireSchoolAdmin(memberships)
    const [classes, candidates] = await Promise.all([
      all.length ? fetchList<ClassDoc>(ctx.db.collection('classes').where({ _id: _.in(all) }).field({ _id: true, schoolId: true }).limit(all.length)) : Promise.resolve([]),
      fetchList<MembershipDoc>(ctx.db.collection('memberships').where(trustedOnly(membershipId ? { _id: membershipId } : { openid, role: 'teacher' })).limit(20))
    ])
    if (classes.length !== all.length || classes.some((c) => c.schoolId !== admin.schoolId)) throw new AppError('PERMISSION_DENIED', '只能分配本校的班级')
    const teachers = candidates.filter((m) => m.role === 'teacher' && m.status === 'active')
    const target = teachers.find((m) => m.schoolId === admin.schoolId)
    if (!target) {
      if (teachers.length) throw new AppError('PERMISSION_DENIED', '只能管理本校的教职工')
      throw new AppError('NOT_FOUND', '该人员不是本校教师，请先让其用学校码申请加入')
    }
    const heads = [...new Set(headTeacherOf)]
    await ctx.db.collection('memberships').doc(target._id).update({ data: { classIds: all, headTeacherOf: heads, updatedAt: ctx.now } })
    return { membershipId: target._id, classIds: all, headTeacherOf: heads }
  },

  async grantRole({ membershipId, openid, role, grant }, ctx) {
    const admin = requireSchoolAdmin(await activeMemberships(ctx))
    const target = await staffOfSchool(ctx, admin.schoolId, { membershipId, openid })
    const related = await fetchList<MembershipDoc>(
      ctx.db
        .collection('memberships')
        .where(_.and([trustedOnly({ schoolId: admin.schoolId }), _.or([{ openid: target.openid, role }, { role: 'schoolAdmin', status: 'active' }])]))
        .limit(100)
    )
    const existing = related.find((m) => m.openid === target.openid && m.role === role)
    const active = existing?.status === 'active'
    if (grant) {
      if (!active) {
        await grantStaffRole(ctx, { openid: target.openid, role, countyId: admin.countyId, schoolId: admin.schoolId, schoolName: admin.schoolName ?? '', via: 'grant' }, existing)
      }
    } else if (active && existing) {
      if (role === 'schoolAdmin' && related.filter((m) => m.role === 'schoolAdmin' && m.status === 'active').length <= 1) throw new AppError('LAST_ADMIN')
      await ctx.db.collection('memberships').doc(existing._id).update({ data: { status: 'ended', endedAt: ctx.now, endReason: `revoked-by-${ctx.openid}`, updatedAt: ctx.now } })
    }
    return { openid: target.openid, role, granted: grant }
  }
})

interface Grant {
  openid: string
  role: 'schoolAdmin' | 'counsellor'
  countyId: string
  schoolId: string
  schoolName: string
  via: MembershipDoc['via']
}

/** Activates a school role, reusing the person's earlier record of it (the grant_unique index allows one). */
async function grantStaffRole(ctx: ActionContext, g: Grant, known?: MembershipDoc): Promise<void> {
  const earlier =
    known ?? (await one<MembershipDoc>(ctx.db.collection('memberships').where(trustedOnly({ openid: g.openid, role: g.role, schoolId: g.schoolId })).limit(1)))
  if (earlier) {
    await ctx.db.collection('memberships').doc(earlier._id).update({ data: { status: 'active', via: g.via, updatedAt: ctx.now } })
    return
  }
  const doc: Omit<MembershipDoc, '_id'> = { openid: g.openid, role: g.role, status: 'active', countyId: g.countyId, schoolId: g.schoolId, schoolName: g.schoolName, via: g.via, createdAt: ctx.now }
  await ctx.db.collection('memberships').doc(roleIdFor(g.role, g.openid, g.schoolId)).set({ data: doc })
}
