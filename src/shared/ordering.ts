/**
 * How people expect lists ordered, the same in the app, the cloud functions and the exports: Chinese names in
 * pinyin order, numbers inside names by value (（2）班 before（10）班), grades in school order (小班 → 大班,
 * 一年级 → 九年级).
 */

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

/** Classes by grade, then by class name (numbers in order). */
export function compareClasses(a: { grade: string; className: string }, b: { grade: string; className: string }): number {
  return gradeRank(a.grade) - gradeRank(b.grade) || compareNames(a.grade, b.grade) || naturalCompare(a.className, b.className)
}

/** Class names alone ("一年级（2）班") in school order: the grade is read from the start of the name. */
export function compareClassNames(a: string, b: string): number {
  const gradeOf = (name: string) => GRADE_ORDER.find((g) => name.trim().startsWith(g)) ?? ''
  return compareClasses({ grade: gradeOf(a), className: a }, { grade: gradeOf(b), className: b })
}
