/**
 * 个案咨询 pages in the weapp production build, with the `counselling` function answered in the test by
 * contract-shaped data (src/shared/contract-counselling.ts): the guardian books (child, open slots, hold, topic and
 * description, confirm; a slot taken meanwhile; a hold run out), the guardian's bookings (cancel with a confirmation
 * and only before the cut-off, move, rate after the session), the counsellor's slots (what the publish form sends,
 * cancelling with a reason) and one session (confidential notes loaded, the outcome saved), in large text too.
 */
import type { BookingView, CounsellorSlotView, OpenSlotView } from '@/shared/contract-counselling'
import type { WhoAmI } from '@/shared/contract'
import { dayKey, shanghaiMidnight } from '@/shared/calendar'
import fs from 'fs'
import os from 'os'
import path from 'path'
import { startLocalCloud } from '../../localcloud'
import { P, seedWorld, W } from '../../server/fixtures'
import { seedSlot } from '../../server/functions/counselling/fixtures'
import { buildFunctionsOnce } from '../../server/testing'
import { bootMiniProgram, fail, localCloudResponder, ok, routeResponder, type CloudCall, type MiniProgram, type PageHandle } from './harness'

jest.setTimeout(30000)

const COUNSEL = '/packages/guardian/pages/counsel/index'
const BOOKINGS = '/packages/guardian/pages/bookings/index'
const SLOTS = '/packages/counsellor/pages/slots/index'
const SESSION = '/packages/counsellor/pages/session/index'

const HOUR = 3_600_000
const DAY = 24 * HOUR
/** Shanghai midnight, `offset` days from today */
const midnight = (offset: number) => {
  const d = new Date(Date.now() + 8 * HOUR + offset * DAY)
  return shanghaiMidnight(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())
}
/** 15:30 Shanghai time, `offset` days from today */
const at = (offset: number, h = 15, m = 30) => midnight(offset) + h * HOUR + m * 60_000
const hhmm = (t: number) => {
  const d = new Date(t + 8 * HOUR)
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`
}
const monthDay = (t: number) => {
  const d = new Date(t + 8 * HOUR)
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日`
}

const guardian = (studentIds: string[]): WhoAmI => ({
  userId: 'o-g-1',
  displayName: '王芳',
  roles: [{ role: 'guardian', countyId: 'c1', schoolId: 's1', schoolName: '城关第一小学', studentIds }],
  consent: { status: 'accepted', version: '1', at: Date.now(), applies: true, required: false } as unknown as WhoAmI['consent'],
  preferences: { largeText: false }
})
const counsellor: WhoAmI = {
  userId: 'o-c-1',
  displayName: '陈老师',
  roles: [{ role: 'counsellor', countyId: 'c1', schoolId: 's1', schoolName: '城关第一小学' }],
  consent: { status: 'none', version: null, at: null, applies: false, required: false },
  preferences: { largeText: false }
}
const children = {
  children: [
    { studentId: 'st1', name: '王小明', className: '三年级（2）班', schoolName: '城关第一小学', relation: '母亲', primary: true },
    { studentId: 'st2', name: '王小红', className: '一年级（1）班', schoolName: '城关第一小学', relation: '母亲', primary: true }
  ],
  requests: []
}

const open = (slotId: string, over: Partial<OpenSlotView> = {}): OpenSlotView => ({
  slotId,
  counsellorName: '陈静',
  scope: 'school',
  mode: '面谈',
  start: at(3),
  minutes: 40,
  place: '心理咨询室',
  heldUntil: null,
  ...over
})
const SLOT_A = open('sl_a')
const SLOT_B = open('sl_b', { counsellorName: '刘洋', scope: 'county', mode: '电话', start: at(4, 19, 0), minutes: 30, place: '' })

const booking = (slotId: string, over: Partial<BookingView> = {}): BookingView => ({
  slotId,
  counsellorName: '陈静',
  mode: '面谈',
  start: at(3),
  minutes: 40,
  place: '心理咨询室',
  studentId: 'st1',
  childName: '王小明',
  topic: '情绪',
  description: '孩子最近不愿意上学',
  status: 'booked',
  cancelled: null,
  changeableUntil: at(2),
  rating: null,
  canRate: false,
  ...over
})

let mp: MiniProgram | null = null
afterEach(async () => {
  await mp?.close()
  mp = null
})

