/**
 * The monthly rollup: every registered target (src/shared/targets.ts) for one month, per class, per school and
 * for the county, stored as snapshot documents in `statistics`.
 *
 * Cost does not grow with the number of schools: one grouped aggregation per target over the whole county
 * (each returns ONE document holding every group's counters), one for the classes, one for the schools, one
 * batch insert of the new snapshots and one removal of the older ones — plus the month's lock and the run record.
 * No query per school or per student.
 *
 * A re-run writes the new snapshots first and removes the older ones of the month only after that succeeded, so a
 * failed run never loses the figures already there; readers take the newest snapshot per school and month
 * (`newestPerKey`), so nothing is ever counted twice. One run per county and month at a time (a lock document),
 * whether the bureau runs the county or a principal their school. The run record (`kind: 'run'`) shows a failed or
 * unfinished run until a re-run succeeds.
 */
import { _, fetchAll } from '../../lib/cloud'
import type { ActionContext } from '../../lib/router'
import type { ClassDoc, SchoolDoc } from '../../lib/docs'
import { monthOf } from '@/shared/calendar'
import type { RunView } from '@/shared/contract-stats'
import { AppError } from '@/shared/errors'
import { addCounters, evaluateTarget, TARGETS, windowOf, type Level, type TargetId, type TargetValue } from '@/shared/targets'
import { countGroups } from '../../lib/targets'

export const COLLECTION = 'statistics'
/** A running run older than this is considered dead (WeChat stops a function after 60 s). */
export const STALE_RUN_MS = 90_000
/** snapshots per insert request (one request for a county of up to this many schools) */
const INSERT_CHUNK = 500

type Counters = Record<string, number>
type CountersByTarget = Partial<Record<TargetId, Counters>>

export interface ClassSnapshot {
  classId: string
  className: string
  grade: string
  counters: CountersByTarget
  values: Partial<Record<TargetId, TargetValue>>
}

export interface SnapshotDoc {
  _id: string
  kind: 'school' | 'county'
  month: string
  countyId: string
  schoolId?: string
  schoolName?: string
  district?: string
  schoolType?: string
  computedAt: Date
  /** computed before the month was over */
  partial: boolean
  runId: string
  /** the run attempt that wrote it (older attempts' snapshots are removed once a newer one is complete) */
  instance: string
  counters: CountersByTarget
  values: Partial<Record<TargetId, TargetValue>>
  classes?: ClassSnapshot[]
}

export interface RunDoc {
  _id: string
  kind: 'run'
  scope: 'school' | 'county'
  month: string
  countyId: string
  schoolId: string | null
  trigger: 'timer' | 'manual'
  by: string | null
  status: 'running' | 'done' | 'failed'
  startedAt: Date
  finishedAt: Date | null
  error: string | null
  requests: number | null
  attempts: number
}

export const snapshotId = (month: string, schoolId: string, instance: string) => `${month}_school_${schoolId}_${instance}`
export const countySnapshotId = (month: string, countyId: string, instance: string) => `${month}_county_${countyId}_${instance}`
export const runIdFor = (scope: 'school' | 'county', id: string, month: string) => `run_${scope}_${id}_${month}`
const lockIdFor = (countyId: string, month: string) => `lock_${countyId}_${month}`

/** The newest snapshot per (kind, school, month): while a re-run is being written both may exist for a moment. */
export function newestPerKey<T extends { kind: string; month: string; schoolId?: string; computedAt: Date | string }>(docs: T[]): T[] {
  const best = new Map<string, T>()
  for (const d of docs) {
    const key = `${d.kind}|${d.schoolId ?? ''}|${d.month}`
    const seen = best.get(key)
    if (!seen || new Date(d.computedAt).getTime() > new Date(seen.computedAt).getTime()) best.set(key, d)
  }
  return docs.filter((d) => best.get(`${d.kind}|${d.schoolId ?? ''}|${d.month}`) === d)
}

const time = (d: Date | string | null | undefined) => (d ? new Date(d).getTime() : 0)

export function runView(r: RunDoc, now: Date): RunView {
  const dead = r.status === 'running' && now.getTime() - time(r.startedAt) > STALE_RUN_MS
  return {
    runId: r._id,
    month: r.month,
    scope: r.scope,
    schoolId: r.schoolId ?? null,
    trigger: r.trigger,
    status: dead ? 'failed' : r.status,
    startedAt: time(r.startedAt),
    finishedAt: r.finishedAt ? time(r.finishedAt) : null,
    error: dead ? '统计未完成（超时或中断），请重新统计' : r.error,
    requests: r.requests
  }
}

/** Counts the database requests a run makes (stored on the run record and printed by the benchmark). */
class Counted {
  requests = 0
  /** (wx-server-sdk's typings include callback overloads returning void; every call here returns a promise) */
  async run<T = unknown>(p: unknown): Promise<T> {
    this.requests++
    return (await p) as T
  }
}

interface Reference {
  schools: SchoolDoc[]
  classes: Array<Pick<ClassDoc, '_id' | 'schoolId' | 'grade' | 'name'>>
}

