/**
 * The `counselling` cloud function: 个案咨询 (000 三(一)3). Counsellors (of a school, or of the county's 公益讲师团)
 * publish slots; a guardian holds one for a bound child while confirming, then books it. Every change of a slot is
 * ONE conditional update of the slot document (`where({ _id, status… }).update()`), so of any number of guardians
 * booking the same slot at once exactly one succeeds — no transaction needed, and a booking costs at most four
 * database requests. Case notes live in their own collection and are read only by the counsellor who wrote them:
 * no other action, role or export reaches them.
 */
import { createHash } from 'crypto'
import { _, fetchList, one, trustedOnly } from '../../lib/cloud'
import { activeMemberships, findUser, requireGuardianConsent } from '../../lib/auth'
import type { MembershipDoc, StudentDoc } from '../../lib/docs'
import { time } from '../../lib/docs'
import { createFunction, type ActionContext } from '../../lib/router'
import { sendReminder } from '../../lib/reminders'
import { dayKey, formatDateTime } from '@/shared/calendar'
import {
  COUNSEL_LIMITS,
  HOUR_MS,
  MINUTE_MS,
  beforeCutoff,
  freshSlotState,
  overlaps,
  slotRefusal,
  slotStart,
  type CounselMode,
  type CounselOutcome,
  type CounselTopic,
  type SlotStatus
} from '@/shared/counselling'
import type { BookingView, CounselTodo, CounsellorSlotView, OpenSlotView } from '@/shared/contract-counselling'
import { AppError } from '@/shared/errors'
import { SUBSCRIBE_TOPICS, thingValue } from '@/shared/subscriptions'
import { dayStart } from '@/shared/visits'

const SLOTS = 'counselSlots'
const NOTES = 'counselNotes'
const DAY_MS = 24 * HOUR_MS

interface Booking {
  guardianOpenid: string
  studentId: string
  studentName: string
  className: string
  schoolId: string
  schoolName: string
  topic: CounselTopic
  description: string
  bookedAt: Date | string
}

interface CancelledBooking extends Booking {
  by: 'guardian' | 'counsellor'
  reason: string
  at: Date | string
}

interface SlotDoc {
  _id: string
  countyId: string
  /** the counsellor's school; null for a county counsellor (公益讲师团), whose slots every school's guardians see */
  schoolId: string | null
  schoolName: string
  counsellorOpenid: string
  counsellorName: string
  mode: CounselMode
  start: Date | string
  minutes: number
  place: string
  status: SlotStatus
  heldBy: string | null
  heldUntil: Date | string | null
  booking: Booking | null
  cancelledBookings: CancelledBooking[]
  cancelReason: string | null
  outcome: { result: CounselOutcome; at: Date | string } | null
  rating: { score: number; comment: string; at: Date | string } | null
  createdAt: Date | string
  updatedAt: Date | string
}

const hash = (s: string) => createHash('sha1').update(s).digest('hex').slice(0, 16)
const slotIdFor = (openid: string, start: number) => `cs_${hash(`${openid}|${start}`)}`

// ------------------------------------------------------------------ who is calling

/** The caller's counsellor membership (of a school, or of the county), or PERMISSION_DENIED. */
function requireCounsellor(memberships: MembershipDoc[]): MembershipDoc {
  const m = memberships.find((x) => x.role === 'counsellor' && x.countyId)
  if (!m) throw new AppError('PERMISSION_DENIED')
  return m
}

/**
 * A guardian acting for a bound child, with the consent the children's-data rules need. The child and their
 * guardians' bindings come in one request (an aggregation joining the memberships), the account in a second.
 */
async function guardianFor(ctx: ActionContext, studentId: string): Promise<{ membership: MembershipDoc; student: StudentDoc }> {
  const [rows, user] = await Promise.all([
    ctx.db
      .collection('students')
      .aggregate()
      .match(trustedOnly({ _id: studentId }))
      .lookup({ from: 'memberships', localField: '_id', foreignField: 'studentId', as: 'guardians' })
      .limit(1)
      .end() as Promise<{ list: Array<StudentDoc & { guardians: MembershipDoc[] }> }>,
    findUser(ctx)
  ])
  requireGuardianConsent(user)
  const student = rows.list[0]
  const membership = student?.guardians.find((m) => m.openid === ctx.openid && m.role === 'guardian' && m.status === 'active' && (m as { _openid?: string })._openid === undefined)
  if (!student || !membership) throw new AppError('PERMISSION_DENIED')
  if (student.status !== 'enrolled') throw new AppError('INVALID_STATE', '孩子已离校，不能预约咨询')
  return { membership, student }
}