async function boot(handlers: Record<string, (data: unknown, call: CloudCall) => unknown>, opts: { largeText?: boolean; follow?: boolean } = {}) {
  mp = await bootMiniProgram({ cloud: routeResponder(handlers), followNavigation: opts.follow ?? false, storage: opts.largeText ? { 'gy.largeText': true } : {} })
  return mp
}

const dataOf = (app: MiniProgram, action: string) => app.callsTo('counselling', action).map((c) => c.data.data)

async function confirmDialog(page: PageHandle, title: string) {
  await page.waitForText(title)
  const okButton = page.querySelectorAll('.nut-dialog-footer-ok').find((el) => el.textContent?.trim())
  if (!okButton) throw new Error(`no confirm button; page shows ${page.text()}`)
  await page.tap(okButton)
}

/** the last hold the test cloud gave */
let lastHold = 0
const guardianHandlers = (over: Record<string, (data: unknown, call: CloudCall) => unknown> = {}) => ({
  'account.whoami': () => ok(guardian(['st1', 'st2'])),
  'binding.myChildren': () => ok(children),
  'counselling.openSlots': () => ok({ slots: [SLOT_A, SLOT_B], hasMore: false }),
  'counselling.holdSlot': (d: unknown) => {
    lastHold = Date.now() + 10 * 60_000
    return ok({ slotId: (d as { slotId: string }).slotId, heldUntil: lastHold })
  },
  'counselling.releaseHold': (d: unknown) => ok({ slotId: (d as { slotId: string }).slotId }),
  ...over
})

