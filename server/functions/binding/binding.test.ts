/** The binding function through the genuine wx-server-sdk against the local cloud. */
import fc from 'fast-check'
import type { BindResult, ChildSummary, GuardianSummary, MyBindingRequest, PendingBindingView, UnboundStudents, WhoAmI } from '@/shared/contract'
import { ERROR_CODES } from '@/shared/errors'
import { startTestCloud, type TestCloud } from '../../testing'
import { P, seedFamilyInvite, seedPendingRequest, seedWorld, W } from '../../fixtures'

let t: TestCloud
beforeAll(async () => {
  t = await startTestCloud()
})
afterAll(async () => {
  await t.close()
})
beforeEach(() => seedWorld(t.cloud))

const call = <T>(openid: string, action: string, data: unknown) => t.call<T>('binding', openid, { action, data })
const ok = async <T>(openid: string, action: string, data: unknown): Promise<T> => {
  const { reply } = await call<T>(openid, action, data)
  if (!reply.ok) throw new Error(`${action}: ${reply.code} ${reply.message}`)
  return reply.data
}
const bind = (openid: string, over: Partial<{ classCode: string; childName: string; studentNoSuffix: string; relation: string }> = {}) =>
  call<BindResult>(openid, 'bindChild', { classCode: W.classCode, childName: '李华', studentNoSuffix: '5678', relation: '父亲', ...over })
const activeBindings = (studentId: string) => t.cloud.store.count('memberships', { role: 'guardian', studentId, status: 'active' })

describe('binding a child with the class code', () => {
  it('binds at once on an exact roster match, and the child appears for the guardian', async () => {
    const { reply, stats } = await bind(P.grandpa, { classCode: 'cg1x01 ' })
    expect(reply).toMatchObject({ ok: true, data: { status: 'bound', child: { studentId: W.sibling, name: '李华', className: '一年级（1）班' } } })
    expect(stats.dbRequests).toBeLessThanOrEqual(4)
    const mine = await ok<{ children: ChildSummary[] }>(P.grandpa, 'myChildren', {})
    expect(mine.children).toEqual([expect.objectContaining({ studentId: W.sibling, relation: '父亲', primary: true })])
    const me = await t.call<WhoAmI>('account', P.grandpa, { action: 'whoami', data: {} })
    expect(me.reply).toMatchObject({ ok: true, data: { roles: [{ role: 'guardian', studentIds: [W.sibling] }] } })
  })

  it('sends a near miss to the head teacher without revealing anything about the class', async () => {
    const { reply, stats } = await bind(P.grandpa, { childName: '李桦' })
    expect(reply.ok).toBe(true)
    if (!reply.ok || reply.data.status !== 'pending') throw new Error('expected pending')
    expect(reply.data.request).toMatchObject({ childName: '李桦', status: 'pending', className: '一年级（1）班' })
    expect(JSON.stringify(reply)).not.toContain('李华') // the real name is not leaked
    expect(stats.dbRequests).toBeLessThanOrEqual(4)
    expect(activeBindings(W.sibling)).toBe(0)
  })

  it('keeps one pending request per guardian and class, however often they retry', async () => {
    await bind(P.grandpa, { childName: '李桦' })
    await bind(P.grandpa, { childName: '李骅' })
    expect(t.cloud.store.count('bindingRequests', { openid: P.grandpa })).toBe(1)
    expect(t.cloud.store.find('bindingRequests', { openid: P.grandpa })[0].childName).toBe('李骅')
  })

  it('refuses a wrong class code in Chinese, and after 10 failures in an hour refuses even a right one', async () => {
    const wrong = await bind(P.grandpa, { classCode: 'ZZZZ99' })
    expect(wrong.reply).toMatchObject({ ok: false, code: 'CLASS_CODE_INVALID', message: expect.stringMatching(/班级码/) })
    for (let i = 0; i < 9; i++) await bind(P.grandpa, { classCode: 'ZZZZ99' })
    const right = await bind(P.grandpa)
    expect(right.reply).toMatchObject({ ok: false, code: 'RATE_LIMITED' })
    expect(activeBindings(W.sibling)).toBe(0)
  })

  it('counts near misses too, so the last 4 digits cannot be guessed', async () => {
    for (let i = 0; i < 10; i++) await bind(P.grandpa, { studentNoSuffix: String(1000 + i) })
    const right = await bind(P.grandpa)
    expect(right.reply).toMatchObject({ ok: false, code: 'RATE_LIMITED' })
  })

  it('does not bind a student who left the school', async () => {
    const { reply } = await bind(P.grandpa, { childName: '赵六', studentNoSuffix: '9999' })
    expect(reply).toMatchObject({ ok: false, code: 'STUDENT_NOT_ACCEPTING' })
    expect(activeBindings(W.leaver)).toBe(0)
  })

  it('needs the guardian consent first', async () => {
    const { reply } = await bind(P.unconsented)
    expect(reply).toMatchObject({ ok: false, code: 'CONSENT_REQUIRED' })
    expect(activeBindings(W.sibling)).toBe(0)
  })

  it('creates one binding when the same guardian sends it 20 times at once', async () => {
    const replies = await Promise.all(Array.from({ length: 20 }, () => bind(P.grandpa)))
    for (const { reply } of replies) expect(reply).toMatchObject({ ok: true, data: { status: 'bound' } })
    expect(t.cloud.store.count('memberships', { openid: P.grandpa, studentId: W.sibling })).toBe(1)
  })

  it('lets a guardian unbind, keeps the record, and bind again later (soft-deleted never blocks)', async () => {
    await ok(P.guardianOfThis, 'unbind', { studentId: W.child })
    expect(activeBindings(W.child)).toBe(0)
    expect(t.cloud.store.count('memberships', { openid: P.guardianOfThis, studentId: W.child, status: 'ended' })).toBe(1)
    await ok(P.guardianOfThis, 'unbind', { studentId: W.child }) // a retry is fine
    const again = await bind(P.guardianOfThis, { childName: '王小明', studentNoSuffix: '1234', relation: '母亲' })
    expect(again.reply).toMatchObject({ ok: true, data: { status: 'bound' } })
    expect(t.cloud.store.count('memberships', { openid: P.guardianOfThis, studentId: W.child })).toBe(1)
    expect(activeBindings(W.child)).toBe(1)
    // the ended period is kept once (the retry added nothing), for the statistics of past months
    const periods = t.cloud.store.find('bindingPeriods', { studentId: W.child })
    expect(periods).toEqual([expect.objectContaining({ openid: P.guardianOfThis, from: expect.any(Date), to: expect.any(Date) })])
    expect(t.cloud.store.count('bindingPeriods', {})).toBe(1)
  })

  it('never crashes and never writes on hostile input; every refusal has a stable code (property)', async () => {
    const before = t.cloud.store.count('memberships') + t.cloud.store.count('bindingRequests')
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          classCode: fc.oneof(fc.string(), fc.constant(W.classCode), fc.integer(), fc.constant(null)),
          childName: fc.oneof(fc.string({ maxLength: 40 }), fc.constant('<script>'), fc.constant({ $ne: '' })),
          studentNoSuffix: fc.oneof(fc.string({ maxLength: 6 }), fc.integer()),
          relation: fc.oneof(fc.string(), fc.constant('母亲'))
        }),
        async (data) => {
          const { reply } = await t.call('binding', P.unconsented, { action: 'bindChild', data })
          if (!reply.ok) expect(ERROR_CODES).toContain(reply.code)
        }
      ),
      { numRuns: 40 }
    )
    expect(t.cloud.store.count('memberships') + t.cloud.store.count('bindingRequests')).toBe(before)
  })
})

