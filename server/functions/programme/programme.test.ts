/** The programme function (示范校创建) through the genuine wx-server-sdk against the local cloud. */
import type { ApplicationDetail, ApplicationSummary, RoundView, StatusCounts, ProgrammeSchool } from '@/shared/contract-programme'
import { STANDARD_ITEMS, type ApplicationStatus } from '@/shared/programme'
import { startTestCloud, type TestCloud } from '../../testing'
import { P, seedWorld, W } from '../../fixtures'
import { FORM, OLD_ROUND, ROUND, expertItems, seedApplication, seedEvidence, seedRound, selfItems } from './fixtures'

let t: TestCloud
beforeAll(async () => {
  t = await startTestCloud()
})
afterAll(async () => {
  await t.close()
})
beforeEach(() => seedWorld(t.cloud))

const call = <T>(openid: string, action: string, data: unknown) => t.call<T>('programme', openid, { action, data })
const ok = async <T>(openid: string, action: string, data: unknown): Promise<T> => {
  const { reply } = await call<T>(openid, action, data)
  if (!reply.ok) throw new Error(`${action}: ${reply.code} ${reply.message} ${JSON.stringify(reply.details ?? '')}`)
  return reply.data
}
/** Expects a refusal with this code (and message) and that nothing in the programme collections changed. */
const refused = async (openid: string, action: string, data: unknown, code: string, message?: string | RegExp) => {
  const before = snapshot()
  const { reply } = await call(openid, action, data)
  expect(reply).toMatchObject({ ok: false, code })
  if (message && !reply.ok) expect(reply.message).toMatch(message)
  expect(snapshot()).toBe(before)
  return reply
}
const snapshot = () => JSON.stringify(['programmeRounds', 'programmeApplications'].map((c) => t.cloud.store.find(c, {}, { sort: { _id: 1 } })))
const appDoc = (id: string) => t.cloud.store.find('programmeApplications', { _id: id })[0] as Record<string, unknown> & { history: Array<Record<string, unknown>> }
const appId = (schoolId: string = W.school, roundId = ROUND) => `${roundId}_${schoolId}`
/** Changes stored fields directly (e.g. moves the acceptance back to let the creation year pass). */
function patch(id: string, fields: Record<string, unknown>) {
  const doc = t.cloud.store.find('programmeApplications', { _id: id })[0]
  t.cloud.store.commit([{ coll: 'programmeApplications', key: id, after: { ...doc, ...fields } }])
}
const DAY = 86400_000
const applyAs = (openid: string = P.adminOfThis, roundId = ROUND, form: Partial<typeof FORM> = {}) => call<ApplicationDetail>(openid, 'apply', { roundId, ...FORM, ...form })

/** T17 as the statistics compute it: distinct schools certified before `at` and not revoked by then. */
function certifiedSchoolsAt(at: Date): number {
  const docs = t.cloud.store.find('programmeApplications', { countyId: W.county }) as Array<{ schoolId: string; certifiedAt?: unknown; revokedAt?: unknown }>
  return new Set(
    docs
      .filter((d) => d.certifiedAt instanceof Date && d.certifiedAt < at && (d.revokedAt == null || (d.revokedAt instanceof Date && d.revokedAt >= at)))
      .map((d) => d.schoolId)
  ).size
}

