/**
 * Ordering and filtering of the dashboards' tables (pure, unit-tested): the county's school table (sort by name or
 * by any target's value, filter by 学区 and 学校类型) and a school's classes (by grade, then by name).
 */
import type { ClassRow, SchoolStatusRow } from '@/shared/contract-stats'
import type { TargetId } from '@/shared/targets'

export type SortKey = 'name' | TargetId
export type SortDir = 'asc' | 'desc'
export interface SortState {
  key: SortKey
  dir: SortDir
}

export const DEFAULT_SORT: SortState = { key: 'name', dir: 'asc' }

/** Chinese names in pinyin order where the engine knows it (WeChat's may not: then by code point). */
export function compareNames(a: string, b: string): number {
  try {
    const c = a.localeCompare(b, 'zh-Hans-CN', { numeric: true })
    if (c !== 0) return c
  } catch {
    // no locale support
  }
  return naturalCompare(a, b)
}

/** "一年级（2）班" before "一年级（10）班": digit runs compare as numbers. */
export function naturalCompare(a: string, b: string): number {
  const split = (s: string) => s.match(/\d+|\D+/g) ?? []
  const pa = split(a)
  const pb = split(b)
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]
    const y = pb[i]
    if (x === y) continue
    const nx = /^\d/.test(x) ? Number(x) : NaN
    const ny = /^\d/.test(y) ? Number(y) : NaN
    if (!Number.isNaN(nx) && !Number.isNaN(ny) && nx !== ny) return nx - ny
    return x < y ? -1 : 1
  }
  return pa.length - pb.length
}

/** Tapping a column header: the same column flips its direction; another column starts ascending. */
export function nextSort(current: SortState, key: SortKey): SortState {
  return current.key === key ? { key, dir: current.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: 'asc' }
}

/** Schools in the chosen order. Schools without a value for the column come last either way; ties go by name. */
export function sortSchools(rows: readonly SchoolStatusRow[], sort: SortState): SchoolStatusRow[] {
  const sign = sort.dir === 'asc' ? 1 : -1
  const valueOf = (r: SchoolStatusRow) => {
    const v = sort.key === 'name' ? null : r.values[sort.key]?.value
    return v === null || v === undefined || !Number.isFinite(v) ? null : v
  }
  return [...rows].sort((a, b) => {
    if (sort.key === 'name') return sign * compareNames(a.name, b.name)
    const va = valueOf(a)
    const vb = valueOf(b)
    if (va === null && vb === null) return compareNames(a.name, b.name)
    if (va === null) return 1
    if (vb === null) return -1
    return va !== vb ? sign * (va - vb) : compareNames(a.name, b.name)
  })
}

export interface SchoolFilter {
  /** '' = every district */
  district: string
  /** '' = every type */
  type: string
}

export function filterSchools(rows: readonly SchoolStatusRow[], filter: SchoolFilter): SchoolStatusRow[] {
  return rows.filter((r) => (!filter.district || r.district === filter.district) && (!filter.type || r.type === filter.type))
}

/** The districts and school types present in the rows (the filter chips), each in name order. */
export function facetsOf(rows: readonly SchoolStatusRow[]): { districts: string[]; types: string[] } {
  const districts = Array.from(new Set(rows.map((r) => r.district).filter(Boolean))).sort(compareNames)
  const types = Array.from(new Set(rows.map((r) => r.type).filter(Boolean))).sort(compareNames)
  return { districts, types }
}

/** Grades in school order; unknown grades after them, by name. */
const GRADE_ORDER = [
  '托班', '小班', '中班', '大班',
  '一年级', '二年级', '三年级', '四年级', '五年级', '六年级', '七年级', '八年级', '九年级',
  '初一', '初二', '初三', '高一', '高二', '高三'
]

export function gradeRank(grade: string): number {
  const i = GRADE_ORDER.indexOf(grade.trim())
  if (i >= 0) return i
  const n = /^(\d+)/.exec(grade.trim())
  return n ? 4 + Number(n[1]) - 1 : GRADE_ORDER.length + 100
}

/** Classes by grade (一年级 before 二年级), then by class name with numbers in order (（2）班 before（10）班). */
export function sortClasses(rows: readonly ClassRow[]): ClassRow[] {
  return [...rows].sort((a, b) => gradeRank(a.grade) - gradeRank(b.grade) || compareNames(a.grade, b.grade) || naturalCompare(a.className, b.className))
}

/** How many of the given targets a school meets, out of those with a value. */
export function metCount(row: Pick<SchoolStatusRow, 'values'>, ids: readonly TargetId[]): { met: number; counted: number } {
  let met = 0
  let counted = 0
  for (const id of ids) {
    const v = row.values[id]
    if (!v || v.met === null) continue
    counted++
    if (v.met) met++
  }
  return { met, counted }
}
