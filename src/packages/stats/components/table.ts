/**
 * Ordering and filtering of the dashboards' tables (pure, unit-tested): the county's school table (sort by name or
 * by any target's value, filter by 学区 and 学校类型) and a school's classes (by grade, then by name).
 */
import type { ClassRow, SchoolStatusRow } from '@/shared/contract-stats'
import type { TargetId } from '@/shared/targets'
import { compareClasses, compareNames } from '@/shared/ordering'

export { compareNames, gradeRank, naturalCompare } from '@/shared/ordering'

export type SortKey = 'name' | TargetId
export type SortDir = 'asc' | 'desc'
export interface SortState {
  key: SortKey
  dir: SortDir
}

export const DEFAULT_SORT: SortState = { key: 'name', dir: 'asc' }

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

/** Classes by grade (一年级 before 二年级), then by class name with numbers in order (（2）班 before（10）班). */
export function sortClasses(rows: readonly ClassRow[]): ClassRow[] {
  return [...rows].sort(compareClasses)
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
