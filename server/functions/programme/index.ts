/**
 * programme — the 示范校 programme (000 四, PRODUCT.md capability 11).
 *
 * The bureau opens creation rounds; a school admin applies to an open round with the 申报表 (one application per
 * school per round: `_id = <roundId>_<schoolId>`, and a unique index on the pair); the bureau accepts (→ 创建中) or
 * declines with a reason; after the creation year the school self-assesses against the standard of
 * src/shared/programme.ts (a score, a note and evidence files per item; drafts are kept) and submits; the bureau's
 * experts score every item and certify (certifiedAt) or not; later re-checks find the school 合格, order 限时整改
 * (still certified) or revoke the title (revokedAt). T17 counts `certifiedAt`/`revokedAt` of these documents.
 *
 * Every status change is validated against TRANSITIONS (a wrong one answers INVALID_STATE with a Chinese sentence and
 * changes nothing), appended to `history` and written conditionally on the document's revision `rev`, so two
 * concurrent changes cannot both apply. A retried change that already happened answers with the application as
 * it is instead of applying twice.
 */
import { createHash } from 'crypto'
import { _, fetchList, isDuplicateKey, one, trustedOnly } from '../../lib/cloud'
import { tempUrls } from '../../lib/files'
import { activeMemberships, findUser, requireBureau } from '../../lib/auth'
import type { MembershipDoc, SchoolDoc, UserDoc } from '../../lib/docs'
import { time } from '../../lib/docs'
import { createFunction, type ActionContext } from '../../lib/router'
import type { SchoolType } from '@/shared/contract'
import type {
  ApplicationDetail,
  ApplicationSummary,
  EvidenceView,
  HistoryEntry,
  ProgrammeSchool,
  RoundView,
  StatusCounts
} from '@/shared/contract-programme'
import { AppError } from '@/shared/errors'
import {
  HOLDS_TITLE,
  IN_PROGRESS,
  PROGRAMME_GOAL,
  STANDARD_ITEMS,
  STATUS_LABELS,
  TRANSITIONS,
  canTake,
  creationEndsAt,
  deadlineProblem,
  endOfShanghaiDay,
  evidenceKind,
  freshApplication,
  isEvidenceFileID,
  maskContactPhone,
  scoreTotal,
  selfAssessmentTooEarly,
  shanghaiDay,
  standardItem,
  transitionRefusal,
  unscoredItems,
  unscoredRefusal,
  vetoFailures,
  type ApplicationStatus,
  type ProgrammeStep
} from '@/shared/programme'

const ROUNDS = 'programmeRounds'
const APPS = 'programmeApplications'
const PAGE_SIZE = 20
const MAX_ROUNDS = 100

const hash = (s: string) => createHash('sha1').update(s).digest('hex').slice(0, 16)
const roundIdFor = (countyId: string, name: string) => `rnd_${hash(`${countyId}|${name}`)}`
const applicationIdFor = (roundId: string, schoolId: string) => `${roundId}_${schoolId}`

// ------------------------------------------------------------------------------------------------ documents
interface RoundDoc {
  _id: string
  countyId: string
  name: string
  year: number
  /** the last day applications are taken (YYYY-MM-DD, Shanghai) */
  deadline: string
  /** the instant applications close (the end of `deadline` in Shanghai) */
  applyUntil: Date | string
  notes: string
  createdBy: string
  createdAt: Date | string
}

interface Actor {
  by: string
  byRole: 'school' | 'bureau'
  byName: string
}

interface HistoryDoc extends Actor {
  at: Date | string
  step: ProgrammeStep
  from: ApplicationStatus | null
  to: ApplicationStatus
  note: string | null
}

interface EvidenceDoc {
  fileID: string
  name: string
}

interface SelfItemDoc {
  key: string
  score: number | null
  note: string
  evidence: EvidenceDoc[]
}

interface SelfAssessmentDoc {
  items: SelfItemDoc[]
  total: number
  savedAt: Date | string
  submittedAt: Date | string | null
}

interface EvaluationDoc extends Actor {
  items: Array<{ key: string; score: number }>
  total: number
  comment: string
  result: 'pass' | 'fail'
  at: Date | string
}

interface RecheckDoc extends Actor {
  result: 'pass' | 'rectify' | 'revoke'
  comment: string
  at: Date | string
  deadline: string | null
}

