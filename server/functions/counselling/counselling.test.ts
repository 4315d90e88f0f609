/** The counselling function through the genuine wx-server-sdk against the local cloud: slots, bookings, notes, reminders. */
import type { BookingView, CounsellorSlotView, OpenSlotView } from '@/shared/contract-counselling'
import { CONSENT_VERSION } from '@/shared/consent'
import { callsTo, startTestCloud, type TestCloud } from '../../testing'
import { P, seedWorld, W } from '../../fixtures'
import { bookingOfChild, HOUR, localStart, seedSlot } from './fixtures'

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

const { call, ok, fails } = callsTo(() => t, 'counselling')
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- stored documents, read loosely in assertions
const slot = (id: string) => t.cloud.store.find('counselSlots', { _id: id })[0] as Record<string, any>
const confirm = (slotId: string, extra: Record<string, unknown> = {}) => ({ slotId, studentId: W.child, topic: '情绪', description: '孩子最近不愿意上学，经常发脾气', ...extra })

/** `n` more consented guardians of children in W.klass (for the rush on one slot). */
function seedGuardians(n: number): string[] {
  const ids: string[] = []
  const users = []
  const memberships = []
  const students = []
  for (let i = 0; i < n; i++) {
    const openid = `o-g-rush-${i}`
    const studentId = `st-rush-${i}`
    ids.push(openid)
    students.push({ _id: studentId, countyId: W.county, schoolId: W.school, schoolName: '城关第一小学', classId: W.klass, className: '一年级（1）班', classCode: W.classCode, name: `学生${i}`, studentNo: `9${String(i).padStart(9, '0')}`, status: 'enrolled' })
    users.push({ _id: openid, openid, displayName: `家长${i}`, consent: { status: 'accepted', version: CONSENT_VERSION, at: new Date() }, preferences: { largeText: false } })
    memberships.push({ _id: `g_${openid}_${studentId}`, openid, role: 'guardian', status: 'active', countyId: W.county, schoolId: W.school, schoolName: '城关第一小学', classId: W.klass, studentId, relation: '母亲' })
  }
  t.cloud.store.insertMany('students', students)
  t.cloud.store.insertMany('users', users)
  t.cloud.store.insertMany('memberships', memberships)
  return ids
}

describe('publishing slots', () => {
  it('publishes slots once, refuses overlaps, times too soon and bad input', async () => {
    const starts = [localStart(50), localStart(52)]
    const first = await ok<{ created: number }>(P.counsellorOfThis, 'publishSlots', { mode: '面谈', minutes: 45, place: '心理辅导室', starts })
    expect(first.created).toBe(2)
    // the same again: nothing new
    expect((await ok<{ created: number }>(P.counsellorOfThis, 'publishSlots', { mode: '面谈', minutes: 45, place: '心理辅导室', starts })).created).toBe(0)
    expect(t.cloud.store.count('counselSlots', {})).toBe(2)
    const clash = await fails(P.counsellorOfThis, 'publishSlots', { mode: '电话', minutes: 90, starts: [localStart(51)] })
    expect(clash).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('重叠') })
    expect((await fails(P.counsellorOfThis, 'publishSlots', { mode: '电话', minutes: 30, starts: [localStart(0)] })).message).toMatch(/分钟后开始/)
    expect((await fails(P.counsellorOfThis, 'publishSlots', { mode: '面谈', minutes: 30, starts: [localStart(60)] })).message).toMatch(/面谈请填写地点/)
    expect((await fails(P.counsellorOfThis, 'publishSlots', { mode: '电话', minutes: 10, starts: [localStart(60)] })).message).toMatch(/至少 20 分钟/)
    expect((await fails(P.counsellorOfThis, 'publishSlots', { mode: '电话', minutes: 30, starts: ['2026-02-30T10:00'] })).code).toBe('INVALID_INPUT')
    expect((await fails(P.teacherOfThis, 'publishSlots', { mode: '电话', minutes: 30, starts: [localStart(60)] })).code).toBe('PERMISSION_DENIED')
    expect(t.cloud.store.count('counselSlots', {})).toBe(2)
  })
})