/** The slots a guardian of this school may book: the school's and the county's. */
const bookableBy = (m: MembershipDoc) => ({ countyId: m.countyId, schoolId: _.in([m.schoolId ?? '', null]) })

// ------------------------------------------------------------------ views

const ms = (d: Date | string | null | undefined) => (d ? new Date(d).getTime() : null)

function counsellorView(s: SlotDoc, now: number): CounsellorSlotView {
  const held = s.status === 'held' && (ms(s.heldUntil) ?? 0) > now
  return {
    slotId: s._id,
    mode: s.mode,
    start: time(s.start),
    minutes: s.minutes,
    place: s.place,
    status: s.status === 'held' && !held ? 'open' : s.status,
    booking: s.booking
      ? { childName: s.booking.studentName, className: s.booking.className, schoolName: s.booking.schoolName, topic: s.booking.topic, description: s.booking.description, bookedAt: time(s.booking.bookedAt) }
      : null,
    outcome: s.outcome ? { result: s.outcome.result, at: time(s.outcome.at) } : null,
    rating: s.rating ? { score: s.rating.score, comment: s.rating.comment } : null,
    hasNotes: false
  }
}

function bookingView(s: SlotDoc, b: Booking, cancelled: CancelledBooking | null, now: number): BookingView {
  const start = time(s.start)
  const over = start + s.minutes * MINUTE_MS <= now
  return {
    slotId: s._id,
    counsellorName: s.counsellorName,
    mode: s.mode,
    start,
    minutes: s.minutes,
    place: s.place,
    studentId: b.studentId,
    childName: b.studentName,
    topic: b.topic,
    description: b.description,
    status: cancelled ? 'cancelled' : over ? 'done' : 'booked',
    cancelled: cancelled ? { by: cancelled.by, reason: cancelled.reason, at: time(cancelled.at) } : null,
    changeableUntil: start - COUNSEL_LIMITS.cutoffHours * HOUR_MS,
    rating: !cancelled && s.rating ? { score: s.rating.score, comment: s.rating.comment } : null,
    canRate: !cancelled && over && !s.rating
  }
}

/** The caller's booking on a slot: the active one, else the latest cancelled one. */
function myBookingOn(s: SlotDoc, openid: string, now: number): BookingView | null {
  if (s.booking?.guardianOpenid === openid) return bookingView(s, s.booking, null, now)
  const past = [...(s.cancelledBookings ?? [])].reverse().find((c) => c.guardianOpenid === openid)
  return past ? bookingView(s, past, past, now) : null
}

/** Someone else's booking on the slot: refused as such (not "not found"). */
function refuseOthers(s: SlotDoc | null, openid: string): void {
  if (s?.booking && s.booking.guardianOpenid !== openid) throw new AppError('PERMISSION_DENIED')
}

const loadSlot = (ctx: ActionContext, slotId: string) => one<SlotDoc>(ctx.db.collection(SLOTS).where(trustedOnly({ _id: slotId })).limit(1))

const updated = (res: unknown) => (res as { stats: { updated: number } }).stats.updated === 1

// ------------------------------------------------------------------ the daily reminder job

/** The evening before: one subscribe message per session tomorrow, to the guardian who booked it (once). */
async function remindTomorrow(ctx: Omit<ActionContext, 'openid'>): Promise<{ sessions: number; sent: number }> {
  const tomorrow = dayStart(dayKey(ctx.now.getTime() + DAY_MS))
  const slots = await fetchList<SlotDoc>(
    ctx.db
      .collection(SLOTS)
      .where(trustedOnly({ status: 'booked', start: _.and(_.gte(new Date(tomorrow)), _.lt(new Date(tomorrow + DAY_MS))) }))
      .limit(1000)
  )
  const f = SUBSCRIBE_TOPICS.counselReminder.fields
  let sent = 0
  for (const s of slots) {
    if (!s.booking) continue
    const res = await sendReminder(
      ctx,
      {
        key: `${s._id}_${time(s.start)}_${s.booking.guardianOpenid}`,
        openid: s.booking.guardianOpenid,
        topic: 'counselReminder',
        page: 'packages/guardian/pages/bookings/index',
        data: { [f.topic]: thingValue(`${s.booking.topic}（${s.booking.studentName}）`), [f.time]: formatDateTime(time(s.start)), [f.mode]: thingValue(s.mode), [f.place]: thingValue(s.place || '老师会与您联系') }
      },
      ctx.now
    )
    if (res === 'sent') sent++
  }
  return { sessions: slots.length, sent }
}