describe('booking a session (guardian)', () => {
  test('the open slots of the chosen child; hold → topic and description → confirm sends them; then the reminder and my bookings', async () => {
    const app = await boot(
      guardianHandlers({
        'counselling.confirmBooking': (d) => {
          const input = d as { slotId: string; studentId: string; topic: BookingView['topic']; description: string }
          return ok({ booking: booking(input.slotId, { studentId: input.studentId, childName: '王小红', topic: input.topic, description: input.description }) })
        },
        'account.allowReminder': () => ok({ topic: 'counselReminder', credits: 1 })
      })
    )
    const page = await app.openPage(COUNSEL)
    await page.waitForText('陈静 老师')
    // what counselling is, and who reads the description
    expect(page.text()).toContain('一对一')
    expect(page.text()).toContain('只有咨询老师本人能看到')
    // the slots: time with weekday, mode, place, counsellor, 本校 / 县讲师团
    const when = page.querySelectorAll('.cs-slot__when').map((e) => e.textContent?.trim())
    expect(when[0]).toMatch(new RegExp(`^${monthDay(SLOT_A.start)} 周. 15:30–16:10$`))
    expect(when[1]).toMatch(/19:00–19:30$/)
    expect(page.querySelector('.cs-slot--sl_a')?.textContent).toContain('心理咨询室')
    expect(page.querySelector('.cs-slot--sl_a')?.textContent).toContain('本校')
    expect(page.querySelector('.cs-slot--sl_b')?.textContent).toContain('县讲师团')
    expect(page.querySelector('.cs-slot--sl_b')?.textContent).toContain('电话')
    expect(dataOf(app, 'openSlots')).toEqual([{ studentId: 'st1', page: 1 }])

    // the second child
    await page.tap('王小红')
    await waitCalls(app, 'openSlots', 2)
    expect(dataOf(app, 'openSlots')[1]).toEqual({ studentId: 'st2', page: 1 })
    await page.waitForText('为 王小红 预约')

    await page.tap('.cs-slot--sl_a')
    await page.waitForText('为您保留至')
    expect(dataOf(app, 'holdSlot')).toEqual([{ slotId: 'sl_a', studentId: 'st2' }])
    const held = app.cloudCalls.length
    expect(page.text()).toContain(`为您保留至 ${hhmm(lastHold)}`)

    // nothing chosen: said here, nothing sent
    await page.tap('确认预约')
    await page.waitForText('请选择咨询主题')
    await page.tap('情绪')
    await page.type('.gc__description', '不想')
    await page.tap('确认预约')
    await page.waitForText('请至少写 5 个字')
    expect(app.cloudCalls.length).toBe(held)

    await page.type('.gc__description', '孩子最近不愿意上学，回家不说话')
    expect(page.text()).toContain('15/200')
    await page.tap('确认预约')
    await page.waitForText('预约成功')
    expect(dataOf(app, 'confirmBooking')).toEqual([{ slotId: 'sl_a', studentId: 'st2', topic: '情绪', description: '孩子最近不愿意上学，回家不说话' }])

    // the reminder: asked in the tap, told to the account function
    app.wx.requestSubscribeMessage = (o: { success?: (r: unknown) => void }) => setTimeout(() => o.success?.({ errMsg: 'requestSubscribeMessage:ok', GY_TEMPLATE_COUNSEL_REMINDER: 'accept' }))
    await page.tap('添加微信提醒')
    await page.waitForText('已添加：咨询前一天微信会提醒您')
    expect(app.callsTo('account', 'allowReminder').map((c) => c.data.data)).toEqual([{ topic: 'counselReminder', accepted: true }])

    await page.tap('查看我的预约')
    expect(app.navigations).toEqual([{ type: 'redirectTo', url: BOOKINGS }])
  })

  test('a slot taken by someone else meanwhile: the message, and the list is loaded again', async () => {
    let slots = [SLOT_A, SLOT_B]
    const app = await boot(
      guardianHandlers({
        'counselling.openSlots': () => ok({ slots, hasMore: false }),
        'counselling.confirmBooking': () => {
          slots = [SLOT_B]
          return fail('CONFLICT', '该时段已被预约')
        }
      })
    )
    const page = await app.openPage(COUNSEL)
    await page.waitForText('陈静 老师')
    await page.tap('.cs-slot--sl_a')
    await page.waitForText('为您保留至')
    await page.tap('学习')
    await page.type('.gc__description', '作业拖拉，写到很晚')
    await page.tap('确认预约')
    await page.waitForText('这个时段刚被别人预约了，请选择其他时段')
    expect(dataOf(app, 'openSlots')).toHaveLength(2)
    await waitFor(() => page.querySelector('.cs-slot--sl_a') === null)
    expect(page.querySelector('.cs-slot--sl_b')).not.toBeNull()
    expect(page.hasText('确认预约')).toBe(false)
  })

  test('holding a slot someone else just took says so too (INVALID_STATE)', async () => {
    const app = await boot(guardianHandlers({ 'counselling.holdSlot': () => fail('INVALID_STATE', '该时段不可预约') }))
    const page = await app.openPage(COUNSEL)
    await page.waitForText('陈静 老师')
    await page.tap('.cs-slot--sl_b')
    await page.waitForText('这个时段刚被别人预约了，请选择其他时段')
    expect(dataOf(app, 'openSlots')).toHaveLength(2)
  })

  test('a hold that ran out: said, and the slot can be held again', async () => {
    let until = Date.now() - 1000
    const app = await boot(guardianHandlers({ 'counselling.holdSlot': (d) => ok({ slotId: (d as { slotId: string }).slotId, heldUntil: until }) }))
    const page = await app.openPage(COUNSEL)
    await page.waitForText('陈静 老师')
    await page.tap('.cs-slot--sl_a')
    await page.waitForText('为您保留的 10 分钟已过')
    expect(page.hasText('确认预约')).toBe(false)
    until = Date.now() + 10 * 60_000
    await page.tap('重新保留')
    await page.waitForText('为您保留至')
    expect(dataOf(app, 'holdSlot')).toEqual([
      { slotId: 'sl_a', studentId: 'st1' },
      { slotId: 'sl_a', studentId: 'st1' }
    ])
    expect(page.hasText('确认预约')).toBe(true)
  })

  test('取消 lets the held slot go; 加载更多 asks for the next page; no slots: the empty state', async () => {
    const app = await boot(
      guardianHandlers({
        'counselling.openSlots': (d) => ok((d as { page: number }).page === 1 ? { slots: [SLOT_A], hasMore: true } : { slots: [SLOT_B], hasMore: false })
      })
    )
    const page = await app.openPage(COUNSEL)
    await page.waitForText('陈静 老师')
    await page.tap('加载更多')
    await page.waitForText('刘洋 老师')
    expect(dataOf(app, 'openSlots')).toEqual([
      { studentId: 'st1', page: 1 },
      { studentId: 'st1', page: 2 }
    ])
    expect(page.hasText('加载更多')).toBe(false)
    await page.tap('.cs-slot--sl_b')
    await page.waitForText('为您保留至')
    await page.tap('取消')
    await page.waitForText('已取消，这个时段已释放')
    expect(dataOf(app, 'releaseHold')).toEqual([{ slotId: 'sl_b' }])
    await app.close()

    const empty = await boot(guardianHandlers({ 'counselling.openSlots': () => ok({ slots: [], hasMore: false }) }))
    const p2 = await empty.openPage(COUNSEL)
    await p2.waitForText('目前没有可预约的时段，请稍后再来看看')
  })
})

