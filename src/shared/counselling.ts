/**
 * 个案咨询 (000 三(一)3): the counselling rules shared by the mini-program and the `counselling` cloud function —
 * modes, topics, outcomes, how long a slot is held while a guardian confirms, the cut-off for cancelling and
 * rescheduling, and what a slot may be.
 */
import { inShanghai, shanghaiMidnight } from './calendar'

export const COUNSEL_MODES = ['面谈', '电话', '视频'] as const
export type CounselMode = (typeof COUNSEL_MODES)[number]

export const COUNSEL_TOPICS = ['学习', '情绪', '亲子关系', '行为', '其他'] as const
export type CounselTopic = (typeof COUNSEL_TOPICS)[number]

export const COUNSEL_OUTCOMES = ['resolved', 'followUp', 'referred'] as const
export type CounselOutcome = (typeof COUNSEL_OUTCOMES)[number]
export const OUTCOME_LABELS: Record<CounselOutcome, string> = { resolved: '已解决', followUp: '需跟进', referred: '已转介' }

export const COUNSEL_LIMITS = {
  /** a slot is held this long for the guardian who chose it, while they fill in the topic and confirm */
  holdMinutes: 10,
  /** cancelling or rescheduling is possible until this long before the session */
  cutoffHours: 24,
  /** a slot starts at least this long after it is published, at most this far ahead */
  leadMinutes: 60,
  aheadDays: 60,
  minutesMin: 20,
  minutesMax: 120,
  /** slots published at once */
  batch: 20,
  description: 200,
  descriptionMin: 5,
  place: 40,
  notes: 2000,
  comment: 200,
  /** open slots one request lists */
  page: 20
} as const

export const HOUR_MS = 3_600_000
export const MINUTE_MS = 60_000

export type SlotStatus = 'open' | 'held' | 'booked' | 'cancelled'

/** "2026-11-25T15:30" (Shanghai wall-clock time) as an instant; null when it is not a valid time. */
export function slotStart(local: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local)
  if (!m) return null
  const [y, mo, d, h, mi] = m.slice(1).map(Number)
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return null
  const t = shanghaiMidnight(y, mo, d) + h * HOUR_MS + mi * MINUTE_MS
  // Feb 30 and the like roll over: refuse them
  const check = new Date(t + 8 * HOUR_MS)
  if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) return null
  return t
}

/** Why a slot starting at `start` cannot be published at `now`, or null. */
export function slotRefusal(start: number, now: number): string | null {
  if (start < now + COUNSEL_LIMITS.leadMinutes * MINUTE_MS) return `咨询时段至少要在 ${COUNSEL_LIMITS.leadMinutes} 分钟后开始`
  if (start > now + COUNSEL_LIMITS.aheadDays * 24 * HOUR_MS) return `只能发布 ${COUNSEL_LIMITS.aheadDays} 天内的咨询时段`
  return null
}

/** Whether a booking for a session at `start` may still be cancelled or moved at `now`. */
export function beforeCutoff(start: number, now: number): boolean {
  return now <= start - COUNSEL_LIMITS.cutoffHours * HOUR_MS
}

/** Whether two sessions [a, a+am) and [b, b+bm) overlap (a counsellor cannot be in two at once). */
export function overlaps(a: number, aMinutes: number, b: number, bMinutes: number): boolean {
  return a < b + bMinutes * MINUTE_MS && b < a + aMinutes * MINUTE_MS
}

// ---- how session times read (Shanghai time), on the guardian's and the counsellor's pages alike
const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六']

/** "11月25日 周三" */
export function dayLabel(t: number): string {
  const d = inShanghai(t)
  return `${d.month() + 1}月${d.date()}日 ${WEEKDAYS[d.day()]}`
}

/** "15:30" */
export const clock = (t: number) => inShanghai(t).format('HH:mm')

/** "11月24日 周二 15:30" */
export const momentText = (t: number) => `${dayLabel(t)} ${clock(t)}`

/** "11月25日 周三 15:30–16:10" */
export const slotWhen = (start: number, minutes: number) => `${momentText(start)}–${clock(start + minutes * MINUTE_MS)}`

/** A slot's state when it is published (the function and the demo data start every slot from it). */
export function freshSlotState() {
  return { status: 'open' as const, heldBy: null, heldUntil: null, booking: null, cancelledBookings: [] as never[], cancelReason: null, outcome: null, rating: null }
}