describe('rounds', () => {
  it('the bureau opens a round; opening it again returns the same round', async () => {
    const input = { name: '2027年度示范校创建', year: 2027, deadline: '2099-03-01', notes: '每个学区推荐 1–2 所' }
    const first = await ok<{ round: RoundView; created: boolean }>(P.bureau, 'openRound', input)
    expect(first).toMatchObject({ created: true, round: { name: '2027年度示范校创建', year: 2027, deadline: '2099-03-01', open: true, notes: '每个学区推荐 1–2 所' } })
    const again = await ok<{ round: RoundView; created: boolean }>(P.bureau, 'openRound', input)
    expect(again).toEqual({ created: false, round: first.round })
    const docs = t.cloud.store.find('programmeRounds', {})
    expect(docs).toHaveLength(1)
    expect(docs[0]).toMatchObject({ countyId: W.county, name: '2027年度示范校创建', createdBy: P.bureau })
    expect(docs[0].applyUntil).toEqual(new Date('2099-03-02T00:00:00+08:00'))
  })

  it('refuses a deadline in the past, a malformed date, and anyone but the bureau', async () => {
    await refused(P.bureau, 'openRound', { name: '2020年度', year: 2024, deadline: '2024-03-01' }, 'INVALID_INPUT', '申报截止日期不能早于今天')
    await refused(P.bureau, 'openRound', { name: '2026年度', year: 2026, deadline: '2026-02-30' }, 'INVALID_INPUT', '不是有效的日期')
    await refused(P.adminOfThis, 'openRound', { name: '2026年度', year: 2026, deadline: '2099-03-01' }, 'PERMISSION_DENIED')
  })

  it('lists rounds newest first; a school admin sees their school, their application and whether they may apply', async () => {
    seedRound(t.cloud, { id: OLD_ROUND, name: '2024年度示范校创建', deadline: '2024-03-01', year: 2024 })
    seedRound(t.cloud)
    const bureau = await ok<{ rounds: RoundView[]; school: ProgrammeSchool | null; viewer: string }>(P.bureau, 'listRounds', {})
    expect(bureau.school).toBeNull()
    expect(bureau.viewer).toBe('bureau')
    expect(bureau.rounds.map((r) => [r.roundId, r.open])).toEqual([
      [ROUND, true],
      [OLD_ROUND, false]
    ])

    const before = await ok<{ rounds: RoundView[]; school: ProgrammeSchool | null; viewer: string }>(P.adminOfThis, 'listRounds', {})
    expect(before.viewer).toBe('school')
    expect(before.school).toEqual({ schoolId: W.school, name: '城关第一小学', district: '城关学区', type: '小学' })
    expect(before.rounds[0]).toMatchObject({ roundId: ROUND, mine: null, canApply: true, blockedReason: null })
    expect(before.rounds[1]).toMatchObject({ roundId: OLD_ROUND, mine: null, canApply: false, blockedReason: '本批次申报已于 2024-03-01 截止' })

    await applyAs()
    const after = await ok<{ rounds: RoundView[] }>(P.adminOfThis, 'listRounds', {})
    expect(after.rounds[0]).toMatchObject({ canApply: false, blockedReason: null, mine: { applicationId: appId(), status: 'submitted', phone: '138****5678' } })
  })

  it('refuses teachers, guardians and people without a role', async () => {
    for (const who of [P.teacherOfThis, P.guardianOfThis, P.nobody]) await refused(who, 'listRounds', {}, 'PERMISSION_DENIED')
  })
})

