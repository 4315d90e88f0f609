/** The visits function through the genuine wx-server-sdk against the local cloud: plan, records, files, registry, coverage, reminders. */
import type { ClassPlan, Coverage, MyWork, PlanOverview, RegistryView, StudentFile, TodoItem, VisitRecordView, AuditEntry } from '@/shared/contract-visits'
import { SUBSCRIBE_TOPICS } from '@/shared/subscriptions'
import { callsTo, startTestCloud, type TestCloud } from '../../testing'
import { P, seedWorld, W } from '../../fixtures'
import { DAY, daysAgo, dayAt, form, newKey, seedAssignment, seedRecord, seedRegistry, today } from './fixtures'

let t: TestCloud
beforeAll(async () => {
  t = await startTestCloud()
})
afterAll(async () => {
  await t.close()
})
beforeEach(() => {
  seedWorld(t.cloud)
  t.cloud.clearOutbox()
})

const { call, ok, fails } = callsTo(() => t, 'visits')
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- stored documents, read loosely in assertions
const records = () => t.cloud.store.find('visitRecords', {}) as Array<Record<string, any>>
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const audits = () => t.cloud.store.find('auditLog', {}, { sort: { at: 1 } }) as Array<Record<string, any>>

describe('logging a contact', () => {
  it('stores what the teacher wrote, by them, about the student, and shows it back', async () => {
    const { record, created } = await ok<{ record: VisitRecordView; created: boolean }>(P.teacherOfThis, 'submitVisit', form({ type: '入户家访', followUp: { needed: true, by: daysAgo(-14), note: '两周后电话了解作业情况' } }))
    expect(created).toBe(true)
    expect(record).toMatchObject({ type: '入户家访', date: today(), isMine: true, authorName: '林老师', followUp: { needed: true, by: daysAgo(-14), note: '两周后电话了解作业情况' } })
    expect(record.editableUntil).toBeGreaterThan(Date.now() + 6 * DAY)
    const [doc] = records()
    expect(doc).toMatchObject({ studentId: W.child, schoolId: W.school, classId: W.klass, authorOpenid: P.teacherOfThis, type: '入户家访' })
    expect(doc._openid).toBeUndefined()
  })

  it('keeps one record when the same submission arrives 10 times at once (a retry after a timeout)', async () => {
    const input = form()
    const replies = await Promise.all(Array.from({ length: 10 }, () => ok<{ record: VisitRecordView; created: boolean }>(P.teacherOfThis, 'submitVisit', input)))
    expect(records()).toHaveLength(1)
    expect(new Set(replies.map((r) => r.record.recordId)).size).toBe(1)
    expect(replies.filter((r) => r.created)).toHaveLength(1)
    // and again later: still one
    const again = await ok<{ created: boolean }>(P.teacherOfThis, 'submitVisit', input)
    expect(again.created).toBe(false)
    expect(records()).toHaveLength(1)
  })

  it('refuses bad input with a clear message and writes nothing', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ date: daysAgo(-1) }, /不能晚于今天/],
      [{ date: daysAgo(200) }, /只能补记/],
      [{ date: '2026-02-30' }, /不是有效的日期/],
      [{ type: '短信' }, /请选择联系方式/],
      [{ situation: {}, suggestions: '' }, /至少填写一项/],
      [{ followUp: { needed: true, by: null, note: '' } }, /请选择跟进日期/],
      [{ followUp: { needed: true, by: daysAgo(3), note: '' } }, /不能早于本次联系日期/],
      [{ photos: ['cloud://env.bucket/exports/stats/x.xlsx'] }, /照片文件不正确/],
      // another child's photo (uploaded into their folder) cannot be attached to this child's record
      [{ photos: [`cloud://env.bucket/visit-photos/${W.otherChild}/1.jpg`] }, /照片文件不正确/],
      [{ photos: Array.from({ length: 10 }, (_, i) => `cloud://env.b/visit-photos/${i}.jpg`) }, /照片最多 9 张/],
      [{ clientKey: 'x' }, /提交编号格式不正确/]
    ]
    for (const [extra, message] of cases) {
      const reply = await fails(P.teacherOfThis, 'submitVisit', form(extra))
      expect(reply.code).toBe('INVALID_INPUT')
      expect(`${reply.message} ${JSON.stringify((reply as { details?: unknown }).details ?? '')}`).toMatch(message)
    }
    expect(records()).toHaveLength(0)
  })

  it('lets only the teachers of the class, the admin and the visiting teacher log for a student', async () => {
    expect((await fails(P.teacherOfOther, 'submitVisit', form())).code).toBe('PERMISSION_DENIED')
    expect((await fails(P.guardianOfThis, 'submitVisit', form())).code).toBe('PERMISSION_DENIED')
    expect((await fails(P.bureau, 'submitVisit', form())).code).toBe('PERMISSION_DENIED')
    expect((await fails(P.adminOfOther, 'submitVisit', form())).code).toBe('PERMISSION_DENIED')
    // paired with the head teacher this semester: now the other class's teacher may visit 王小明
    seedAssignment(t.cloud, W.child, [P.teacherOfThis, P.teacherOfOther])
    await ok(P.teacherOfOther, 'submitVisit', form())
    await ok(P.adminOfThis, 'submitVisit', form())
    expect(records()).toHaveLength(2)
  })

  it("takes a photo from the student's own folder, and tells a changed draft with a used key from a retry", async () => {
    const input = form({ photos: [`cloud://env.bucket/visit-photos/${W.child}/1-0-abc.jpg`] })
    await ok(P.teacherOfThis, 'submitVisit', input)
    // the same key, other content (the draft was edited after a submission that did arrive): nothing is lost silently
    const reply = await fails(P.teacherOfThis, 'submitVisit', { ...input, type: '入户家访' })
    expect(reply).toMatchObject({ code: 'DUPLICATE', message: expect.stringContaining('作为一条新记录提交') })
    expect(records()).toHaveLength(1)
    expect(records()[0].type).toBe('电话')
  })

  it('refuses a student who left, and a key already used by someone else', async () => {
    expect((await fails(P.teacherOfThis, 'submitVisit', form({ studentId: W.leaver }))).code).toBe('INVALID_STATE')
    const input = form()
    await ok(P.teacherOfThis, 'submitVisit', input)
    seedAssignment(t.cloud, W.child, [P.teacherOfOther])
    expect((await fails(P.teacherOfOther, 'submitVisit', input)).code).toBe('DUPLICATE')
    expect(records()).toHaveLength(1)
  })
})

