/** 个案咨询 on the guardian's pages: session times (src/shared/counselling) and how a server refusal reads. */
import { AppError } from '@/shared/errors'
export { clock, dayLabel, momentText, slotWhen } from '@/shared/counselling'

export const TAKEN_TEXT = '这个时段刚被别人预约了，请选择其他时段'
export const EXPIRED_TEXT = '为您保留的 10 分钟已过，这个时段可能会被别人预约。请点「重新保留」后再确认'

/** The server says the slot is no longer free (someone else booked or holds it, or it was cancelled). */
export const isTaken = (e: unknown) => e instanceof AppError && (e.code === 'CONFLICT' || e.code === 'INVALID_STATE')
/** The slot no longer exists to book (its counsellor cancelled it). */
export const isGone = (e: unknown) => e instanceof AppError && e.code === 'NOT_FOUND'
/** The server says my hold ran out. */
export const isExpiredHold = (e: unknown) => e instanceof AppError && isTaken(e) && /过期|超时|已过|失效/.test(e.message)

export const SCOPE_LABELS = { school: '本校', county: '县讲师团' } as const