describe('my bookings (guardian)', () => {
  const UPCOMING = booking('sl_up')
  const LOCKED = booking('sl_locked', { start: Date.now() + 5 * HOUR, changeableUntil: Date.now() - 19 * HOUR, counsellorName: '刘洋', mode: '电话', place: '' })
  const PAST = booking('sl_past', { start: at(-2), changeableUntil: at(-3), status: 'done', canRate: true, childName: '王小红', studentId: 'st2' })
  const CANCELLED = booking('sl_cx', { start: at(5), status: 'cancelled', cancelled: { by: 'counsellor', reason: '临时外出培训', at: Date.now() } })

  const handlers = (over: Record<string, (data: unknown, call: CloudCall) => unknown> = {}) => ({
    'account.whoami': () => ok(guardian(['st1', 'st2'])),
    'counselling.myBookings': () => ok({ bookings: [PAST, CANCELLED, LOCKED, UPCOMING] }),
    ...over
  })

  test('upcoming first with status and details; 取消预约 asks first, and is not offered after the cut-off', async () => {
    const app = await boot(handlers({ 'counselling.cancelBooking': (d) => ok({ booking: booking((d as { slotId: string }).slotId, { status: 'cancelled' }) }) }))
    const page = await app.openPage(BOOKINGS)
    await page.waitForText('即将进行（2）')
    const cards = page.querySelectorAll('.gb__card')
    // the two upcoming, soonest first, then the past ones
    expect(cards[0].className).toContain('gb__card--sl_locked')
    expect(cards[1].className).toContain('gb__card--sl_up')
    expect(page.querySelector('.gb__card--sl_up')?.textContent).toContain('已预约')
    expect(page.querySelector('.gb__card--sl_up')?.textContent).toContain('王小明')
    expect(page.querySelector('.gb__card--sl_up')?.textContent).toContain('情绪')
    expect(page.querySelector('.gb__card--sl_up')?.textContent).toContain('心理咨询室')
    expect(page.querySelector('.gb__card--sl_past')?.textContent).toContain('已完成')
    expect(page.querySelector('.gb__card--sl_cx')?.textContent).toContain('已取消')
    expect(page.querySelector('.gb__card--sl_cx')?.textContent).toContain('咨询老师取消了这次咨询，原因：临时外出培训')
    // after the cut-off: neither cancel nor move, and why
    const locked = page.querySelector('.gb__card--sl_locked') as HTMLElement
    expect(locked.querySelector('.gb__cancel')).toBeNull()
    expect(locked.querySelector('.gb__move')).toBeNull()
    expect(locked.textContent).toContain('已不能在线取消或改约')
    expect(page.querySelector('.gb__card--sl_past .gb__cancel')).toBeNull()

    await page.tap(page.querySelector('.gb__card--sl_up .gb__cancel') as HTMLElement)
    await page.waitForText('确定取消这次预约吗？')
    expect(dataOf(app, 'cancelBooking')).toHaveLength(0)
    await confirmDialog(page, '确定取消这次预约吗？')
    await page.waitForText('已取消预约')
    expect(dataOf(app, 'cancelBooking')).toEqual([{ slotId: 'sl_up' }])
    expect(dataOf(app, 'myBookings')).toHaveLength(2)
    // nothing about case notes on this page
    expect(page.text()).not.toContain('个案记录')
  })

  test('改约: open slots of the same child, then a confirmation sends the move', async () => {
    const app = await boot(
      handlers({
        'counselling.openSlots': () => ok({ slots: [SLOT_B], hasMore: false }),
        'counselling.rescheduleBooking': () => ok({ booking: booking('sl_b') })
      })
    )
    const page = await app.openPage(BOOKINGS)
    await page.waitForText('即将进行（2）')
    await page.tap(page.querySelector('.gb__card--sl_up .gb__move') as HTMLElement)
    await page.waitForText('刘洋 老师')
    expect(dataOf(app, 'openSlots')).toEqual([{ studentId: 'st1', page: 1 }])
    await page.tap('.cs-slot--sl_b')
    await confirmDialog(page, '改约到这个时段？')
    await page.waitForText('已改约到')
    expect(dataOf(app, 'rescheduleBooking')).toEqual([{ slotId: 'sl_up', toSlotId: 'sl_b' }])
  })

  test('after the session: rate with stars and a comment', async () => {
    const app = await boot(handlers({ 'counselling.rateSession': () => ok({ booking: { ...PAST, canRate: false, rating: { score: 4, comment: '很有帮助' } } }) }))
    const page = await app.openPage(BOOKINGS)
    await page.waitForText('评价这次咨询')
    expect(page.querySelectorAll('.gb__rate-open')).toHaveLength(1)
    await page.tap('评价这次咨询')
    await page.tap('提交评价')
    await page.waitForText('请点星星选择评分')
    expect(dataOf(app, 'rateSession')).toHaveLength(0)
    await page.tap('.gb__star--4')
    await page.waitForText('4 分')
    await page.type('.gb__comment-input', '很有帮助')
    await page.tap('提交评价')
    await page.waitForText('谢谢您的评价')
    expect(dataOf(app, 'rateSession')).toEqual([{ slotId: 'sl_past', score: 4, comment: '很有帮助' }])
  })
})