describe('booking', () => {
  it('shows the child’s school’s and the county’s open slots, holds one, and books it in at most 4 requests', async () => {
    const mine = seedSlot(t.cloud)
    const county = seedSlot(t.cloud, { schoolId: null, schoolName: '', counsellorName: '县讲师团 周老师', start: new Date(Date.now() + 100 * HOUR) })
    seedSlot(t.cloud, { schoolId: W.otherSchool, start: new Date(Date.now() + 80 * HOUR) }) // another school's
    seedSlot(t.cloud, { start: new Date(Date.now() + 30 * 60_000) }) // too soon
    const { slots } = await ok<{ slots: OpenSlotView[] }>(P.guardianOfThis, 'openSlots', { studentId: W.child })
    expect(slots.map((s) => [s.slotId, s.scope])).toEqual([
      [mine, 'school'],
      [county, 'county']
    ])
    const held = await ok<{ heldUntil: number }>(P.guardianOfThis, 'holdSlot', { slotId: mine, studentId: W.child })
    expect(held.heldUntil).toBeGreaterThan(Date.now() + 9 * 60_000)
    const { reply, stats } = await call<{ booking: BookingView }>(P.guardianOfThis, 'confirmBooking', confirm(mine))
    if (!reply.ok) throw new Error(reply.message)
    expect(stats.dbRequests).toBeLessThanOrEqual(4)
    expect(reply.data.booking).toMatchObject({ status: 'booked', childName: '王小明', topic: '情绪', counsellorName: '郑老师' })
    expect(slot(mine)).toMatchObject({ status: 'booked', heldBy: null, booking: { guardianOpenid: P.guardianOfThis, studentId: W.child } })
    // booked: no longer offered; a retry of the confirmation answers the same
    expect((await ok<{ slots: OpenSlotView[] }>(P.guardianOfThis, 'openSlots', { studentId: W.child })).slots.map((s) => s.slotId)).toEqual([county])
    expect((await ok<{ booking: BookingView }>(P.guardianOfThis, 'confirmBooking', confirm(mine))).booking.status).toBe('booked')
  })

  it('gives a slot to exactly one of 50 guardians booking it at once; the others get a clear answer', async () => {
    const id = seedSlot(t.cloud)
    const guardians = seedGuardians(50)
    const replies = await Promise.all(guardians.map((g, i) => call<{ booking: BookingView }>(g, 'confirmBooking', confirm(id, { studentId: `st-rush-${i}` }))))
    const won = replies.filter((r) => r.reply.ok)
    expect(won).toHaveLength(1)
    const lost = replies.filter((r) => !r.reply.ok).map((r) => r.reply as { code: string; message: string })
    expect(lost).toHaveLength(49)
    expect(new Set(lost.map((r) => r.code))).toEqual(new Set(['CONFLICT']))
    expect(lost[0].message).toBe('这个时段刚被别人预约了，请选择其他时段')
    expect(slot(id).status).toBe('booked')
  })

  it('holds a slot for one guardian: others cannot take it until the hold runs out', async () => {
    const id = seedSlot(t.cloud)
    await ok(P.guardianOfOther, 'holdSlot', { slotId: id, studentId: W.otherChild })
    expect((await fails(P.guardianOfThis, 'holdSlot', { slotId: id, studentId: W.child })).code).toBe('CONFLICT')
    expect((await fails(P.guardianOfThis, 'confirmBooking', confirm(id))).code).toBe('CONFLICT')
    // ten minutes later the hold has run out
    t.cloud.store.commit([{ coll: 'counselSlots', key: id, after: { ...slot(id), heldUntil: new Date(Date.now() - 1000) } }])
    await ok(P.guardianOfThis, 'confirmBooking', confirm(id))
    expect(slot(id).booking.guardianOpenid).toBe(P.guardianOfThis)
  })

  it('never books for a child not bound to the guardian, without consent, or with a bad topic', async () => {
    const id = seedSlot(t.cloud)
    expect((await fails(P.guardianOfOther, 'confirmBooking', confirm(id))).code).toBe('PERMISSION_DENIED')
    expect((await fails(P.teacherOfThis, 'confirmBooking', confirm(id))).code).toBe('CONSENT_REQUIRED')
    expect((await fails(P.guardianOfThis, 'confirmBooking', confirm(id, { topic: '升学' }))).message).toBe('请选择咨询主题')
    expect((await fails(P.guardianOfThis, 'confirmBooking', confirm(id, { description: '求助' }))).message).toMatch(/至少写 5 个字/)
    // another school's slot is not bookable for this child
    const far = seedSlot(t.cloud, { schoolId: W.otherSchool })
    expect((await fails(P.guardianOfThis, 'confirmBooking', confirm(far))).code).toBe('CONFLICT')
    expect(slot(id).status).toBe('open')
  })
})