describe('applying (申报表)', () => {
  beforeEach(() => {
    seedRound(t.cloud)
  })

  it('creates one application per school per round, with the school record’s name, district and type and T17’s fields', async () => {
    const { reply, stats } = await applyAs()
    if (!reply.ok) throw new Error(reply.message)
    expect(reply.data).toMatchObject({
      applicationId: appId(),
      schoolName: '城关第一小学',
      district: '城关学区',
      schoolType: '小学',
      status: 'submitted',
      phone: '13812345678',
      viewer: 'school',
      history: [{ step: 'apply', from: null, to: 'submitted', byRole: 'school', byName: '城关第一小学 · 严校长' }]
    })
    expect(stats.dbRequests).toBeLessThanOrEqual(6)
    const doc = appDoc(appId())
    expect(doc).toMatchObject({ countyId: W.county, schoolId: W.school, roundId: ROUND, status: 'submitted', certifiedAt: null, revokedAt: null, rev: 1 })
    expect(doc.history[0]).toMatchObject({ by: P.adminOfThis, step: 'apply' })
    expect(doc.history[0].at).toBeInstanceOf(Date)
  })

  it('is idempotent: the same submission again changes nothing', async () => {
    await applyAs()
    const before = snapshot()
    const again = await applyAs()
    expect(again.reply).toMatchObject({ ok: true, data: { applicationId: appId(), status: 'submitted' } })
    expect(snapshot()).toBe(before)
  })

  it('a late retry of the same submission, after the bureau accepted, answers with the application as it is now', async () => {
    seedApplication(t.cloud, 'creating')
    const before = snapshot()
    const again = await applyAs()
    expect(again.reply).toMatchObject({ ok: true, data: { applicationId: appId(), status: 'creating' } })
    expect(snapshot()).toBe(before)
  })

  it('concurrent submissions of the same form leave one application with one history entry', async () => {
    const replies = await Promise.all([applyAs(), applyAs(), applyAs()])
    for (const r of replies) expect(r.reply.ok).toBe(true)
    expect(t.cloud.store.count('programmeApplications', {})).toBe(1)
    expect(appDoc(appId()).history).toHaveLength(1)
  })

  it('may be edited until the bureau decides; the edit is in the history', async () => {
    await applyAs()
    const edited = await ok<ApplicationDetail>(P.adminOfThis, 'apply', { roundId: ROUND, ...FORM, phone: '0577-63886337' })
    expect(edited.phone).toBe('0577-63886337')
    expect(edited.history.map((h) => h.step)).toEqual(['apply', 'edit'])
    expect(appDoc(appId())).toMatchObject({ phone: '0577-63886337', rev: 2, status: 'submitted' })
  })

  it('cannot be edited once accepted (a stable code and a Chinese sentence, nothing changed)', async () => {
    seedApplication(t.cloud, 'creating')
    await refused(P.adminOfThis, 'apply', { roundId: ROUND, ...FORM, goals: '新的目标新的目标新的目标' }, 'INVALID_STATE', '该申报当前为「创建中」，不能「修改申报表」')
  })

  it('is refused after the deadline, in another county’s round, and while the school is busy or already certified elsewhere', async () => {
    seedRound(t.cloud, { id: 'rnd_closed', name: '已截止批次', deadline: '2024-03-01' })
    await refused(P.adminOfThis, 'apply', { roundId: 'rnd_closed', ...FORM }, 'INVALID_STATE', '本批次申报已于 2024-03-01 截止')
    await refused(P.adminOfThis, 'apply', { roundId: 'rnd_missing', ...FORM }, 'NOT_FOUND')
    t.cloud.store.insertMany('programmeRounds', [{ _id: 'rnd_far', countyId: 'c9', name: '外县批次', year: 2026, deadline: '2099-12-31', applyUntil: new Date('2100-01-01'), notes: '', createdBy: 'x', createdAt: new Date() }])
    await refused(P.adminOfThis, 'apply', { roundId: 'rnd_far', ...FORM }, 'NOT_FOUND')

    seedApplication(t.cloud, 'creating', { roundId: OLD_ROUND, roundName: '2024年度示范校创建' })
    await refused(P.adminOfThis, 'apply', { roundId: ROUND, ...FORM }, 'INVALID_STATE', '本校在「2024年度示范校创建」中的创建尚未结束（创建中）')
    seedWorld(t.cloud)
    seedRound(t.cloud)
    seedApplication(t.cloud, 'rectifying', { roundId: OLD_ROUND, roundName: '2024年度示范校创建' })
    await refused(P.adminOfThis, 'apply', { roundId: ROUND, ...FORM }, 'INVALID_STATE', '本校已是示范校')
  })

  it('after a decline or a failed evaluation the school may apply in the next round', async () => {
    seedApplication(t.cloud, 'notCertified', { roundId: OLD_ROUND })
    seedApplication(t.cloud, 'declined', { roundId: OLD_ROUND, schoolId: W.otherSchool })
    await ok(P.adminOfThis, 'apply', { roundId: ROUND, ...FORM })
    await ok(P.adminOfOther, 'apply', { roundId: ROUND, ...FORM })
    expect(t.cloud.store.count('programmeApplications', { roundId: ROUND, status: 'submitted' })).toBe(2)
  })

  it('checks the form with Chinese messages and writes nothing when it is wrong', async () => {
    await refused(P.adminOfThis, 'apply', { roundId: ROUND, ...FORM, phone: '138' }, 'INVALID_INPUT', /联系电话应为 11 位手机号/)
    await refused(P.adminOfThis, 'apply', { roundId: ROUND, ...FORM, basis: '很好' }, 'INVALID_INPUT', '创建基础至少写 10 个字')
    await refused(P.adminOfThis, 'apply', { roundId: ROUND, ...FORM, plan: '案'.repeat(2001) }, 'INVALID_INPUT', /不能超过 2000 个字/)
  })

  it('only school admins apply', async () => {
    for (const who of [P.teacherOfThis, P.bureau, P.guardianOfThis, P.nobody]) await refused(who, 'apply', { roundId: ROUND, ...FORM }, 'PERMISSION_DENIED')
  })
})

describe("the bureau's list", () => {
  it('masks phones, leaves out the long texts, counts by status and counts certified schools once', async () => {
    seedRound(t.cloud)
    seedApplication(t.cloud, 'submitted')
    seedApplication(t.cloud, 'rectifying', { schoolId: W.otherSchool })
    seedApplication(t.cloud, 'certified', { schoolId: 's-third' })
    seedApplication(t.cloud, 'revoked', { schoolId: 's-fourth' })
    seedApplication(t.cloud, 'certified', { schoolId: 's-far', countyId: 'c9' })
    const { reply, stats } = await call<{ applications: Array<ApplicationSummary & Record<string, unknown>>; counts: StatusCounts; certifiedSchools: number; goal: number; hasMore: boolean }>(
      P.bureau,
      'listApplications',
      {}
    )
    if (!reply.ok) throw new Error(reply.message)
    const data = reply.data
    expect(stats.dbRequests).toBeLessThanOrEqual(4)
    expect(data.applications).toHaveLength(4)
    for (const a of data.applications) {
      expect(a.phone).toBe('138****5678')
      expect(a).not.toHaveProperty('basis')
      expect(a).not.toHaveProperty('history')
    }
    expect(JSON.stringify(data)).not.toContain('13812345678')
    expect(data.counts).toEqual({ submitted: 1, rectifying: 1, certified: 1, revoked: 1 })
    expect(data.certifiedSchools).toBe(2)
    expect(data.goal).toBe(100)
    expect(data.hasMore).toBe(false)
  })

  it('filters by status, round and district, and pages by 20', async () => {
    for (let i = 0; i < 23; i++) seedApplication(t.cloud, i < 21 ? 'submitted' : 'creating', { schoolId: `s-x${String(i).padStart(2, '0')}` })
    seedApplication(t.cloud, 'submitted', { roundId: OLD_ROUND, schoolId: W.school })
    const first = await ok<{ applications: ApplicationSummary[]; hasMore: boolean; counts: StatusCounts }>(P.bureau, 'listApplications', { roundId: ROUND, status: 'submitted' })
    expect(first.applications).toHaveLength(20)
    expect(first.hasMore).toBe(true)
    expect(first.counts).toEqual({ submitted: 21, creating: 2 })
    const second = await ok<{ applications: ApplicationSummary[]; hasMore: boolean }>(P.bureau, 'listApplications', { roundId: ROUND, status: 'submitted', page: 2 })
    expect(second.applications).toHaveLength(1)
    expect(second.hasMore).toBe(false)
    const district = await ok<{ applications: ApplicationSummary[] }>(P.bureau, 'listApplications', { district: '城关学区' })
    expect(district.applications.map((a) => a.applicationId)).toEqual([appId(W.school, OLD_ROUND)])
  })

  it('is the bureau’s only', async () => {
    for (const who of [P.adminOfThis, P.teacherOfThis, P.nobody]) await refused(who, 'listApplications', {}, 'PERMISSION_DENIED')
  })
})

