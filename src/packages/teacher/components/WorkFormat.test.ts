import type { RegistryView, WorkItem } from '@/shared/contract-visits'
import { shanghaiMidnight } from '@/shared/calendar'
import { DAY_MS } from '@/shared/visits'
import { intervalText, mergeRegistries } from './RegistryFormat'
import { contactParts, dayText, filterWork, urgencyBadge } from './WorkFormat'

const NOW = shanghaiMidnight(2026, 11, 20) + 10 * 3600_000
const item = (studentId: string, over: Partial<WorkItem> = {}): WorkItem => ({
  studentId,
  name: studentId,
  classId: 'k1',
  className: '一年级（1）班',
  urgency: 'done',
  lastContactAt: null,
  lastHomeVisitAt: null,
  contactedThisSemester: true,
  homeVisitInWindow: true,
  dueAt: null,
  special: false,
  ...over
})

describe('my work', () => {
  const items = [
    item('a', { urgency: 'overdue', dueAt: shanghaiMidnight(2026, 11, 17) }),
    item('b', { urgency: 'notContacted', contactedThisSemester: false, homeVisitInWindow: false }),
    item('c', { urgency: 'noHomeVisit', homeVisitInWindow: false }),
    item('d')
  ]

  test('each count filters the list and keeps the server order', () => {
    expect(filterWork(items, 'all').map((i) => i.studentId)).toEqual(['a', 'b', 'c', 'd'])
    expect(filterWork(items, 'notContacted').map((i) => i.studentId)).toEqual(['b'])
    expect(filterWork(items, 'noHomeVisit').map((i) => i.studentId)).toEqual(['b', 'c'])
    expect(filterWork(items, 'overdue').map((i) => i.studentId)).toEqual(['a'])
  })

  test('the badge: red with the days overdue, orange with the days left, the plain label otherwise', () => {
    expect(urgencyBadge(items[0], NOW)).toEqual({ tone: 'red', text: '随访逾期 · 已逾期 3 天' })
    expect(urgencyBadge({ urgency: 'dueSoon', dueAt: shanghaiMidnight(2026, 11, 22) }, NOW)).toEqual({ tone: 'orange', text: '随访将到期 · 2 天后到期' })
    expect(urgencyBadge(items[1], NOW)).toEqual({ tone: 'amber', text: '本学期未联系' })
    expect(urgencyBadge(items[2], NOW)).toEqual({ tone: 'blue', text: '三年内未入户家访' })
    expect(urgencyBadge(items[3], NOW)).toEqual({ tone: 'green', text: '已完成' })
  })

  test('dates in Shanghai, and words for none', () => {
    expect(dayText(shanghaiMidnight(2026, 9, 1))).toBe('2026-09-01')
    expect(dayText(null)).toBe('暂无')
    expect(contactParts({ lastContactAt: shanghaiMidnight(2026, 11, 5), lastHomeVisitAt: null })).toEqual(['最近联系 2026-11-05', '最近入户家访 暂无记录'])
  })
})

describe('special registry', () => {
  const entry = (studentId: string, className: string, dueAt: number, overdue: boolean): RegistryView => ({
    studentId,
    name: studentId,
    className,
    categories: ['留守儿童'],
    intervalDays: 30,
    note: '',
    registeredAt: NOW - 60 * DAY_MS,
    registeredByName: '林老师',
    lastContactAt: null,
    dueAt,
    overdue,
    history: []
  })

  test('several classes become one list, overdue first, then the soonest due; a student listed twice once', () => {
    const merged = mergeRegistries([
      [entry('x', '一年级（1）班', NOW + 5 * DAY_MS, false), entry('y', '一年级（1）班', NOW - 9 * DAY_MS, true)],
      [entry('z', '二年级（1）班', NOW - 2 * DAY_MS, true), entry('w', '二年级（1）班', NOW + DAY_MS, false), entry('x', '一年级（1）班', NOW + 5 * DAY_MS, false)]
    ])
    expect(merged.map((e) => e.studentId)).toEqual(['y', 'z', 'w', 'x'])
    expect(intervalText(30)).toBe('每 30 天随访一次')
  })
})
