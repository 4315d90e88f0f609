/**
 * 全员家访 pages in the weapp production build: the contact/visit form (a draft kept on the phone that survives
 * closing the mini-program, one clientKey per draft so a retried submission is the same submission, validation
 * messages next to the form, corrections within 7 days) and the student file's timeline. The `visits` function is
 * answered here with contract-shaped data (src/shared/contract-visits.ts), so these tests are about what the pages
 * show, keep and send; the last block runs the genuine function on the local cloud.
 */
import fs from 'fs'
import os from 'os'
import path from 'path'
import { startLocalCloud } from '../../localcloud'
import { P, seedWorld, W } from '../../server/fixtures'
import { seedRecord } from '../../server/functions/visits/fixtures'
import { buildFunctionsOnce } from '../../server/testing'
import { dayKey, formatDateTime } from '@/shared/calendar'
import type { WhoAmI } from '@/shared/contract'
import type { StudentFile, VisitRecordView } from '@/shared/contract-visits'
import { bootMiniProgram, fail, localCloudResponder, ok, routeResponder, waitFor, type CloudCall, type CloudResponder, type MiniProgram, type PageHandle } from './harness'

jest.setTimeout(30000)

const LOG = '/packages/teacher/pages/log/index'
const FILE = '/packages/teacher/pages/file/index'
const DAY = 86_400_000

const ME: WhoAmI = {
  userId: 'o-t-this',
  displayName: '林老师',
  roles: [{ role: 'teacher', countyId: 'c1', schoolId: 's1', schoolName: '城关第一小学', classIds: ['k1'], headTeacherOf: ['k1'] }],
  consent: { status: 'none', version: null, at: null, applies: false, required: false },
  preferences: { largeText: false }
}
const STUDENT = 'st1'
const studentKey = (userId = ME.userId, studentId = STUDENT) => `gy.visitDraft.${userId}.student.${studentId}`
const recordKey = (recordId: string, userId = ME.userId) => `gy.visitDraft.${userId}.record.${recordId}`
const today = () => dayKey(Date.now())

/** A draft as the log page stores it. */
function storedDraft(over: Record<string, unknown> = {}) {
  return {
    v: 1,
    clientKey: 'kDraft-0001abcd',
    baseUpdatedAt: null,
    startedAt: Date.now() - 3600_000,
    savedAt: Date.now() - 3000_000,
    type: '电话',
    date: today(),
    participants: '林老师、母亲王芳',
    situation: { study: '作业按时完成', health: '', mood: '情绪稳定', family: '' },
    suggestions: '希望多反馈在校表现',
    followUp: { needed: false, by: '', note: '' },
    photos: [],
    ...over
  }
}

function recordView(over: Partial<VisitRecordView> = {}): VisitRecordView {
  const createdAt = Date.now() - 2 * DAY
  return {
    recordId: 'vr_1',
    studentId: STUDENT,
    type: '入户家访',
    date: dayKey(createdAt),
    participants: '林老师、父亲',
    situation: { study: '数学进步明显', health: '良好', mood: '', family: '父母在家' },
    suggestions: '希望增加课外阅读',
    followUp: { needed: false, by: null, note: '' },
    photos: [],
    authorName: '林老师',
    isMine: true,
    createdAt,
    updatedAt: createdAt,
    editableUntil: createdAt + 7 * DAY,
    changes: [],
    ...over
  }
}

function studentFile(over: Partial<StudentFile> = {}): StudentFile {
  return {
    student: { studentId: STUDENT, name: '王小明', className: '一年级（1）班', schoolName: '城关第一小学', gender: '男', status: 'enrolled' },
    family: '与祖父母同住',
    familyUpdatedAt: Date.now() - 10 * DAY,
    guardiansBound: 2,
    visitors: [{ openid: 'o-t-this', name: '林老师' }],
    registry: null,
    registryEnded: null,
    viewerRole: 'teacher',
    records: [],
    followUp: null,
    summary: { contacts: 0, homeVisits: 0, lastContactAt: null, lastHomeVisitAt: null },
    canEdit: true,
    ...over
  }
}