describe('correcting a record', () => {
  it('lets the author correct within 7 days and keeps every earlier value', async () => {
    const { record } = await ok<{ record: VisitRecordView }>(P.teacherOfThis, 'submitVisit', form())
    const { clientKey: _k, studentId: _s, ...fields } = form()
    const corrected = await ok<{ record: VisitRecordView }>(P.teacherOfThis, 'correctVisit', { ...fields, recordId: record.recordId, type: '视频', suggestions: '希望每周反馈一次' })
    expect(corrected.record).toMatchObject({ type: '视频', suggestions: '希望每周反馈一次' })
    expect(corrected.record.changes).toHaveLength(1)
    expect(corrected.record.changes[0].fields.sort()).toEqual(['家长意见建议', '联系方式'].sort())
    const [doc] = records()
    expect(doc.history[0].before).toEqual({ type: '电话', suggestions: '希望多反馈在校表现' })
    // the same values again: nothing to keep
    await ok(P.teacherOfThis, 'correctVisit', { ...fields, recordId: record.recordId, type: '视频', suggestions: '希望每周反馈一次' })
    expect(records()[0].history).toHaveLength(1)
  })

  it('refuses a correction made from an older version, but takes a retry of one that went through', async () => {
    const { record } = await ok<{ record: VisitRecordView }>(P.teacherOfThis, 'submitVisit', form())
    const { clientKey: _k, studentId: _s, ...fields } = form()
    const first = { ...fields, recordId: record.recordId, baseUpdatedAt: record.updatedAt, suggestions: '第一部手机的修改' }
    await ok(P.teacherOfThis, 'correctVisit', first)
    // the same correction again (its answer was lost): nothing new, no error
    await ok(P.teacherOfThis, 'correctVisit', first)
    // a second phone's draft, made from the version before: refused, nothing overwritten
    const stale = await fails(P.teacherOfThis, 'correctVisit', { ...fields, recordId: record.recordId, baseUpdatedAt: record.updatedAt, suggestions: '第二部手机的修改' })
    expect(stale.code).toBe('CONFLICT')
    expect(records()[0]).toMatchObject({ suggestions: '第一部手机的修改' })
    expect(records()[0].history).toHaveLength(1)
  })

  it('lets a record logged long after the contact be corrected without moving its date', async () => {
    const id = seedRecord(t.cloud, { date: dayAt(daysAgo(119)), createdAt: new Date(Date.now() - 2 * DAY), updatedAt: new Date(Date.now() - 2 * DAY) })
    const { clientKey: _k, studentId: _s, ...fields } = form()
    await ok(P.teacherOfThis, 'correctVisit', { ...fields, recordId: id, date: daysAgo(119), suggestions: '补充家长意见' })
    expect((await fails(P.teacherOfThis, 'correctVisit', { ...fields, recordId: id, date: daysAgo(125) })).code).toBe('INVALID_INPUT')
  })

  it('refuses another teacher, and the author after 7 days', async () => {
    const id = seedRecord(t.cloud)
    const { clientKey: _k, studentId: _s, ...fields } = form()
    expect((await fails(P.adminOfThis, 'correctVisit', { ...fields, recordId: id })).code).toBe('PERMISSION_DENIED')
    const old = seedRecord(t.cloud, { createdAt: new Date(Date.now() - 7 * DAY - 60_000), date: dayAt(daysAgo(8)) })
    const reply = await fails(P.teacherOfThis, 'correctVisit', { ...fields, recordId: old, date: daysAgo(8) })
    expect(reply).toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/超过 7 天/) })
    expect(records().find((r) => r._id === old)!.history).toHaveLength(0)
  })
})