describe('reading an application', () => {
  it('the school’s admin and the county bureau see it in full; another school’s admin is refused', async () => {
    const id = seedApplication(t.cloud, 'certified')
    const mine = await ok<ApplicationDetail>(P.adminOfThis, 'getApplication', { applicationId: id })
    expect(mine).toMatchObject({ viewer: 'school', phone: '13812345678', basis: FORM.basis, status: 'certified', selfTotal: 95, expertTotal: 98 })
    expect(mine.history.map((h) => h.step)).toEqual(['apply', 'accept', 'submitSelfAssessment', 'certify'])
    expect(JSON.stringify(mine)).not.toContain(P.bureau) // no openids leave the function
    expect(mine.creationEndsAt).toBe(new Date(mine.acceptedAt as number).setFullYear(new Date(mine.acceptedAt as number).getFullYear() + 1))
    const bureau = await ok<ApplicationDetail>(P.bureau, 'getApplication', { applicationId: id })
    expect(bureau.viewer).toBe('bureau')
    await refused(P.adminOfOther, 'getApplication', { applicationId: id }, 'PERMISSION_DENIED')
    await refused(P.teacherOfThis, 'getApplication', { applicationId: id }, 'PERMISSION_DENIED')
    await refused(P.bureau, 'getApplication', { applicationId: 'rnd_x_nope' }, 'NOT_FOUND')
  })

  it('another county’s application does not exist for this bureau', async () => {
    const id = seedApplication(t.cloud, 'submitted', { schoolId: 's-far', countyId: 'c9' })
    await refused(P.bureau, 'getApplication', { applicationId: id }, 'NOT_FOUND')
    await refused(P.bureau, 'decideApplication', { applicationId: id, accept: true }, 'NOT_FOUND')
  })
})