type Handlers = Record<string, (data: unknown, call: CloudCall) => unknown>
const base: Handlers = {
  'account.whoami': () => ok(ME),
  'visits.studentFile': () => ok(studentFile())
}

let mp: MiniProgram | null = null
afterEach(async () => {
  await mp?.close()
  mp = null
})

async function boot(handlers: Handlers, storage: Record<string, unknown> = {}, followNavigation = false): Promise<MiniProgram> {
  mp = await bootMiniProgram({ cloud: routeResponder({ ...base, ...handlers }), storage, followNavigation })
  return mp
}

/** What the page sent with its submissions. */
const sent = (app: MiniProgram, action = 'submitVisit') => app.callsTo('visits', action).map((c) => c.data.data as Record<string, unknown>)

/** The storage of a closed mini-program, to boot the next one with (the phone keeps it). */
const storageOf = (app: MiniProgram) => Object.fromEntries(app.storage)

describe('the log form', () => {
  test('what is typed is kept on the phone and restored after the mini-program is closed and opened again', async () => {
    let app = await boot({})
    let page = await app.openPage(`${LOG}?studentId=${STUDENT}`)
    await page.waitForText('王小明 · 一年级（1）班') // the header, from the file
    expect(page.text()).toContain('填写的内容会自动保存在手机上')
    expect(app.storage.has(studentKey())).toBe(false) // an untouched form is not kept
    await page.tap('入户家访')
    await page.type('.vl__suggestions', '希望学校多组织亲子活动')
    await page.waitForText(/草稿已保存 \d{2}:\d{2}/, 3000)
    const first = app.storage.get(studentKey()) as { clientKey: string; suggestions: string; type: string }
    expect(first).toMatchObject({ type: '入户家访', suggestions: '希望学校多组织亲子活动' })
    expect(first.clientKey).toMatch(/^[A-Za-z0-9_-]{8,40}$/)
    expect(app.callsTo('visits', 'submitVisit')).toHaveLength(0)

    // WeChat is closed: a new mini-program on the same phone (same storage).
    const kept = storageOf(app)
    await app.close()
    app = await boot({ 'visits.submitVisit': (d) => ok({ record: recordView({ recordId: 'vr_new' }), created: true, echo: d }) }, kept)
    page = await app.openPage(`${LOG}?studentId=${STUDENT}`)
    await page.waitForText('恢复的草稿')
    expect(page.text()).toContain('上次填写的内容还没有提交')
    expect(page.querySelector('.vl__type--on')?.textContent).toContain('入户家访')
    expect(page.text()).toContain('清空草稿')

    // …and what is sent is the restored draft, with the key it was started with.
    await page.tap('提交记录')
    await page.waitForText('记录已提交')
    expect(sent(app)).toEqual([
      expect.objectContaining({ clientKey: first.clientKey, studentId: STUDENT, type: '入户家访', suggestions: '希望学校多组织亲子活动', date: today() })
    ])
  })

  test('drafts do not stay on the phone for ever: one older than a contact may be logged, or a correction past its window, is removed', async () => {
    const old = Date.now() - 130 * DAY
    const app = await boot({}, {
      [studentKey()]: storedDraft({ startedAt: old, savedAt: old }),
      [studentKey(ME.userId, 'st9')]: storedDraft({ startedAt: old, savedAt: old }),
      [recordKey('vr_old')]: storedDraft({ clientKey: '', startedAt: Date.now() - 8 * DAY, savedAt: Date.now() - 8 * DAY }),
      [studentKey(ME.userId, 'st2')]: storedDraft()
    })
    const page = await app.openPage(`${LOG}?studentId=${STUDENT}&name=${encodeURIComponent('王小明')}`)
    await page.waitForText('联系方式')
    expect(page.text()).not.toContain('恢复的草稿')
    expect(Object.keys(Object.fromEntries(app.storage)).filter((k) => k.startsWith('gy.visitDraft')).sort()).toEqual([studentKey(ME.userId, 'st2')])
  })

  test('a draft seeded on the phone is shown and submitted with its clientKey; afterwards it is removed and the page goes to the file', async () => {
    const app = await boot({ 'visits.submitVisit': () => ok({ record: recordView({ recordId: 'vr_new' }), created: true }) }, { [studentKey()]: storedDraft() })
    const page = await app.openPage(`${LOG}?studentId=${STUDENT}&name=${encodeURIComponent('王小明')}`)
    await page.waitForText('恢复的草稿')
    expect(page.text()).toContain(`草稿已保存 ${formatDateTime(storedDraft().savedAt as number).slice(11)}`)
    expect(page.querySelector('.vl__type--on')?.textContent).toContain('电话')
    expect(app.callsTo('visits', 'studentFile')).toHaveLength(0) // the name came with the link
    await page.tap('提交记录')
    await page.waitForText('记录已提交')
    expect(page.text()).toContain('手机上的草稿已清除')
    expect(sent(app)).toEqual([
      {
        clientKey: 'kDraft-0001abcd',
        studentId: STUDENT,
        type: '电话',
        date: today(),
        participants: '林老师、母亲王芳',
        situation: { study: '作业按时完成', health: '', mood: '情绪稳定', family: '' },
        suggestions: '希望多反馈在校表现',
        followUp: { needed: false, by: null, note: '' },
        photos: []
      }
    ])
    expect(app.storage.has(studentKey())).toBe(false)
    await waitFor(() => app.navigations.length > 0, { timeout: 4000 })
    expect(app.navigations[0]).toEqual({ type: 'redirectTo', url: `${'/packages/teacher/pages/file/index'}?studentId=${STUDENT}` })
  })

  test('a timeout keeps everything on the phone; the retry — even after reopening — sends the same clientKey', async () => {
    let calls = 0
    const submitVisit = (d: unknown) => {
      calls += 1
      if (calls === 1) throw new Error('timeout') // the answer never arrives
      return ok({ record: recordView({ recordId: `vr_${(d as { clientKey: string }).clientKey}` }), created: false })
    }
    let app = await boot({ 'visits.submitVisit': submitVisit }, { [studentKey()]: storedDraft() })
    let page = await app.openPage(`${LOG}?studentId=${STUDENT}`)
    await page.waitForText('恢复的草稿')
    await page.tap('提交记录')
    await page.waitForText('网络不稳定，尚未提交：填写的内容已作为草稿保存在手机上，请稍后重试')
    expect(app.storage.get(studentKey())).toMatchObject({ clientKey: 'kDraft-0001abcd', suggestions: '希望多反馈在校表现' })
    expect(page.text()).toContain('重新提交')

    // closed and opened again later, with a signal
    const kept = storageOf(app)
    await app.close()
    app = await boot({ 'visits.submitVisit': submitVisit }, kept)
    page = await app.openPage(`${LOG}?studentId=${STUDENT}`)
    await page.waitForText('恢复的草稿')
    await page.tap('提交记录')
    // the cloud had written it the first time: the same record comes back and the page says nothing was doubled
    await page.waitForText('这条记录之前已提交成功，没有重复保存')
    expect(calls).toBe(2)
    expect(sent(app).map((d) => d.clientKey)).toEqual(['kDraft-0001abcd'])
    expect(app.storage.has(studentKey())).toBe(false)
  })

  test('a retry on the same page sends the same clientKey', async () => {
    let calls = 0
    const app = await boot(
      {
        'visits.submitVisit': () => {
          calls += 1
          if (calls === 1) throw new Error('timeout')
          return ok({ record: recordView(), created: true })
        }
      },
      { [studentKey()]: storedDraft() }
    )
    const page = await app.openPage(`${LOG}?studentId=${STUDENT}`)
    await page.waitForText('恢复的草稿')
    await page.tap('提交记录')
    await page.waitForText('网络不稳定，尚未提交：填写的内容已作为草稿保存在手机上，请稍后重试')
    await page.tap('重新提交')
    await page.waitForText('记录已提交')
    const keys = sent(app).map((d) => d.clientKey)
    expect(keys).toEqual(['kDraft-0001abcd', 'kDraft-0001abcd'])
  })

  test('the server’s validation message is shown next to the form, and the draft is kept', async () => {
    const app = await boot({ 'visits.submitVisit': () => fail('INVALID_INPUT', '只能补记 120 天内的联系') }, { [studentKey()]: storedDraft() })
    const page = await app.openPage(`${LOG}?studentId=${STUDENT}`)
    await page.waitForText('恢复的草稿')
    await page.tap('提交记录')
    await page.waitForText('请修改以下内容后再提交')
    expect(page.querySelector('.vl__problems')?.textContent).toContain('只能补记 120 天内的联系')
    expect(page.text()).not.toContain('记录已提交')
    expect(app.storage.get(studentKey())).toMatchObject({ clientKey: 'kDraft-0001abcd' })
  })

  test('what the phone can check is refused before anything is sent, each message under its field', async () => {
    const empty = storedDraft({ type: '', situation: { study: '', health: '', mood: '', family: '' }, suggestions: '', participants: '只填了人员' })
    const app = await boot({ 'visits.submitVisit': () => ok({ record: recordView(), created: true }) }, { [studentKey()]: empty })
    const page = await app.openPage(`${LOG}?studentId=${STUDENT}`)
    await page.waitForText('恢复的草稿')
    await page.tap('提交记录')
    await page.waitForText('请修改以下内容后再提交')
    expect(page.querySelector('.vl__error--type')?.textContent).toBe('请选择联系方式（入户家访、到校约谈、电话、视频或微信）')
    expect(page.querySelector('.vl__error--situation')?.textContent).toBe('请至少填写一项学生情况或家长意见建议')
    expect(app.callsTo('visits', 'submitVisit')).toHaveLength(0)

    // a follow-up without its date
    await page.tap('微信')
    await page.type('.vl__situation--mood', '最近有些焦虑')
    await page.tap('.vl__switch')
    await page.waitForText('在此日期前跟进')
    await page.tap('提交记录')
    await page.waitForText('需要跟进时请选择跟进日期')
    expect(page.querySelector('.vl__error--followUp-by')?.textContent).toBe('需要跟进时请选择跟进日期')
    expect(page.querySelector('.vl__error--type')).toBeNull()
    expect(app.callsTo('visits', 'submitVisit')).toHaveLength(0)
  })

  test('清空草稿 asks first, then starts a new draft with a new clientKey', async () => {
    const app = await boot({}, { [studentKey()]: storedDraft() })
    const page = await app.openPage(`${LOG}?studentId=${STUDENT}`)
    await page.waitForText('恢复的草稿')
    await page.tap('.vl__clear')
    await page.waitForText('清空草稿？')
    expect(app.storage.has(studentKey())).toBe(true) // nothing gone before the answer
    const okButton = page.querySelectorAll('.nut-dialog-footer-ok').find((el) => el.textContent?.trim())
    await page.tap(okButton!)
    await page.waitForText('草稿已清空')
    expect(app.storage.has(studentKey())).toBe(false)
    expect(page.text()).not.toContain('恢复的草稿')
    expect(page.querySelector('.vl__type--on')).toBeNull()
    await page.tap('视频')
    await page.type('.vl__suggestions', '新的内容')
    await waitFor(() => app.storage.has(studentKey()), { timeout: 3000 })
    expect((app.storage.get(studentKey()) as { clientKey: string }).clientKey).not.toBe('kDraft-0001abcd')
  })

  test('drafts are kept per teacher: another teacher on the same phone does not see mine', async () => {
    const app = await boot({ 'account.whoami': () => ok({ ...ME, userId: 'o-t-other', displayName: '吴老师' }) }, { [studentKey()]: storedDraft() })
    const page = await app.openPage(`${LOG}?studentId=${STUDENT}`)
    await page.waitForText('填写的内容会自动保存在手机上')
    expect(page.text()).not.toContain('恢复的草稿')
    expect(page.querySelector('.vl__type--on')).toBeNull()
  })

  test('large-text mode applies to the form', async () => {
    const app = await boot({ 'account.whoami': () => ok({ ...ME, preferences: { largeText: true } }) }, { 'gy.largeText': true })
    const page = await app.openPage(`${LOG}?studentId=${STUDENT}`)
    await page.waitForText('联系方式')
    expect(page.classesOf()).toContain('gy-page--large')
  })
})

