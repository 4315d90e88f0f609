/**
 * Seeds for the 示范校 programme on top of server/fixtures.ts's world (county W.county, schools W.school and
 * W.otherSchool, their admins P.adminOfThis / P.adminOfOther, the bureau P.bureau): rounds and applications in any
 * status, complete self-assessments and expert scores, and evidence files in the school's upload folder.
 */
import type { LocalCloud } from '../../../localcloud'
import { P, W } from '../../fixtures'
import { STANDARD_ITEMS, TRANSITIONS, evidenceFolder, type ApplicationStatus, type ProgrammeStep } from '@/shared/programme'

export const ROUND = 'rnd_test2026'
export const OLD_ROUND = 'rnd_test2024'
const DAY = 86400_000

const SCHOOLS: Record<string, { name: string; district: string; type: string; admin: string }> = {
  [W.school]: { name: '城关第一小学', district: '城关学区', type: '小学', admin: P.adminOfThis },
  [W.otherSchool]: { name: '南湖初级中学', district: '南湖学区', type: '初中', admin: P.adminOfOther }
}

/** An application form that passes validation. */
export const FORM = {
  leaderName: '严明',
  phone: '13812345678',
  basis: '学校已建成家长学校，每学期开展集体授课和分班授课，家长委员会三级健全，全员家访制度运行三年。',
  goals: '一年内形成家校社协同育人的校本机制，家长注册率达到 90%，人均学习 6 次以上。',
  plan: '以“家校共读”为特色，依托社区实践基地和家长志愿者队伍，按学期推进家长课堂、家访和开放日。'
}

/** A round of W.county; open until `deadline` (default: far ahead). */
export function seedRound(cloud: LocalCloud, opts: { id?: string; name?: string; deadline?: string; year?: number } = {}): string {
  const id = opts.id ?? ROUND
  const deadline = opts.deadline ?? '2099-12-31'
  const [y, m, d] = deadline.split('-').map(Number)
  cloud.store.insertMany('programmeRounds', [
    {
      _id: id,
      countyId: W.county,
      name: opts.name ?? '2026年度示范校创建',
      year: opts.year ?? 2026,
      deadline,
      applyUntil: new Date(Date.UTC(y, m - 1, d + 1) - 8 * 3600_000),
      notes: '各学区遴选 1–2 所学校申报',
      createdBy: P.bureau,
      createdAt: new Date('2026-02-01T09:00:00+08:00')
    }
  ])
  return id
}

/** Every item of the standard scored (full marks minus `minus` on the first item), with a note. */
export function selfItems(minus = 0) {
  return STANDARD_ITEMS.map((i, n) => ({ key: i.key, score: n === 0 ? i.points - minus : i.points, note: `${i.title}已落实`, evidence: [] as Array<{ fileID: string; name: string }> }))
}

export function expertItems(overrides: Record<string, number> = {}) {
  return STANDARD_ITEMS.map((i) => ({ key: i.key, score: overrides[i.key] ?? i.points }))
}

/** Puts an evidence file in the school's upload folder (as the mini-program's upload would) and returns its fileID. */
export function seedEvidence(cloud: LocalCloud, schoolId: string = W.school, name = '授课签到表.pdf'): string {
  return cloud.storage.put(`${evidenceFolder(schoolId)}/${Date.now()}-${Math.random().toString(36).slice(2, 8)}-${name}`, Buffer.from(`evidence ${name}`))
}

/** The path of steps that leads to a status. */
const PATHS: Record<ApplicationStatus, ProgrammeStep[]> = {
  submitted: ['apply'],
  declined: ['apply', 'decline'],
  creating: ['apply', 'accept'],
  selfAssessed: ['apply', 'accept', 'submitSelfAssessment'],
  certified: ['apply', 'accept', 'submitSelfAssessment', 'certify'],
  notCertified: ['apply', 'accept', 'submitSelfAssessment', 'notCertify'],
  rectifying: ['apply', 'accept', 'submitSelfAssessment', 'certify', 'rectify'],
  revoked: ['apply', 'accept', 'submitSelfAssessment', 'certify', 'revoke']
}