describe('family members', () => {
  it('a guardian invites a grandparent with a family code; the grandparent joins; names are masked to each other', async () => {
    const { code, expiresAt } = await ok<{ code: string; expiresAt: number }>(P.guardianOfThis, 'inviteFamily', { studentId: W.child })
    expect(code).toMatch(/^[A-Z0-9]{8}$/)
    expect(expiresAt - Date.now()).toBeGreaterThan(71 * 3600_000)
    const joined = await ok<{ child: ChildSummary }>(P.grandpa, 'joinByFamilyCode', { code: code.toLowerCase(), relation: '祖父母' })
    expect(joined.child).toMatchObject({ studentId: W.child, name: '王小明', relation: '祖父母' })
    const family = await ok<{ guardians: GuardianSummary[] }>(P.grandpa, 'familyOf', { studentId: W.child })
    expect(family.guardians).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ maskedName: '王*', relation: '母亲', primary: true, isMe: false }),
        expect.objectContaining({ maskedName: '王建国', relation: '祖父母', primary: false, isMe: true })
      ])
    )
  })

  it('a family code works once: nobody else can use it after the family member did', async () => {
    const code = seedFamilyInvite(t.cloud)
    await ok(P.grandpa, 'joinByFamilyCode', { code, relation: '祖父母' })
    await ok(P.grandpa, 'joinByFamilyCode', { code, relation: '祖父母' }) // the same person retrying is fine
    const stranger = await call(P.guardianOfOther, 'joinByFamilyCode', { code, relation: '父亲' })
    expect(stranger.reply).toMatchObject({ ok: false, code: 'FAMILY_CODE_INVALID' })
    expect(t.cloud.store.count('memberships', { openid: P.guardianOfOther, studentId: W.child })).toBe(0)
  })

  it('refuses an expired or unknown family code', async () => {
    seedFamilyInvite(t.cloud, 'OLDCODE2', new Date(Date.now() - 1000))
    const old = await call(P.grandpa, 'joinByFamilyCode', { code: 'OLDCODE2', relation: '祖父母' })
    expect(old.reply).toMatchObject({ ok: false, code: 'FAMILY_CODE_INVALID' })
    const unknown = await call(P.grandpa, 'joinByFamilyCode', { code: 'NOPE2345', relation: '祖父母' })
    expect(unknown.reply).toMatchObject({ ok: false, code: 'FAMILY_CODE_INVALID' })
    expect(activeBindings(W.child)).toBe(1)
  })

  it('only a guardian of the child may invite, and only the primary guardian may hand the role over', async () => {
    const stranger = await call(P.guardianOfOther, 'inviteFamily', { studentId: W.child })
    expect(stranger.reply).toMatchObject({ ok: false, code: 'PERMISSION_DENIED' })
    const code = seedFamilyInvite(t.cloud)
    await ok(P.grandpa, 'joinByFamilyCode', { code, relation: '祖父母' })
    const family = await ok<{ guardians: GuardianSummary[] }>(P.guardianOfThis, 'familyOf', { studentId: W.child })
    const grandpa = family.guardians.find((g) => !g.isMe) as GuardianSummary
    const notPrimary = await call(P.grandpa, 'handOverPrimary', { studentId: W.child, toGuardianId: grandpa.guardianId })
    expect(notPrimary.reply).toMatchObject({ ok: false, code: 'PERMISSION_DENIED' })
    const handed = await ok<{ guardians: GuardianSummary[] }>(P.guardianOfThis, 'handOverPrimary', { studentId: W.child, toGuardianId: grandpa.guardianId })
    expect(handed.guardians.find((g) => !g.isMe)).toMatchObject({ primary: true })
    const mine = await ok<{ children: ChildSummary[] }>(P.grandpa, 'myChildren', {})
    expect(mine.children[0]).toMatchObject({ studentId: W.child, primary: true })
  })
})

