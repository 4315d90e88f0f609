/**
 * 全员家访 (000 三(三)): the contact and home-visit rules shared by the mini-program and the `visits` cloud
 * function — the contact types, what a record holds, the special-student registry's categories and follow-up
 * interval, the 7-day correction window, and how "my work" orders a teacher's students (most urgent first).
 */
import { compareNames } from './ordering'
import { dayKey, inShanghai, schoolYearStarting, semesterOf, shanghaiMidnight } from './calendar'

/** Every type is a direct contact with a guardian (T6); only 入户家访 is an in-home visit (T7). */
export const CONTACT_TYPES = ['入户家访', '到校约谈', '电话', '视频', '微信'] as const
export type ContactType = (typeof CONTACT_TYPES)[number]
export const HOME_VISIT: ContactType = '入户家访'

/** The child's situation, one free text per aspect (000 三(三)3: 家访记录). */
export const SITUATION_ASPECTS = [
  { key: 'study', label: '学习情况' },
  { key: 'health', label: '身体健康' },
  { key: 'mood', label: '心理情绪' },
  { key: 'family', label: '家庭情况' }
] as const
export type SituationKey = (typeof SITUATION_ASPECTS)[number]['key']

export const SPECIAL_CATEGORIES = ['留守儿童', '单亲家庭', '困难家庭', '残疾/特殊需要', '心理关注', '其他'] as const
export type SpecialCategory = (typeof SPECIAL_CATEGORIES)[number]

export const DAY_MS = 86_400_000

export const VISIT_LIMITS = {
  /** a follow-up interval of the special registry, in days */
  intervalDefault: 30,
  intervalMin: 7,
  intervalMax: 180,
  /** the author may correct a record this long after submitting it */
  correctionDays: 7,
  /** a contact may be logged this many days after it happened */
  backdateDays: 120,
  /** a follow-up is asked for at most this far ahead */
  followUpMaxDays: 180,
  photos: 9,
  situation: 500,
  suggestions: 500,
  participants: 100,
  note: 200,
  family: 500,
  /** students a teacher's "my work" lists (one request) */
  workMax: 150,
  /** records a student file shows */
  fileRecords: 100,
  /** visiting teachers per student ("pairs allowed") */
  visitorsMax: 2
} as const

/** The folder visit photos are uploaded to; the function accepts only files under it. */
export const VISIT_PHOTO_FOLDER = 'visit-photos'

/** The folder a school's 家访培训 document is uploaded to by its admin (the plan page; `saveTraining` receives its fileID). */
export function trainingFolder(schoolId: string): string {
  return `visit-training/${schoolId}`
}

/** The first 3-year home-visit cycle began with the school year after the county notice (2024-02-02). */
export const VISIT_CYCLE_START = schoolYearStarting(2024).start
const THREE_YEARS = schoolYearStarting(2027).start - schoolYearStarting(2024).start

/**
 * T7's pace: the share of students expected to have had an in-home visit by `at` — the elapsed part of the first
 * three-year cycle, then 100% (the window of the last three school years should always cover everyone).
 */
export function homeVisitPace(at: number): number {
  return Math.min(1, Math.max(0, (at - VISIT_CYCLE_START) / THREE_YEARS))
}

/** The start of the window an in-home visit counts in at `at`: the last three years ("三年内"), to the day (Shanghai). */
export function homeVisitWindowStart(at: number): number {
  return inShanghai(at).subtract(3, 'year').valueOf()
}

/**
 * Whether a follow-up due at `due` is overdue at `now`: from one day after the due instant (the due day itself still
 * counts as in time). The app, the reminders and T8 all judge with this rule.
 */
export function isOverdue(due: number, now: number): boolean {
  return due + DAY_MS <= now
}

/** The folder a student's visit photos are uploaded to; a record accepts only photos from its student's folder. */
export function photoFolder(studentId: string): string {
  return `${VISIT_PHOTO_FOLDER}/${studentId}`
}

/** A day (YYYY-MM-DD, Shanghai) as the instant it begins. */
export function dayStart(day: string): number {
  const [y, m, d] = day.split('-').map(Number)
  return shanghaiMidnight(y, m, d)
}

/** When a special student's next follow-up is due: the interval after the last contact (or the registration). */
export function registryDueAt(registeredAt: number, lastContactAt: number | null, intervalDays: number): number {
  return Math.max(registeredAt, lastContactAt ?? 0) + intervalDays * DAY_MS
}

/** Until when the author may still correct a record submitted at `createdAt`. */
export function correctableUntil(createdAt: number): number {
  return createdAt + VISIT_LIMITS.correctionDays * DAY_MS
}

