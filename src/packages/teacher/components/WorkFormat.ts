/**
 * Words of the teacher's 家访 pages ("my work" and the special registry), pure and unit-tested: the filters of my
 * work, the urgency badge, the dates of the last contact and visit.
 */
import { dayKey } from '@/shared/calendar'
import type { MyWork, WorkItem } from '@/shared/contract-visits'
import { dueText, URGENCY_LABELS, type WorkUrgency } from '@/shared/visits'

export type WorkFilter = 'all' | 'notContacted' | 'noHomeVisit' | 'overdue'

/** The four counts at the top of my work, each a filter of the list (in this order). */
export const WORK_FILTERS: Array<{ key: WorkFilter; label: string; count: keyof MyWork['counts'] }> = [
  { key: 'all', label: '分配给我', count: 'assigned' },
  { key: 'notContacted', label: '本学期未联系', count: 'notContacted' },
  { key: 'noHomeVisit', label: '三年内未入户', count: 'noHomeVisit' },
  { key: 'overdue', label: '随访逾期', count: 'overdue' }
]

export function matchesFilter(item: WorkItem, filter: WorkFilter): boolean {
  switch (filter) {
    case 'notContacted':
      return !item.contactedThisSemester
    case 'noHomeVisit':
      return !item.homeVisitInWindow
    case 'overdue':
      return item.urgency === 'overdue'
    default:
      return true
  }
}

/** The students shown for a filter, in the server's order (most urgent first). */
export function filterWork(items: readonly WorkItem[], filter: WorkFilter): WorkItem[] {
  return items.filter((i) => matchesFilter(i, filter))
}

export type BadgeTone = 'red' | 'orange' | 'amber' | 'blue' | 'green'

const URGENCY_TONES: Record<WorkUrgency, BadgeTone> = {
  overdue: 'red',
  dueSoon: 'orange',
  notContacted: 'amber',
  noHomeVisit: 'blue',
  done: 'green'
}

/** The badge of a student: "随访逾期 · 已逾期 3 天" (red), "随访将到期 · 2 天后到期", "本学期未联系", … */
export function urgencyBadge(item: Pick<WorkItem, 'urgency' | 'dueAt'>, now: number): { tone: BadgeTone; text: string } {
  const label = URGENCY_LABELS[item.urgency]
  const withDue = (item.urgency === 'overdue' || item.urgency === 'dueSoon') && item.dueAt !== null
  return { tone: URGENCY_TONES[item.urgency], text: withDue ? `${label} · ${dueText(item.dueAt as number, now)}` : label }
}

/** A day as YYYY-MM-DD (Shanghai), or the words for none. */
export function dayText(at: number | null | undefined, none = '暂无'): string {
  return at === null || at === undefined ? none : dayKey(at)
}

/** ["最近联系 2026-11-05", "最近入户家访 2025-10-02"] (or 暂无记录 for each). */
export function contactParts(item: Pick<WorkItem, 'lastContactAt' | 'lastHomeVisitAt'>): [string, string] {
  return [`最近联系 ${dayText(item.lastContactAt, '暂无记录')}`, `最近入户家访 ${dayText(item.lastHomeVisitAt, '暂无记录')}`]
}

/** The empty note of a filter that leaves nobody. */
export function emptyFilterText(filter: WorkFilter): string {
  switch (filter) {
    case 'notContacted':
      return '本学期分配给您的学生都已联系过'
    case 'noHomeVisit':
      return '分配给您的学生三年内都已入户家访'
    case 'overdue':
      return '没有逾期的随访'
    default:
      return '没有学生'
  }
}