describe("the counsellor's slots", () => {
  const BOOKED: CounsellorSlotView = {
    slotId: 'ks_1',
    mode: '面谈',
    start: at(2, 9, 0),
    minutes: 45,
    place: '心理咨询室',
    status: 'booked',
    booking: { childName: '王小明', className: '三年级（2）班', schoolName: '城关第一小学', topic: '情绪', description: '孩子最近不愿意上学', bookedAt: Date.now() - DAY },
    outcome: null,
    rating: null,
    hasNotes: false
  }
  const OPEN: CounsellorSlotView = { ...BOOKED, slotId: 'ks_2', start: at(2, 10, 0), status: 'open', booking: null }

  test('the publish form sends the mode, minutes, place and the start times picked', async () => {
    const app = await boot({
      'account.whoami': () => ok(counsellor),
      'counselling.mySlots': () => ok({ slots: [] }),
      'counselling.publishSlots': (d) => ok({ created: (d as { starts: string[] }).starts.length, slots: [] })
    })
    const page = await app.openPage(SLOTS)
    await page.waitForText('还没有发布咨询时段')
    const day = dayKey(midnight(3) + HOUR)
    await page.tap('面谈')
    await page.tap('.ks__minutes--60')
    await page.tap(`.ks__day--${day}`)
    await page.tap('.ks__time--0900')
    await page.tap('.ks__time--1000')
    // 09:30 would overlap 09:00 with 60 minutes
    await page.tap('.ks__time--0930')
    await page.waitForText('重叠')
    await page.tap('.ks__time--1400')
    // 面谈 needs a place
    await page.tap('发布 3 个时段')
    await page.waitForText('面谈请填写地点')
    expect(dataOf(app, 'publishSlots')).toHaveLength(0)
    await page.type('.ks__input--place', '心理咨询室')
    await page.tap('发布 3 个时段')
    await page.waitForText('已发布 3 个时段')
    expect(dataOf(app, 'publishSlots')).toEqual([{ mode: '面谈', minutes: 60, place: '心理咨询室', starts: [`${day}T09:00`, `${day}T10:00`, `${day}T14:00`] }])
    expect(dataOf(app, 'mySlots')).toHaveLength(2)
  })

  test('my slots by day with the booking; a tap opens the session; cancelling asks for a reason and confirmation', async () => {
    const app = await boot({
      'account.whoami': () => ok(counsellor),
      'counselling.mySlots': () => ok({ slots: [OPEN, BOOKED] }),
      'counselling.cancelSlot': () => ok({ slot: { ...BOOKED, status: 'cancelled' } })
    })
    const page = await app.openPage(SLOTS)
    await page.waitForText('王小明 · 三年级（2）班 · 城关第一小学')
    expect(page.querySelectorAll('.ks__slot').map((e) => e.className.match(/ks__slot--(ks_\d)/)?.[1])).toEqual(['ks_1', 'ks_2'])
    expect(page.querySelector('.ks__slot--ks_1 .ks__status')?.textContent).toBe('已预约')
    expect(page.querySelector('.ks__slot--ks_2 .ks__status')?.textContent).toBe('可预约')
    expect(page.text()).toContain('孩子最近不愿意上学')
    expect(page.text()).toContain(`${monthDay(BOOKED.start)} 周`)

    await page.tap(page.querySelector('.ks__slot--ks_1 .ks__cancel') as HTMLElement)
    await page.tap('确认取消')
    await page.waitForText('请填写取消原因')
    await page.type('.ks__reason', '临时外出培训')
    await page.tap('确认取消')
    await page.waitForText('确定取消这个时段吗？')
    expect(dataOf(app, 'cancelSlot')).toHaveLength(0)
    await confirmDialog(page, '确定取消这个时段吗？')
    await page.waitForText('时段已取消，家长会看到取消原因')
    expect(dataOf(app, 'cancelSlot')).toEqual([{ slotId: 'ks_1', reason: '临时外出培训' }])

    await page.tap(page.querySelector('.ks__slot--ks_2 .ks__slot-main') as HTMLElement)
    expect(app.navigations).toEqual([{ type: 'navigateTo', url: `${SESSION}?slotId=ks_2` }])
  })

  test('the session after its start: notes loaded, confidential notice, outcome saved; the rating shown', async () => {
    const PAST: CounsellorSlotView = { ...BOOKED, start: Date.now() - 2 * HOUR, rating: { score: 5, comment: '老师很耐心' } }
    const app = await boot({
      'account.whoami': () => ok(counsellor),
      'counselling.mySlots': () => ok({ slots: [PAST] }),
      'counselling.caseNotes': () => ok({ slotId: 'ks_1', notes: '母亲陪同，孩子焦虑', updatedAt: Date.now() - HOUR }),
      'counselling.recordOutcome': (d) => ok({ slot: { ...PAST, outcome: { result: (d as { result: 'followUp' }).result, at: Date.now() } } })
    })
    const page = await app.openPage(`${SESSION}?slotId=ks_1`)
    await page.waitForText('个案记录仅您本人可见，学校管理员和教育局均无法查看')
    expect(dataOf(app, 'caseNotes')).toEqual([{ slotId: 'ks_1' }])
    expect(page.text()).toContain('孩子最近不愿意上学')
    expect(page.text()).toContain('老师很耐心')
    expect(page.text()).toContain('5 分')
    await page.waitForText('上次保存') // the notes have arrived: the form is ready
    await page.tap('保存咨询结果')
    await page.waitForText('请选择咨询结果')
    expect(dataOf(app, 'recordOutcome')).toHaveLength(0)
    await page.tap('需跟进')
    await page.tap('保存咨询结果')
    await page.waitForText('已保存：需跟进')
    // the notes loaded are the ones saved (nothing lost)
    expect(dataOf(app, 'recordOutcome')).toEqual([{ slotId: 'ks_1', result: 'followUp', notes: '母亲陪同，孩子焦虑' }])
    await page.type('.kx__notes', '两周后再约一次')
    await page.tap('已解决')
    await page.tap('保存咨询结果')
    await waitCalls(app, 'recordOutcome', 2)
    expect(dataOf(app, 'recordOutcome')[1]).toEqual({ slotId: 'ks_1', result: 'resolved', notes: '两周后再约一次' })
  })

  test('before the session starts: no outcome form and no notes read', async () => {
    const app = await boot({ 'account.whoami': () => ok(counsellor), 'counselling.mySlots': () => ok({ slots: [BOOKED] }) })
    const page = await app.openPage(`${SESSION}?slotId=ks_1`)
    await page.waitForText('咨询开始后')
    expect(page.hasText('保存咨询结果')).toBe(false)
    expect(dataOf(app, 'caseNotes')).toHaveLength(0)
  })
})