describe('one file per student', () => {
  it('shows the timeline newest first to the class teacher and writes every read to the audit log', async () => {
    seedRecord(t.cloud, { _id: 'vr_old', type: '入户家访', date: dayAt(daysAgo(20)) })
    seedRecord(t.cloud, { _id: 'vr_new', type: '微信', date: dayAt(daysAgo(2)), followUp: { needed: true, by: dayAt(daysAgo(-5)), note: '再联系' } })
    seedRegistry(t.cloud)
    const file = await ok<StudentFile>(P.teacherOfThis, 'studentFile', { studentId: W.child })
    expect(file.records.map((r) => r.recordId)).toEqual(['vr_new', 'vr_old'])
    expect(file.summary).toMatchObject({ contacts: 2, homeVisits: 1 })
    expect(file.followUp).toEqual({ by: daysAgo(-5), note: '再联系', recordId: 'vr_new' })
    expect(file.registry).toMatchObject({ categories: ['留守儿童'], intervalDays: 30, overdue: false })
    expect(file.guardiansBound).toBe(1)
    const [entry] = audits()
    expect(entry).toMatchObject({ openid: P.teacherOfThis, role: 'teacher', studentIds: [W.child], recordIds: ['vr_new', 'vr_old'], what: expect.stringContaining('特殊学生名册') })
    await ok(P.adminOfThis, 'visitRecord', { recordId: 'vr_old' })
    expect(audits()[1]).toMatchObject({ openid: P.adminOfThis, role: 'schoolAdmin', recordIds: ['vr_old'], what: '查看家访记录' })
    const trail = await ok<{ entries: AuditEntry[] }>(P.adminOfThis, 'auditTrail', { studentId: W.child })
    expect(trail.entries.map((e) => e.what)).toEqual(['查看家访记录', '查看一人一档（含特殊学生名册）'])
  })

  it('never shows a record to a teacher of another class, a guardian or the bureau — and logs no read for them', async () => {
    const id = seedRecord(t.cloud)
    for (const who of [P.teacherOfOther, P.guardianOfThis, P.guardianOfOther, P.bureau, P.adminOfOther]) {
      expect((await fails(who, 'visitRecord', { recordId: id })).code).toBe('PERMISSION_DENIED')
      expect((await fails(who, 'studentFile', { studentId: W.child })).code).toBe('PERMISSION_DENIED')
    }
    expect(audits()).toHaveLength(0)
  })

  it('keeps the family situation', async () => {
    await ok(P.teacherOfThis, 'saveFamily', { studentId: W.child, family: '与祖父母同住，父母在外地务工' })
    const file = await ok<StudentFile>(P.teacherOfThis, 'studentFile', { studentId: W.child })
    expect(file.family).toBe('与祖父母同住，父母在外地务工')
  })
})