// ------------------------------------------------------------------ the actions

export const main = createFunction(
  'counselling',
  {
    // ---------------------------------------------------------------- the counsellor
    async publishSlots({ mode, minutes, place, starts }, ctx) {
      const [memberships, user] = await Promise.all([activeMemberships(ctx), findUser(ctx)])
      const me = requireCounsellor(memberships)
      const now = ctx.now.getTime()
      const times = [...new Set(starts)].map((s) => ({ local: s, at: slotStart(s) }))
      for (const t of times) {
        if (t.at === null) throw new AppError('INVALID_INPUT', `开始时间 ${t.local} 不是有效的时间`)
        const refusal = slotRefusal(t.at, now)
        if (refusal) throw new AppError('INVALID_INPUT', `${t.local.replace('T', ' ')}：${refusal}`)
      }
      const wanted = times.map((t) => t.at as number).sort((a, b) => a - b)
      for (let i = 1; i < wanted.length; i++) {
        if (overlaps(wanted[i - 1], minutes, wanted[i], minutes)) throw new AppError('INVALID_INPUT', `${formatDateTime(wanted[i])} 与前一个时段重叠`)
      }
      // my slots around them: none may overlap (the same start again is the same slot: publishing twice changes nothing)
      const mine = await fetchList<SlotDoc>(
        ctx.db
          .collection(SLOTS)
          .where(trustedOnly({ counsellorOpenid: ctx.openid, start: _.and(_.gte(new Date(wanted[0] - 3 * HOUR_MS)), _.lte(new Date(wanted[wanted.length - 1] + 3 * HOUR_MS))) }))
          .limit(1000)
      )
      const fresh: SlotDoc[] = []
      for (const at of wanted) {
        const id = slotIdFor(ctx.openid, at)
        const clash = mine.find((s) => s._id !== id && s.status !== 'cancelled' && overlaps(time(s.start), s.minutes, at, minutes))
        if (clash) throw new AppError('INVALID_INPUT', `${formatDateTime(at)} 与您已发布的 ${formatDateTime(time(clash.start))} 时段重叠`)
        if (mine.some((s) => s._id === id && s.status !== 'cancelled')) continue
        fresh.push({
          _id: id,
          countyId: me.countyId,
          schoolId: me.schoolId ?? null,
          schoolName: me.schoolName ?? '',
          counsellorOpenid: ctx.openid,
          counsellorName: me.name || user?.displayName || '家庭教育指导师',
          mode,
          start: new Date(at),
          minutes,
          place,
          ...freshSlotState(),
          createdAt: ctx.now,
          updatedAt: ctx.now
        })
      }
      for (const s of fresh) {
        const { _id, ...data } = s
        // (a cancelled slot at the same time is opened again; a concurrent publish of the same one is the same write)
        await ctx.db.collection(SLOTS).doc(_id).set({ data })
      }
      return { created: fresh.length, slots: fresh.map((s) => counsellorView(s, now)) }
    },

    async mySlots(_input, ctx) {
      const memberships = await activeMemberships(ctx)
      requireCounsellor(memberships)
      const now = ctx.now.getTime()
      const [slots, notes] = await Promise.all([
        fetchList<SlotDoc>(ctx.db.collection(SLOTS).where(trustedOnly({ counsellorOpenid: ctx.openid, start: _.gte(new Date(now - 7 * DAY_MS)) })).orderBy('start', 'asc').limit(500)),
        fetchList<{ _id: string }>(ctx.db.collection(NOTES).where(trustedOnly({ counsellorOpenid: ctx.openid, start: _.gte(new Date(now - 7 * DAY_MS)) })).field({ _id: true }).limit(500))
      ])
      const withNotes = new Set(notes.map((n) => n._id))
      return { slots: slots.map((s) => ({ ...counsellorView(s, now), hasNotes: withNotes.has(s._id) })) }
    },

    async cancelSlot({ slotId, reason }, ctx) {
      requireCounsellor(await activeMemberships(ctx))
      const s = await loadSlot(ctx, slotId)
      if (!s || s.counsellorOpenid !== ctx.openid) throw new AppError('NOT_FOUND', '找不到这个咨询时段')
      if (s.status === 'cancelled') return { slot: counsellorView(s, ctx.now.getTime()) }
      if (time(s.start) <= ctx.now.getTime()) throw new AppError('INVALID_STATE', '已开始或已结束的时段不能取消')
      const cancelled = s.booking ? [{ ...s.booking, by: 'counsellor' as const, reason, at: ctx.now }] : []
      const res = await ctx.db
        .collection(SLOTS)
        .where({ _id: slotId, counsellorOpenid: ctx.openid, updatedAt: s.updatedAt instanceof Date ? s.updatedAt : new Date(s.updatedAt) })
        .update({ data: { status: 'cancelled', cancelReason: reason, booking: null, heldBy: null, heldUntil: null, updatedAt: ctx.now, ...(cancelled.length ? { cancelledBookings: _.push(cancelled) } : {}) } })
      if (!updated(res)) throw new AppError('CONFLICT', '这个时段刚刚有人预约或变更，请刷新后再取消')
      return { slot: counsellorView({ ...s, status: 'cancelled', booking: null, cancelReason: reason }, ctx.now.getTime()) }
    },

    async recordOutcome({ slotId, result, notes }, ctx) {
      requireCounsellor(await activeMemberships(ctx))
      const s = await loadSlot(ctx, slotId)
      if (!s || s.counsellorOpenid !== ctx.openid) throw new AppError('NOT_FOUND', '找不到这个咨询时段')
      if (s.status !== 'booked' || !s.booking) throw new AppError('INVALID_STATE', '这个时段没有预约，不能记录咨询结果')
      if (time(s.start) > ctx.now.getTime()) throw new AppError('INVALID_STATE', '咨询开始后才能记录结果')
      const outcome = { result, at: s.outcome?.at ?? ctx.now }
      await Promise.all([
        ctx.db.collection(SLOTS).doc(slotId).update({ data: { outcome, updatedAt: ctx.now } }),
        // the notes: the counsellor's only (their own collection, keyed by the slot, read by caseNotes for them alone)
        ctx.db.collection(NOTES).doc(slotId).set({ data: { counsellorOpenid: ctx.openid, start: s.start, notes, updatedAt: ctx.now } })
      ])
      return { slot: { ...counsellorView({ ...s, outcome }, ctx.now.getTime()), hasNotes: true } }
    },

    async caseNotes({ slotId }, ctx) {
      requireCounsellor(await activeMemberships(ctx))
      const doc = await one<{ counsellorOpenid: string; notes: string; updatedAt: Date | string }>(ctx.db.collection(NOTES).where(trustedOnly({ _id: slotId })).limit(1))
      if (doc && doc.counsellorOpenid !== ctx.openid) throw new AppError('PERMISSION_DENIED', '个案记录仅记录的指导师本人可以查看')
      if (!doc) {
        const s = await loadSlot(ctx, slotId)
        if (!s || s.counsellorOpenid !== ctx.openid) throw new AppError('PERMISSION_DENIED', '个案记录仅记录的指导师本人可以查看')
      }
      return { slotId, notes: doc?.notes ?? '', updatedAt: doc ? time(doc.updatedAt) : null }
    },

    // ---------------------------------------------------------------- the guardian
    async openSlots({ studentId, page }, ctx) {
      const { membership } = await guardianFor(ctx, studentId)
      const now = ctx.now.getTime()
      const rows = await fetchList<SlotDoc>(
        ctx.db
          .collection(SLOTS)
          .where(
            _.and([
              trustedOnly({ ...bookableBy(membership), start: _.gt(new Date(now + COUNSEL_LIMITS.leadMinutes * MINUTE_MS)) }),
              _.or([{ status: 'open' }, { status: 'held', heldUntil: _.lt(ctx.now) }, { status: 'held', heldBy: ctx.openid }])
            ])
          )
          .orderBy('start', 'asc')
          .skip((page - 1) * COUNSEL_LIMITS.page)
          .limit(COUNSEL_LIMITS.page + 1)
      )
      const slots: OpenSlotView[] = rows.slice(0, COUNSEL_LIMITS.page).map((s) => ({
        slotId: s._id,
        counsellorName: s.counsellorName,
        scope: s.schoolId ? 'school' : 'county',
        mode: s.mode,
        start: time(s.start),
        minutes: s.minutes,
        place: s.place,
        heldUntil: s.status === 'held' && s.heldBy === ctx.openid && (ms(s.heldUntil) ?? 0) > now ? ms(s.heldUntil) : null
      }))
      return { slots, hasMore: rows.length > COUNSEL_LIMITS.page }
    },

    async holdSlot({ slotId, studentId }, ctx) {
      const { membership } = await guardianFor(ctx, studentId)
      const heldUntil = new Date(ctx.now.getTime() + COUNSEL_LIMITS.holdMinutes * MINUTE_MS)
      const res = await ctx.db
        .collection(SLOTS)
        .where(
          _.and([
            trustedOnly({ _id: slotId, ...bookableBy(membership), start: _.gt(ctx.now) }),
            _.or([{ status: 'open' }, { status: 'held', heldUntil: _.lt(ctx.now) }, { status: 'held', heldBy: ctx.openid }])
          ])
        )
        .update({ data: { status: 'held', heldBy: ctx.openid, heldUntil, updatedAt: ctx.now } })
      if (!updated(res)) throw new AppError('CONFLICT', '这个时段刚被别人预约了，请选择其他时段')
      // one slot held at a time: my other holds are let go
      await ctx.db.collection(SLOTS).where({ heldBy: ctx.openid, status: 'held', _id: _.neq(slotId) }).update({ data: { status: 'open', heldBy: null, heldUntil: null, updatedAt: ctx.now } })
      return { slotId, heldUntil: heldUntil.getTime() }
    },

    async releaseHold({ slotId }, ctx) {
      requireGuardianConsent(await findUser(ctx))
      await ctx.db.collection(SLOTS).where({ _id: slotId, heldBy: ctx.openid, status: 'held' }).update({ data: { status: 'open', heldBy: null, heldUntil: null, updatedAt: ctx.now } })
      return { slotId }
    },

    async confirmBooking({ slotId, studentId, topic, description }, ctx) {
      // (the slot is read beside the guardian's checks, for the answer: four requests in all, the write included)
      const [{ membership, student }, before] = await Promise.all([guardianFor(ctx, studentId), loadSlot(ctx, slotId)])
      const booking: Booking = {
        guardianOpenid: ctx.openid,
        studentId,
        studentName: student.name,
        className: student.className,
        schoolId: student.schoolId,
        schoolName: student.schoolName,
        topic,
        description,
        bookedAt: ctx.now
      }
      // the one write that decides: mine if I hold it, or if it is open (or its hold ran out) — never someone else's
      const res = await ctx.db
        .collection(SLOTS)
        .where(
          _.and([
            trustedOnly({ _id: slotId, ...bookableBy(membership), start: _.gt(ctx.now) }),
            _.or([{ status: 'held', heldBy: ctx.openid }, { status: 'open' }, { status: 'held', heldUntil: _.lt(ctx.now) }])
          ])
        )
        .update({ data: { status: 'booked', booking, heldBy: null, heldUntil: null, updatedAt: ctx.now } })
      if (!updated(res)) {
        // a retry of a booking that went through answers the same; anything else was taken by someone else
        const s = await loadSlot(ctx, slotId)
        if (s?.status === 'booked' && s.booking?.guardianOpenid === ctx.openid && s.booking.studentId === studentId) return { booking: bookingView(s, s.booking, null, ctx.now.getTime()) }
        if (!s || s.status === 'cancelled') throw new AppError('NOT_FOUND', '这个时段已取消，请选择其他时段')
        throw new AppError('CONFLICT', '这个时段刚被别人预约了，请选择其他时段')
      }
      return { booking: bookingView(before as SlotDoc, booking, null, ctx.now.getTime()) }
    },

    async myBookings(_input, ctx) {
      const user = await findUser(ctx)
      requireGuardianConsent(user)
      const since = new Date(ctx.now.getTime() - 180 * DAY_MS)
      const rows = await fetchList<SlotDoc>(
        ctx.db
          .collection(SLOTS)
          .where(_.and([trustedOnly({ start: _.gte(since) }), _.or([{ 'booking.guardianOpenid': ctx.openid }, { 'cancelledBookings.guardianOpenid': ctx.openid }])]))
          .orderBy('start', 'desc')
          .limit(200)
      )
      const now = ctx.now.getTime()
      const bookings = rows.map((s) => myBookingOn(s, ctx.openid, now)).filter((b): b is BookingView => b !== null)
      // upcoming (soonest first), then the rest (latest first)
      const upcoming = bookings.filter((b) => b.status === 'booked').sort((a, b) => a.start - b.start)
      return { bookings: [...upcoming, ...bookings.filter((b) => b.status !== 'booked')] }
    },

    async cancelBooking({ slotId }, ctx) {
      requireGuardianConsent(await findUser(ctx))
      const s = await loadSlot(ctx, slotId)
      refuseOthers(s, ctx.openid)
      if (!s || s.booking?.guardianOpenid !== ctx.openid) {
        const mine = s ? myBookingOn(s, ctx.openid, ctx.now.getTime()) : null
        if (mine?.status === 'cancelled') return { booking: mine }
        throw new AppError('NOT_FOUND', '找不到您的这个预约')
      }
      if (!beforeCutoff(time(s.start), ctx.now.getTime())) throw new AppError('INVALID_STATE', `咨询开始前 ${COUNSEL_LIMITS.cutoffHours} 小时内不能取消，请直接联系指导师`)
      const cancelled: CancelledBooking = { ...s.booking, by: 'guardian', reason: '家长取消', at: ctx.now }
      const res = await ctx.db
        .collection(SLOTS)
        .where({ _id: slotId, status: 'booked', 'booking.guardianOpenid': ctx.openid })
        .update({ data: { status: 'open', booking: null, cancelledBookings: _.push([cancelled]), updatedAt: ctx.now } })
      if (!updated(res)) throw new AppError('CONFLICT')
      return { booking: bookingView(s, cancelled, cancelled, ctx.now.getTime()) }
    },

    async rescheduleBooking({ slotId, toSlotId }, ctx) {
      if (slotId === toSlotId) throw new AppError('INVALID_INPUT', '请选择另一个时段')
      requireGuardianConsent(await findUser(ctx))
      const s = await loadSlot(ctx, slotId)
      refuseOthers(s, ctx.openid)
      if (!s || s.status !== 'booked' || s.booking?.guardianOpenid !== ctx.openid) throw new AppError('NOT_FOUND', '找不到您的这个预约')
      if (!beforeCutoff(time(s.start), ctx.now.getTime())) throw new AppError('INVALID_STATE', `咨询开始前 ${COUNSEL_LIMITS.cutoffHours} 小时内不能改约，请直接联系指导师`)
      const { membership } = await guardianFor(ctx, s.booking.studentId)
      // the new slot first (the same single write as a booking), then the old one is let go
      const moved: Booking = { ...s.booking, bookedAt: ctx.now }
      const took = await ctx.db
        .collection(SLOTS)
        .where(
          _.and([
            trustedOnly({ _id: toSlotId, ...bookableBy(membership), start: _.gt(ctx.now) }),
            _.or([{ status: 'held', heldBy: ctx.openid }, { status: 'open' }, { status: 'held', heldUntil: _.lt(ctx.now) }])
          ])
        )
        .update({ data: { status: 'booked', booking: moved, heldBy: null, heldUntil: null, updatedAt: ctx.now } })
      if (!updated(took)) throw new AppError('CONFLICT', '这个时段刚被别人预约了，请选择其他时段')
      const released = await ctx.db
        .collection(SLOTS)
        .where({ _id: slotId, status: 'booked', 'booking.guardianOpenid': ctx.openid })
        .update({ data: { status: 'open', booking: null, cancelledBookings: _.push([{ ...s.booking, by: 'guardian', reason: '家长改约到其他时段', at: ctx.now }]), updatedAt: ctx.now } })
      if (!updated(released)) {
        // the old booking changed meanwhile: give the new slot back rather than hold two
        await ctx.db.collection(SLOTS).where({ _id: toSlotId, 'booking.guardianOpenid': ctx.openid }).update({ data: { status: 'open', booking: null, updatedAt: ctx.now } })
        throw new AppError('CONFLICT')
      }
      const to = (await loadSlot(ctx, toSlotId)) as SlotDoc
      return { booking: bookingView(to, moved, null, ctx.now.getTime()) }
    },

    async rateSession({ slotId, score, comment }, ctx) {
      requireGuardianConsent(await findUser(ctx))
      const s = await loadSlot(ctx, slotId)
      refuseOthers(s, ctx.openid)
      if (!s || s.status !== 'booked' || s.booking?.guardianOpenid !== ctx.openid) throw new AppError('NOT_FOUND', '找不到您的这个预约')
      if (time(s.start) + s.minutes * MINUTE_MS > ctx.now.getTime()) throw new AppError('INVALID_STATE', '咨询结束后才能评价')
      const rating = { score, comment, at: ctx.now }
      const res = await ctx.db.collection(SLOTS).where({ _id: slotId, 'booking.guardianOpenid': ctx.openid, rating: null }).update({ data: { rating, updatedAt: ctx.now } })
      if (!updated(res)) throw new AppError('INVALID_STATE', '您已经评价过这次咨询')
      return { booking: bookingView({ ...s, rating }, s.booking, null, ctx.now.getTime()) }
    },

    async todos(_input, ctx) {
      const memberships = await activeMemberships(ctx)
      const isCounsellor = memberships.some((m) => m.role === 'counsellor')
      const isGuardian = memberships.some((m) => m.role === 'guardian')
      if (!isCounsellor && !isGuardian) throw new AppError('PERMISSION_DENIED')
      const now = ctx.now.getTime()
      const items: CounselTodo[] = []
      const soon = new Date(dayStart(dayKey(now + DAY_MS)) + DAY_MS)
      if (isGuardian) {
        const mine = await fetchList<SlotDoc>(ctx.db.collection(SLOTS).where(trustedOnly({ 'booking.guardianOpenid': ctx.openid, status: 'booked', start: _.and(_.gt(ctx.now), _.lt(soon)) })).limit(50))
        for (const s of mine) {
          const start = time(s.start)
          items.push({
            id: `counsel_${s._id}`,
            title: `${dayKey(start) === dayKey(now) ? '今天' : '明天'} ${formatDateTime(start).slice(11)} 家庭教育咨询（${s.mode}）`,
            detail: `${s.booking?.studentName ?? ''} · ${s.counsellorName}${s.place ? ` · ${s.place}` : ''}`,
            dueAt: start,
            overdue: false,
            url: '/packages/guardian/pages/bookings/index'
          })
        }
      }
      if (isCounsellor) {
        const mine = await fetchList<SlotDoc>(
          ctx.db.collection(SLOTS).where(trustedOnly({ counsellorOpenid: ctx.openid, status: 'booked', start: _.and(_.gte(new Date(now - 30 * DAY_MS)), _.lt(soon)) })).limit(200)
        )
        for (const s of mine) {
          const start = time(s.start)
          const ended = start + s.minutes * MINUTE_MS <= now
          if (ended && s.outcome) continue
          items.push({
            id: `counsel_${s._id}`,
            title: ended ? `请记录咨询结果：${s.booking?.studentName ?? ''}` : `${dayKey(start) === dayKey(now) ? '今天' : '明天'} ${formatDateTime(start).slice(11)} 咨询：${s.booking?.studentName ?? ''}`,
            detail: `${s.booking?.topic ?? ''} · ${s.mode}`,
            dueAt: ended ? start + s.minutes * MINUTE_MS : start,
            overdue: ended,
            url: `/packages/counsellor/pages/session/index?slotId=${s._id}`
          })
        }
      }
      items.sort((a, b) => a.dueAt - b.dueAt)
      return { items }
    }
  },
  { timer: (_event, ctx) => remindTomorrow(ctx) }
)