type Options = { cloudPath?: string; success?: (res: unknown) => void }
/** Answered as WeChat does: callbacks when given, else a promise. */
const answer = (o: Options, res: unknown) => {
  if (o?.success) setTimeout(() => o.success?.(res))
  return Promise.resolve(res)
}
type Wx = { chooseMedia?: (o: Options) => unknown; cloud: { uploadFile?: (o: Options) => unknown } }

describe('photos', () => {
  test('picked photos are uploaded at once into the visit-photo folder, kept in the draft, sent with the record, and can be removed', async () => {
    const app = await boot({ 'visits.submitVisit': () => ok({ record: recordView(), created: true }) }, { [studentKey()]: storedDraft() })
    const wx = app.wx as Wx
    const uploads: string[] = []
    wx.chooseMedia = (o) =>
      answer(o, {
        errMsg: 'chooseMedia:ok',
        type: 'image',
        tempFiles: [
          { tempFilePath: 'http://tmp/a.jpg', size: 2048, fileType: 'image' },
          { tempFilePath: 'http://tmp/b.png', size: 2048, fileType: 'image' }
        ]
      })
    wx.cloud.uploadFile = (o) => {
      uploads.push(String(o.cloudPath))
      return answer(o, { errMsg: 'cloud.uploadFile:ok', fileID: `cloud://env-1/${String(o.cloudPath)}` })
    }
    const page = await app.openPage(`${LOG}?studentId=${STUDENT}`)
    await page.waitForText('照片（0/9）')
    await page.tap('添加照片')
    await page.waitForText('已上传 2 张照片')
    expect(page.text()).toContain('照片（2/9）')
    expect(uploads).toEqual([expect.stringMatching(/^visit-photos\/st1\/\d+-0-[a-z0-9]+\.jpg$/), expect.stringMatching(/^visit-photos\/st1\/\d+-1-[a-z0-9]+\.png$/)])
    expect(page.querySelectorAll('.vl__photo-img')).toHaveLength(2)
    // in the draft at once (no waiting for the pause in typing)
    expect((app.storage.get(studentKey()) as { photos: Array<{ fileID: string }> }).photos.map((p) => p.fileID)).toEqual(uploads.map((u) => `cloud://env-1/${u}`))

    await page.tap(page.querySelectorAll('.vl__photo-remove')[0])
    expect(page.text()).toContain('照片（1/9）')
    expect((app.storage.get(studentKey()) as { photos: unknown[] }).photos).toHaveLength(1)
    await page.tap('提交记录')
    await page.waitForText('记录已提交')
    expect(sent(app)[0].photos).toEqual([`cloud://env-1/${uploads[1]}`])
  })
})