describe('changing a booking', () => {
  it('cancels and moves up to 24 hours before, not after', async () => {
    const id = seedSlot(t.cloud, { status: 'booked', booking: bookingOfChild() })
    const other = seedSlot(t.cloud, { start: new Date(Date.now() + 120 * HOUR) })
    const moved = await ok<{ booking: BookingView }>(P.guardianOfThis, 'rescheduleBooking', { slotId: id, toSlotId: other })
    expect(moved.booking).toMatchObject({ slotId: other, status: 'booked', topic: '情绪' })
    expect(slot(id)).toMatchObject({ status: 'open', booking: null })
    const { bookings } = await ok<{ bookings: BookingView[] }>(P.guardianOfThis, 'myBookings')
    expect(bookings.map((b) => [b.slotId, b.status])).toEqual([
      [other, 'booked'],
      [id, 'cancelled']
    ])
    await ok(P.guardianOfThis, 'cancelBooking', { slotId: other })
    expect(slot(other)).toMatchObject({ status: 'open', booking: null })
    // too late: the session is in 20 hours
    const soon = seedSlot(t.cloud, { status: 'booked', booking: bookingOfChild(), start: new Date(Date.now() + 20 * HOUR) })
    expect((await fails(P.guardianOfThis, 'cancelBooking', { slotId: soon })).message).toMatch(/24 小时内不能取消/)
    expect(slot(soon).status).toBe('booked')
  })

  it('tells the guardian when the counsellor cancels, with the reason', async () => {
    const id = seedSlot(t.cloud, { status: 'booked', booking: bookingOfChild() })
    await ok(P.counsellorOfThis, 'cancelSlot', { slotId: id, reason: '外出培训' })
    const { bookings } = await ok<{ bookings: BookingView[] }>(P.guardianOfThis, 'myBookings')
    expect(bookings[0]).toMatchObject({ status: 'cancelled', cancelled: { by: 'counsellor', reason: '外出培训' } })
  })
})

describe('after the session', () => {
  it('keeps the case notes for their counsellor alone; the guardian rates once', async () => {
    const id = seedSlot(t.cloud, { status: 'booked', booking: bookingOfChild(), start: new Date(Date.now() - 2 * HOUR) })
    const { slot: view } = await ok<{ slot: CounsellorSlotView }>(P.counsellorOfThis, 'recordOutcome', { slotId: id, result: 'followUp', notes: '母亲焦虑明显，建议两周后再谈' })
    expect(view).toMatchObject({ outcome: { result: 'followUp' }, hasNotes: true })
    expect((await ok<{ notes: string }>(P.counsellorOfThis, 'caseNotes', { slotId: id })).notes).toBe('母亲焦虑明显，建议两周后再谈')
    // another counsellor of the school, the admin, the bureau: never
    t.cloud.store.insertMany('memberships', [{ _id: 'm-c-2', openid: 'o-c-2', role: 'counsellor', status: 'active', countyId: W.county, schoolId: W.school }])
    expect((await fails('o-c-2', 'caseNotes', { slotId: id })).code).toBe('PERMISSION_DENIED')
    for (const who of [P.adminOfThis, P.bureau, P.guardianOfThis]) expect((await fails(who, 'caseNotes', { slotId: id })).code).toMatch(/PERMISSION_DENIED|CONSENT_REQUIRED/)
    // nothing the guardian reads carries them
    const { bookings } = await ok<{ bookings: BookingView[] }>(P.guardianOfThis, 'myBookings')
    expect(JSON.stringify(bookings)).not.toContain('母亲焦虑')
    expect(bookings[0].canRate).toBe(true)
    await ok(P.guardianOfThis, 'rateSession', { slotId: id, score: 5, comment: '老师很耐心' })
    expect((await fails(P.guardianOfThis, 'rateSession', { slotId: id, score: 4 })).code).toBe('INVALID_STATE')
    expect(slot(id).rating).toMatchObject({ score: 5 })
  })
})

describe('reminders', () => {
  it('reminds the guardian of tomorrow’s session once (with a permission) and lists it as a to-do', async () => {
    const tomorrow = new Date(Date.now() + 24 * HOUR)
    seedSlot(t.cloud, { status: 'booked', booking: bookingOfChild(), start: tomorrow })
    await t.call('account', P.guardianOfThis, { action: 'allowReminder', data: { topic: 'counselReminder', accepted: true } })
    await t.cloud.fireTimer('counselling', 'remindTomorrow')
    await t.cloud.fireTimer('counselling', 'remindTomorrow')
    const sent = t.cloud.outbox({ touser: P.guardianOfThis })
    expect(sent).toHaveLength(1)
    expect(sent[0].data.thing1.value).toBe('情绪（王小明）')
    const { items } = await ok<{ items: Array<{ title: string }> }>(P.guardianOfThis, 'todos')
    expect(items[0].title).toMatch(/家庭教育咨询/)
    // the counsellor's to-do after a session without an outcome
    seedSlot(t.cloud, { status: 'booked', booking: bookingOfChild(), start: new Date(Date.now() - 3 * HOUR) })
    const mine = await ok<{ items: Array<{ title: string; overdue: boolean }> }>(P.counsellorOfThis, 'todos')
    expect(mine.items.find((i) => i.overdue)?.title).toBe('请记录咨询结果：王小明')
  })
})