describe('the semester plan', () => {
  it('assigns every student to the head teacher by default and reports classes without one', async () => {
    const res = await ok<{ assigned: number; classesWithoutHeadTeacher: string[] }>(P.adminOfThis, 'assignDefaults')
    // 王小明, 李华 (k1) and 陈晨 (k2); 赵六 left
    expect(res).toEqual({ assigned: 3, classesWithoutHeadTeacher: [] })
    const overview = await ok<PlanOverview>(P.adminOfThis, 'planOverview')
    expect(overview.totals).toEqual({ enrolled: 3, assigned: 3 })
    const k1 = overview.classes.find((c) => c.classId === W.klass)!
    expect(k1).toMatchObject({ enrolled: 2, assigned: 2, visitors: [{ openid: P.teacherOfThis, students: 2 }] })
    // again: nothing new
    expect((await ok<{ assigned: number }>(P.adminOfThis, 'assignDefaults')).assigned).toBe(0)
    expect(t.cloud.store.count('visitAssignments', {})).toBe(3)
  })

  it('assigns a pair to chosen students, and refuses teachers and students that are not the school’s', async () => {
    await ok(P.adminOfThis, 'assignClass', { classId: W.klass, teacherOpenids: [P.teacherOfThis, P.teacherOfOther], studentIds: [W.sibling] })
    const plan = await ok<ClassPlan>(P.adminOfThis, 'classPlan', { classId: W.klass })
    expect(plan.students.find((s) => s.studentId === W.sibling)!.visitors.map((v) => v.openid)).toEqual([P.teacherOfThis, P.teacherOfOther])
    expect(plan.students.find((s) => s.studentId === W.child)!.visitors).toEqual([])
    expect((await fails(P.adminOfThis, 'assignClass', { classId: W.klass, teacherOpenids: [P.adminOfOther] })).code).toBe('INVALID_INPUT')
    expect((await fails(P.adminOfThis, 'assignClass', { classId: W.klass, teacherOpenids: [P.teacherOfThis], studentIds: [W.otherChild] })).code).toBe('INVALID_INPUT')
    expect((await fails(P.adminOfThis, 'assignClass', { classId: W.klass, teacherOpenids: [P.teacherOfThis, P.teacherOfThis] })).code).toBe('INVALID_INPUT')
    expect((await fails(P.adminOfOther, 'assignClass', { classId: W.klass, teacherOpenids: [P.teacherOfThis] })).code).toBe('PERMISSION_DENIED')
    expect(t.cloud.store.count('visitAssignments', {})).toBe(1)
  })

  it('keeps the training material with a link', async () => {
    await ok(P.adminOfThis, 'saveTraining', { title: '家访操作手册', link: 'https://example.org/manual' })
    const overview = await ok<PlanOverview>(P.adminOfThis, 'planOverview')
    expect(overview.training).toMatchObject({ title: '家访操作手册', link: 'https://example.org/manual' })
    expect((await fails(P.adminOfThis, 'saveTraining', { title: '手册', link: 'http://x' })).code).toBe('INVALID_INPUT')
    expect((await fails(P.adminOfThis, 'saveTraining', { title: '手册' })).code).toBe('INVALID_INPUT')
    // a document of the school's own folder only
    await ok(P.adminOfThis, 'saveTraining', { title: '家访手册', fileID: `cloud://env.b/visit-training/${W.school}/1.pdf`, fileName: '家访手册.pdf' })
    expect((await fails(P.adminOfThis, 'saveTraining', { title: '家访手册', fileID: `cloud://env.b/visit-training/${W.otherSchool}/1.pdf` })).code).toBe('INVALID_INPUT')
  })
})