describe('correcting a record', () => {
  test('shows that the original is kept and the deadline, starts from the record (not the new-record draft), and sends a correction', async () => {
    const r = recordView()
    const app = await boot(
      {
        'visits.visitRecord': () => ok({ record: r }),
        'visits.correctVisit': (d) => ok({ record: { ...r, ...(d as object) } })
      },
      { [studentKey()]: storedDraft() } // a new record's draft for the same student stays apart
    )
    const page = await app.openPage(`${LOG}?recordId=${r.recordId}`)
    await page.waitForText('修改将保留原记录')
    expect(page.text()).toContain(`可修改至 ${formatDateTime(r.editableUntil as number)}`)
    expect(page.text()).toContain('修改联系记录')
    expect(page.text()).not.toContain('恢复的草稿')
    expect(page.querySelector('.vl__type--on')?.textContent).toContain('入户家访')

    await page.type('.vl__suggestions', '希望增加课外阅读和体育锻炼')
    await waitFor(() => app.storage.has(recordKey(r.recordId)), { timeout: 3000 })
    expect(app.storage.get(studentKey())).toMatchObject({ clientKey: 'kDraft-0001abcd', type: '电话' }) // untouched
    await page.tap('保存修改')
    await page.waitForText('修改已保存，原记录已保留')
    expect(sent(app, 'correctVisit')).toEqual([expect.objectContaining({ recordId: r.recordId, type: '入户家访', suggestions: '希望增加课外阅读和体育锻炼' })])
    expect(sent(app, 'correctVisit')[0]).not.toHaveProperty('clientKey')
    expect(app.callsTo('visits', 'submitVisit')).toHaveLength(0)
    expect(app.storage.has(recordKey(r.recordId))).toBe(false)
    expect(app.storage.has(studentKey())).toBe(true)
  })

  test('a correction draft comes back when the record is opened again', async () => {
    const r = recordView()
    const app = await boot({ 'visits.visitRecord': () => ok({ record: r }) }, { [recordKey(r.recordId)]: storedDraft({ clientKey: '', baseUpdatedAt: r.updatedAt, type: '电话' }) })
    const page = await app.openPage(`${LOG}?recordId=${r.recordId}`)
    await page.waitForText('恢复的草稿')
    expect(page.querySelector('.vl__type--on')?.textContent).toContain('电话')
    expect(page.text()).toContain(`可修改至 ${formatDateTime(r.editableUntil as number)}`)
  })

  test('after 7 days the record can no longer be corrected', async () => {
    const createdAt = Date.now() - 9 * DAY
    const app = await boot({ 'visits.visitRecord': () => ok({ record: recordView({ createdAt, editableUntil: null }) }) })
    const page = await app.openPage(`${LOG}?recordId=vr_1`)
    await page.waitForText('这条记录不能再修改')
    expect(page.text()).toContain('记录提交后 7 天内可以修改')
    expect(page.text()).not.toContain('保存修改')
  })
})

