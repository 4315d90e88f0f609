/**
 * The `stats` function's part of the contract: monthly snapshots of the targets (src/shared/targets.ts), the
 * principal's and the bureau's dashboards, the students behind a gap, exports and the annual report (白皮书).
 */
import { z } from 'zod'
import { action } from './action'
import { recordId } from './fields'
import type { FileLink, SchoolType } from './contract'
import type { TargetId, TargetValue } from './targets'

const empty = z.object({}).default({})
export const monthId = z
  .string({ invalid_type_error: '月份格式应为 YYYY-MM' })
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM')
const targetId = z.string({ required_error: '请选择指标' }).regex(/^T([1-9]|1[0-7])$/, '指标编号不正确')
const scope = z.enum(['school', 'county'], { errorMap: () => ({ message: '请选择统计范围（学校或全县）' }) })
/** a school year by the calendar year it starts in (2025 = 2025–2026学年) */
const schoolYear = z
  .number({ invalid_type_error: '学年格式不正确' })
  .int('学年格式不正确')
  .min(2020, '学年超出范围')
  .max(2100, '学年超出范围')

const schoolDashboardInput = z.object({ schoolId: recordId.optional() }).default({})
const classGapInput = z.object({ classId: recordId, targetId })
const recomputeInput = z.object({ scope, month: monthId.optional(), /** a principal of several schools: which one */ schoolId: recordId.optional() })
const exportInput = z.object({ scope, schoolId: recordId.optional(), schoolYear: schoolYear.optional() })
const reportRef = z.object({ scope, schoolId: recordId.optional(), schoolYear: schoolYear.optional() })
const sectionInput = z.object({
  key: z.string().trim().min(1, '缺少章节编号').max(40, '章节编号太长'),
  title: z.string({ required_error: '请填写章节标题' }).trim().min(1, '请填写章节标题').max(40, '章节标题不能超过 40 个字'),
  body: z.string({ required_error: '请填写章节内容' }).trim().max(5000, '每节内容不能超过 5000 字')
})
const saveReportInput = z.object({
  scope,
  /** a principal of several schools: which one */
  schoolId: recordId.optional(),
  schoolYear,
  title: z.string({ invalid_type_error: '报告标题格式不正确' }).trim().min(1, '请填写报告标题').max(60, '报告标题不能超过 60 个字').optional(),
  sections: z.array(sectionInput, { invalid_type_error: '报告内容格式不正确' }).min(1, '报告至少需要一节').max(20, '报告最多 20 节')
})

/** The month a dashboard shows: the latest snapshot. */
export interface SnapshotMeta {
  month: string
  /** epoch ms when it was computed */
  computedAt: number
  /** the month was still running when it was computed ("截至 …") */
  partial: boolean
}

export interface TrendPoint {
  month: string
  value: number | null
}

export interface TargetTile {
  targetId: TargetId
  value: TargetValue
  /** the last 12 months, oldest first (null where no snapshot exists) */
  trend: TrendPoint[]
  /** for multi-year targets: the value expected by now */
  pace: number | null
}

export interface ClassRow {
  classId: string
  className: string
  grade: string
  values: Partial<Record<TargetId, TargetValue>>
}

export type RunStatus = 'running' | 'done' | 'failed'
export interface RunView {
  runId: string
  month: string
  scope: 'school' | 'county'
  schoolId: string | null
  trigger: 'timer' | 'manual'
  status: RunStatus
  startedAt: number
  finishedAt: number | null
  /** why it failed, or "未完成" when it stopped without finishing */
  error: string | null
  /** database requests the run used */
  requests: number | null
}

export interface SchoolDashboard {
  school: { schoolId: string; name: string; district: string; type: SchoolType }
  snapshot: SnapshotMeta | null
  tiles: TargetTile[]
  classes: ClassRow[]
  /** the latest run touching this school (a failure is shown) */
  run: RunView | null
  /** the caller may list the students behind a gap (the school's admin) */
  canSeeStudents: boolean
  canRefresh: boolean
}

export interface SchoolStatusRow {
  schoolId: string
  name: string
  district: string
  type: SchoolType
  computedAt: number | null
  values: Partial<Record<TargetId, TargetValue>>
}

export interface CountyDashboard {
  county: { countyId: string; name: string }
  snapshot: SnapshotMeta | null
  tiles: TargetTile[]
  schools: SchoolStatusRow[]
  /** recent runs, newest first (failed and unfinished ones are shown) */
  runs: RunView[]
}

export interface GapStudent {
  studentId: string
  name: string
  /** masked: the last 4 digits */
  studentNo: string
}

export interface GapList {
  classId: string
  className: string
  targetId: TargetId
  label: string
  /** the class code to send to the parents (T1) */
  classCode: string | null
  students: GapStudent[]
  /** live data, as of this instant */
  asOf: number
}

export interface ReportSection {
  key: string
  title: string
  body: string
}

export interface AnnualReport {
  scope: 'school' | 'county'
  /** the school (school scope) or null */
  schoolId: string | null
  title: string
  /** e.g. 2025-2026 */
  schoolYear: string
  schoolYearStart: number
  sections: ReportSection[]
  generatedAt: number
  /** saved edits (null: an unedited draft generated from the snapshots) */
  updatedAt: number | null
}

export const statsActions = {
  /** School admin (their school) or bureau (any school of the county): targets, trends, classes. */
  schoolDashboard: action<typeof schoolDashboardInput, SchoolDashboard>(schoolDashboardInput),
  /** Bureau: the county's targets and every school's status. */
  countyDashboard: action<typeof empty, CountyDashboard>(empty),
  /** School admin of the class's school, or its head teacher: the students behind a gap (live). */
  classGap: action<typeof classGapInput, GapList>(classGapInput),
  /** School admin: recompute their school's current month; bureau: the county's current month or any past month. */
  recompute: action<typeof recomputeInput, RunView>(recomputeInput),
  /** School admin / bureau: the monthly statistics of a school year as .xlsx (one sheet per month). */
  exportStats: action<typeof exportInput, FileLink & { sheets: number }>(exportInput),
  /** School admin / bureau: the annual report (白皮书) — the saved edit or a draft generated from the snapshots. */
  annualReport: action<typeof reportRef, AnnualReport>(reportRef),
  /** School admin / bureau: save the edited report. */
  saveAnnualReport: action<typeof saveReportInput, AnnualReport>(saveReportInput),
  /** School admin / bureau: drop the saved edits and start again from a draft of the latest snapshots. */
  resetAnnualReport: action<typeof reportRef, AnnualReport>(reportRef),
  /** School admin / bureau: the report as a Word document (.docx). */
  downloadAnnualReport: action<typeof reportRef, FileLink>(reportRef)
}