interface ApplicationDoc {
  _id: string
  countyId: string
  roundId: string
  roundName: string
  roundYear: number
  schoolId: string
  schoolName: string
  district: string
  schoolType: string
  leaderName: string
  phone: string
  basis: string
  goals: string
  plan: string
  status: ApplicationStatus
  /** revision: every recorded change is conditional on it and increments it */
  rev: number
  createdBy: string
  createdAt: Date | string
  submittedAt: Date | string
  updatedAt: Date | string
  declineReason: string | null
  acceptedAt: Date | string | null
  selfAssessment: SelfAssessmentDoc | null
  selfTotal: number | null
  evaluation: EvaluationDoc | null
  expertTotal: number | null
  rechecks: RecheckDoc[]
  rectifyDeadline: string | null
  /** T17: certified before an instant and not revoked by then */
  certifiedAt: Date | null
  revokedAt: Date | null
  history: HistoryDoc[]
}

// ------------------------------------------------------------------------------------------------ helpers
const ms = (d: Date | string | null | undefined): number | null => (d ? time(d) : null)

function roundView(r: RoundDoc, now: Date, extra: Partial<Pick<RoundView, 'mine' | 'canApply' | 'blockedReason'>> = {}): RoundView {
  return {
    roundId: r._id,
    name: r.name,
    year: r.year,
    deadline: r.deadline,
    notes: r.notes ?? '',
    open: now.getTime() < time(r.applyUntil),
    createdAt: time(r.createdAt),
    mine: extra.mine ?? null,
    canApply: extra.canApply ?? false,
    blockedReason: extra.blockedReason ?? null
  }
}

function summaryView(a: ApplicationDoc): ApplicationSummary {
  return {
    applicationId: a._id,
    roundId: a.roundId,
    roundName: a.roundName,
    schoolId: a.schoolId,
    schoolName: a.schoolName,
    district: a.district,
    schoolType: a.schoolType as SchoolType,
    leaderName: a.leaderName,
    phone: maskContactPhone(a.phone),
    status: a.status,
    submittedAt: time(a.submittedAt),
    updatedAt: time(a.updatedAt),
    selfTotal: a.selfTotal ?? null,
    expertTotal: a.expertTotal ?? null,
    certifiedAt: ms(a.certifiedAt),
    revokedAt: ms(a.revokedAt),
    rectifyDeadline: a.status === 'rectifying' ? (a.rectifyDeadline ?? null) : null
  }
}

/** Temporary URLs (one hour) of the application's evidence files. */
function evidenceUrls(a: ApplicationDoc): Promise<Map<string, string>> {
  return tempUrls((a.selfAssessment?.items ?? []).flatMap((i) => i.evidence.map((e) => e.fileID)), 'programme')
}

async function detailView(a: ApplicationDoc, viewer: 'school' | 'bureau'): Promise<ApplicationDetail> {
  const urls = await evidenceUrls(a)
  const evidence = (e: EvidenceDoc): EvidenceView => ({ fileID: e.fileID, name: e.name, kind: evidenceKind(e.name) ?? 'document', tempFileURL: urls.get(e.fileID) ?? '' })
  const history: HistoryEntry[] = (a.history ?? []).map((h) => ({
    at: time(h.at),
    step: h.step,
    from: h.from,
    to: h.to,
    byRole: h.byRole,
    byName: h.byName,
    note: h.note ?? null
  }))
  const sa = a.selfAssessment
  const ev = a.evaluation
  return {
    ...summaryView(a),
    phone: a.phone,
    basis: a.basis,
    goals: a.goals,
    plan: a.plan,
    declineReason: a.status === 'declined' ? (a.declineReason ?? null) : null,
    acceptedAt: ms(a.acceptedAt),
    creationEndsAt: a.acceptedAt ? creationEndsAt(time(a.acceptedAt)) : null,
    selfAssessment: sa
      ? {
          items: sa.items.map((i) => ({ key: i.key, score: i.score ?? null, note: i.note ?? '', evidence: (i.evidence ?? []).map(evidence) })),
          total: sa.total,
          savedAt: time(sa.savedAt),
          submittedAt: ms(sa.submittedAt)
        }
      : null,
    evaluation: ev ? { items: ev.items, total: ev.total, comment: ev.comment, result: ev.result, at: time(ev.at), byName: ev.byName } : null,
    rechecks: [...(a.rechecks ?? [])]
      .sort((x, y) => time(y.at) - time(x.at))
      .map((r) => ({ result: r.result, comment: r.comment, at: time(r.at), deadline: r.deadline ?? null, byName: r.byName })),
    history,
    viewer
  }
}

