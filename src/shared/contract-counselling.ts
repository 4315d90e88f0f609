/**
 * The `counselling` function's part of the contract: 个案咨询 (000 三(一)3) — counsellors publish slots, a guardian
 * books one for a bound child (held while they confirm, never double-booked), cancels or moves it up to the
 * cut-off and rates it; the counsellor records the outcome and confidential case notes that only they can read.
 * The rules are in ./counselling.
 */
import { z } from 'zod'
import { action } from './action'
import { recordId } from './fields'
import { COUNSEL_LIMITS, COUNSEL_MODES, COUNSEL_OUTCOMES, COUNSEL_TOPICS, type CounselMode, type CounselOutcome, type CounselTopic } from './counselling'

const empty = z.object({}).default({})
const slotRef = z.object({ slotId: recordId })
const localTime = z
  .string({ required_error: '请选择开始时间', invalid_type_error: '请选择开始时间' })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, '开始时间格式应为 YYYY-MM-DDTHH:mm')

const publishSlotsInput = z
  .object({
    mode: z.enum(COUNSEL_MODES, { errorMap: () => ({ message: '请选择咨询方式（面谈、电话或视频）' }) }),
    minutes: z
      .number({ required_error: '请填写每次咨询的时长', invalid_type_error: '时长应为分钟数' })
      .int('时长应为整数分钟')
      .min(COUNSEL_LIMITS.minutesMin, `每次咨询至少 ${COUNSEL_LIMITS.minutesMin} 分钟`)
      .max(COUNSEL_LIMITS.minutesMax, `每次咨询不能超过 ${COUNSEL_LIMITS.minutesMax} 分钟`),
    place: z.string({ invalid_type_error: '地点应为文字' }).trim().max(COUNSEL_LIMITS.place, `地点不能超过 ${COUNSEL_LIMITS.place} 个字`).default(''),
    starts: z
      .array(localTime, { required_error: '请至少选择一个时段', invalid_type_error: '时段格式不正确' })
      .min(1, '请至少选择一个时段')
      .max(COUNSEL_LIMITS.batch, `一次最多发布 ${COUNSEL_LIMITS.batch} 个时段`)
  })
  .refine((v) => v.mode !== '面谈' || v.place.length >= 2, { message: '面谈请填写地点', path: ['place'] })
const childSlot = z.object({ slotId: recordId, studentId: recordId })
const confirmInput = z.object({
  slotId: recordId,
  studentId: recordId,
  topic: z.enum(COUNSEL_TOPICS, { errorMap: () => ({ message: '请选择咨询主题' }) }),
  description: z
    .string({ required_error: '请简要描述想咨询的问题', invalid_type_error: '请简要描述想咨询的问题' })
    .trim()
    .min(COUNSEL_LIMITS.descriptionMin, `请至少写 ${COUNSEL_LIMITS.descriptionMin} 个字，方便老师提前准备`)
    .max(COUNSEL_LIMITS.description, `描述不能超过 ${COUNSEL_LIMITS.description} 个字`)
})
const rescheduleInput = z.object({ slotId: recordId, toSlotId: recordId })
const cancelSlotInput = z.object({
  slotId: recordId,
  reason: z.string({ required_error: '请填写取消原因' }).trim().min(2, '请填写取消原因').max(100, '原因不能超过 100 个字')
})
const outcomeInput = z.object({
  slotId: recordId,
  result: z.enum(COUNSEL_OUTCOMES, { errorMap: () => ({ message: '请选择咨询结果（已解决、需跟进或已转介）' }) }),
  notes: z.string({ invalid_type_error: '个案记录应为文字' }).trim().max(COUNSEL_LIMITS.notes, `个案记录不能超过 ${COUNSEL_LIMITS.notes} 个字`).default('')
})
const rateInput = z.object({
  slotId: recordId,
  score: z.number({ required_error: '请选择评分', invalid_type_error: '请选择评分' }).int('请选择 1–5 分').min(1, '请选择 1–5 分').max(5, '请选择 1–5 分'),
  comment: z.string({ invalid_type_error: '评价应为文字' }).trim().max(COUNSEL_LIMITS.comment, `评价不能超过 ${COUNSEL_LIMITS.comment} 个字`).default('')
})
const openSlotsInput = z.object({
  studentId: recordId,
  page: z.number({ invalid_type_error: '页码格式不正确' }).int('页码格式不正确').min(1, '页码格式不正确').max(100, '页码格式不正确').default(1)
})

