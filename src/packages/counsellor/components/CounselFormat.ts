/** 个案咨询 on the counsellor's pages: session times (src/shared/counselling) and slot statuses. */
export { clock, dayLabel, momentText, slotWhen } from '@/shared/counselling'

export const STATUS_LABELS = { open: '可预约', held: '保留中', booked: '已预约', cancelled: '已取消' } as const