async function reference(ctx: ActionContext, scope: { countyId: string; schoolId?: string }, counted: Counted): Promise<Reference> {
  const where = scope.schoolId ? { countyId: scope.countyId, _id: scope.schoolId } : { countyId: scope.countyId }
  const classWhere = scope.schoolId ? { countyId: scope.countyId, schoolId: scope.schoolId } : { countyId: scope.countyId }
  const [schools, classRows] = await Promise.all([
    fetchAll<SchoolDoc>(() => ctx.db.collection('schools').where(where).orderBy('_id', 'asc'), () => counted.requests++),
    // every class of the county in one document (a get() would need a request per 1000 classes)
    counted.run(
      ctx.db
        .collection('classes')
        .aggregate()
        .match(classWhere)
        .group({ _id: null, rows: { $push: { _id: '$_id', schoolId: '$schoolId', grade: '$grade', name: '$name' } } })
        .limit(1)
        .end()
    ) as Promise<{ list: Array<{ rows: Reference['classes'] }> }>
  ])
  return { schools, classes: classRows.list[0]?.rows ?? [] }
}

/**
 * Takes the county's lock for the month: one run at a time, county or school. A lock older than a function can
 * live is taken over. Refuses with STATS_RUNNING while another run holds it.
 */
async function lockMonth(ctx: ActionContext, countyId: string, month: string, holder: string, counted: Counted): Promise<void> {
  const _id = lockIdFor(countyId, month)
  try {
    await counted.run(ctx.db.collection(COLLECTION).add({ data: { _id, kind: 'lock', countyId, month, holder, at: ctx.now } }))
    return
  } catch {
    // held: take it over only when its holder is dead
  }
  const taken = (await counted.run(
    ctx.db
      .collection(COLLECTION)
      .where({ _id, at: _.lt(new Date(ctx.now.getTime() - STALE_RUN_MS)) })
      .update({ data: { holder, at: ctx.now } })
  )) as { stats: { updated: number } }
  if (!taken.stats.updated) throw new AppError('STATS_RUNNING')
}

async function unlockMonth(ctx: ActionContext, countyId: string, month: string, holder: string, counted: Counted): Promise<void> {
  await counted.run(ctx.db.collection(COLLECTION).where({ _id: lockIdFor(countyId, month), holder }).remove())
}

/** Marks the run as started (the lock is held): its record is created, or reused with one more attempt. */
async function startRun(ctx: ActionContext, base: Omit<RunDoc, 'status' | 'startedAt' | 'finishedAt' | 'error' | 'requests' | 'attempts'>, counted: Counted): Promise<void> {
  const fresh = { status: 'running', startedAt: ctx.now, finishedAt: null, error: null, requests: null }
  try {
    await counted.run(ctx.db.collection(COLLECTION).add({ data: { ...base, ...fresh, attempts: 1 } }))
  } catch {
    await counted.run(ctx.db.collection(COLLECTION).doc(base._id).update({ data: { ...fresh, trigger: base.trigger, by: base.by, attempts: _.inc(1) } }))
  }
}

async function finishRun(ctx: ActionContext, id: string, patch: Partial<RunDoc>, counted: Counted): Promise<void> {
  await counted.run(ctx.db.collection(COLLECTION).doc(id).update({ data: { ...patch, finishedAt: new Date() } }))
}

const valuesOf = (counters: CountersByTarget, level: Level, at: number): Partial<Record<TargetId, TargetValue>> => {
  const out: Partial<Record<TargetId, TargetValue>> = {}
  for (const def of TARGETS) {
    if (!def.levels.includes(level)) continue
    const c = counters[def.id]
    if (c) out[def.id] = evaluateTarget(def, c, at)
  }
  return out
}

export interface RollupResult {
  run: RunView
  snapshots: number
  requests: number
}

/**
 * Computes and stores one month's snapshots: for the whole county (every school, and the county document) or,
 * for a principal's refresh, their school only. `ctx.now` decides whether the month is still running.
 */
