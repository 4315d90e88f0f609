/**
 * The school calendar. Every date is bucketed in Asia/Shanghai (UTC+8, no daylight saving since 1991),
 * computed with a fixed offset so it gives the same answer in a browser, in WeChat's JS engine (which may
 * lack full Intl time-zone data) and in a cloud function running in UTC.
 *
 * Default county setting (PRODUCT.md): the school year runs Sept 1 – Aug 31; semester 1 Sept 1 – Jan 31,
 * semester 2 Feb 1 – Aug 31. A county may move both boundaries.
 */
import dayjs, { type Dayjs } from 'dayjs'
import utc from 'dayjs/plugin/utc'

dayjs.extend(utc)

export const SHANGHAI_OFFSET_MINUTES = 8 * 60

export interface MonthDay {
  month: number // 1–12
  day: number // 1–31
}

export interface CalendarSetting {
  /** First day of the school year and of semester 1. */
  schoolYearStart: MonthDay
  /** First day of semester 2. */
  semester2Start: MonthDay
}

export const DEFAULT_CALENDAR: CalendarSetting = {
  schoolYearStart: { month: 9, day: 1 },
  semester2Start: { month: 2, day: 1 }
}

export type DateInput = Date | number | string

/** A half-open period [start, end) in epoch milliseconds, with a stable id and a Chinese label. */
export interface Period {
  id: string
  label: string
  start: number
  end: number
}

export interface SchoolYear extends Period {
  startYear: number
}

export interface Semester extends Period {
  schoolYear: SchoolYear
  index: 1 | 2
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/

/**
 * Parses an input to epoch ms. A date (YYYY-MM-DD) or a date-time without an offset is Shanghai wall-clock time —
 * never the machine's zone, which differs between a phone (UTC+8) and a cloud function (UTC). Impossible calendar
 * dates (Feb 30, month 13) are rejected rather than rolled over.
 */
function toEpoch(input: DateInput): number {
  if (typeof input === 'string') {
    const m = DATE_ONLY.exec(input) ?? LOCAL_DATE_TIME.exec(input)
    if (m) {
      const [y, mo, d, h = '0', mi = '0', sec = '0', ms = '0'] = m.slice(1).map((v) => v ?? '0')
      const wall = Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec, +ms.padEnd(3, '0'))
      const check = new Date(wall)
      if (check.getUTCFullYear() !== +y || check.getUTCMonth() !== +mo - 1 || check.getUTCDate() !== +d || +h > 23 || +mi > 59 || +sec > 59) {
        throw new RangeError(`无效日期: ${input}`)
      }
      return wall - SHANGHAI_OFFSET_MINUTES * 60_000
    }
  }
  const t = input instanceof Date ? input.getTime() : typeof input === 'number' ? input : dayjs(input).valueOf()
  if (!Number.isFinite(t)) throw new RangeError(`无效日期: ${String(input)}`)
  return t
}

/** The instant as a Dayjs whose wall-clock fields read in Shanghai time. */
export function inShanghai(input: DateInput): Dayjs {
  return dayjs(toEpoch(input)).utcOffset(SHANGHAI_OFFSET_MINUTES)
}

/** Epoch ms of Shanghai midnight of the given calendar date (month 1–12; day may overflow, as Date.UTC does). */
export function shanghaiMidnight(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) - SHANGHAI_OFFSET_MINUTES * 60_000
}

/** The Shanghai calendar day of an instant, as YYYY-MM-DD. */
export function dayKey(input: DateInput): string {
  return inShanghai(input).format('YYYY-MM-DD')
}

/** The Shanghai month of an instant, as YYYY-MM. */
export function monthKey(input: DateInput): string {
  return inShanghai(input).format('YYYY-MM')
}

export function formatDateTime(input: DateInput): string {
  return inShanghai(input).format('YYYY-MM-DD HH:mm')
}

export function formatDate(input: DateInput): string {
  return inShanghai(input).format('YYYY年M月D日')
}