describe('my work', () => {
  it('lists my students most urgent first, in at most 4 requests', async () => {
    await ok(P.adminOfThis, 'assignClass', { classId: W.klass, teacherOpenids: [P.teacherOfThis] })
    // 王小明: contacted today, follow-up asked for 2 days ago → overdue; 李华: never contacted
    seedRecord(t.cloud, { date: dayAt(daysAgo(5)), followUp: { needed: true, by: dayAt(daysAgo(2)), note: '' } })
    const { reply, stats } = await call<MyWork>(P.teacherOfThis, 'myWork', {})
    if (!reply.ok) throw new Error(reply.message)
    expect(reply.data.items.map((i) => [i.name, i.urgency])).toEqual([
      ['王小明', 'overdue'],
      ['李华', 'notContacted']
    ])
    expect(reply.data.counts).toEqual({ assigned: 2, notContacted: 1, noHomeVisit: 2, overdue: 1 })
    expect(stats.dbRequests).toBeLessThanOrEqual(4)
    // a later contact closes the follow-up
    await ok(P.teacherOfThis, 'submitVisit', form({ type: '入户家访' }))
    const after = await ok<MyWork>(P.teacherOfThis, 'myWork')
    expect(after.items.find((i) => i.name === '王小明')).toMatchObject({ urgency: 'done', contactedThisSemester: true, homeVisitInWindow: true })
  })

  it('marks registry students without their categories, and logs that read', async () => {
    await ok(P.adminOfThis, 'assignClass', { classId: W.klass, teacherOpenids: [P.teacherOfThis] })
    seedRegistry(t.cloud, { studentId: W.sibling, studentName: '李华' })
    const { reply, stats } = await call<MyWork>(P.teacherOfThis, 'myWork', {})
    if (!reply.ok) throw new Error(reply.message)
    expect(reply.data.items.find((i) => i.name === '李华')).toMatchObject({ special: true, urgency: 'overdue' })
    expect(JSON.stringify(reply.data)).not.toMatch(/留守儿童/)
    expect(stats.dbRequests).toBeLessThanOrEqual(4)
    expect(audits()).toEqual([expect.objectContaining({ openid: P.teacherOfThis, studentIds: [W.sibling], what: '查看家访任务（含特殊学生标记）' })])
  })

  it('is empty for a teacher with no assignment, and refused to non-teachers', async () => {
    expect((await ok<MyWork>(P.teacherOfOther, 'myWork')).items).toEqual([])
    expect((await fails(P.guardianOfThis, 'myWork', {})).code).toBe('PERMISSION_DENIED')
  })
})