describe('the student file', () => {
  const mineRecent = recordView({ recordId: 'vr_a', type: '电话', date: dayKey(Date.now() - DAY), createdAt: Date.now() - DAY, editableUntil: Date.now() + 6 * DAY, situation: { study: '作业认真', health: '', mood: '', family: '' } })
  const mineOld = recordView({ recordId: 'vr_b', type: '入户家访', date: dayKey(Date.now() - 20 * DAY), createdAt: Date.now() - 20 * DAY, editableUntil: null, suggestions: '多沟通' })
  const others = recordView({
    recordId: 'vr_c',
    type: '微信',
    date: dayKey(Date.now() - 3 * DAY),
    authorName: '吴老师',
    isMine: false,
    createdAt: Date.now() - 3 * DAY,
    editableUntil: null,
    changes: [
      { at: Date.now() - 3 * DAY, byName: '吴老师', fields: ['家长意见建议'] },
      { at: Date.now() - 2 * DAY, byName: '吴老师', fields: ['照片'] }
    ],
    photos: [{ fileID: 'cloud://env/visit-photos/1-0-a.jpg', tempFileURL: 'https://tmp/a.jpg' }]
  })
  const withRecords = studentFile({
    records: [mineRecent, others, mineOld],
    summary: { contacts: 3, homeVisits: 1, lastContactAt: Date.now() - DAY, lastHomeVisitAt: Date.now() - 20 * DAY },
    followUp: { by: dayKey(Date.now() + 2 * DAY), note: '电话了解作业', recordId: 'vr_a' }
  })

  test('the timeline shows every record newest first; 修改 only on my own within 7 days; corrections link to the record', async () => {
    const app = await boot({ 'visits.studentFile': () => ok(withRecords) })
    const page = await app.openPage(`${FILE}?studentId=${STUDENT}`)
    await page.waitForText('联系与家访记录（3）')
    expect(page.text()).toContain('王小明')
    expect(page.text()).toContain('已绑定家长 2 人')
    expect(page.text()).toContain('林老师')
    expect(page.text()).toContain('待跟进')
    const cards = page.querySelectorAll('.vr')
    expect(cards.map((c) => c.querySelector('.vr__type')?.textContent)).toEqual(['电话', '微信', '入户家访'])
    expect(cards[0].querySelector('.vr__edit')?.textContent).toMatch(/^修改/)
    expect(cards[1].querySelector('.vr__edit')).toBeNull()
    expect(cards[2].querySelector('.vr__edit')).toBeNull()
    expect(cards[1].textContent).toContain('已修改 2 次')
    expect(cards[1].querySelectorAll('.vr__photo')).toHaveLength(1)

    await page.tap(cards[0].querySelector('.vr__edit') as HTMLElement)
    await page.tap(page.querySelectorAll('.vr')[1].querySelector('.vr__changes') as HTMLElement)
    await page.tap('记录联系/家访')
    expect(app.navigations).toEqual([
      { type: 'navigateTo', url: '/packages/teacher/pages/log/index?recordId=vr_a' },
      { type: 'navigateTo', url: '/packages/teacher/pages/record/index?recordId=vr_c' },
      { type: 'navigateTo', url: `/packages/teacher/pages/log/index?studentId=${STUDENT}&name=${encodeURIComponent('王小明')}` }
    ])
  })

  test('a teacher who may not see the file is told so, with 返回', async () => {
    const app = await boot({ 'visits.studentFile': () => fail('PERMISSION_DENIED', '您没有权限进行此操作') })
    const page = await app.openPage(`${FILE}?studentId=st4`)
    await page.waitForText('您没有权限查看该学生的档案')
    expect(page.text()).toContain('返回')
    expect(page.text()).not.toContain('记录联系/家访')
  })
})

