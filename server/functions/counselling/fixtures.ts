/** Counselling slots for function tests and the authorization matrix (the hand-built world: 郑老师 counsels at W.school). */
import type { LocalCloud } from '../../../localcloud'
import { P, W } from '../../fixtures'
import { dayKey } from '@/shared/calendar'

export const HOUR = 3_600_000
let seq = 0

/** A start time `hours` from now, as the publish form sends it (Shanghai wall clock, whole hour). */
export function localStart(hours: number): string {
  const t = new Date(Date.now() + hours * HOUR + 8 * HOUR)
  return `${dayKey(Date.now() + hours * HOUR)}T${String(t.getUTCHours()).padStart(2, '0')}:00`
}

/** A stored slot of 郑老师 (open, in three days, by default). */
export function seedSlot(cloud: LocalCloud, fields: Record<string, unknown> = {}): string {
  const id = (fields._id as string) ?? `cs_seed${seq++}`
  const now = new Date()
  cloud.store.insertMany('counselSlots', [
    {
      _id: id,
      countyId: W.county,
      schoolId: W.school,
      schoolName: '城关第一小学',
      counsellorOpenid: P.counsellorOfThis,
      counsellorName: '郑老师',
      mode: '面谈',
      start: new Date(Date.now() + 72 * HOUR),
      minutes: 40,
      place: '心理辅导室',
      status: 'open',
      heldBy: null,
      heldUntil: null,
      booking: null,
      cancelledBookings: [],
      cancelReason: null,
      outcome: null,
      rating: null,
      createdAt: now,
      updatedAt: now,
      ...fields
    }
  ])
  return id
}

/** The booking of W.child by its guardian (to put on a seeded slot). */
export function bookingOfChild(extra: Record<string, unknown> = {}) {
  return {
    guardianOpenid: P.guardianOfThis,
    studentId: W.child,
    studentName: '王小明',
    className: '一年级（1）班',
    schoolId: W.school,
    schoolName: '城关第一小学',
    topic: '情绪',
    description: '孩子最近不愿意上学',
    bookedAt: new Date(Date.now() - 48 * HOUR),
    ...extra
  }
}