describe('the special registry', () => {
  it('registers, changes and ends an entry, keeping its history', async () => {
    const { entry } = await ok<{ entry: RegistryView }>(P.teacherOfThis, 'markSpecial', { studentId: W.child, categories: ['留守儿童', '心理关注'], note: '与祖父母同住' })
    expect(entry).toMatchObject({ categories: ['留守儿童', '心理关注'], intervalDays: 30, overdue: false })
    expect(entry.dueAt).toBeGreaterThan(Date.now() + 29 * DAY)
    await ok(P.teacherOfThis, 'markSpecial', { studentId: W.child, categories: ['留守儿童'], intervalDays: 14, note: '与祖父母同住' })
    expect((await fails(P.teacherOfThis, 'markSpecial', { studentId: W.child, categories: [], intervalDays: 14 })).code).toBe('INVALID_INPUT')
    expect((await fails(P.teacherOfThis, 'markSpecial', { studentId: W.child, categories: ['留守儿童'], intervalDays: 3 })).code).toBe('INVALID_INPUT')
    await ok(P.teacherOfThis, 'endSpecial', { studentId: W.child, reason: '父母已返乡' })
    expect((await fails(P.teacherOfThis, 'endSpecial', { studentId: W.child, reason: '再次移出' })).code).toBe('INVALID_STATE')
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const [doc] = t.cloud.store.find('specialRegistry', {}) as Array<Record<string, any>>
    expect(doc.history.map((h: { change: string }) => h.change)).toEqual(['登记：留守儿童、心理关注，每 30 天随访', '类别改为留守儿童；随访间隔改为 14 天', '移出名册：父母已返乡'])
    // the file still tells that, and why, the student was taken off
    const file = await ok<StudentFile>(P.adminOfThis, 'studentFile', { studentId: W.child })
    expect(file).toMatchObject({ registry: null, registryEnded: { reason: '父母已返乡' }, viewerRole: 'schoolAdmin' })
  })

  it('lists the entries of my classes overdue first, audits the read, and puts the overdue follow-up on my to-do list', async () => {
    seedRegistry(t.cloud) // registered 40 days ago, interval 30, never contacted → overdue
    seedRegistry(t.cloud, { studentId: W.sibling, studentName: '李华', registeredAt: new Date(Date.now() - 5 * DAY) })
    seedRegistry(t.cloud, { studentId: W.otherChild, studentName: '陈晨', classId: W.otherClass })
    const { entries } = await ok<{ entries: RegistryView[] }>(P.teacherOfThis, 'specialRegistry', {})
    expect(entries.map((e) => [e.name, e.overdue])).toEqual([
      ['王小明', true],
      ['李华', false]
    ])
    expect(audits()[0]).toMatchObject({ what: '查看特殊学生名册', studentIds: [W.child, W.sibling] })
    const { items } = await ok<{ items: TodoItem[] }>(P.teacherOfThis, 'todos')
    expect(items).toEqual([expect.objectContaining({ kind: 'registryOverdue', overdue: true, url: `/packages/teacher/pages/file/index?studentId=${W.child}` })])
    expect(items[0].title).toContain('王小明')
    // a contact today: no longer due
    await ok(P.teacherOfThis, 'submitVisit', form())
    expect((await ok<{ items: TodoItem[] }>(P.teacherOfThis, 'todos')).items).toEqual([])
  })
})

describe('coverage', () => {
  it('gives T6, T7 (against the pace) and T8 per class from the statistics formulas, in at most 3 requests', async () => {
    seedRecord(t.cloud, { type: '入户家访', date: dayAt(daysAgo(1)) }) // 王小明: contacted, visited at home
    seedRegistry(t.cloud) // 王小明 on the registry, followed up yesterday → in time
    const { reply, stats } = await call<Coverage>(P.teacherOfThis, 'classCoverage', { classId: W.klass })
    if (!reply.ok) throw new Error(reply.message)
    expect(stats.dbRequests).toBeLessThanOrEqual(3)
    const [k1] = reply.data.classes
    expect(k1).toMatchObject({ classId: W.klass, className: '一年级（1）班' })
    expect(k1.T6).toMatchObject({ numerator: 1, denominator: 2, value: 0.5, met: false })
    expect(k1.T7).toMatchObject({ numerator: 1, denominator: 2 })
    expect(k1.T8).toMatchObject({ numerator: 1, denominator: 1, value: 1, met: true })
    expect(reply.data.homeVisitPace).toBeGreaterThan(0.5)
    const school = await ok<Coverage>(P.adminOfThis, 'classCoverage', {})
    expect(school.classes.map((c) => c.className)).toEqual(['一年级（1）班', '一年级（2）班'])
    expect(school.school!.T6).toMatchObject({ numerator: 1, denominator: 3 })
    expect((await fails(P.teacherOfOther, 'classCoverage', { classId: W.klass })).code).toBe('PERMISSION_DENIED')
    expect((await fails(P.bureau, 'classCoverage', {})).code).toBe('PERMISSION_DENIED')
  })
})

