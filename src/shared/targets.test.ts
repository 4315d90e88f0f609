/**
 * The target registry: every entry complete, the windows at month / semester / school-year / cycle edges, and the
 * formulas evaluated with MongoDB semantics (mingo) on hand-built records — the same pipeline the cloud runs.
 */
import { aggregate } from 'mingo'
import { addCounters, evaluateTarget, formatTargetValue, PROGRAMME, TARGETS, targetById, targetsAt, windowOf, type TargetDef } from './targets'

const iso = (d: Date) => d.toISOString()
const sh = (s: string) => new Date(`${s}+08:00`)

describe('the registry', () => {
  it('declares each target once with a Chinese name, a policy source, a period, a threshold and levels', () => {
    const ids = TARGETS.map((t) => t.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const t of TARGETS) {
      expect(t.name).toMatch(/[\u4e00-\u9fa5]/)
      expect(t.definition).toMatch(/[\u4e00-\u9fa5]/)
      expect(t.source).toMatch(/^《(关于加强学校家庭社会协同育人的通知|家校社协同育人“教联体”工作方案)》/)
      expect(t.levels.length).toBeGreaterThan(0)
      expect(t.threshold.label).toBeTruthy()
      // a target counted per school cannot be shown per class
      if (t.count.by === 'school') expect(t.levels).not.toContain('class')
      if (t.count.by === 'county') expect(t.levels).toEqual(['county'])
      if (t.gap) expect(Object.keys(t.count.counters(windowOf(t, '2026-10', sh('2026-11-20T00:00:00'))))).toContain(t.gap.counter)
    }
  })

  it('holds the targets whose data exists: T1 (registration), T6–T8 (home visits) and T17 (demonstration schools)', () => {
    expect(targetById('T1')).toMatchObject({ period: 'month', unit: 'percent', threshold: { min: 0.6 } })
    expect(targetById('T6')).toMatchObject({ period: 'semester', unit: 'percent', threshold: { min: 1 } })
    expect(targetById('T7')).toMatchObject({ period: 'years3', unit: 'percent', metByPace: true })
    expect(targetById('T8')).toMatchObject({ period: 'month', unit: 'percent', threshold: { min: 1 } })
    expect(targetById('T17')).toMatchObject({ unit: 'count', threshold: { min: 100 }, levels: ['county'] })
    expect(targetsAt('class').map((t) => t.id)).toEqual(['T1', 'T6', 'T7', 'T8'])
    expect(targetsAt('county').map((t) => t.id)).toEqual(['T1', 'T6', 'T7', 'T8', 'T17'])
    // T6 and T7 are counted by one aggregation
    expect(targetById('T6')!.count).toBe(targetById('T7')!.count)
  })

  it('judges T7 against the three-year pace: on pace is met, behind it is not', () => {
    const t7 = targetById('T7')!
    // halfway through the first cycle (2024-09-01 → 2027-09-01): half the students visited is on pace
    const half = sh('2026-03-02T12:00:00').getTime()
    expect(t7.pace!(half)).toBeCloseTo(0.5, 2)
    expect(evaluateTarget(t7, { enrolled: 100, homeVisited: 51 }, half).met).toBe(true)
    expect(evaluateTarget(t7, { enrolled: 100, homeVisited: 45 }, half).met).toBe(false)
    // after the first cycle everyone should have had one within the last three school years
    expect(t7.pace!(sh('2027-09-01T00:00:00').getTime())).toBe(1)
    expect(t7.pace!(sh('2024-08-01T00:00:00').getTime())).toBe(0)
  })

  it('applies the threshold: 60% is met, 59.9% is not, nothing to divide is no value', () => {
    const t1 = targetById('T1')!
    expect(evaluateTarget(t1, { enrolled: 10, withGuardian: 6 })).toEqual({ value: 0.6, numerator: 6, denominator: 10, met: true })
    expect(evaluateTarget(t1, { enrolled: 1000, withGuardian: 599 }).met).toBe(false)
    expect(evaluateTarget(t1, { enrolled: 0, withGuardian: 0 })).toEqual({ value: null, numerator: 0, denominator: 0, met: null })
    expect(evaluateTarget(t1, {})).toEqual({ value: null, numerator: 0, denominator: 0, met: null })
  })

  it('adds class counters into school and county counters', () => {
    const school = addCounters(addCounters({}, { enrolled: 40, withGuardian: 30 }), { enrolled: 42, withGuardian: 20 })
    expect(school).toEqual({ enrolled: 82, withGuardian: 50 })
  })

  it('formats values for people', () => {
    expect(formatTargetValue({ unit: 'percent' }, 0.625)).toBe('62.5%')
    expect(formatTargetValue({ unit: 'percent' }, 1)).toBe('100.0%')
    expect(formatTargetValue({ unit: 'count' }, 12)).toBe('12')
    expect(formatTargetValue({ unit: 'count', suffix: '所' }, 3)).toBe('3 所')
    expect(formatTargetValue({ unit: 'perGuardian' }, 3.44)).toBe('3.4 次')
    expect(formatTargetValue({ unit: 'percent' }, null)).toBe('—')
  })

  it('paces the 100 demonstration schools over the three years', () => {
    const pace = targetById('T17')!.pace!
    expect(pace(PROGRAMME.start)).toBe(0)
    expect(pace(PROGRAMME.end)).toBe(100)
    expect(pace(PROGRAMME.start + (PROGRAMME.end - PROGRAMME.start) / 2)).toBe(50)
    expect(pace(PROGRAMME.end + 1e10)).toBe(100)
  })
})