/** A slot a guardian may book for their child. */
export interface OpenSlotView {
  slotId: string
  counsellorName: string
  /** a counsellor of the child's school, or of the county (公益讲师团) */
  scope: 'school' | 'county'
  mode: CounselMode
  start: number
  minutes: number
  place: string
  /** held for me right now (until heldUntil) */
  heldUntil: number | null
}

export type BookingStatus = 'booked' | 'cancelled' | 'done'

/** A booking as its guardian sees it (no case notes, ever). */
export interface BookingView {
  slotId: string
  counsellorName: string
  mode: CounselMode
  start: number
  minutes: number
  place: string
  studentId: string
  childName: string
  topic: CounselTopic
  description: string
  status: BookingStatus
  /** who cancelled and why, when cancelled */
  cancelled: { by: 'guardian' | 'counsellor'; reason: string; at: number } | null
  /** cancelling or moving is possible until then */
  changeableUntil: number
  rating: { score: number; comment: string } | null
  /** the session is over and not yet rated */
  canRate: boolean
}

/** A slot as its counsellor sees it. */
export interface CounsellorSlotView {
  slotId: string
  mode: CounselMode
  start: number
  minutes: number
  place: string
  status: 'open' | 'held' | 'booked' | 'cancelled'
  booking: { childName: string; className: string; schoolName: string; topic: CounselTopic; description: string; bookedAt: number } | null
  outcome: { result: CounselOutcome; at: number } | null
  rating: { score: number; comment: string } | null
  hasNotes: boolean
}

export interface CounselTodo {
  id: string
  title: string
  detail: string
  dueAt: number
  overdue: boolean
  url: string
}

export const counsellingActions = {
  // ---- the counsellor
  /** Counsellor: publish slots (idempotent per start time; never overlapping one's own). */
  publishSlots: action<typeof publishSlotsInput, { created: number; slots: CounsellorSlotView[] }>(publishSlotsInput),
  /** Counsellor: my slots from a week ago on, with the bookings. */
  mySlots: action<typeof empty, { slots: CounsellorSlotView[] }>(empty),
  /** Counsellor: cancel a slot (a booking on it is cancelled with the reason; the guardian sees it). */
  cancelSlot: action<typeof cancelSlotInput, { slot: CounsellorSlotView }>(cancelSlotInput),
  /** Counsellor, after the session: the outcome, and confidential case notes only they can read. */
  recordOutcome: action<typeof outcomeInput, { slot: CounsellorSlotView }>(outcomeInput),
  /** Counsellor: my case notes of a session (nobody else, not the school admin, not the bureau). */
  caseNotes: action<typeof slotRef, { slotId: string; notes: string; updatedAt: number | null }>(slotRef),

  // ---- the guardian
  /** Guardian: slots to book for my child (the child's school and the county), soonest first, 20 per page. */
  openSlots: action<typeof openSlotsInput, { slots: OpenSlotView[]; hasMore: boolean }>(openSlotsInput),
  /** Guardian: hold a slot for my child while I confirm (10 minutes). */
  holdSlot: action<typeof childSlot, { slotId: string; heldUntil: number }>(childSlot),
  /** Guardian: let a held slot go. */
  releaseHold: action<typeof slotRef, { slotId: string }>(slotRef),
  /** Guardian: book a slot I hold (or an open one) for my child, with a topic and a short description. */
  confirmBooking: action<typeof confirmInput, { booking: BookingView }>(confirmInput),
  /** Guardian: my bookings, upcoming first. */
  myBookings: action<typeof empty, { bookings: BookingView[] }>(empty),
  /** Guardian, up to the cut-off: cancel my booking. */
  cancelBooking: action<typeof slotRef, { booking: BookingView }>(slotRef),
  /** Guardian, up to the cut-off: move my booking to another open slot. */
  rescheduleBooking: action<typeof rescheduleInput, { booking: BookingView }>(rescheduleInput),
  /** Guardian, after the session: rate it once (1–5, a short comment). */
  rateSession: action<typeof rateInput, { booking: BookingView }>(rateInput),

  /** Guardian or counsellor: sessions tomorrow or today, and sessions waiting for an outcome. */
  todos: action<typeof empty, { items: CounselTodo[] }>(empty)
} as const
