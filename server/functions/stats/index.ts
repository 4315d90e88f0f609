/**
 * stats — monthly statistics against the targets (PRODUCT.md capability 10, the Targets table).
 *
 * A timer trigger (config.json: 02:00 on the 1st, Asia/Shanghai) snapshots the month just ended for every county;
 * a principal refreshes their school's current month and the bureau the county's (or re-runs a past month). The
 * dashboards read only snapshots: a principal's costs 2 database requests, the county's 3. The students behind a
 * gap are read live and only by those who may see them (the school's admin, the class's head teacher) — the
 * bureau sees counts, never students. Exports and the annual report are built from the snapshots.
 */
import { _, fetchAll, fetchList } from '../../lib/cloud'
import { publish, stamp } from '../../lib/files'
import { activeMemberships, requireBureau, requireManageClass } from '../../lib/auth'
import type { ClassDoc, MembershipDoc, SchoolDoc } from '../../lib/docs'
import { createFunction, type ActionContext } from '../../lib/router'
import { toSdkQuery, withStages } from '../../lib/query'
import { monthOf, previousMonthOf, schoolYearOf, schoolYearStarting, monthsIn } from '@/shared/calendar'
import type { AnnualReport, ClassRow, GapStudent, RunView, SchoolStatusRow, SnapshotMeta, TargetTile } from '@/shared/contract-stats'
import type { SchoolType } from '@/shared/contract'
import { AppError } from '@/shared/errors'
import { compareClasses, compareNames } from '@/shared/ordering'
import { targetById, targetsAt, windowOf, type Level } from '@/shared/targets'
import { COLLECTION, newestPerKey, rollup, runView, type RunDoc, type SnapshotDoc } from './rollup'
import { statsWorkbook } from './workbook'
import { draftReport, reportDocx, type ReportDoc } from './report'

const TREND_MONTHS = 12
/** the programme began in 2024; nothing before 2020 is worth a snapshot */
const EARLIEST_MONTH = '2020-01'
const time = (d: Date | string | null | undefined) => (d ? new Date(d).getTime() : 0)

/** The first month a dashboard reads: 12 months before this one (the latest snapshot is often last month's). */
const firstTrendMonth = (now: Date) => previousMonthOf(monthOf(`${trendMonths(monthOf(now).id)[0]}-01`).start).id

