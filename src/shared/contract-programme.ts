/**
 * The `programme` function's part of the contract: the 示范校 programme (000 四) — creation rounds, the schools'
 * applications (申报表), self-assessment against the standard, the bureau's evaluation and re-checks.
 * The standard, the statuses and the transition table are in ./programme.
 */
import { z } from 'zod'
import { action } from './action'
import { recordId } from './fields'
import type { SchoolType } from './contract'
import {
  APPLICATION_STATUSES,
  ITEM_KEYS,
  LIMITS,
  PHONE_PATTERN,
  isValidDay,
  standardItem,
  type ApplicationStatus,
  type EvidenceKind,
  type ProgrammeStep
} from './programme'

const empty = z.object({}).default({})
const day = (what: string) =>
  z
    .string({ required_error: `请填写${what}`, invalid_type_error: `${what}格式应为 YYYY-MM-DD` })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${what}格式应为 YYYY-MM-DD，例如 2026-03-01`)
    .refine(isValidDay, `${what}不是有效的日期`)
const longText = (what: string, max: number) =>
  z
    .string({ required_error: `请填写${what}`, invalid_type_error: `请填写${what}` })
    .trim()
    .min(LIMITS.textMin, `${what}至少写 ${LIMITS.textMin} 个字`)
    .max(max, `${what}不能超过 ${max} 个字`)
const itemKey = z.enum(ITEM_KEYS as [string, ...string[]], { errorMap: () => ({ message: '评分项目不存在' }) })
const score = z
  .number({ required_error: '请填写得分', invalid_type_error: '得分应为数字' })
  .int('得分应为整数')
  .min(0, '得分不能小于 0')
  .max(100, '得分超出该项分值')
const applicationRef = z.object({ applicationId: recordId })

/** No key twice; no score above the item's points. */
function checkItems(items: Array<{ key: string; score?: number | null }>, ctx: z.RefinementCtx) {
  const seen = new Set<string>()
  items.forEach((it, i) => {
    if (seen.has(it.key)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i, 'key'], message: `「${standardItem(it.key)?.title ?? it.key}」重复出现` })
    seen.add(it.key)
    const def = standardItem(it.key)
    if (def && typeof it.score === 'number' && it.score > def.points) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i, 'score'], message: `「${def.title}」满分 ${def.points} 分，得分不能超过 ${def.points}` })
    }
  })
}

const openRoundInput = z.object({
  name: z
    .string({ required_error: '请填写批次名称' })
    .trim()
    .min(2, '批次名称至少 2 个字')
    .max(LIMITS.roundName, `批次名称不能超过 ${LIMITS.roundName} 个字`),
  year: z
    .number({ required_error: '请填写创建年度', invalid_type_error: '创建年度应为数字' })
    .int('创建年度应为四位年份')
    .min(2024, '创建年度不能早于 2024 年')
    .max(2100, '创建年度超出范围'),
  deadline: day('申报截止日期'),
  notes: z.string({ invalid_type_error: '说明格式不正确' }).trim().max(LIMITS.roundNotes, `说明不能超过 ${LIMITS.roundNotes} 个字`).default('')
})

const applyInput = z.object({
  roundId: recordId,
  leaderName: z
    .string({ required_error: '请填写负责人姓名' })
    .trim()
    .min(2, '请填写负责人的完整姓名')
    .max(LIMITS.leaderName, `姓名不能超过 ${LIMITS.leaderName} 个字`)
    .regex(/^[\u4e00-\u9fa5·A-Za-z ]+$/, '姓名只能包含汉字或字母'),
  phone: z
    .string({ required_error: '请填写联系电话' })
    .trim()
    .regex(PHONE_PATTERN, '联系电话应为 11 位手机号或带区号的固定电话（如 0577-63886337）'),
  basis: longText('创建基础', LIMITS.basis),
  goals: longText('创建目标', LIMITS.goals),
  plan: longText('一校一案（特色做法与实施路径）', LIMITS.plan)
})

const listApplicationsInput = z
  .object({
    roundId: recordId.optional(),
    status: z.enum(APPLICATION_STATUSES, { errorMap: () => ({ message: '状态无效' }) }).optional(),
    district: z.string().trim().max(20, '学区名称不能超过 20 个字').optional(),
    page: z.number({ invalid_type_error: '页码格式不正确' }).int('页码格式不正确').min(1, '页码格式不正确').max(1000, '页码格式不正确').optional()
  })
  .default({})

const decideInput = z
  .object({
    applicationId: recordId,
    accept: z.boolean({ required_error: '请选择受理或不予受理', invalid_type_error: '请选择受理或不予受理' }),
    reason: z.string({ invalid_type_error: '原因格式不正确' }).trim().max(LIMITS.reason, `原因不能超过 ${LIMITS.reason} 个字`).optional()
  })
  .refine((v) => v.accept || Boolean(v.reason), { message: '请填写不予受理的原因，学校会看到', path: ['reason'] })

const evidenceFile = z.object({
  fileID: z.string({ required_error: '缺少文件' }).trim().max(1024, '文件编号不正确').regex(/^cloud:\/\/\S+$/, '文件编号不正确'),
  name: z.string({ required_error: '缺少文件名' }).trim().min(1, '缺少文件名').max(LIMITS.fileName, `文件名不能超过 ${LIMITS.fileName} 个字`)
})
const selfItem = z.object({
  key: itemKey,
  score: score.nullable().optional(),
  note: z.string({ invalid_type_error: '说明格式不正确' }).trim().max(LIMITS.itemNote, `每项说明不能超过 ${LIMITS.itemNote} 个字`).default(''),
  evidence: z
    .array(evidenceFile, { invalid_type_error: '佐证材料格式不正确' })
    .max(LIMITS.evidencePerItem, `每项最多上传 ${LIMITS.evidencePerItem} 个佐证材料`)
    .default([])
})
const selfAssessmentInput = z.object({
  applicationId: recordId,
  items: z
    .array(selfItem, { required_error: '请填写自评内容', invalid_type_error: '自评内容格式不正确' })
    .max(ITEM_KEYS.length, '评分项目过多')
    .superRefine(checkItems)
})

const comment = (what: string) =>
  z
    .string({ required_error: `请填写${what}` })
    .trim()
    .min(2, `请填写${what}`)
    .max(LIMITS.comment, `${what}不能超过 ${LIMITS.comment} 个字`)

const evaluateInput = z.object({
  applicationId: recordId,
  items: z
    .array(z.object({ key: itemKey, score }), { required_error: '请为每一项打分', invalid_type_error: '评分格式不正确' })
    .max(ITEM_KEYS.length, '评分项目过多')
    .superRefine(checkItems),
  comment: comment('专家评估意见'),
  result: z.enum(['pass', 'fail'], { errorMap: () => ({ message: '请选择认定通过或未通过' }) })
})

const recheckInput = z
  .object({
    applicationId: recordId,
    result: z.enum(['pass', 'rectify', 'revoke'], { errorMap: () => ({ message: '请选择复查结论' }) }),
    comment: comment('复查意见'),
    deadline: day('整改期限').optional()
  })
  .refine((v) => v.result !== 'rectify' || Boolean(v.deadline), { message: '限时整改请填写整改期限', path: ['deadline'] })

// ------------------------------------------------------------------------------------------------ outputs
export interface ProgrammeSchool {
  schoolId: string
  name: string
  district: string
  type: SchoolType
}

/** A school's application as a list shows it (the phone masked). */
export interface ApplicationSummary {
  applicationId: string
  roundId: string
  roundName: string
  schoolId: string
  schoolName: string
  district: string
  schoolType: SchoolType
  leaderName: string
  /** masked in lists: 138****5678 */
  phone: string
  status: ApplicationStatus
  submittedAt: number
  updatedAt: number
  /** self-assessment total (when submitted) */
  selfTotal: number | null
  /** expert total (when evaluated) */
  expertTotal: number | null
  certifiedAt: number | null
  revokedAt: number | null
  /** 限时整改: the day it must be done by */
  rectifyDeadline: string | null
}

export interface RoundView {
  roundId: string
  name: string
  year: number
  /** the last day applications are taken (YYYY-MM-DD, Shanghai) */
  deadline: string
  notes: string
  /** applications are still taken */
  open: boolean
  createdAt: number
  /** school admins: their school's application in this round */
  mine: ApplicationSummary | null
  /** school admins: whether they may apply now, and if not, why */
  canApply: boolean
  blockedReason: string | null
}

export interface HistoryEntry {
  at: number
  step: ProgrammeStep
  from: ApplicationStatus | null
  to: ApplicationStatus
  byRole: 'school' | 'bureau'
  /** e.g. 县教育局 · 周卫东 / 城关第一小学 · 严校长 */
  byName: string
  note: string | null
}

export interface EvidenceView {
  fileID: string
  name: string
  kind: EvidenceKind
  /** a temporary URL (one hour), empty when the file could not be found */
  tempFileURL: string
}

export interface SelfItemView {
  key: string
  score: number | null
  note: string
  evidence: EvidenceView[]
}

export interface SelfAssessmentView {
  items: SelfItemView[]
  total: number
  savedAt: number
  submittedAt: number | null
}

export interface EvaluationView {
  items: Array<{ key: string; score: number }>
  total: number
  comment: string
  result: 'pass' | 'fail'
  at: number
  byName: string
}

export interface RecheckView {
  result: 'pass' | 'rectify' | 'revoke'
  comment: string
  at: number
  deadline: string | null
  byName: string
}

/** The whole application, for its school's admins and the county bureau (the phone in full). */
export interface ApplicationDetail extends ApplicationSummary {
  basis: string
  goals: string
  plan: string
  declineReason: string | null
  acceptedAt: number | null
  /** one year after acceptance: when the self-assessment is due */
  creationEndsAt: number | null
  selfAssessment: SelfAssessmentView | null
  evaluation: EvaluationView | null
  /** the rechecks, newest first */
  rechecks: RecheckView[]
  history: HistoryEntry[]
  /** the caller's side: what the page may offer */
  viewer: 'school' | 'bureau'
}

export type StatusCounts = Partial<Record<ApplicationStatus, number>>

export const programmeActions = {
  /** Bureau: open a creation round (idempotent on county + name: the same round is returned). */
  openRound: action<typeof openRoundInput, { round: RoundView; created: boolean }>(openRoundInput),
  /**
   * Bureau and school admins: the county's rounds, newest year first; school admins also see their school and its
   * applications. `viewer`: the side the caller is answered as (a school admin who is also bureau staff: the school).
   */
  listRounds: action<typeof empty, { rounds: RoundView[]; school: ProgrammeSchool | null; viewer: 'school' | 'bureau' }>(empty),
  /** School admin: submit (or, until accepted, edit) the school's application to an open round. One per school per round. */
  apply: action<typeof applyInput, ApplicationDetail>(applyInput),
  /** Bureau: the county's applications (phones masked), 20 per page, with counts by status and certified schools. */
  listApplications: action<
    typeof listApplicationsInput,
    { applications: ApplicationSummary[]; page: number; hasMore: boolean; counts: StatusCounts; certifiedSchools: number; goal: number }
  >(listApplicationsInput),
  /** Bureau (its county) or the school's admin: one application in full, with the history and evidence links (`viewer`: the bureau's view first). */
  getApplication: action<typeof applicationRef, ApplicationDetail>(applicationRef),
  /** Bureau: accept (→ 创建中) or decline (with a reason) a submitted application. */
  decideApplication: action<typeof decideInput, ApplicationDetail>(decideInput),
  /** School admin: save the self-assessment draft (creating only; any items). */
  saveSelfAssessment: action<typeof selfAssessmentInput, ApplicationDetail>(selfAssessmentInput),
  /** School admin: save and submit the self-assessment (every item scored) → 已自评. */
  submitSelfAssessment: action<typeof selfAssessmentInput, ApplicationDetail>(selfAssessmentInput),
  /** Bureau: the expert evaluation (a score per item, a comment) → 已认定 (certifiedAt) or 未通过. */
  evaluate: action<typeof evaluateInput, ApplicationDetail>(evaluateInput),
  /** Bureau: re-check a certified school → 合格 / 限时整改 (deadline; still certified) / 撤销 (revokedAt). */
  recheck: action<typeof recheckInput, ApplicationDetail>(recheckInput)
}