describe('accepting or declining', () => {
  it('accept → 创建中 with acceptedAt; a retry changes nothing', async () => {
    const id = seedApplication(t.cloud, 'submitted')
    const data = await ok<ApplicationDetail>(P.bureau, 'decideApplication', { applicationId: id, accept: true })
    expect(data).toMatchObject({ status: 'creating', viewer: 'bureau' })
    expect(data.history.at(-1)).toMatchObject({ step: 'accept', from: 'submitted', to: 'creating', byRole: 'bureau', byName: '周科长' })
    expect(appDoc(id).acceptedAt).toBeInstanceOf(Date)
    const before = snapshot()
    expect(await ok<ApplicationDetail>(P.bureau, 'decideApplication', { applicationId: id, accept: true })).toMatchObject({ status: 'creating' })
    expect(snapshot()).toBe(before)
  })

  it('decline needs a reason, which the school then reads', async () => {
    const id = seedApplication(t.cloud, 'submitted')
    await refused(P.bureau, 'decideApplication', { applicationId: id, accept: false }, 'INVALID_INPUT', '请填写不予受理的原因，学校会看到')
    await ok(P.bureau, 'decideApplication', { applicationId: id, accept: false, reason: '创建基础不足，建议明年再报' })
    const mine = await ok<ApplicationDetail>(P.adminOfThis, 'getApplication', { applicationId: id })
    expect(mine).toMatchObject({ status: 'declined', declineReason: '创建基础不足，建议明年再报' })
    expect(mine.history.at(-1)).toMatchObject({ step: 'decline', note: '创建基础不足，建议明年再报' })
  })

  it('two bureau staff accepting at once record one acceptance; accept and decline at once: one wins, the other is told', async () => {
    const id = seedApplication(t.cloud, 'submitted')
    t.cloud.store.insertMany('memberships', [{ _id: 'm-bureau-2', openid: 'o-bureau-2', role: 'bureauAdmin', status: 'active', countyId: W.county }])
    const both = await Promise.all([
      call(P.bureau, 'decideApplication', { applicationId: id, accept: true }),
      call('o-bureau-2', 'decideApplication', { applicationId: id, accept: true })
    ])
    for (const r of both) expect(r.reply.ok).toBe(true)
    expect(appDoc(id).history.filter((h) => h.step === 'accept')).toHaveLength(1)

    seedWorld(t.cloud)
    const id2 = seedApplication(t.cloud, 'submitted')
    const race = await Promise.all([
      call(P.bureau, 'decideApplication', { applicationId: id2, accept: true }),
      call(P.bureau, 'decideApplication', { applicationId: id2, accept: false, reason: '材料不全' })
    ])
    expect(race.filter((r) => r.reply.ok)).toHaveLength(1)
    const lost = race.find((r) => !r.reply.ok)?.reply
    // the loser either lost the write (CONFLICT) or already read the decided state (INVALID_STATE)
    expect(lost).toMatchObject({ ok: false, code: expect.stringMatching(/^(CONFLICT|INVALID_STATE)$/) })
    expect(appDoc(id2).history).toHaveLength(2)
  })

  it('refuses wrong transitions with INVALID_STATE and a Chinese sentence, changing nothing', async () => {
    const self = seedApplication(t.cloud, 'selfAssessed')
    await refused(P.bureau, 'decideApplication', { applicationId: self, accept: true }, 'INVALID_STATE', '该申报当前为「已自评，待评估」，不能「受理申报，开始创建」')
    const declined = seedApplication(t.cloud, 'declined', { schoolId: W.otherSchool })
    await refused(P.bureau, 'decideApplication', { applicationId: declined, accept: true }, 'INVALID_STATE', '当前为「未受理」')
  })

  it('only the bureau decides', async () => {
    const id = seedApplication(t.cloud, 'submitted')
    for (const who of [P.adminOfThis, P.teacherOfThis, P.nobody]) await refused(who, 'decideApplication', { applicationId: id, accept: true }, 'PERMISSION_DENIED')
  })
})

