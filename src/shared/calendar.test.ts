import fc from 'fast-check'
import {
  contains,
  inShanghai,
  dayKey,
  DEFAULT_CALENDAR,
  monthKey,
  monthOf,
  monthsIn,
  previousMonthOf,
  schoolYearOf,
  semesterOf,
  shanghaiMidnight,
  validateCalendar,
  type CalendarSetting
} from './calendar'

// Instants written with explicit offsets so the tests mean the same on any machine's time zone.
const at = (iso: string) => new Date(iso).getTime()

describe('Shanghai day and month buckets', () => {
  it('puts 23:59:59 Shanghai and 00:00 Shanghai on different days, whatever UTC says', () => {
    expect(dayKey(at('2026-01-31T23:59:59+08:00'))).toBe('2026-01-31')
    expect(dayKey(at('2026-02-01T00:00:00+08:00'))).toBe('2026-02-01')
    // 16:00 UTC on Jan 31 is already Feb 1 in Shanghai.
    expect(dayKey(at('2026-01-31T16:00:00Z'))).toBe('2026-02-01')
    expect(dayKey(at('2026-01-31T15:59:59.999Z'))).toBe('2026-01-31')
  })

  it('buckets months in Shanghai time, not UTC or the machine zone', () => {
    expect(monthKey(at('2026-08-31T16:30:00Z'))).toBe('2026-09')
    expect(monthKey(at('2026-08-31T15:30:00Z'))).toBe('2026-08')
    expect(monthKey(at('2026-12-31T20:00:00-05:00'))).toBe('2027-01') // New York evening = Shanghai next morning
  })

  it('reads a bare YYYY-MM-DD as that Shanghai calendar day', () => {
    expect(dayKey('2026-09-01')).toBe('2026-09-01')
    expect(schoolYearOf('2026-09-01').id).toBe('2026-2027')
    expect(schoolYearOf('2026-08-31').id).toBe('2025-2026')
  })

  it('gives month periods as half-open Shanghai-midnight ranges, December rolling into January', () => {
    const dec = monthOf(at('2026-12-15T12:00:00+08:00'))
    expect(dec.id).toBe('2026-12')
    expect(dec.label).toBe('2026年12月')
    expect(dec.start).toBe(at('2026-12-01T00:00:00+08:00'))
    expect(dec.end).toBe(at('2027-01-01T00:00:00+08:00'))
    expect(contains(dec, dec.end)).toBe(false)
    expect(contains(dec, dec.end - 1)).toBe(true)
  })

  it('finds the month just ended for a snapshot run at 02:00 on the 1st', () => {
    expect(previousMonthOf(at('2026-12-01T02:00:00+08:00')).id).toBe('2026-11')
    expect(previousMonthOf(at('2027-01-01T02:00:00+08:00')).id).toBe('2026-12')
    expect(previousMonthOf(at('2026-03-01T02:00:00+08:00')).start).toBe(at('2026-02-01T00:00:00+08:00'))
  })

  it('handles leap February', () => {
    const feb = monthOf(at('2028-02-29T23:00:00+08:00'))
    expect(feb.id).toBe('2028-02')
    expect(feb.end).toBe(at('2028-03-01T00:00:00+08:00'))
  })

  it('rejects an invalid or impossible date with a Chinese message instead of rolling it over', () => {
    expect(() => dayKey('not a date')).toThrow('无效日期')
    expect(() => dayKey('2026-02-30')).toThrow('无效日期')
    expect(() => dayKey('2026-13-01')).toThrow('无效日期')
    expect(() => dayKey('2026-09-01T24:30')).toThrow('无效日期')
    expect(() => dayKey(Number.NaN)).toThrow('无效日期')
    expect(dayKey('2028-02-29')).toBe('2028-02-29')
  })

  it('reads a date-time without an offset as Shanghai wall-clock time, on any machine', () => {
    // 20:00 on Aug 31 in Shanghai is still the old school year, whether the code runs on a phone or in UTC.
    expect(schoolYearOf('2026-08-31T20:00:00').id).toBe('2025-2026')
    expect(schoolYearOf('2026-08-31 23:59').id).toBe('2025-2026')
    expect(schoolYearOf('2026-09-01T00:00:00').id).toBe('2026-2027')
    expect(inShanghai('2026-09-01T08:30:00').valueOf()).toBe(at('2026-09-01T08:30:00+08:00'))
    // With an explicit offset the offset wins.
    expect(dayKey('2026-08-31T20:00:00Z')).toBe('2026-09-01')
  })
})