function personName(user: UserDoc | null, m?: MembershipDoc): string {
  return user?.displayName || m?.name || '工作人员'
}

function bureauActor(ctx: ActionContext, user: UserDoc | null, m: MembershipDoc): Actor {
  return { by: ctx.openid, byRole: 'bureau', byName: personName(user, m) }
}

function schoolActor(ctx: ActionContext, user: UserDoc | null, m: MembershipDoc): Actor {
  return { by: ctx.openid, byRole: 'school', byName: `${m.schoolName ?? ''} · ${personName(user, m)}`.replace(/^ · /, '') }
}

/**
 * The step already happened (a retry): the application is in the step's target status and its last recorded
 * change is this step. Steps that may legitimately repeat (a yearly 复查合格, a second 限时整改) count as the
 * same only when taken by the same person, with the same note, on the same day.
 */
function alreadyDone(a: ApplicationDoc, step: ProgrammeStep, actor: Actor, note: string | null, now: Date): boolean {
  const t = TRANSITIONS[step]
  const last = a.history?.[a.history.length - 1]
  if (!last || last.step !== step || a.status !== t.to) return false
  if (!t.from.includes(t.to)) return true
  return last.by === actor.by && (last.note ?? null) === note && shanghaiDay(time(last.at)) === shanghaiDay(now.getTime())
}

function refuseUnless(a: ApplicationDoc, step: ProgrammeStep): void {
  if (!canTake(a.status, step)) throw new AppError('INVALID_STATE', transitionRefusal(a.status, step), { status: a.status, step })
}

/** Objects and arrays are written whole (`_.set`), never merged field by field. */
function encode(set: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(set)) out[k] = v !== null && typeof v === 'object' && !(v instanceof Date) ? _.set(v) : v
  return out
}

async function reloadApp(ctx: ActionContext, id: string): Promise<ApplicationDoc | null> {
  return one<ApplicationDoc>(ctx.db.collection(APPS).where(trustedOnly({ _id: id })).limit(1))
}

/**
 * Records a status change: conditional on the revision the caller read, with the history entry pushed in the
 * same write. Lost the race: the change is either already there (a concurrent retry → the fresh application)
 * or CONFLICT (someone else changed it first), and nothing is written.
 */
async function commit(ctx: ActionContext, a: ApplicationDoc, step: ProgrammeStep, set: Record<string, unknown>, actor: Actor, note: string | null): Promise<ApplicationDoc> {
  const to = TRANSITIONS[step].to
  const entry: HistoryDoc = { at: ctx.now, step, from: a.status, to, ...actor, note }
  const res = (await ctx.db
    .collection(APPS)
    .where(trustedOnly({ _id: a._id, rev: a.rev }))
    .update({ data: { ...encode(set), status: to, rev: _.inc(1), updatedAt: ctx.now, history: _.push([entry]) } })) as { stats: { updated: number } }
  if (res.stats.updated === 0) {
    const fresh = await reloadApp(ctx, a._id)
    if (fresh && alreadyDone(fresh, step, actor, note, ctx.now)) return fresh
    throw new AppError('CONFLICT')
  }
  return { ...a, ...set, status: to, rev: a.rev + 1, updatedAt: ctx.now, history: [...(a.history ?? []), entry] } as ApplicationDoc
}

/** Bureau access to an application of its county (another county's: NOT_FOUND, as if it did not exist). */
async function forBureau(ctx: ActionContext, applicationId: string) {
  const [memberships, user, app] = await Promise.all([activeMemberships(ctx), findUser(ctx), reloadApp(ctx, applicationId)])
  const bureau = requireBureau(memberships)
  if (!app || app.countyId !== bureau.countyId) throw new AppError('NOT_FOUND', '找不到这份申报')
  return { app, actor: bureauActor(ctx, user, bureau) }
}

