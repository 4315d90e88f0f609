/** 个案咨询 on the guardian's pages: how a session's time and a server refusal read (Shanghai time). */
import { inShanghai } from '@/shared/calendar'
import { MINUTE_MS } from '@/shared/counselling'
import { AppError } from '@/shared/errors'

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六']

/** "11月25日 周三 15:30–16:10" */
export function slotWhen(start: number, minutes: number): string {
  const d = inShanghai(start)
  const end = inShanghai(start + minutes * MINUTE_MS)
  return `${d.month() + 1}月${d.date()}日 ${WEEKDAYS[d.day()]} ${d.format('HH:mm')}–${end.format('HH:mm')}`
}

/** "11月24日 周二 15:30" */
export function momentText(t: number): string {
  const d = inShanghai(t)
  return `${d.month() + 1}月${d.date()}日 ${WEEKDAYS[d.day()]} ${d.format('HH:mm')}`
}

/** "11月25日 周三" */
export function dayLabel(t: number): string {
  const d = inShanghai(t)
  return `${d.month() + 1}月${d.date()}日 ${WEEKDAYS[d.day()]}`
}

/** "15:30" */
export const clock = (t: number) => inShanghai(t).format('HH:mm')

export const TAKEN_TEXT = '这个时段刚被别人预约了，请选择其他时段'
export const EXPIRED_TEXT = '为您保留的 10 分钟已过，这个时段可能会被别人预约。请点「重新保留」后再确认'

/** The server says the slot is no longer free (someone else booked or holds it, or it was cancelled). */
export const isTaken = (e: unknown) => e instanceof AppError && (e.code === 'CONFLICT' || e.code === 'INVALID_STATE')
/** The slot no longer exists to book (its counsellor cancelled it). */
export const isGone = (e: unknown) => e instanceof AppError && e.code === 'NOT_FOUND'
/** The server says my hold ran out. */
export const isExpiredHold = (e: unknown) => e instanceof AppError && isTaken(e) && /过期|超时|已过|失效/.test(e.message)

export const SCOPE_LABELS = { school: '本校', county: '县讲师团' } as const