describe('the registry and the record', () => {
  const SPECIAL = '/packages/teacher/pages/special/index'
  const RECORD = '/packages/teacher/pages/record/index'
  const registry = {
    studentId: STUDENT,
    name: '王小明',
    className: '一年级（1）班',
    categories: ['留守儿童' as const],
    intervalDays: 30,
    note: '父母在外务工',
    registeredAt: Date.now() - 40 * DAY,
    registeredByName: '林老师',
    lastContactAt: null,
    dueAt: Date.now() - 10 * DAY,
    overdue: true,
    history: []
  }

  test('the special form is prefilled from the registry, explains the reminders, and sends the changes', async () => {
    const app = await boot({
      'visits.studentFile': () => ok(studentFile({ registry })),
      'visits.markSpecial': (d) => ok({ entry: { ...registry, ...(d as object) } })
    })
    const page = await app.openPage(`${SPECIAL}?studentId=${STUDENT}`)
    await page.waitForText('已在名册中')
    await page.waitForSelector('.vs__cat--on') // the form is prefilled on the render after the file arrives
    expect(page.querySelectorAll('.vs__cat--on').map((e) => e.textContent)).toEqual(['✓ 留守儿童'])
    expect(page.querySelector('.vs__chip--on')?.textContent).toBe('30 天')
    expect(page.text()).toContain('会出现在您的「待办事项」中')
    expect(page.text()).toContain('微信订阅消息提醒')
    await page.tap('心理关注')
    await page.tap('60 天')
    await page.tap('保存修改')
    await page.waitForText('名册信息已更新')
    expect(sent(app, 'markSpecial')).toEqual([{ studentId: STUDENT, categories: ['留守儿童', '心理关注'], intervalDays: 60, note: '父母在外务工' }])
  })

  test('an interval out of range or no category is refused on the phone', async () => {
    const app = await boot({ 'visits.markSpecial': () => ok({ entry: registry }) })
    const page = await app.openPage(`${SPECIAL}?studentId=${STUDENT}`)
    await page.waitForText('登记到名册')
    expect(page.querySelector('.vs__chip--on')?.textContent).toBe('30 天') // the default
    await page.tap('登记到名册')
    await page.waitForText('请至少选择一个类别')
    await page.tap('单亲家庭')
    await page.type('.vs__days', '5')
    await page.tap('登记到名册')
    await page.waitForText('随访间隔至少 7 天')
    expect(app.callsTo('visits', 'markSpecial')).toHaveLength(0)
  })

  test('移出名册 needs a reason and a confirmation', async () => {
    const app = await boot({
      'visits.studentFile': () => ok(studentFile({ registry })),
      'visits.endSpecial': () => ok({ studentId: STUDENT })
    })
    const page = await app.openPage(`${FILE}?studentId=${STUDENT}`)
    await page.waitForText('随访逾期')
    expect(page.text()).toContain('留守儿童')
    expect(page.text()).toContain('已逾期 10 天')
    await page.tap('移出名册')
    await page.waitForText('移出特殊学生名册')
    const confirm = () => page.tap(page.querySelectorAll('.nut-dialog-footer-ok').find((el) => el.textContent?.trim())!)
    await confirm()
    await page.waitForText('请填写移出原因（至少 2 个字）')
    expect(app.callsTo('visits', 'endSpecial')).toHaveLength(0)
    await page.type('.vf__reason', '父母已返乡')
    await confirm()
    await page.waitForText('已移出特殊学生名册，原因已记录')
    expect(sent(app, 'endSpecial')).toEqual([{ studentId: STUDENT, reason: '父母已返乡' }])
  })

  test('the record page lists every correction: who, when, which fields', async () => {
    const r = recordView({
      isMine: false,
      authorName: '吴老师',
      editableUntil: null,
      changes: [
        { at: Date.parse('2026-11-02T09:05:00+08:00'), byName: '吴老师', fields: ['家长意见建议', '照片'] },
        { at: Date.parse('2026-11-03T18:30:00+08:00'), byName: '吴老师', fields: ['联系日期'] }
      ]
    })
    const app = await boot({ 'visits.visitRecord': () => ok({ record: r }) })
    const page = await app.openPage(`${RECORD}?recordId=${r.recordId}`)
    await page.waitForText('修改记录（2）')
    expect(page.querySelectorAll('.vrp__change-title').map((e) => e.textContent)).toEqual(['吴老师 修改了 联系日期', '吴老师 修改了 家长意见建议、照片', '吴老师 提交了这条记录'])
    expect(page.text()).toContain('2026-11-03 18:30')
    expect(page.text()).not.toContain('已修改 2 次') // no link to itself
    expect(page.querySelector('.vr__edit')).toBeNull()
  })
})