/** School-admin access to an application of their own school (another school's: PERMISSION_DENIED). */
async function forSchool(ctx: ActionContext, applicationId: string) {
  const [memberships, user, app] = await Promise.all([activeMemberships(ctx), findUser(ctx), reloadApp(ctx, applicationId)])
  const admins = memberships.filter((m) => m.role === 'schoolAdmin' && m.schoolId)
  if (!admins.length) throw new AppError('PERMISSION_DENIED')
  if (!app) throw new AppError('NOT_FOUND', '找不到这份申报')
  const admin = admins.find((m) => m.schoolId === app.schoolId)
  if (!admin) throw new AppError('PERMISSION_DENIED', '只能查看和填写本校的申报')
  return { app, actor: schoolActor(ctx, user, admin) }
}

/** Evidence must be the school's own uploads (never files other functions made, nor another school's). */
function selfItems(items: Array<{ key: string; score?: number | null; note: string; evidence: EvidenceDoc[] }>, schoolId: string): SelfItemDoc[] {
  for (const it of items) {
    for (const e of it.evidence) {
      if (!isEvidenceFileID(e.fileID, schoolId)) {
        throw new AppError('INVALID_INPUT', `「${standardItem(it.key)?.title ?? it.key}」的佐证材料「${e.name}」不是本校上传的图片或文档，请重新上传`)
      }
    }
  }
  // Kept in the standard's order.
  return items
    .map((it) => ({ key: it.key, score: typeof it.score === 'number' ? it.score : null, note: it.note, evidence: it.evidence.map((e) => ({ fileID: e.fileID, name: e.name })) }))
    .sort((x, y) => itemRank(x.key) - itemRank(y.key))
}

const STANDARD_ORDER = new Map(STANDARD_ITEMS.map((i, n) => [i.key, n]))
const itemRank = (key: string): number => STANDARD_ORDER.get(key) ?? STANDARD_ITEMS.length

/** Why a school may not apply to a round now (null: it may). */
function applyBlock(round: RoundDoc, mine: ApplicationDoc[], now: Date): string | null {
  if (now.getTime() >= time(round.applyUntil)) return `本批次申报已于 ${round.deadline} 截止`
  const holding = mine.find((a) => HOLDS_TITLE.includes(a.status))
  if (holding) return `本校已是示范校（${holding.roundName}认定），无需再次申报`
  const busy = mine.find((a) => IN_PROGRESS.includes(a.status) && a.roundId !== round._id)
  if (busy) return `本校在「${busy.roundName}」中的创建尚未结束（${STATUS_LABELS[busy.status]}），不能同时申报`
  return null
}

const sameForm = (a: ApplicationDoc, f: { leaderName: string; phone: string; basis: string; goals: string; plan: string }) =>
  a.leaderName === f.leaderName && a.phone === f.phone && a.basis === f.basis && a.goals === f.goals && a.plan === f.plan