describe('reminders', () => {
  it('sends a teacher one subscribe message a day for what fell due, where they allowed it, never twice', async () => {
    seedRegistry(t.cloud) // overdue
    // no permission yet: nothing is sent, and the occasion is not retried
    const first = await t.cloud.fireTimer('visits', 'dailyReminders')
    expect(first.result).toMatchObject({ ok: true, data: { due: 1, noPermission: 1, sent: 0 } })
    expect(t.cloud.outbox()).toHaveLength(0)
    // the teacher allows it; the next day's reminder is sent once
    await t.call('account', P.teacherOfThis, { action: 'allowReminder', data: { topic: 'followUpDue', accepted: true } })
    t.cloud.store.commit(t.cloud.store.docs('notifications').map((d) => ({ coll: 'notifications', key: String(d._id), after: null })))
    await Promise.all([t.cloud.fireTimer('visits', 'dailyReminders'), t.cloud.fireTimer('visits', 'dailyReminders')])
    await t.cloud.fireTimer('visits', 'dailyReminders')
    const sent = t.cloud.outbox()
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({ touser: P.teacherOfThis, templateId: SUBSCRIBE_TOPICS.followUpDue.templateId, page: `packages/teacher/pages/file/index?studentId=${W.child}` })
    expect(sent[0].data.thing1.value).toBe('王小明')
    expect(sent[0].data.thing4.value).toBe('1名学生已逾期，请尽快联系家长')
    // the one permission is used up
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    expect((t.cloud.store.find('subscriptions', {}) as Array<Record<string, any>>)[0].credits).toBe(0)
  })

  it('never reminds a teacher who has left the school', async () => {
    seedRegistry(t.cloud)
    await t.call('account', P.teacherOfThis, { action: 'allowReminder', data: { topic: 'followUpDue', accepted: true } })
    const m = t.cloud.store.find('memberships', { _id: 'm-t-this' })[0]
    t.cloud.store.commit([{ coll: 'memberships', key: 'm-t-this', after: { ...m, status: 'ended' } }])
    const run = await t.cloud.fireTimer('visits', 'dailyReminders')
    expect(run.result).toMatchObject({ ok: true, data: { due: 0, sent: 0 } })
    expect(t.cloud.outbox()).toHaveLength(0)
  })

  it('reminds the author of an open follow-up due today', async () => {
    seedRecord(t.cloud, { date: dayAt(daysAgo(7)), followUp: { needed: true, by: dayAt(today()), note: '' } })
    seedRecord(t.cloud, { _id: 'vr_closed', studentId: W.sibling, studentName: '李华', date: dayAt(daysAgo(7)), followUp: { needed: true, by: dayAt(today()), note: '' } })
    seedRecord(t.cloud, { _id: 'vr_later', studentId: W.sibling, studentName: '李华', date: dayAt(daysAgo(1)) })
    await t.call('account', P.teacherOfThis, { action: 'allowReminder', data: { topic: 'followUpDue', accepted: true } })
    await t.call('account', P.teacherOfThis, { action: 'allowReminder', data: { topic: 'followUpDue', accepted: true } })
    await t.cloud.fireTimer('visits', 'dailyReminders')
    // 李华's follow-up was closed by the later contact
    expect(t.cloud.outbox().map((m) => m.data.thing1.value)).toEqual(['王小明'])
  })

  it('sums up several students in one message, opening my work', async () => {
    seedRegistry(t.cloud)
    seedRegistry(t.cloud, { studentId: W.sibling, studentName: '李华', registeredAt: new Date(Date.now() - 35 * DAY) })
    await t.call('account', P.teacherOfThis, { action: 'allowReminder', data: { topic: 'followUpDue', accepted: true } })
    await t.call('account', P.teacherOfThis, { action: 'allowReminder', data: { topic: 'followUpDue', accepted: true } })
    await t.cloud.fireTimer('visits', 'dailyReminders')
    const sent = t.cloud.outbox()
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({ page: 'packages/teacher/pages/work/index', data: { thing1: { value: '王小明等2名学生' }, thing2: { value: '特殊学生随访' } } })
  })
})

it('never gives a new client key to an old record (keys are per draft)', () => {
  expect(newKey()).not.toBe(newKey())
})