function compareMonthDay(a: MonthDay, b: MonthDay): number {
  return a.month !== b.month ? a.month - b.month : a.day - b.day
}

export function validateCalendar(setting: CalendarSetting): void {
  for (const md of [setting.schoolYearStart, setting.semester2Start]) {
    if (!Number.isInteger(md.month) || md.month < 1 || md.month > 12 || !Number.isInteger(md.day) || md.day < 1 || md.day > 28) {
      throw new RangeError('学年设置无效：月份应为 1–12，日期应为 1–28')
    }
  }
  if (compareMonthDay(setting.schoolYearStart, setting.semester2Start) === 0) {
    throw new RangeError('学年设置无效：第二学期不能与学年同一天开始')
  }
}

/** The school year containing the instant. */
export function schoolYearOf(input: DateInput, setting: CalendarSetting = DEFAULT_CALENDAR): SchoolYear {
  validateCalendar(setting)
  const d = inShanghai(input)
  const year = d.year()
  const today: MonthDay = { month: d.month() + 1, day: d.date() }
  const startYear = compareMonthDay(today, setting.schoolYearStart) >= 0 ? year : year - 1
  return schoolYearStarting(startYear, setting)
}

export function schoolYearStarting(startYear: number, setting: CalendarSetting = DEFAULT_CALENDAR): SchoolYear {
  const { month, day } = setting.schoolYearStart
  return {
    id: `${startYear}-${startYear + 1}`,
    label: `${startYear}–${startYear + 1}学年`,
    startYear,
    start: shanghaiMidnight(startYear, month, day),
    end: shanghaiMidnight(startYear + 1, month, day)
  }
}

/** Where semester 2 begins inside the school year that starts in `startYear`. */
function semester2StartOf(startYear: number, setting: CalendarSetting): number {
  const { month, day } = setting.semester2Start
  // Semester 2 falls in the calendar year after the school year began unless it lies later in the same year.
  const sameYear = compareMonthDay(setting.semester2Start, setting.schoolYearStart) > 0
  return shanghaiMidnight(sameYear ? startYear : startYear + 1, month, day)
}

/** The semester containing the instant. */
export function semesterOf(input: DateInput, setting: CalendarSetting = DEFAULT_CALENDAR): Semester {
  const schoolYear = schoolYearOf(input, setting)
  const t = inShanghai(input).valueOf()
  const s2 = semester2StartOf(schoolYear.startYear, setting)
  if (t < s2) {
    return {
      id: `${schoolYear.id}-1`,
      label: `${schoolYear.label}第一学期`,
      schoolYear,
      index: 1,
      start: schoolYear.start,
      end: s2
    }
  }
  return {
    id: `${schoolYear.id}-2`,
    label: `${schoolYear.label}第二学期`,
    schoolYear,
    index: 2,
    start: s2,
    end: schoolYear.end
  }
}

/** The calendar month (Shanghai) containing the instant. */
export function monthOf(input: DateInput): Period {
  const d = inShanghai(input)
  const y = d.year()
  const m = d.month() + 1
  return {
    id: `${y}-${String(m).padStart(2, '0')}`,
    label: `${y}年${m}月`,
    start: shanghaiMidnight(y, m, 1),
    end: shanghaiMidnight(y, m + 1, 1)
  }
}

/** The month before the one containing the instant (what a snapshot run on the 1st computes). */
export function previousMonthOf(input: DateInput): Period {
  return monthOf(monthOf(input).start - 1)
}

/** The months of a period, in order (e.g. the 12 months of a school year). */
export function monthsIn(period: Pick<Period, 'start' | 'end'>): Period[] {
  const months: Period[] = []
  for (let m = monthOf(period.start); m.start < period.end; m = monthOf(m.end)) months.push(m)
  return months
}

export function contains(period: Pick<Period, 'start' | 'end'>, input: DateInput): boolean {
  const t = inShanghai(input).valueOf()
  return t >= period.start && t < period.end
}
