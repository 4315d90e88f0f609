import type { ClassRow, SchoolStatusRow } from '@/shared/contract-stats'
import type { TargetValue } from '@/shared/targets'
import { compareNames, facetsOf, filterSchools, gradeRank, metCount, naturalCompare, nextSort, sortClasses, sortSchools } from './table'

const share = (num: number, den: number, min = 0.6): TargetValue => ({ value: den ? num / den : null, numerator: num, denominator: den, met: den ? num / den >= min : null })

function school(name: string, district: string, type: SchoolStatusRow['type'], t1?: TargetValue): SchoolStatusRow {
  return { schoolId: `s-${name}`, name, district, type, computedAt: 1, values: t1 ? { T1: t1 } : {} }
}

const rows = [
  school('城关第一小学', '城关学区', '小学', share(70, 100)),
  school('城关中学', '城关学区', '初中', share(40, 100)),
  school('河口小学', '河口学区', '小学', share(55, 100)),
  school('河口幼儿园', '河口学区', '幼儿园'), // nothing computed yet
  school('北山小学', '北山学区', '小学', share(90, 100))
]
const names = (rs: SchoolStatusRow[]) => rs.map((r) => r.name)

describe('county school table', () => {
  test('a header tap sorts ascending; the same header again flips; another header starts ascending again', () => {
    let s = nextSort({ key: 'name', dir: 'asc' }, 'T1')
    expect(s).toEqual({ key: 'T1', dir: 'asc' })
    s = nextSort(s, 'T1')
    expect(s).toEqual({ key: 'T1', dir: 'desc' })
    expect(nextSort(s, 'name')).toEqual({ key: 'name', dir: 'asc' })
  })

  test('by a target value, both ways, with schools without a value last either way', () => {
    expect(names(sortSchools(rows, { key: 'T1', dir: 'asc' }))).toEqual(['城关中学', '河口小学', '城关第一小学', '北山小学', '河口幼儿园'])
    expect(names(sortSchools(rows, { key: 'T1', dir: 'desc' }))).toEqual(['北山小学', '城关第一小学', '河口小学', '城关中学', '河口幼儿园'])
  })

  test('by name, both ways, without changing the input', () => {
    const before = names(rows)
    const asc = names(sortSchools(rows, { key: 'name', dir: 'asc' }))
    const desc = names(sortSchools(rows, { key: 'name', dir: 'desc' }))
    expect(desc).toEqual([...asc].reverse())
    expect(new Set(asc)).toEqual(new Set(before))
    expect(names(rows)).toEqual(before)
  })

  test('equal values keep a stable order by name', () => {
    const tie = [school('乙校', 'A', '小学', share(1, 2)), school('甲校', 'A', '小学', share(2, 4))]
    const a = names(sortSchools(tie, { key: 'T1', dir: 'asc' }))
    const d = names(sortSchools(tie, { key: 'T1', dir: 'desc' }))
    expect(a).toEqual(d)
  })

  test('filters by district and by type, together', () => {
    expect(names(filterSchools(rows, { district: '河口学区', type: '' }))).toEqual(['河口小学', '河口幼儿园'])
    expect(names(filterSchools(rows, { district: '', type: '小学' }))).toEqual(['城关第一小学', '河口小学', '北山小学'])
    expect(names(filterSchools(rows, { district: '城关学区', type: '小学' }))).toEqual(['城关第一小学'])
    expect(filterSchools(rows, { district: '', type: '' })).toHaveLength(5)
  })

  test('the filter chips are the districts and types present, once each', () => {
    const f = facetsOf(rows)
    expect([...f.districts].sort()).toEqual(['北山学区', '城关学区', '河口学区'].sort())
    expect([...f.types].sort()).toEqual(['初中', '小学', '幼儿园'].sort())
  })

  test('met count: only targets with a value are counted', () => {
    expect(metCount(rows[0], ['T1', 'T2'])).toEqual({ met: 1, counted: 1 })
    expect(metCount(rows[1], ['T1'])).toEqual({ met: 0, counted: 1 })
    expect(metCount(rows[3], ['T1'])).toEqual({ met: 0, counted: 0 })
  })
})

describe('classes of a school', () => {
  const cls = (grade: string, className: string): ClassRow => ({ classId: className, className, grade, values: {} })

  test('by grade in school order, then by class number', () => {
    const sorted = sortClasses([
      cls('三年级', '三年级（1）班'),
      cls('一年级', '一年级（10）班'),
      cls('二年级', '二年级（1）班'),
      cls('一年级', '一年级（2）班'),
      cls('七年级', '七年级（1）班'),
      cls('一年级', '一年级（1）班')
    ]).map((c) => c.className)
    expect(sorted).toEqual(['一年级（1）班', '一年级（2）班', '一年级（10）班', '二年级（1）班', '三年级（1）班', '七年级（1）班'])
  })

  test('kindergarten before primary; unknown grades last', () => {
    expect(gradeRank('小班')).toBeLessThan(gradeRank('大班'))
    expect(gradeRank('大班')).toBeLessThan(gradeRank('一年级'))
    expect(gradeRank('九年级')).toBeLessThan(gradeRank('高一'))
    expect(gradeRank('特教班')).toBeGreaterThan(gradeRank('高三'))
  })

  test('natural order of numbers inside names', () => {
    expect(naturalCompare('（2）班', '（10）班')).toBeLessThan(0)
    expect(naturalCompare('a', 'a')).toBe(0)
    expect(compareNames('一年级（2）班', '一年级（10）班')).toBeLessThan(0)
  })
})