describe('self-assessment (自查自评)', () => {
  it('saves a draft with evidence links, without a status change or a history entry', async () => {
    const id = seedApplication(t.cloud, 'creating')
    const fileID = seedEvidence(t.cloud, W.school, '授课签到表.pdf')
    const photo = seedEvidence(t.cloud, W.school, '家长会.jpg')
    const first = STANDARD_ITEMS[0]
    const data = await ok<ApplicationDetail>(P.adminOfThis, 'saveSelfAssessment', {
      applicationId: id,
      items: [{ key: STANDARD_ITEMS[1].key, score: 4 }, { key: first.key, score: 5, note: '领导小组已成立', evidence: [{ fileID, name: '授课签到表.pdf' }, { fileID: photo, name: '家长会.jpg' }] }]
    })
    expect(data.status).toBe('creating')
    expect(data.history.map((h) => h.step)).toEqual(['apply', 'accept'])
    expect(data.selfAssessment).toMatchObject({ total: 9, submittedAt: null })
    // in the standard's order, with links the phone can open
    expect(data.selfAssessment?.items.map((i) => i.key)).toEqual([first.key, STANDARD_ITEMS[1].key])
    const ev = data.selfAssessment?.items[0].evidence ?? []
    expect(ev.map((e) => [e.name, e.kind])).toEqual([
      ['授课签到表.pdf', 'document'],
      ['家长会.jpg', 'image']
    ])
    expect(ev[0].tempFileURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/storage\/file\//)
    expect(appDoc(id)).toMatchObject({ status: 'creating', rev: 2 })

    // Saving again replaces the draft (an item removed is gone).
    const again = await ok<ApplicationDetail>(P.adminOfThis, 'saveSelfAssessment', { applicationId: id, items: [{ key: first.key, score: 3 }] })
    expect(again.selfAssessment?.items).toEqual([{ key: first.key, score: 3, note: '', evidence: [] }])
  })

  it('refuses evidence that is not the school’s own upload (exports, another school’s files)', async () => {
    const id = seedApplication(t.cloud, 'creating')
    const other = seedEvidence(t.cloud, W.otherSchool, '他校材料.pdf')
    const exported = t.cloud.storage.put(`exports/${W.otherSchool}/花名册.xlsx`, Buffer.from('x'))
    const program = t.cloud.storage.put(`programme/${W.school}/${Date.now()}-0-evil.exe`, Buffer.from('MZ'))
    for (const fileID of [other, exported, program]) {
      await refused(P.adminOfThis, 'saveSelfAssessment', { applicationId: id, items: [{ key: STANDARD_ITEMS[0].key, score: 5, evidence: [{ fileID, name: '材料.pdf' }] }] }, 'INVALID_INPUT', /不是本校上传的图片或文档/)
    }
  })

  it('submits only when every item is scored; then 已自评 with the total, and a retry changes nothing', async () => {
    const id = seedApplication(t.cloud, 'creating')
    const items = selfItems(2)
    await refused(P.adminOfThis, 'submitSelfAssessment', { applicationId: id, items: items.slice(2) }, 'INVALID_INPUT', /还有 2 项没有自评打分/)
    const data = await ok<ApplicationDetail>(P.adminOfThis, 'submitSelfAssessment', { applicationId: id, items })
    expect(data).toMatchObject({ status: 'selfAssessed', selfTotal: 98 })
    expect(data.history.at(-1)).toMatchObject({ step: 'submitSelfAssessment', from: 'creating', to: 'selfAssessed', note: '自评总分 98 分' })
    const before = snapshot()
    await ok(P.adminOfThis, 'submitSelfAssessment', { applicationId: id, items })
    expect(snapshot()).toBe(before)
    // the draft is closed now
    await refused(P.adminOfThis, 'saveSelfAssessment', { applicationId: id, items }, 'INVALID_STATE', '该申报当前为「已自评，待评估」，不能「保存自评草稿」')
  })

  it('is refused before acceptance, and to another school’s admin, the bureau and teachers', async () => {
    const id = seedApplication(t.cloud, 'submitted')
    await refused(P.adminOfThis, 'submitSelfAssessment', { applicationId: id, items: selfItems() }, 'INVALID_STATE', '该申报当前为「待受理」，不能「提交自查自评」')
    await refused(P.adminOfThis, 'saveSelfAssessment', { applicationId: id, items: [] }, 'INVALID_STATE', /待受理/)
    seedWorld(t.cloud)
    const creating = seedApplication(t.cloud, 'creating')
    await refused(P.adminOfOther, 'saveSelfAssessment', { applicationId: creating, items: [] }, 'PERMISSION_DENIED', '只能查看和填写本校的申报')
    for (const who of [P.bureau, P.teacherOfThis]) await refused(who, 'submitSelfAssessment', { applicationId: creating, items: selfItems() }, 'PERMISSION_DENIED')
  })
})

describe('the creation year (一年创建期满，自查自评)', () => {
  it('drafts may be saved during the year; submitting is refused with INVALID_STATE naming the day the page shows', async () => {
    const id = seedApplication(t.cloud, 'creating')
    patch(id, { acceptedAt: new Date(Date.now() - 30 * DAY) })
    await ok(P.adminOfThis, 'saveSelfAssessment', { applicationId: id, items: selfItems() })
    expect(appDoc(id)).toMatchObject({ status: 'creating' })
    // 创建期满 as the page shows it (the Shanghai day of creationEndsAt, a year after acceptance)
    const { creationEndsAt } = await ok<ApplicationDetail>(P.adminOfThis, 'getApplication', { applicationId: id })
    const shown = new Date((creationEndsAt as number) + 8 * 3600_000)
    const day = `${shown.getUTCFullYear()}年${shown.getUTCMonth() + 1}月${shown.getUTCDate()}日`
    await refused(P.adminOfThis, 'submitSelfAssessment', { applicationId: id, items: selfItems() }, 'INVALID_STATE', `一年创建期满（${day}）后才能提交自查自评，在此之前可以继续填写、保存草稿`)
    expect(appDoc(id).history.map((h) => h.step)).toEqual(['apply', 'accept'])
  })

  it('the year over (the acceptance moved back in the store), the same submission goes through', async () => {
    const id = seedApplication(t.cloud, 'creating')
    patch(id, { acceptedAt: new Date(Date.now() - 30 * DAY) })
    await refused(P.adminOfThis, 'submitSelfAssessment', { applicationId: id, items: selfItems() }, 'INVALID_STATE')
    patch(id, { acceptedAt: new Date(Date.now() - 366 * DAY) })
    const data = await ok<ApplicationDetail>(P.adminOfThis, 'submitSelfAssessment', { applicationId: id, items: selfItems() })
    expect(data.status).toBe('selfAssessed')
  })

  it('the year is checked before completeness: an early, incomplete submission is told about the date', async () => {
    const id = seedApplication(t.cloud, 'creating')
    patch(id, { acceptedAt: new Date(Date.now() - DAY) })
    await refused(P.adminOfThis, 'submitSelfAssessment', { applicationId: id, items: [] }, 'INVALID_STATE', /一年创建期满/)
  })
})

describe('evaluation (评估认定)', () => {
  it('認定通过 sets certifiedAt (a Date, as T17 reads it); a retry changes nothing', async () => {
    const id = seedApplication(t.cloud, 'selfAssessed')
    const data = await ok<ApplicationDetail>(P.bureau, 'evaluate', { applicationId: id, items: expertItems({ 'visits-home': 3 }), comment: '实地查看，材料属实', result: 'pass' })
    expect(data).toMatchObject({ status: 'certified', expertTotal: 98, evaluation: { result: 'pass', total: 98, comment: '实地查看，材料属实', byName: '周科长' } })
    expect(data.certifiedAt).toBeGreaterThan(0)
    const doc = appDoc(id)
    expect(doc.certifiedAt).toBeInstanceOf(Date)
    expect(doc.revokedAt).toBeNull()
    expect(certifiedSchoolsAt(new Date(Date.now() + 1000))).toBe(1)
    const before = snapshot()
    await ok(P.bureau, 'evaluate', { applicationId: id, items: expertItems({ 'visits-home': 3 }), comment: '实地查看，材料属实', result: 'pass' })
    expect(snapshot()).toBe(before)
  })

  it('未通过 leaves the school uncertified', async () => {
    const id = seedApplication(t.cloud, 'selfAssessed')
    const data = await ok<ApplicationDetail>(P.bureau, 'evaluate', { applicationId: id, items: expertItems({ 'guidance-lectures': 2 }), comment: '分班授课不足', result: 'fail' })
    expect(data).toMatchObject({ status: 'notCertified', certifiedAt: null })
    expect(appDoc(id).certifiedAt).toBeNull()
  })

  it('cannot certify with the veto item at 0, nor with items unscored', async () => {
    const id = seedApplication(t.cloud, 'selfAssessed')
    await refused(P.bureau, 'evaluate', { applicationId: id, items: expertItems({ 'committee-no-fees': 0 }), comment: '家委会代收费用', result: 'pass' }, 'INVALID_INPUT', /一票否决项/)
    await refused(P.bureau, 'evaluate', { applicationId: id, items: expertItems().slice(1), comment: '意见', result: 'pass' }, 'INVALID_INPUT', /还有 1 项没有专家评分/)
    await refused(P.bureau, 'evaluate', { applicationId: id, items: expertItems({ 'org-plan': 6 }), comment: '意见', result: 'pass' }, 'INVALID_INPUT', '「一校一案」满分 5 分，得分不能超过 5')
    // failing with the veto item at 0 is the point of a veto
    await ok(P.bureau, 'evaluate', { applicationId: id, items: expertItems({ 'committee-no-fees': 0 }), comment: '家委会代收费用', result: 'fail' })
  })

  it('refuses to evaluate before the self-assessment is in, and refuses school admins', async () => {
    const id = seedApplication(t.cloud, 'creating')
    await refused(P.bureau, 'evaluate', { applicationId: id, items: expertItems(), comment: '意见', result: 'pass' }, 'INVALID_STATE', '该申报当前为「创建中」，不能「评估认定通过，授予称号」')
    const self = seedApplication(t.cloud, 'selfAssessed', { schoolId: W.otherSchool })
    await refused(P.adminOfOther, 'evaluate', { applicationId: self, items: expertItems(), comment: '意见', result: 'pass' }, 'PERMISSION_DENIED')
  })
})

describe('re-checks (复查)', () => {
  it('合格 keeps the title; a retry the same day is not recorded twice', async () => {
    const id = seedApplication(t.cloud, 'certified')
    const input = { applicationId: id, result: 'pass', comment: '复查合格，继续保持' }
    const data = await ok<ApplicationDetail>(P.bureau, 'recheck', input)
    expect(data).toMatchObject({ status: 'certified', rectifyDeadline: null, rechecks: [{ result: 'pass', comment: '复查合格，继续保持' }] })
    const before = snapshot()
    await ok(P.bureau, 'recheck', input)
    expect(snapshot()).toBe(before)
  })

  it('限时整改 keeps the title with a deadline; then 撤销 sets revokedAt, and T17 no longer counts the school', async () => {
    const id = seedApplication(t.cloud, 'certified')
    const rect = await ok<ApplicationDetail>(P.bureau, 'recheck', { applicationId: id, result: 'rectify', comment: '分班授课不足', deadline: '2099-06-30' })
    expect(rect).toMatchObject({ status: 'rectifying', rectifyDeadline: '2099-06-30', revokedAt: null })
    expect(rect.history.at(-1)).toMatchObject({ step: 'rectify', note: '分班授课不足（整改期限 2099-06-30）' })
    const beforeRevoke = new Date()
    expect(certifiedSchoolsAt(beforeRevoke)).toBe(1)
    const revoked = await ok<ApplicationDetail>(P.bureau, 'recheck', { applicationId: id, result: 'revoke', comment: '整改不到位' })
    expect(revoked).toMatchObject({ status: 'revoked' })
    const doc = appDoc(id)
    expect(doc.revokedAt).toBeInstanceOf(Date)
    expect(doc.certifiedAt).toBeInstanceOf(Date) // kept: T17 of earlier months still counts it
    expect(certifiedSchoolsAt(new Date(Date.now() + 1000))).toBe(0)
    expect(certifiedSchoolsAt(beforeRevoke)).toBe(1)
    await refused(P.bureau, 'recheck', { applicationId: id, result: 'pass', comment: '复查合格' }, 'INVALID_STATE', '该申报当前为「已撤销称号」，不能「复查合格」')
  })

  it('needs a future deadline for 限时整改 and a certified school to re-check', async () => {
    const id = seedApplication(t.cloud, 'certified')
    await refused(P.bureau, 'recheck', { applicationId: id, result: 'rectify', comment: '授课不足' }, 'INVALID_INPUT', '限时整改请填写整改期限')
    await refused(P.bureau, 'recheck', { applicationId: id, result: 'rectify', comment: '授课不足', deadline: '2024-01-01' }, 'INVALID_INPUT', '整改期限不能早于今天')
    await refused(P.bureau, 'recheck', { applicationId: id, result: 'rectify', comment: '授课不足', deadline: '2099/06/30' }, 'INVALID_INPUT', '整改期限格式应为 YYYY-MM-DD，例如 2026-03-01')
    await refused(P.bureau, 'recheck', { applicationId: id, result: 'rectify', comment: '授课不足', deadline: '2099-02-30' }, 'INVALID_INPUT', '整改期限不是有效的日期')
    const self = seedApplication(t.cloud, 'selfAssessed', { schoolId: W.otherSchool })
    await refused(P.bureau, 'recheck', { applicationId: self, result: 'revoke', comment: '不合格' }, 'INVALID_STATE', /不能「复查：撤销示范校称号」/)
    await refused(P.adminOfThis, 'recheck', { applicationId: id, result: 'pass', comment: '合格' }, 'PERMISSION_DENIED')
  })
})

describe('the whole programme, start to finish', () => {
  it('round → application → accepted → draft with evidence → self-assessment → certified → re-checked, every change in the history', async () => {
    const { round } = await ok<{ round: RoundView }>(P.bureau, 'openRound', { name: '2026年度示范校创建', year: 2026, deadline: '2099-03-01' })
    const applied = await ok<ApplicationDetail>(P.adminOfThis, 'apply', { roundId: round.roundId, ...FORM })
    const id = applied.applicationId
    expect(id).toBe(`${round.roundId}_${W.school}`)
    await ok(P.bureau, 'decideApplication', { applicationId: id, accept: true })
    const fileID = seedEvidence(t.cloud)
    const items = selfItems().map((i, n) => (n === 3 ? { ...i, evidence: [{ fileID, name: '授课签到表.pdf' }] } : i))
    await ok(P.adminOfThis, 'saveSelfAssessment', { applicationId: id, items: items.slice(0, 5) })
    // The creation year: submitting is refused until it is over.
    await refused(P.adminOfThis, 'submitSelfAssessment', { applicationId: id, items }, 'INVALID_STATE', /^一年创建期满（\d{4}年\d{1,2}月\d{1,2}日）后才能提交自查自评/)
    patch(id, { acceptedAt: new Date(Date.now() - 366 * DAY) })
    const submitted = await ok<ApplicationDetail>(P.adminOfThis, 'submitSelfAssessment', { applicationId: id, items })
    expect(submitted.selfAssessment?.items[3].evidence[0]).toMatchObject({ name: '授课签到表.pdf', kind: 'document' })
    await ok(P.bureau, 'evaluate', { applicationId: id, items: expertItems(), comment: '认定通过', result: 'pass' })
    await ok(P.bureau, 'recheck', { applicationId: id, result: 'rectify', comment: '开放日次数不足', deadline: '2099-06-30' })
    const final = await ok<ApplicationDetail>(P.bureau, 'recheck', { applicationId: id, result: 'pass', comment: '整改到位' })
    expect(final.status).toBe('certified')
    expect(final.history.map((h) => `${h.from ?? '—'}→${h.to}`)).toEqual([
      '—→submitted',
      'submitted→creating',
      'creating→selfAssessed',
      'selfAssessed→certified',
      'certified→rectifying',
      'rectifying→certified'
    ])
    expect(final.history.map((h) => h.byRole)).toEqual(['school', 'bureau', 'school', 'bureau', 'bureau', 'bureau'])
    expect(final.rechecks.map((r) => r.result)).toEqual(['pass', 'rectify'])
    const statuses: ApplicationStatus[] = final.history.map((h) => h.to)
    expect(statuses.at(-1)).toBe('certified')
    expect(appDoc(id).rev).toBe(6)
  })
})