/**
 * An application of `schoolId` to `roundId` in `status`, with the fields and history that status implies.
 * Dates: applied `at - 400 days`, accepted the day after, self-assessed and evaluated a year later.
 */
export function seedApplication(
  cloud: LocalCloud,
  status: ApplicationStatus,
  opts: { schoolId?: string; roundId?: string; roundName?: string; at?: Date; countyId?: string } = {}
): string {
  const schoolId = opts.schoolId ?? W.school
  const roundId = opts.roundId ?? ROUND
  const s = SCHOOLS[schoolId] ?? { name: '测试学校', district: '测试学区', type: '小学', admin: P.adminOfThis }
  const at = opts.at ?? new Date('2026-11-01T10:00:00+08:00')
  const t0 = at.getTime() - 400 * DAY
  const stamps: Record<ProgrammeStep, number> = {
    apply: t0,
    edit: t0,
    accept: t0 + DAY,
    decline: t0 + DAY,
    saveSelfAssessment: t0 + 366 * DAY,
    submitSelfAssessment: t0 + 366 * DAY,
    certify: t0 + 380 * DAY,
    notCertify: t0 + 380 * DAY,
    recheckPass: t0 + 390 * DAY,
    rectify: t0 + 390 * DAY,
    revoke: t0 + 390 * DAY
  }
  const path = PATHS[status]
  const history = path.map((step, i) => ({
    at: new Date(stamps[step]),
    step,
    from: i === 0 ? null : TRANSITIONS[path[i - 1]].to,
    to: TRANSITIONS[step].to,
    by: TRANSITIONS[step].by === 'school' ? s.admin : P.bureau,
    byRole: TRANSITIONS[step].by,
    byName: TRANSITIONS[step].by === 'school' ? `${s.name} · 校长` : '周科长',
    note: step === 'decline' ? '创建基础材料不完整' : null
  }))
  const has = (step: ProgrammeStep) => path.includes(step)
  const self = selfItems(5)
  const selfTotal = self.reduce((n, i) => n + i.score, 0)
  const expert = expertItems({ 'org-leadership': 3 })
  const expertTotal = expert.reduce((n, i) => n + i.score, 0)
  const id = `${roundId}_${schoolId}`
  cloud.store.insertMany('programmeApplications', [
    {
      _id: id,
      countyId: opts.countyId ?? W.county,
      roundId,
      roundName: opts.roundName ?? '2026年度示范校创建',
      roundYear: 2026,
      schoolId,
      schoolName: s.name,
      district: s.district,
      schoolType: s.type,
      ...FORM,
      status,
      rev: history.length,
      createdBy: s.admin,
      createdAt: new Date(t0),
      submittedAt: new Date(t0),
      updatedAt: new Date(stamps[path[path.length - 1]]),
      declineReason: has('decline') ? '创建基础材料不完整' : null,
      acceptedAt: has('accept') ? new Date(stamps.accept) : null,
      selfAssessment: has('submitSelfAssessment')
        ? { items: self, total: selfTotal, savedAt: new Date(stamps.submitSelfAssessment), submittedAt: new Date(stamps.submitSelfAssessment) }
        : null,
      selfTotal: has('submitSelfAssessment') ? selfTotal : null,
      evaluation:
        has('certify') || has('notCertify')
          ? { items: expert, total: expertTotal, comment: '材料齐全，实地查看属实', result: has('certify') ? 'pass' : 'fail', at: new Date(stamps.certify), by: P.bureau, byRole: 'bureau', byName: '周科长' }
          : null,
      expertTotal: has('certify') || has('notCertify') ? expertTotal : null,
      rechecks: has('rectify') || has('revoke')
        ? [{ result: has('rectify') ? 'rectify' : 'revoke', comment: '家长学校授课不足', at: new Date(stamps.rectify), deadline: has('rectify') ? '2099-06-30' : null, by: P.bureau, byRole: 'bureau', byName: '周科长' }]
        : [],
      rectifyDeadline: has('rectify') ? '2099-06-30' : null,
      certifiedAt: has('certify') ? new Date(stamps.certify) : null,
      revokedAt: has('revoke') ? new Date(stamps.revoke) : null,
      history
    }
  ])
  return id
}