export async function rollup(
  ctx: ActionContext,
  opts: { countyId: string; schoolId?: string; month: string; trigger: 'timer' | 'manual'; by: string | null }
): Promise<RollupResult> {
  const counted = new Counted()
  const scope = opts.schoolId ? 'school' : 'county'
  const runId = runIdFor(scope, opts.schoolId ?? opts.countyId, opts.month)
  // this attempt's mark on its snapshots (time-ordered, unique enough for one county and month under the lock)
  const instance = `${ctx.now.getTime().toString(36)}${Math.random().toString(36).slice(2, 6)}`
  await lockMonth(ctx, opts.countyId, opts.month, instance, counted)
  try {
    await startRun(ctx, { _id: runId, kind: 'run', scope, month: opts.month, countyId: opts.countyId, schoolId: opts.schoolId ?? null, trigger: opts.trigger, by: opts.by }, counted)
  } catch (e) {
    await unlockMonth(ctx, opts.countyId, opts.month, instance, counted).catch(() => undefined)
    throw e
  }
  try {
    const where = { countyId: opts.countyId, schoolId: opts.schoolId }
    const defs = TARGETS.filter((d) => (opts.schoolId ? d.levels.some((l) => l !== 'county') : true))
    // one aggregation per count: targets sharing one (T6 and T7) are counted together
    const specs = [...new Set(defs.map((d) => d.count))]
    const [ref, ...specRows] = await Promise.all([
      reference(ctx, where, counted),
      ...specs.map((spec) => {
        counted.requests++
        return countGroups(ctx, spec, windowOf(defs.find((d) => d.count === spec)!, opts.month, ctx.now), where)
      })
    ])
    const counts = defs.map((d) => specRows[specs.indexOf(d.count)])
    const partial = ctx.now.getTime() < monthOf(`${opts.month}-01`).end
    // the instant the month's counters are taken (its end, or now for the running month)
    const at = windowOf({ period: 'month' }, opts.month, ctx.now).at.getTime()

    // class rows → schools → county
    const schoolCounters = new Map<string, CountersByTarget>()
    const classCounters = new Map<string, CountersByTarget>()
    const countyCounters: CountersByTarget = {}
    const add = (map: Map<string, CountersByTarget>, id: string, t: TargetId, v: Counters) => {
      const entry = map.get(id) ?? {}
      entry[t] = addCounters(entry[t] ?? {}, v)
      map.set(id, entry)
    }
    defs.forEach((def, i) => {
      for (const row of counts[i]) {
        if (def.count.by === 'class' && row._id.c) add(classCounters, row._id.c, def.id, row.v)
        if (def.count.by !== 'county' && row._id.s) add(schoolCounters, row._id.s, def.id, row.v)
        countyCounters[def.id] = addCounters(countyCounters[def.id] ?? {}, row.v)
      }
      // a target with no records at all still has a (zero) value
      countyCounters[def.id] ??= {}
    })

    const classesBySchool = new Map<string, Reference['classes']>()
    for (const c of ref.classes) classesBySchool.set(c.schoolId, [...(classesBySchool.get(c.schoolId) ?? []), c])
    const base = { month: opts.month, countyId: opts.countyId, computedAt: ctx.now, partial, runId, instance }
    const docs: SnapshotDoc[] = ref.schools.map((s) => {
      const counters: CountersByTarget = schoolCounters.get(s._id) ?? {}
      for (const def of defs) if (def.levels.includes('school')) counters[def.id] ??= {}
      const classes: ClassSnapshot[] = (classesBySchool.get(s._id) ?? []).map((c) => {
        const cc = classCounters.get(c._id) ?? {}
        return { classId: c._id, className: c.name, grade: c.grade, counters: cc, values: valuesOf(cc, 'class', at) }
      })
      return {
        _id: snapshotId(opts.month, s._id, instance),
        kind: 'school',
        ...base,
        schoolId: s._id,
        schoolName: s.name,
        district: s.district,
        schoolType: s.type,
        counters,
        values: valuesOf(counters, 'school', at),
        classes
      }
    })
    if (!opts.schoolId) {
      docs.push({ _id: countySnapshotId(opts.month, opts.countyId, instance), kind: 'county', ...base, counters: countyCounters, values: valuesOf(countyCounters, 'county', at) })
    }

    // the new snapshots first; then the month's older ones of the scope go (a failed insert loses nothing)
    for (let i = 0; i < docs.length; i += INSERT_CHUNK) await counted.run(ctx.db.collection(COLLECTION).add({ data: docs.slice(i, i + INSERT_CHUNK) as never }))
    await counted.run(
      ctx.db
        .collection(COLLECTION)
        .where({
          countyId: opts.countyId,
          month: opts.month,
          instance: _.neq(instance),
          ...(opts.schoolId ? { kind: 'school', schoolId: opts.schoolId } : { kind: _.in(['school', 'county']) })
        })
        .remove()
    )
    const requests = counted.requests + 2
    await finishRun(ctx, runId, { status: 'done', error: null, requests }, counted)
    await unlockMonth(ctx, opts.countyId, opts.month, instance, counted)
    return {
      run: runView({ _id: runId, kind: 'run', scope, month: opts.month, countyId: opts.countyId, schoolId: opts.schoolId ?? null, trigger: opts.trigger, by: opts.by, status: 'done', startedAt: ctx.now, finishedAt: new Date(), error: null, requests, attempts: 1 }, ctx.now),
      snapshots: docs.length,
      requests
    }
  } catch (e) {
    // the details are for the developer's log; people see a plain sentence (the month's earlier figures stay)
    console.error('[stats] rollup failed', opts, e)
    const message = e instanceof AppError ? e.message : '统计未能完成（已保留之前的统计结果），请稍后重新统计'
    await finishRun(ctx, runId, { status: 'failed', error: message, requests: counted.requests }, counted).catch(() => undefined)
    await unlockMonth(ctx, opts.countyId, opts.month, instance, counted).catch(() => undefined)
    throw e
  }
}