/** Why a contact date cannot be logged at `now`, or null when it can. */
export function contactDateRefusal(day: string, now: number): string | null {
  const t = dayStart(day)
  if (t > now) return '联系日期不能晚于今天'
  if (now - t > VISIT_LIMITS.backdateDays * DAY_MS) return `只能补记 ${VISIT_LIMITS.backdateDays} 天内的联系`
  return null
}

/** Why a follow-up date cannot be asked for after a contact on `contactDay`, or null. */
export function followUpRefusal(byDay: string, contactDay: string): string | null {
  const by = dayStart(byDay)
  const contact = dayStart(contactDay)
  if (by < contact) return '跟进日期不能早于本次联系日期'
  if (by - contact > VISIT_LIMITS.followUpMaxDays * DAY_MS) return `跟进日期应在本次联系后 ${VISIT_LIMITS.followUpMaxDays} 天内`
  return null
}

/** The semester a plan is for at `now` (the school calendar's default setting). */
export function planSemester(now: number): { id: string; label: string; start: number; end: number } {
  const s = semesterOf(now)
  return { id: s.id, label: s.label, start: s.start, end: s.end }
}

// ------------------------------------------------------------------ my work

export type WorkUrgency = 'overdue' | 'dueSoon' | 'notContacted' | 'noHomeVisit' | 'done'

export const URGENCY_LABELS: Record<WorkUrgency, string> = {
  overdue: '随访逾期',
  dueSoon: '随访将到期',
  notContacted: '本学期未联系',
  noHomeVisit: '三年内未入户家访',
  done: '已完成'
}

/** What "my work" knows of one assigned student. */
export interface WorkFacts {
  name: string
  /** the last contact of any type (epoch ms of its day), null when none */
  lastContactAt: number | null
  lastHomeVisitAt: number | null
  /** the open follow-up asked for by the latest record */
  followUpBy: number | null
  /** a special student's next follow-up */
  registryDueAt: number | null
}

/** Due within this many days counts as "due soon". */
export const DUE_SOON_DAYS = 7

/** The earliest follow-up due (a record's or the registry's), or null. */
export function nextDue(f: Pick<WorkFacts, 'followUpBy' | 'registryDueAt'>): number | null {
  const due = [f.followUpBy, f.registryDueAt].filter((x): x is number => typeof x === 'number')
  return due.length ? Math.min(...due) : null
}

export function workUrgency(f: WorkFacts, now: number): WorkUrgency {
  const due = nextDue(f)
  // a follow-up is overdue from the day after its due day
  if (due !== null && isOverdue(due, now)) return 'overdue'
  if (due !== null && due - now <= DUE_SOON_DAYS * DAY_MS) return 'dueSoon'
  if (f.lastContactAt === null || f.lastContactAt < semesterOf(now).start) return 'notContacted'
  if (f.lastHomeVisitAt === null || f.lastHomeVisitAt < homeVisitWindowStart(now)) return 'noHomeVisit'
  return 'done'
}

const URGENCY_ORDER: WorkUrgency[] = ['overdue', 'dueSoon', 'notContacted', 'noHomeVisit', 'done']

/** Most urgent first: overdue (longest overdue first), due soon (soonest first), never contacted, then by name. */
export function compareWork(a: WorkFacts, b: WorkFacts, now: number): number {
  const ua = URGENCY_ORDER.indexOf(workUrgency(a, now))
  const ub = URGENCY_ORDER.indexOf(workUrgency(b, now))
  if (ua !== ub) return ua - ub
  const da = nextDue(a)
  const db = nextDue(b)
  if ((URGENCY_ORDER[ua] === 'overdue' || URGENCY_ORDER[ua] === 'dueSoon') && da !== db) return (da ?? 0) - (db ?? 0)
  // not contacted for longest first (never before a long time ago)
  if (a.lastContactAt !== b.lastContactAt) return (a.lastContactAt ?? -1) - (b.lastContactAt ?? -1)
  return compareNames(a.name, b.name)
}

/** "3 天后到期" / "已逾期 5 天" / "今天到期" for a due instant. */
export function dueText(due: number, now: number): string {
  const days = Math.round((dayStart(dayKey(due)) - dayStart(dayKey(now))) / DAY_MS)
  if (days < 0) return `已逾期 ${-days} 天`
  if (days === 0) return '今天到期'
  return `${days} 天后到期`
}

/** The fields a correction may change, with their Chinese names (for the change history). */
export const CORRECTABLE_FIELDS = {
  type: '联系方式',
  date: '联系日期',
  participants: '参与人员',
  situation: '学生情况',
  suggestions: '家长意见建议',
  followUp: '后续跟进',
  photos: '照片'
} as const
export type CorrectableField = keyof typeof CORRECTABLE_FIELDS