describe('with the visits function on the local cloud', () => {
  type LocalCloud = Awaited<ReturnType<typeof startLocalCloud>>
  let dataDir: string
  let cloud: LocalCloud

  beforeAll(async () => {
    buildFunctionsOnce()
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'weapp-visits-'))
    cloud = await startLocalCloud({ dataDir })
  })
  afterAll(async () => {
    await cloud?.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })
  beforeEach(() => seedWorld(cloud))

  const records = () => cloud.store.find('visitRecords', { studentId: W.child })

  test('a submission whose answer was lost, sent again, is one record', async () => {
    const real = localCloudResponder(cloud, P.teacherOfThis)
    let lost = 0
    // the first submitVisit reaches the cloud, but its answer never comes back
    const flaky: CloudResponder = async (call) => {
      const result = await real(call)
      if (call.data.action === 'submitVisit' && lost++ === 0) throw new Error('timeout')
      return result
    }
    mp = await bootMiniProgram({ cloud: flaky, storage: { [studentKey(P.teacherOfThis, W.child)]: storedDraft() }, followNavigation: false })
    const page = await mp.openPage(`${LOG}?studentId=${W.child}`)
    await page.waitForText('恢复的草稿')
    await page.waitForText('王小明')
    await page.tap('提交记录')
    await page.waitForText('网络不稳定，尚未提交：填写的内容已作为草稿保存在手机上，请稍后重试')
    expect(records()).toHaveLength(1)
    await page.tap('重新提交')
    await page.waitForText('这条记录之前已提交成功，没有重复保存')
    expect(records()).toHaveLength(1)
    expect(records()[0]).toMatchObject({ _id: 'vr_kDraft-0001abcd', type: '电话', suggestions: '希望多反馈在校表现' })
  })

  test('the file shows the records, with 修改 on my own only', async () => {
    seedRecord(cloud, { _id: 'vr_mine', type: '电话' })
    seedRecord(cloud, { _id: 'vr_theirs', type: '微信', authorOpenid: P.adminOfThis, authorName: '严校长' })
    mp = await bootMiniProgram({ cloud: localCloudResponder(cloud, P.teacherOfThis), followNavigation: false })
    const page: PageHandle = await mp.openPage(`${FILE}?studentId=${W.child}`)
    await page.waitForText('联系与家访记录（2）')
    const mine = page.querySelector('.vr--vr_mine')
    const theirs = page.querySelector('.vr--vr_theirs')
    expect(mine?.querySelector('.vr__edit')).not.toBeNull()
    expect(theirs?.querySelector('.vr__edit')).toBeNull()
    expect(theirs?.textContent).toContain('严校长')
  })
})