describe('the head teacher', () => {
  it('sees the pending request with the students it may mean, approves it, and the guardian is bound', async () => {
    await bind(P.grandpa, { childName: '李桦' })
    const { requests } = await ok<{ requests: PendingBindingView[] }>(P.teacherOfThis, 'pendingRequests', { classId: W.klass })
    expect(requests).toHaveLength(1)
    expect(requests[0]).toMatchObject({ guardianMaskedName: '王*国', childName: '李桦', relation: '父亲' })
    expect(requests[0].candidates).toEqual([{ studentId: W.sibling, name: '李华', studentNo: '2026015678' }])
    const { stats } = await t.call('binding', P.teacherOfThis, {
      action: 'decideRequest',
      data: { requestId: requests[0].requestId, approve: true, studentId: W.sibling }
    })
    expect(stats.dbRequests).toBeLessThanOrEqual(4)
    expect(activeBindings(W.sibling)).toBe(1)
    const mine = await ok<{ children: ChildSummary[]; requests: MyBindingRequest[] }>(P.grandpa, 'myChildren', {})
    expect(mine.children.map((c) => c.studentId)).toEqual([W.sibling])
    expect(mine.requests).toEqual([])
    const again = await call(P.teacherOfThis, 'decideRequest', { requestId: requests[0].requestId, approve: true, studentId: W.sibling })
    expect(again.reply).toMatchObject({ ok: false, code: 'CONFLICT' })
  })

  it('rejects with a reason the guardian sees; a rejection needs a reason', async () => {
    const id = seedPendingRequest(t.cloud, P.grandpa)
    const noReason = await call(P.teacherOfThis, 'decideRequest', { requestId: id, approve: false })
    expect(noReason.reply).toMatchObject({ ok: false, code: 'INVALID_INPUT', message: expect.stringMatching(/原因/) })
    await ok(P.teacherOfThis, 'decideRequest', { requestId: id, approve: false, reason: '本班没有这位同学，请核对班级码' })
    const mine = await ok<{ requests: MyBindingRequest[] }>(P.grandpa, 'myChildren', {})
    expect(mine.requests).toEqual([expect.objectContaining({ status: 'rejected', reason: '本班没有这位同学，请核对班级码' })])
  })

  it('cannot approve a binding to a student of another class', async () => {
    const id = seedPendingRequest(t.cloud, P.grandpa)
    const { reply } = await call(P.teacherOfThis, 'decideRequest', { requestId: id, approve: true, studentId: W.otherChild })
    expect(reply).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    expect(activeBindings(W.otherChild)).toBe(1)
  })

  it('sees which students have no guardian yet (T1), with the class code to send again', async () => {
    const data = await ok<UnboundStudents>(P.teacherOfThis, 'unboundStudents', { classId: W.klass })
    expect(data).toMatchObject({ classCode: W.classCode, className: '一年级（1）班', enrolled: 2 })
    expect(data.unbound.map((s) => s.name)).toEqual(['李华'])
  })
})
