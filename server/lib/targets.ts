/**
 * Runs a target's count (src/shared/targets.ts) against the database: one grouped aggregation over the scope,
 * returning ONE document that holds every group's summed counters. Used by the monthly rollup (whole county or
 * one school) and by live views that must agree with it to the record (class coverage).
 */
import type { ActionContext } from './router'
import { toSdkQuery, withStages } from './query'
import type { CountSpec, TargetWindow } from '@/shared/targets'

export type GroupRow = { _id: { c?: string; s?: string; k?: string }; v: Record<string, number>; /** the group's label (opts.label) */ l?: string }

export interface CountScope {
  countyId: string
  schoolId?: string
  /** only these classes (their records carry classId) */
  classIds?: string[]
}

export async function countGroups(
  ctx: Pick<ActionContext, 'db'>,
  spec: CountSpec,
  w: TargetWindow,
  scope: CountScope,
  opts: { /** a field of the records naming the group (e.g. '$className'), returned as `l` */ label?: string } = {}
): Promise<GroupRow[]> {
  const match: Record<string, unknown> = { ...spec.match(w), countyId: scope.countyId, ...(scope.schoolId ? { schoolId: scope.schoolId } : {}) }
  let q = withStages(ctx.db.collection(spec.collection).aggregate().match(toSdkQuery(match) as Record<string, unknown>), spec.stages?.(w) ?? [])
  // classes are chosen after the stages: a student's class at the instant may be set there
  if (scope.classIds) q = q.match(toSdkQuery({ classId: { $in: scope.classIds } }) as Record<string, unknown>)
  const key = spec.by === 'class' ? { c: '$classId', s: '$schoolId' } : spec.by === 'school' ? { s: '$schoolId' } : { k: '$countyId' }
  const counters = spec.counters(w)
  const sums: Record<string, unknown> = { _id: key }
  const names = Object.keys(counters)
  names.forEach((n, i) => (sums[`n${i}`] = { $sum: counters[n] }))
  const values: Record<string, string> = {}
  names.forEach((n, i) => (values[n] = `$n${i}`))
  if (opts.label) sums.l = { $first: opts.label }
  const res = (await q
    .group(sums)
    .group({ _id: null, rows: { $push: { _id: '$_id', v: values, ...(opts.label ? { l: '$l' } : {}) } } })
    .limit(1)
    .end()) as { list: Array<{ rows: GroupRow[] }> }
  return res.list[0]?.rows ?? []
}
