/** 个案咨询 on the counsellor's pages: how a session's time and a server refusal read (Shanghai time). */
import { inShanghai } from '@/shared/calendar'
import { MINUTE_MS } from '@/shared/counselling'

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

export const STATUS_LABELS = { open: '可预约', held: '保留中', booked: '已预约', cancelled: '已取消' } as const