describe('windows at the edges (Asia/Shanghai)', () => {
  const now = sh('2027-06-15T12:00:00')
  const w = (period: TargetDef['period'], month: string, at = now) => windowOf({ period }, month, at)

  it('a month ends at midnight Shanghai time on the 1st of the next', () => {
    expect(iso(w('month', '2026-10').at)).toBe('2026-10-31T16:00:00.000Z')
    expect(iso(w('month', '2026-10').from)).toBe('2026-09-30T16:00:00.000Z')
    expect(iso(w('month', '2026-12').at)).toBe('2026-12-31T16:00:00.000Z')
  })

  it('the running month ends now', () => {
    expect(iso(w('month', '2026-11', sh('2026-11-20T10:00:00')).at)).toBe(iso(sh('2026-11-20T10:00:00')))
  })

  it('a semester runs Sept 1 – Jan 31 and Feb 1 – Aug 31', () => {
    expect(iso(w('semester', '2027-01').from)).toBe(iso(sh('2026-09-01T00:00:00')))
    expect(iso(w('semester', '2027-02').from)).toBe(iso(sh('2027-02-01T00:00:00')))
    expect(iso(w('semester', '2026-08').from)).toBe(iso(sh('2026-02-01T00:00:00')))
    expect(iso(w('semester', '2026-09').from)).toBe(iso(sh('2026-09-01T00:00:00')))
  })

  it('a school year runs Sept 1 – Aug 31', () => {
    expect(iso(w('schoolYear', '2026-08').from)).toBe(iso(sh('2025-09-01T00:00:00')))
    expect(iso(w('schoolYear', '2026-09').from)).toBe(iso(sh('2026-09-01T00:00:00')))
  })

  it('a 3-year cycle covers this school year and the two before', () => {
    expect(iso(w('cycle3', '2026-10').from)).toBe(iso(sh('2024-09-01T00:00:00')))
    expect(iso(w('cycle3', '2026-08').from)).toBe(iso(sh('2023-09-01T00:00:00')))
  })
})

/** Runs a target's count pipeline with MongoDB semantics on in-memory collections (what the cloud does). */
function countWithMingo(def: TargetDef, month: string, now: Date, collections: Record<string, Array<Record<string, unknown>>>) {
  const w = windowOf(def, month, now)
  const key = def.count.by === 'class' ? { c: '$classId', s: '$schoolId' } : def.count.by === 'school' ? { s: '$schoolId' } : { k: '$countyId' }
  const counters = def.count.counters(w)
  const group: Record<string, unknown> = { _id: key }
  for (const [name, expr] of Object.entries(counters)) group[name] = { $sum: expr }
  const pipeline = [{ $match: def.count.match(w) }, ...(def.count.stages?.(w) ?? []), { $group: group }, { $sort: { _id: 1 } }]
  return aggregate(collections[def.count.collection], pipeline as never, { collectionResolver: (name: string) => collections[name] ?? [] } as never) as Array<Record<string, unknown>>
}