describe('the to-do list', () => {
  test('a teacher who is also a guardian: follow-ups and counselling sessions in one list, by due time', async () => {
    const me: WhoAmI = { ...guardian(['st1']), roles: [...guardian(['st1']).roles, { role: 'teacher', countyId: 'c1', schoolId: 's1', schoolName: '城关第一小学', classIds: ['k1'] }] }
    const app = await boot({
      'account.whoami': () => ok(me),
      'visits.todos': () => ok({ items: [{ id: 'v1', kind: 'followUpDue', title: '随访：赵磊', detail: '', dueAt: Date.now() + 2 * DAY, overdue: false, url: '/packages/teacher/pages/file/index?studentId=st5' }] }),
      'counselling.todos': () => ok({ items: [{ id: 'c1', title: '明天的咨询：王小明', detail: '面谈 · 心理咨询室', dueAt: Date.now() + DAY, overdue: false, url: BOOKINGS }] })
    })
    const page = await app.openPage('/pages/todo/index')
    await page.waitForText('明天的咨询：王小明')
    expect(page.querySelectorAll('.todo__title').map((e) => e.textContent?.trim())).toEqual(['明天的咨询：王小明', '随访：赵磊'])
    await page.tap('明天的咨询：王小明')
    expect(app.navigations).toEqual([{ type: 'navigateTo', url: BOOKINGS }])
  })

  test('one list failing leaves the other shown, with a retry', async () => {
    const me: WhoAmI = { ...counsellor, roles: [...counsellor.roles, { role: 'teacher', countyId: 'c1', schoolId: 's1', schoolName: '城关第一小学', classIds: ['k1'] }] }
    const app = await boot({
      'account.whoami': () => ok(me),
      'visits.todos': () => fail('INTERNAL_ERROR', '系统繁忙，请稍后再试'),
      'counselling.todos': () => ok({ items: [{ id: 'c2', title: '待记录咨询结果：王小明', detail: '', dueAt: Date.now() - DAY, overdue: true, url: `${SESSION}?slotId=ks_1` }] })
    })
    const page = await app.openPage('/pages/todo/index')
    await page.waitForText('待记录咨询结果：王小明')
    expect(page.text()).toContain('部分待办事项没有加载出来')
  })
})