describe('school year and semester (default county setting)', () => {
  it('Aug 31 belongs to the old school year, Sep 1 starts the new one', () => {
    expect(schoolYearOf(at('2026-08-31T23:59:59+08:00')).id).toBe('2025-2026')
    expect(schoolYearOf(at('2026-09-01T00:00:00+08:00')).id).toBe('2026-2027')
    // 2026-08-31T16:00Z is Sep 1 in Shanghai.
    expect(schoolYearOf(at('2026-08-31T16:00:00Z')).id).toBe('2026-2027')
    expect(schoolYearOf(at('2026-08-31T15:59:59Z')).id).toBe('2025-2026')
  })

  it('Jan 31 is semester 1, Feb 1 is semester 2, both of the same school year', () => {
    const jan31 = semesterOf(at('2027-01-31T23:59:59+08:00'))
    const feb1 = semesterOf(at('2027-02-01T00:00:00+08:00'))
    expect(jan31.id).toBe('2026-2027-1')
    expect(feb1.id).toBe('2026-2027-2')
    expect(jan31.end).toBe(feb1.start)
    expect(feb1.schoolYear.id).toBe('2026-2027')
    expect(feb1.label).toBe('2026–2027学年第二学期')
  })

  it('semester 2 runs to Aug 31 and semester 1 of the next year starts Sep 1', () => {
    const aug31 = semesterOf(at('2027-08-31T12:00:00+08:00'))
    expect(aug31.id).toBe('2026-2027-2')
    expect(aug31.end).toBe(at('2027-09-01T00:00:00+08:00'))
    expect(semesterOf(aug31.end).id).toBe('2027-2028-1')
  })

  it('a school year has exactly 12 months, September to August', () => {
    const months = monthsIn(schoolYearOf(at('2026-11-23T10:00:00+08:00')))
    expect(months.map((m) => m.id)).toEqual([
      '2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '2027-02',
      '2027-03', '2027-04', '2027-05', '2027-06', '2027-07', '2027-08'
    ])
  })

  it('every instant lies in exactly one semester, which lies inside its school year (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: at('2000-01-01T00:00:00Z'), max: at('2099-12-31T00:00:00Z') }), (t) => {
        const s = semesterOf(t)
        expect(t).toBeGreaterThanOrEqual(s.start)
        expect(t).toBeLessThan(s.end)
        expect(s.start).toBeGreaterThanOrEqual(s.schoolYear.start)
        expect(s.end).toBeLessThanOrEqual(s.schoolYear.end)
        const m = monthOf(t)
        expect(t).toBeGreaterThanOrEqual(m.start)
        expect(t).toBeLessThan(m.end)
        expect(dayKey(m.start)).toMatch(/-01$/)
      })
    )
  })
})

describe('a county that moves the boundaries', () => {
  const county: CalendarSetting = { schoolYearStart: { month: 8, day: 25 }, semester2Start: { month: 2, day: 15 } }

  it('uses the county start of the school year', () => {
    expect(schoolYearOf(at('2026-08-24T23:59:59+08:00'), county).id).toBe('2025-2026')
    expect(schoolYearOf(at('2026-08-25T00:00:00+08:00'), county).id).toBe('2026-2027')
  })

  it('uses the county start of semester 2', () => {
    expect(semesterOf(at('2027-02-14T23:59:59+08:00'), county).index).toBe(1)
    expect(semesterOf(at('2027-02-15T00:00:00+08:00'), county).index).toBe(2)
    expect(semesterOf(at('2027-02-15T00:00:00+08:00'), county).end).toBe(at('2027-08-25T00:00:00+08:00'))
  })

  it('supports a school year starting in spring (semester 2 in the same calendar year)', () => {
    const spring: CalendarSetting = { schoolYearStart: { month: 3, day: 1 }, semester2Start: { month: 9, day: 1 } }
    expect(semesterOf(at('2026-08-31T12:00:00+08:00'), spring).id).toBe('2026-2027-1')
    expect(semesterOf(at('2026-09-01T12:00:00+08:00'), spring).id).toBe('2026-2027-2')
    expect(semesterOf(at('2027-02-28T12:00:00+08:00'), spring).id).toBe('2026-2027-2')
  })

  it('rejects impossible settings', () => {
    expect(() => validateCalendar({ schoolYearStart: { month: 13, day: 1 }, semester2Start: { month: 2, day: 1 } })).toThrow('学年设置无效')
    expect(() => validateCalendar({ schoolYearStart: { month: 9, day: 1 }, semester2Start: { month: 9, day: 1 } })).toThrow('学年设置无效')
    expect(() => validateCalendar(DEFAULT_CALENDAR)).not.toThrow()
  })
})

describe('independent of the machine time zone', () => {
  it('computes the same midnight as a fixed +08:00 offset', () => {
    expect(shanghaiMidnight(2026, 9, 1)).toBe(at('2026-09-01T00:00:00+08:00'))
    expect(shanghaiMidnight(2026, 13, 1)).toBe(at('2027-01-01T00:00:00+08:00'))
  })
})