// ------------------------------------------------------------------------------------------------ actions
export const main = createFunction('programme', {
  async openRound({ name, year, deadline, notes }, ctx) {
    const bureau = requireBureau(await activeMemberships(ctx))
    const existing = await one<RoundDoc>(ctx.db.collection(ROUNDS).where(trustedOnly({ countyId: bureau.countyId, name })).limit(1))
    if (existing) return { round: roundView(existing, ctx.now), created: false }
    const late = deadlineProblem('申报截止日期', deadline, ctx.now.getTime())
    if (late) throw new AppError('INVALID_INPUT', late)
    const applyUntil = new Date(endOfShanghaiDay(deadline))
    const doc: RoundDoc = { _id: roundIdFor(bureau.countyId, name), countyId: bureau.countyId, name, year, deadline, applyUntil, notes, createdBy: ctx.openid, createdAt: ctx.now }
    try {
      await ctx.db.collection(ROUNDS).add({ data: doc })
    } catch (e) {
      if (!isDuplicateKey(e)) throw e
      // The same round opened at the same moment (a retry): answer with it.
      const raced = await one<RoundDoc>(ctx.db.collection(ROUNDS).where(trustedOnly({ _id: doc._id })).limit(1))
      if (raced) return { round: roundView(raced, ctx.now), created: false }
      throw e
    }
    return { round: roundView(doc, ctx.now), created: true }
  },

  async listRounds(_input, ctx) {
    const memberships = await activeMemberships(ctx)
    const admin = memberships.find((m) => m.role === 'schoolAdmin' && m.schoolId)
    const bureau = memberships.find((m) => m.role === 'bureauAdmin' && m.countyId)
    const scope = admin ?? bureau
    if (!scope) throw new AppError('PERMISSION_DENIED')
    const [rounds, school, mine] = await Promise.all([
      fetchList<RoundDoc>(ctx.db.collection(ROUNDS).where(trustedOnly({ countyId: scope.countyId })).orderBy('year', 'desc').orderBy('createdAt', 'desc').limit(MAX_ROUNDS)),
      admin ? one<SchoolDoc>(ctx.db.collection('schools').where({ _id: admin.schoolId }).limit(1)) : Promise.resolve(null),
      admin
        ? fetchList<ApplicationDoc>(ctx.db.collection(APPS).where(trustedOnly({ schoolId: admin.schoolId })).field({ history: false, selfAssessment: false, evaluation: false, rechecks: false }).limit(MAX_ROUNDS))
        : Promise.resolve([] as ApplicationDoc[])
    ])
    const views = rounds.map((r) => {
      if (!admin) return roundView(r, ctx.now)
      const app = mine.find((a) => a.roundId === r._id) ?? null
      const blocked = app ? null : applyBlock(r, mine, ctx.now)
      return roundView(r, ctx.now, { mine: app ? summaryView(app) : null, canApply: !app && !blocked, blockedReason: blocked })
    })
    const programmeSchool: ProgrammeSchool | null = school ? { schoolId: school._id, name: school.name, district: school.district, type: school.type as SchoolType } : null
    return { rounds: views, school: programmeSchool, viewer: admin ? ('school' as const) : ('bureau' as const) }
  },

  async apply({ roundId, leaderName, phone, basis, goals, plan }, ctx) {
    const [memberships, user, round] = await Promise.all([
      activeMemberships(ctx),
      findUser(ctx),
      one<RoundDoc>(ctx.db.collection(ROUNDS).where(trustedOnly({ _id: roundId })).limit(1))
    ])
    const admin = memberships.find((m) => m.role === 'schoolAdmin' && m.schoolId)
    if (!admin?.schoolId) throw new AppError('PERMISSION_DENIED')
    if (!round || round.countyId !== admin.countyId) throw new AppError('NOT_FOUND', '找不到这个创建批次')
    const schoolId = admin.schoolId
    const [school, mine] = await Promise.all([
      one<SchoolDoc>(ctx.db.collection('schools').where({ _id: schoolId }).limit(1)),
      fetchList<ApplicationDoc>(ctx.db.collection(APPS).where(trustedOnly({ schoolId })).limit(MAX_ROUNDS))
    ])
    if (!school) throw new AppError('NOT_FOUND', '找不到本校的学校信息，请联系县教育局')
    const actor = schoolActor(ctx, user, admin)
    const form = { leaderName, phone, basis, goals, plan }
    const id = applicationIdFor(roundId, schoolId)
    const existing = mine.find((a) => a._id === id || a.roundId === roundId)

    if (existing) {
      // A retry of the same submission answers with the application as it is now; a changed form is an edit,
      // possible until the bureau decides.
      if (sameForm(existing, form)) return detailView(existing, 'school')
      refuseUnless(existing, 'edit')
      if (ctx.now.getTime() >= time(round.applyUntil)) throw new AppError('INVALID_STATE', `本批次申报已于 ${round.deadline} 截止，不能再修改申报表`)
      return detailView(await commit(ctx, existing, 'edit', form, actor, null), 'school')
    }

    const blocked = applyBlock(round, mine, ctx.now)
    if (blocked) throw new AppError('INVALID_STATE', blocked)
    const entry: HistoryDoc = { at: ctx.now, step: 'apply', from: null, to: 'submitted', ...actor, note: null }
    const doc: ApplicationDoc = {
      _id: id,
      countyId: round.countyId,
      roundId,
      roundName: round.name,
      roundYear: round.year,
      schoolId,
      schoolName: school.name,
      district: school.district,
      schoolType: school.type,
      ...form,
      status: 'submitted',
      rev: 1,
      createdBy: ctx.openid,
      createdAt: ctx.now,
      submittedAt: ctx.now,
      updatedAt: ctx.now,
      ...freshApplication(),
      history: [entry]
    }
    try {
      await ctx.db.collection(APPS).add({ data: doc })
    } catch (e) {
      if (!isDuplicateKey(e)) throw e
      // Submitted twice at the same moment (a retry): the first one stands.
      const raced = await reloadApp(ctx, id)
      if (raced && sameForm(raced, form)) return detailView(raced, 'school')
      throw new AppError('CONFLICT')
    }
    return detailView(doc, 'school')
  },

  async listApplications({ roundId, status, district, page = 1 }, ctx) {
    const bureau = requireBureau(await activeMemberships(ctx))
    const scope: Record<string, unknown> = { countyId: bureau.countyId }
    if (roundId) scope.roundId = roundId
    if (district) scope.district = district
    const filter = status ? { ...scope, status } : scope
    const $ = ctx.db.command.aggregate
    const [found, counts, certified] = await Promise.all([
      fetchList<ApplicationDoc>(
        ctx.db
          .collection(APPS)
          .where(trustedOnly(filter))
          .field({ history: false, selfAssessment: false, evaluation: false, rechecks: false, basis: false, goals: false, plan: false })
          .orderBy('updatedAt', 'desc')
          .skip((page - 1) * PAGE_SIZE)
          .limit(PAGE_SIZE + 1)
      ),
      ctx.db
        .collection(APPS)
        .aggregate()
        .match(trustedOnly(scope))
        .group({ _id: '$status', n: $.sum(1) })
        .limit(20)
        .end() as Promise<{ list: Array<{ _id: ApplicationStatus; n: number }> }>,
      ctx.db
        .collection(APPS)
        .aggregate()
        .match(trustedOnly({ countyId: bureau.countyId, status: _.in([...HOLDS_TITLE]) }))
        .group({ _id: '$schoolId' })
        .group({ _id: null, n: $.sum(1) })
        .limit(1)
        .end() as Promise<{ list: Array<{ n: number }> }>
    ])
    const statusCounts: StatusCounts = {}
    for (const c of counts.list) statusCounts[c._id] = c.n
    return {
      applications: found.slice(0, PAGE_SIZE).map(summaryView),
      page,
      hasMore: found.length > PAGE_SIZE,
      counts: statusCounts,
      certifiedSchools: certified.list[0]?.n ?? 0,
      goal: PROGRAMME_GOAL
    }
  },

  async getApplication({ applicationId }, ctx) {
    const [memberships, app] = await Promise.all([activeMemberships(ctx), reloadApp(ctx, applicationId)])
    const bureau = memberships.find((m) => m.role === 'bureauAdmin' && m.countyId)
    const admins = memberships.filter((m) => m.role === 'schoolAdmin' && m.schoolId)
    if (!bureau && !admins.length) throw new AppError('PERMISSION_DENIED')
    if (app && bureau && app.countyId === bureau.countyId) return detailView(app, 'bureau')
    if (app && admins.some((m) => m.schoolId === app.schoolId)) return detailView(app, 'school')
    if (!app || bureau) throw new AppError('NOT_FOUND', '找不到这份申报')
    throw new AppError('PERMISSION_DENIED', '只能查看本校的申报')
  },

  async decideApplication({ applicationId, accept, reason }, ctx) {
    const { app, actor } = await forBureau(ctx, applicationId)
    const step: ProgrammeStep = accept ? 'accept' : 'decline'
    const note = accept ? null : (reason ?? null)
    if (alreadyDone(app, step, actor, note, ctx.now)) return detailView(app, 'bureau')
    refuseUnless(app, step)
    const set = accept ? { acceptedAt: ctx.now, declineReason: null } : { declineReason: reason ?? '' }
    return detailView(await commit(ctx, app, step, set, actor, note), 'bureau')
  },

  async saveSelfAssessment({ applicationId, items }, ctx) {
    const { app } = await forSchool(ctx, applicationId)
    refuseUnless(app, 'saveSelfAssessment')
    const saved = selfItems(items, app.schoolId)
    const selfAssessment: SelfAssessmentDoc = { items: saved, total: scoreTotal(saved), savedAt: ctx.now, submittedAt: null }
    // A draft is not a status change: it is written while the application is still being created, without history.
    const res = (await ctx.db
      .collection(APPS)
      .where(trustedOnly({ _id: app._id, status: 'creating' }))
      .update({ data: { selfAssessment: _.set(selfAssessment), updatedAt: ctx.now } })) as { stats: { updated: number } }
    if (res.stats.updated === 0) {
      const fresh = await reloadApp(ctx, app._id)
      if (!fresh || fresh.status !== 'creating') throw new AppError('INVALID_STATE', transitionRefusal(fresh?.status ?? null, 'saveSelfAssessment'))
    }
    return detailView({ ...app, selfAssessment, updatedAt: ctx.now }, 'school')
  },

  async submitSelfAssessment({ applicationId, items }, ctx) {
    const { app, actor } = await forSchool(ctx, applicationId)
    if (alreadyDone(app, 'submitSelfAssessment', actor, null, ctx.now)) return detailView(app, 'school')
    refuseUnless(app, 'submitSelfAssessment')
    // 000 四 3：一年创建期满，学校开展自查自评 — drafts may be saved before, the submission waits for the day.
    const early = selfAssessmentTooEarly(ms(app.acceptedAt), ctx.now.getTime())
    if (early) throw new AppError('INVALID_STATE', early, { status: app.status, step: 'submitSelfAssessment', creationEndsAt: creationEndsAt(time(app.acceptedAt as Date | string)) })
    const missing = unscoredRefusal(items)
    if (missing) {
      throw new AppError('INVALID_INPUT', missing, {
        problems: unscoredItems(items).map((i) => ({ path: `items.${i.key}.score`, message: '请填写得分' }))
      })
    }
    const saved = selfItems(items, app.schoolId)
    const total = scoreTotal(saved)
    const selfAssessment: SelfAssessmentDoc = { items: saved, total, savedAt: ctx.now, submittedAt: ctx.now }
    return detailView(await commit(ctx, app, 'submitSelfAssessment', { selfAssessment, selfTotal: total }, actor, `自评总分 ${total} 分`), 'school')
  },

  async evaluate({ applicationId, items, comment, result }, ctx) {
    const { app, actor } = await forBureau(ctx, applicationId)
    const step: ProgrammeStep = result === 'pass' ? 'certify' : 'notCertify'
    if (alreadyDone(app, step, actor, comment, ctx.now)) return detailView(app, 'bureau')
    refuseUnless(app, step)
    const missing = unscoredItems(items)
    if (missing.length) throw new AppError('INVALID_INPUT', `还有 ${missing.length} 项没有专家评分：${missing.map((i) => `「${i.title}」`).join('、')}`)
    const vetoed = vetoFailures(items)
    if (result === 'pass' && vetoed.length) {
      throw new AppError('INVALID_INPUT', `${vetoed.map((i) => `「${i.title}」`).join('、')}为一票否决项，该项得 0 分时不能认定通过`)
    }
    const scored = [...items].sort((x, y) => itemRank(x.key) - itemRank(y.key)).map((i) => ({ key: i.key, score: i.score }))
    const total = scoreTotal(scored)
    const evaluation: EvaluationDoc = { items: scored, total, comment, result, at: ctx.now, ...actor }
    const set: Record<string, unknown> = { evaluation, expertTotal: total }
    if (result === 'pass') set.certifiedAt = ctx.now
    return detailView(await commit(ctx, app, step, set, actor, comment), 'bureau')
  },

  async recheck({ applicationId, result, comment, deadline }, ctx) {
    const { app, actor } = await forBureau(ctx, applicationId)
    const step: ProgrammeStep = result === 'pass' ? 'recheckPass' : result === 'rectify' ? 'rectify' : 'revoke'
    const note = result === 'rectify' ? `${comment}（整改期限 ${deadline ?? ''}）` : comment
    if (alreadyDone(app, step, actor, note, ctx.now)) return detailView(app, 'bureau')
    refuseUnless(app, step)
    const late = result === 'rectify' ? deadlineProblem('整改期限', deadline ?? '', ctx.now.getTime()) : null
    if (late) throw new AppError('INVALID_INPUT', late)
    const entry: RecheckDoc = { result, comment, at: ctx.now, deadline: result === 'rectify' ? (deadline ?? null) : null, ...actor }
    const set: Record<string, unknown> = { rechecks: [...(app.rechecks ?? []), entry], rectifyDeadline: entry.deadline }
    if (result === 'revoke') set.revokedAt = ctx.now
    return detailView(await commit(ctx, app, step, set, actor, note), 'bureau')
  }
})