/** A name usable in a storage path (a report title may contain anything). */
const safeFileName = (s: string) => s.replace(/[\\/:*?"<>|\s.]+/g, '_').slice(0, 60) || '报告'

/** Where an export goes: a random part so the path cannot be guessed from the school and the time. */
const exportPath = (folder: string, id: string, name: string, ext: string, now: Date) =>
  `exports/${folder}/${id}/${safeFileName(name)}-${stamp(now)}-${Math.random().toString(36).slice(2, 10)}.${ext}`

/** The months of a 12-month trend ending with `last` (oldest first). */
function trendMonths(last: string): string[] {
  const out = [last]
  while (out.length < TREND_MONTHS) out.unshift(previousMonthOf(monthOf(`${out[0]}-01`).start).id)
  return out
}

const meta = (s: SnapshotDoc): SnapshotMeta => ({ month: s.month, computedAt: time(s.computedAt), partial: !!s.partial })

function tiles(level: Level, snapshots: SnapshotDoc[], now: Date): TargetTile[] {
  const latest = snapshots[0]
  if (!latest) return []
  const months = trendMonths(latest.month)
  const byMonth = new Map(snapshots.map((s) => [s.month, s]))
  return targetsAt(level).map((def) => ({
    targetId: def.id,
    value: latest.values[def.id] ?? { value: null, numerator: 0, denominator: null, met: null },
    trend: months.map((m) => ({ month: m, value: byMonth.get(m)?.values[def.id]?.value ?? null })),
    pace: def.pace ? def.pace(windowOf(def, latest.month, now).at.getTime()) : null
  }))
}

function latestRun(runs: RunDoc[], now: Date): RunView | null {
  const r = [...runs].sort((a, b) => time(b.startedAt) - time(a.startedAt))[0]
  return r ? runView(r, now) : null
}

/** Which school the caller may see, and as whom: its admin, or the bureau of its county. */
function schoolAccess(memberships: MembershipDoc[], requested: string | undefined): { schoolId: string; countyId: string; admin: boolean } {
  const admin = memberships.find((m) => m.role === 'schoolAdmin' && m.schoolId && (!requested || m.schoolId === requested))
  if (admin) return { schoolId: admin.schoolId as string, countyId: admin.countyId, admin: true }
  const bureau = memberships.find((m) => m.role === 'bureauAdmin' && m.countyId)
  if (bureau && requested) return { schoolId: requested, countyId: bureau.countyId, admin: false }
  throw new AppError('PERMISSION_DENIED')
}

async function schoolDoc(ctx: ActionContext, schoolId: string, countyId: string): Promise<SchoolDoc> {
  const [s] = await fetchList<SchoolDoc>(ctx.db.collection('schools').where({ _id: schoolId }).limit(1))
  // another county's school is as good as missing
  if (!s || s.countyId !== countyId) throw new AppError('PERMISSION_DENIED')
  return s
}

const reportId = (scope: 'school' | 'county', id: string, startYear: number) => `${scope}_${id}_${startYear}`

/** The snapshots of a school year for the school or the county (county: the county documents and every school's). */
async function yearSnapshots(ctx: ActionContext, scope: 'school' | 'county', who: { id: string; countyId: string }, startYear: number): Promise<SnapshotDoc[]> {
  const months = monthsIn(schoolYearStarting(startYear)).map((m) => m.id)
  const where = scope === 'school' ? { kind: 'school', schoolId: who.id, countyId: who.countyId, month: _.in(months) } : { countyId: who.countyId, kind: _.in(['school', 'county']), month: _.in(months) }
  // a stable order for paging (many documents share a month); the county's figures need no class rows
  const fields = scope === 'county' ? { classes: false, counters: false } : { counters: false }
  return newestPerKey(await fetchAll<SnapshotDoc>(() => ctx.db.collection(COLLECTION).where(where).field(fields).orderBy('month', 'asc').orderBy('_id', 'asc')))
}

/** The caller's right to a school's or the county's reports and exports. */
function reportAccess(memberships: MembershipDoc[], scope: 'school' | 'county', schoolId: string | undefined): { id: string; countyId: string; name: string } {
  if (scope === 'county') {
    const b = requireBureau(memberships)
    return { id: b.countyId, countyId: b.countyId, name: b.countyName ?? '本县' }
  }
  const a = schoolAccess(memberships, schoolId)
  const m = memberships.find((x) => x.role === 'schoolAdmin' && x.schoolId === a.schoolId)
  return { id: a.schoolId, countyId: a.countyId, name: m?.schoolName ?? '' }
}


async function loadReport(ctx: ActionContext, memberships: MembershipDoc[], input: { scope: 'school' | 'county'; schoolId?: string; schoolYear?: number }): Promise<ReportDoc> {
  const who = reportAccess(memberships, input.scope, input.schoolId)
  const startYear = input.schoolYear ?? schoolYearOf(ctx.now).startYear
  const _id = reportId(input.scope, who.id, startYear)
  const [saved, snapshots] = await Promise.all([fetchList<ReportDoc>(ctx.db.collection('annualReports').where({ _id }).limit(1)), yearSnapshots(ctx, input.scope, who, startYear)])
  if (input.scope === 'school' && !who.name) {
    const s = snapshots.find((x) => x.schoolName)
    who.name = s?.schoolName ?? (await schoolDoc(ctx, who.id, who.countyId)).name
  }
  const draft = draftReport({ scope: input.scope, name: who.name, startYear, snapshots, now: ctx.now })
  if (saved[0]) return { ...saved[0], generatedAt: draft.generatedAt }
  return { _id, scope: input.scope, ownerId: who.id, countyId: who.countyId, schoolYearStart: startYear, ...draft, updatedAt: null }
}

function reportView(r: ReportDoc): AnnualReport {
  return {
    scope: r.scope,
    schoolId: r.scope === 'school' ? r.ownerId : null,
    title: r.title,
    schoolYear: schoolYearStarting(r.schoolYearStart).id,
    schoolYearStart: r.schoolYearStart,
    sections: r.sections,
    generatedAt: time(r.generatedAt),
    updatedAt: r.updatedAt ? time(r.updatedAt) : null
  }
}

export const main = createFunction(
  'stats',
  {
    async schoolDashboard(input, ctx) {
      const memberships = await activeMemberships(ctx)
      const access = schoolAccess(memberships, input.schoolId)
      const from = firstTrendMonth(ctx.now)
      // One request: the school's snapshots of the last 12 months (the current one too) and the runs touching it.
      const docs = await fetchList<SnapshotDoc | RunDoc>(
        ctx.db
          .collection(COLLECTION)
          .where(
            _.or([
              { kind: 'school', schoolId: access.schoolId, month: _.gte(from) },
              { kind: 'run', scope: 'county', countyId: access.countyId, month: _.gte(from) },
              { kind: 'run', scope: 'school', schoolId: access.schoolId, month: _.gte(from) }
            ])
          )
          .orderBy('month', 'desc')
          .limit(100)
      )
      const snapshots = newestPerKey(docs.filter((d): d is SnapshotDoc => d.kind === 'school' && d.countyId === access.countyId))
      const runs = docs.filter((d): d is RunDoc => d.kind === 'run')
      const latest = snapshots[0]
      let school: { schoolId: string; name: string; district: string; type: SchoolType }
      if (latest) {
        school = { schoolId: access.schoolId, name: latest.schoolName ?? '', district: latest.district ?? '', type: (latest.schoolType ?? '其他') as SchoolType }
      } else {
        const s = await schoolDoc(ctx, access.schoolId, access.countyId)
        school = { schoolId: s._id, name: s.name, district: s.district, type: s.type as SchoolType }
      }
      const classes: ClassRow[] = (latest?.classes ?? [])
        .map((c) => ({ classId: c.classId, className: c.className, grade: c.grade, values: c.values }))
        .sort(compareClasses)
      return {
        school,
        snapshot: latest ? meta(latest) : null,
        tiles: tiles('school', snapshots, ctx.now),
        classes,
        run: latestRun(runs, ctx.now),
        canSeeStudents: access.admin,
        canRefresh: access.admin
      }
    },

    async countyDashboard(_input, ctx) {
      const bureau = requireBureau(await activeMemberships(ctx))
      const from = firstTrendMonth(ctx.now)
      const docs = await fetchList<SnapshotDoc | RunDoc>(
        ctx.db
          .collection(COLLECTION)
          // the county's snapshots and runs; of the principals' school refreshes only those that did not finish
          .where(
            _.and([
              { countyId: bureau.countyId, month: _.gte(from) },
              _.or([{ kind: 'county' }, { kind: 'run', scope: 'county' }, { kind: 'run', status: _.in(['running', 'failed']) }])
            ])
          )
          .orderBy('month', 'desc')
          .limit(1000)
      )
      const counties = newestPerKey(docs.filter((d): d is SnapshotDoc => d.kind === 'county'))
      const runs = docs.filter((d): d is RunDoc => d.kind === 'run').sort((a, b) => time(b.startedAt) - time(a.startedAt))
      const latest = counties[0]
      let schools: SchoolStatusRow[] = []
      if (latest) {
        const rows = await fetchList<SnapshotDoc>(
          ctx.db
            .collection(COLLECTION)
            .where({ countyId: bureau.countyId, kind: 'school', month: latest.month })
            .field({ kind: true, month: true, schoolId: true, schoolName: true, district: true, schoolType: true, computedAt: true, values: true })
            .limit(1000)
        )
        schools = newestPerKey(rows)
          .map((s) => ({ schoolId: s.schoolId as string, name: s.schoolName ?? '', district: s.district ?? '', type: (s.schoolType ?? '其他') as SchoolType, computedAt: time(s.computedAt), values: s.values }))
          .sort((a, b) => compareNames(a.district, b.district) || compareNames(a.name, b.name))
      }
      return {
        county: { countyId: bureau.countyId, name: bureau.countyName ?? '本县' },
        snapshot: latest ? meta(latest) : null,
        tiles: tiles('county', counties, ctx.now),
        schools,
        runs: runs.filter((r) => r.scope === 'county' || r.status !== 'done').slice(0, 10).map((r) => runView(r, ctx.now))
      }
    },

    async classGap(input, ctx) {
      const def = targetById(input.targetId)
      if (!def?.gap || !def.count.stages || def.count.by !== 'class') throw new AppError('NOT_FOUND', '该指标没有可列出的学生名单')
      const gap = def.gap
      const [memberships, klass] = await Promise.all([activeMemberships(ctx), fetchList<ClassDoc>(ctx.db.collection('classes').where({ _id: input.classId }).limit(1))])
      const cls = klass[0]
      requireManageClass(memberships, input.classId, cls?.schoolId)
      const w = windowOf(def, monthOf(ctx.now).id, ctx.now)
      const q = withStages(
        ctx.db
          .collection(def.count.collection)
          .aggregate()
          .match(toSdkQuery({ ...def.count.match(w), classId: input.classId }) as Record<string, unknown>),
        def.count.stages(w)
      )
      const res = (await q
        .addFields({ counted: def.count.counters(w)[gap.counter] })
        .match({ counted: 0 })
        .project({ _id: 1, name: 1, studentNo: 1 })
        .sort({ name: 1 })
        .limit(500)
        .end()) as { list: Array<{ _id: string; name: string; studentNo: string }> }
      const students: GapStudent[] = res.list
        .map((s) => ({ studentId: s._id, name: s.name, studentNo: `****${String(s.studentNo ?? '').slice(-4)}` }))
        .sort((a, b) => compareNames(a.name, b.name))
      return { classId: cls._id, className: cls.name, targetId: def.id, label: gap.label, classCode: def.id === 'T1' ? cls.code || null : null, students, asOf: ctx.now.getTime() }
    },

    async recompute(input, ctx) {
      const memberships = await activeMemberships(ctx)
      const current = monthOf(ctx.now).id
      const month = input.month ?? current
      if (month > current) throw new AppError('INVALID_INPUT', '不能统计尚未开始的月份')
      if (month < EARLIEST_MONTH) throw new AppError('INVALID_INPUT', `只能统计 ${EARLIEST_MONTH.slice(0, 4)} 年以后的月份`)
      if (input.scope === 'school') {
        const admin = memberships.find((m) => m.role === 'schoolAdmin' && m.schoolId && (!input.schoolId || m.schoolId === input.schoolId))
        if (!admin) throw new AppError('PERMISSION_DENIED')
        if (month !== current) throw new AppError('INVALID_INPUT', '学校只能刷新本月的统计；往月的统计由教育局重新统计')
        return (await rollup(ctx, { countyId: admin.countyId, schoolId: admin.schoolId, month, trigger: 'manual', by: ctx.openid })).run
      }
      const bureau = requireBureau(memberships)
      return (await rollup(ctx, { countyId: bureau.countyId, month, trigger: 'manual', by: ctx.openid })).run
    },

    async exportStats(input, ctx) {
      const memberships = await activeMemberships(ctx)
      const who = reportAccess(memberships, input.scope, input.schoolId)
      const startYear = input.schoolYear ?? schoolYearOf(ctx.now).startYear
      const snapshots = await yearSnapshots(ctx, input.scope, who, startYear)
      if (snapshots.length === 0) throw new AppError('NOT_FOUND', '该学年还没有统计数据，请先统计后再导出')
      const name = who.name || snapshots.find((x) => x.schoolName)?.schoolName || ''
      const { buffer, sheets, title } = await statsWorkbook({ scope: input.scope, startYear, snapshots, name })
      const link = await publish(exportPath('stats', who.id, title, 'xlsx', ctx.now), buffer)
      return { ...link, sheets }
    },

    async annualReport(input, ctx) {
      return reportView(await loadReport(ctx, await activeMemberships(ctx), input))
    },

    async saveAnnualReport(input, ctx) {
      const memberships = await activeMemberships(ctx)
      // a school's report is saved by its admin (the bureau reads it), the county's by the bureau
      if (input.scope === 'school' && !memberships.some((m) => m.role === 'schoolAdmin' && m.schoolId && (!input.schoolId || m.schoolId === input.schoolId))) {
        throw new AppError('PERMISSION_DENIED')
      }
      const report = await loadReport(ctx, memberships, { scope: input.scope, schoolId: input.schoolId, schoolYear: input.schoolYear })
      const saved: ReportDoc = { ...report, title: input.title ?? report.title, sections: input.sections, updatedAt: ctx.now, updatedBy: ctx.openid }
      const { _id, ...data } = saved
      await ctx.db.collection('annualReports').doc(_id).set({ data })
      return reportView(saved)
    },

    async resetAnnualReport(input, ctx) {
      const memberships = await activeMemberships(ctx)
      // like saving: a school's report is its admin's, the county's the bureau's
      if (input.scope === 'school' && !memberships.some((m) => m.role === 'schoolAdmin' && m.schoolId && (!input.schoolId || m.schoolId === input.schoolId))) {
        throw new AppError('PERMISSION_DENIED')
      }
      const report = await loadReport(ctx, memberships, input)
      await ctx.db.collection('annualReports').where({ _id: report._id }).remove()
      return reportView(await loadReport(ctx, memberships, input))
    },

    async downloadAnnualReport(input, ctx) {
      const report = await loadReport(ctx, await activeMemberships(ctx), input)
      const buffer = await reportDocx(report)
      return publish(exportPath('reports', report.ownerId, report.title, 'docx', ctx.now), buffer)
    }
  },
  {
    /** 02:00 on the 1st (Asia/Shanghai): every county's month just ended. One county failing does not stop the others. */
    async timer(_event, base) {
      const ctx = { ...base, openid: '' }
      const month = previousMonthOf(ctx.now).id
      // every county that has schools, in one request
      const res = (await ctx.db.collection('schools').aggregate().group({ _id: '$countyId' }).limit(1000).end()) as { list: Array<{ _id: string }> }
      const counties = res.list.map((c) => ({ countyId: c._id }))
      const results: Array<{ countyId: string; ok: boolean; snapshots?: number; requests?: number; error?: string }> = []
      for (const c of counties) {
        try {
          const r = await rollup(ctx, { countyId: c.countyId, month, trigger: 'timer', by: null })
          results.push({ countyId: c.countyId, ok: true, snapshots: r.snapshots, requests: r.requests })
        } catch (e) {
          results.push({ countyId: c.countyId, ok: false, error: (e as Error).message })
        }
      }
      return { month, results }
    }
  }
)