describe('formulas on hand-built records', () => {
  const now = sh('2026-11-20T10:00:00')

  it('T1: students enrolled at the month end with a guardian bound then; ended or client-written bindings do not count', () => {
    const students = [
      { _id: 'a', classId: 'k1', schoolId: 's1', countyId: 'c', status: 'enrolled', createdAt: sh('2026-09-01T08:00:00') },
      { _id: 'b', classId: 'k1', schoolId: 's1', countyId: 'c', status: 'enrolled', createdAt: sh('2026-09-01T08:00:00') },
      { _id: 'c', classId: 'k1', schoolId: 's1', countyId: 'c', status: 'enrolled', createdAt: sh('2026-11-01T00:00:00') },
      { _id: 'd', classId: 'k2', schoolId: 's1', countyId: 'c', status: 'left', leftAt: sh('2026-10-31T23:59:59'), createdAt: sh('2026-09-01T08:00:00') },
      { _id: 'e', classId: 'k2', schoolId: 's1', countyId: 'c', status: 'left', leftAt: sh('2026-11-01T00:00:00'), createdAt: sh('2026-09-01T08:00:00') },
      { _id: 'f', classId: 'k2', schoolId: 's1', countyId: 'c', status: 'enrolled', _openid: 'o-x' }
    ]
    const g = (studentId: string, extra: Record<string, unknown> = {}) => ({ role: 'guardian', status: 'active', studentId, createdAt: sh('2026-09-10T08:00:00'), ...extra })
    const memberships = [
      g('a'),
      g('b', { createdAt: sh('2026-11-01T00:00:00') }),
      g('b', { status: 'ended', endedAt: sh('2026-10-20T00:00:00') }),
      g('b', { _openid: 'o-x' }),
      g('e', { status: 'ended', endedAt: sh('2026-11-01T00:00:00') }),
      { role: 'teacher', status: 'active', studentId: 'e' }
    ]
    const rows = countWithMingo(targetById('T1')!, '2026-10', now, { students, memberships, bindingPeriods: [] })
    expect(rows).toEqual([
      { _id: { c: 'k1', s: 's1' }, enrolled: 2, withGuardian: 1 },
      { _id: { c: 'k2', s: 's1' }, enrolled: 1, withGuardian: 1 }
    ])
  })

  it('T1: a guardian who unbound and bound again still counts for the months of the earlier binding', () => {
    const students = [{ _id: 'a', classId: 'k1', schoolId: 's1', countyId: 'c', status: 'enrolled', createdAt: sh('2026-09-01T08:00:00') }]
    // bound Sept 5, unbound Nov 3, bound again Nov 10: one membership record (the new binding) and one past period
    const memberships = [{ role: 'guardian', status: 'active', studentId: 'a', createdAt: sh('2026-11-10T09:00:00') }]
    const bindingPeriods = [{ studentId: 'a', from: sh('2026-09-05T09:00:00'), to: sh('2026-11-03T09:00:00') }]
    const t1 = targetById('T1')!
    const at = (month: string) => countWithMingo(t1, month, now, { students, memberships, bindingPeriods })[0].withGuardian
    expect(at('2026-09')).toBe(1)
    expect(at('2026-10')).toBe(1)
    // before the first binding there was none; a client-written period never counts
    expect(countWithMingo(t1, '2026-08', now, { students: [{ ...students[0], createdAt: sh('2026-08-01T00:00:00') }], memberships, bindingPeriods })[0].withGuardian).toBe(0)
    expect(countWithMingo(t1, '2026-10', now, { students, memberships, bindingPeriods: [{ ...bindingPeriods[0], _openid: 'o-x' }] })[0].withGuardian).toBe(0)
  })

  it('T1: a student is counted in the class they were in at the month end (a later move does not rewrite the past)', () => {
    const students = [
      // in k1 until Nov 2, then moved to k2; promoted from k0 on Sept 1
      { _id: 'a', classId: 'k2', schoolId: 's1', countyId: 'c', status: 'enrolled', createdAt: sh('2025-09-01T08:00:00'), classHistory: [{ classId: 'k0', until: sh('2026-09-01T00:00:00') }, { classId: 'k1', until: sh('2026-11-02T00:00:00') }] },
      { _id: 'b', classId: 'k2', schoolId: 's1', countyId: 'c', status: 'enrolled', createdAt: sh('2025-09-01T08:00:00') }
    ]
    const rows = (month: string) => countWithMingo(targetById('T1')!, month, sh('2026-11-20T10:00:00'), { students, memberships: [], bindingPeriods: [] }).map((r) => [(r._id as { c: string }).c, r.enrolled])
    expect(rows('2026-08')).toEqual([['k0', 1], ['k2', 1]])
    expect(rows('2026-10')).toEqual([['k1', 1], ['k2', 1]])
    expect(rows('2026-11')).toEqual([['k2', 2]])
  })

  // ---- 全员家访: T6, T7, T8 at semester and school-year edges
  const pupil = (id: string, extra: Record<string, unknown> = {}) => ({ _id: id, classId: 'k1', schoolId: 's1', countyId: 'c', status: 'enrolled', createdAt: sh('2024-09-01T08:00:00'), ...extra })
  const visit = (studentId: string, type: string, day: string, extra: Record<string, unknown> = {}) => ({ studentId, type, date: sh(`${day}T00:00:00`), createdAt: sh(`${day}T20:00:00`), ...extra })
  const counts = (def: TargetDef, month: string, collections: Record<string, Array<Record<string, unknown>>>, at = sh('2027-06-15T12:00:00')) =>
    countWithMingo(def, month, at, { bindingPeriods: [], memberships: [], ...collections }).map((r) => ({ ...r, _id: (r._id as { c: string }).c }))

  it('T6: a contact of any type in this semester counts; the last day of the previous semester does not', () => {
    const students = [pupil('a'), pupil('b'), pupil('c'), pupil('d'), pupil('e', { status: 'left', leftAt: sh('2026-12-01T00:00:00') })]
    const visitRecords = [
      visit('a', '电话', '2026-09-01'), // the first day of semester 1
      visit('b', '微信', '2026-08-31'), // the last day of the previous semester (2025–2026 semester 2)
      visit('c', '入户家访', '2027-01-31'), // the last day of semester 1
      visit('d', '视频', '2026-10-05', { _openid: 'o-x' }), // written by a client: never counts
      visit('e', '到校约谈', '2026-10-05')
    ]
    const T6 = targetById('T6')!
    expect(counts(T6, '2026-09', { students, visitRecords })).toEqual([{ _id: 'k1', enrolled: 5, contacted: 1, homeVisited: 0 }])
    // January: a, c, e (e left in December: not enrolled at the end of January)
    expect(counts(T6, '2027-01', { students, visitRecords })).toEqual([{ _id: 'k1', enrolled: 4, contacted: 2, homeVisited: 1 }])
    // February starts semester 2: nobody has been contacted yet
    expect(counts(T6, '2027-02', { students, visitRecords })[0]).toMatchObject({ contacted: 0 })
    // August 2026 belongs to the previous semester: b was contacted then
    expect(counts(T6, '2026-08', { students, visitRecords })[0]).toMatchObject({ contacted: 1 })
    expect(evaluateTarget(T6, { enrolled: 4, contacted: 4 }).met).toBe(true)
    expect(evaluateTarget(T6, { enrolled: 4, contacted: 3 }).met).toBe(false)
  })

  it('T7: an in-home visit in the last three years (to the day) counts; one before that, or a phone call, does not', () => {
    const students = [pupil('a', { createdAt: sh('2023-09-01T08:00:00') }), pupil('b', { createdAt: sh('2023-09-01T08:00:00') }), pupil('c'), pupil('d')]
    const visitRecords = [
      visit('a', '入户家访', '2023-11-01'), // the first day of the window at the end of October 2026
      visit('b', '入户家访', '2023-10-31'), // one day before it
      visit('c', '电话', '2026-10-01'), // not in the home
      visit('d', '入户家访', '2026-11-01') // after October's end
    ]
    const T7 = targetById('T7')!
    expect(windowOf(T7, '2026-10', sh('2027-06-15T12:00:00')).from).toEqual(sh('2023-11-01T00:00:00'))
    expect(counts(T7, '2026-10', { students, visitRecords })[0]).toMatchObject({ enrolled: 4, homeVisited: 1 })
    // at the end of August 2026 the window starts 2023-09-01: b's visit counts too
    expect(counts(T7, '2026-08', { students, visitRecords })[0]).toMatchObject({ homeVisited: 2 })
    // at the end of November 2026 a's visit has left the window, d's has come in
    expect(counts(T7, '2026-11', { students, visitRecords })[0]).toMatchObject({ homeVisited: 1 })
  })

  it('T8: registered special students followed up within their interval at the month end', () => {
    const students = [pupil('a'), pupil('b'), pupil('c'), pupil('d'), pupil('e', { status: 'left', leftAt: sh('2026-10-15T00:00:00') }), pupil('f', { classId: 'k2', classHistory: [{ classId: 'k1', until: sh('2026-11-05T00:00:00') }] })]
    const entry = (studentId: string, extra: Record<string, unknown> = {}) => ({ _id: studentId, studentId, classId: 'k1', schoolId: 's1', countyId: 'c', intervalDays: 30, registeredAt: sh('2026-09-01T10:00:00'), endedAt: null, ...extra })
    const specialRegistry = [
      entry('a'), // contacted Oct 10: due Nov 9 → in time at Oct 31
      entry('b'), // registered Sept 1, never contacted: due Oct 1 → overdue at Oct 31
      entry('c', { registeredAt: sh('2026-10-20T10:00:00') }), // registered Oct 20: not due yet
      entry('d', { endedAt: sh('2026-10-10T00:00:00') }), // taken off before the month end
      entry('e'), // left the school
      entry('f'), // in k1 at the end of October (moved to k2 later), contacted Oct 30
      entry('g', { registeredAt: sh('2026-11-02T00:00:00') }) // registered after October
    ]
    const visitRecords = [visit('a', '电话', '2026-10-10'), visit('b', '微信', '2026-11-01'), visit('f', '入户家访', '2026-10-30'), visit('b', '电话', '2026-10-20', { _openid: 'o-x' })]
    const T8 = targetById('T8')!
    expect(counts(T8, '2026-10', { students, specialRegistry, visitRecords })).toEqual([{ _id: 'k1', registered: 4, followedUp: 3 }])
    // a 14-day interval: a's contact on Oct 10 is too long ago on Oct 31
    const strict = specialRegistry.map((r) => (r.studentId === 'a' ? { ...r, intervalDays: 14 } : r))
    expect(counts(T8, '2026-10', { students, specialRegistry: strict, visitRecords })[0]).toMatchObject({ followedUp: 2 })
    expect(evaluateTarget(T8, { registered: 4, followedUp: 3 })).toMatchObject({ value: 0.75, met: false })
    expect(evaluateTarget(T8, { registered: 0, followedUp: 0 })).toMatchObject({ value: null, met: null })
  })

  it('T17: certified schools at the month end, each once; revoked ones until their revocation', () => {
    const apps = [
      { schoolId: 's1', countyId: 'c', certifiedAt: sh('2026-10-31T23:00:00') },
      { schoolId: 's1', countyId: 'c', certifiedAt: sh('2025-10-01T00:00:00'), revokedAt: sh('2026-01-01T00:00:00') },
      { schoolId: 's2', countyId: 'c', certifiedAt: sh('2026-05-01T00:00:00'), revokedAt: sh('2026-10-31T23:59:59') },
      { schoolId: 's3', countyId: 'c', certifiedAt: sh('2026-05-01T00:00:00'), revokedAt: sh('2026-11-01T00:00:00') },
      { schoolId: 's4', countyId: 'c', certifiedAt: sh('2026-11-01T00:00:00') },
      { schoolId: 's5', countyId: 'c', status: 'submitted' }
    ]
    expect(countWithMingo(targetById('T17')!, '2026-10', now, { programmeApplications: apps })).toEqual([{ _id: { k: 'c' }, certified: 2 }])
    expect(countWithMingo(targetById('T17')!, '2026-11', now, { programmeApplications: apps })).toEqual([{ _id: { k: 'c' }, certified: 2 }])
  })
})