describe('large-text mode on the counselling pages', () => {
  // (the account's stored preference wins over the phone's once whoami answers: both say large here)
  const all = {
    ...guardianHandlers(),
    'account.whoami': () => ok({ ...guardian(['st1', 'st2']), preferences: { largeText: true } }),
    'counselling.myBookings': () => ok({ bookings: [booking('sl_up')] }),
    'counselling.mySlots': () => ok({ slots: [] })
  }
  test.each([COUNSEL, BOOKINGS, SLOTS, `${SESSION}?slotId=ks_1`])('%s', async (url) => {
    const app = await boot(all, { largeText: true })
    const page = await app.openPage(url)
    expect(page.classesOf()).toContain('gy-page--large')
    await app.settle()
    expect(page.classesOf()).toContain('gy-page--large')
  })
})

describe('with the counselling function on the local cloud', () => {
  type LocalCloud = Awaited<ReturnType<typeof startLocalCloud>>
  let dataDir: string
  let cloud: LocalCloud

  beforeAll(async () => {
    buildFunctionsOnce()
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'weapp-counsel-'))
    cloud = await startLocalCloud({ dataDir })
  })
  afterAll(async () => {
    await cloud?.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })
  beforeEach(() => seedWorld(cloud))

  test('a guardian books an open slot for their child: the slot is booked once, with the topic and description', async () => {
    const slotId = seedSlot(cloud, { _id: 'cs_weapp1' })
    mp = await bootMiniProgram({ cloud: localCloudResponder(cloud, P.guardianOfThis), followNavigation: false })
    const page = await mp.openPage(COUNSEL)
    await page.waitForText('郑老师 老师')
    await page.tap(`.cs-slot--${slotId}`)
    await page.waitForText('为您保留至')
    await page.tap('亲子关系')
    await page.type('.gc__description', '和孩子说话总是吵起来')
    await page.tap('确认预约')
    await page.waitForText('预约成功')
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a stored document, read loosely
    const stored = cloud.store.find('counselSlots', { _id: slotId })[0] as Record<string, any>
    expect(stored.status).toBe('booked')
    expect(stored.booking).toMatchObject({ studentId: W.child, topic: '亲子关系', description: '和孩子说话总是吵起来' })
  })
})

async function waitFor(probe: () => boolean, timeout = 3000) {
  const start = Date.now()
  while (!probe()) {
    if (Date.now() - start > timeout) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 10))
  }
}
const waitCalls = (app: MiniProgram, action: string, n: number) => waitFor(() => app.callsTo('counselling', action).length >= n)
