/**
 * The account function through the genuine wx-server-sdk against the local cloud.
 */
import { CONSENT_VERSION } from '@/shared/consent'
import type { ConsentState, Preferences, WhoAmI } from '@/shared/contract'
import { startTestCloud, type TestCloud } from '../../testing'

let t: TestCloud
const now = new Date('2026-11-01T08:00:00+08:00')

beforeAll(async () => {
  t = await startTestCloud()
})
afterAll(async () => {
  await t.close()
})
beforeEach(() => {
  t.cloud.store.clear()
  t.cloud.store.insertMany('users', [
    { _id: 'g-1', openid: 'g-1', displayName: '王芳', consent: { status: 'none', version: null, at: null }, preferences: { largeText: false }, createdAt: now },
    { _id: 't-1', openid: 't-1', displayName: '林老师', consent: { status: 'none', version: null, at: null }, preferences: { largeText: false }, createdAt: now }
  ])
  t.cloud.store.insertMany('memberships', [
    { openid: 'g-1', role: 'guardian', status: 'active', countyId: 'c1', schoolId: 's1', schoolName: '城关第一小学', studentId: 'st-1', classId: 'k-1', relation: '母亲' },
    { openid: 'g-1', role: 'guardian', status: 'active', countyId: 'c1', schoolId: 's1', schoolName: '城关第一小学', studentId: 'st-2', classId: 'k-2', relation: '母亲' },
    { openid: 'g-1', role: 'guardian', status: 'ended', countyId: 'c1', schoolId: 's1', schoolName: '城关第一小学', studentId: 'st-9', classId: 'k-2', relation: '母亲' },
    { openid: 't-1', role: 'teacher', status: 'active', countyId: 'c1', schoolId: 's2', schoolName: '南湖初级中学', classIds: ['k-7', 'k-8'] }
  ])
})

const whoami = (openid: string, extra: Record<string, unknown> = {}) => t.call<WhoAmI>('account', openid, { action: 'whoami', data: {}, ...extra })

describe('whoami', () => {
  it('tells a caller with no record that they are not registered, in Chinese, with a stable code', async () => {
    const { reply } = await whoami('stranger')
    expect(reply).toEqual({ ok: false, code: 'NOT_REGISTERED', message: expect.stringMatching(/注册/) })
  })

  it('derives roles and scopes from active memberships only (ended bindings give no access)', async () => {
    const { reply } = await whoami('g-1')
    if (!reply.ok) throw new Error(reply.message)
    expect(reply.data.displayName).toBe('王芳')
    // Before consent (limited mode) the children's ids do not leave the server.
    expect(reply.data.roles).toEqual([{ role: 'guardian', countyId: 'c1', schoolId: 's1', schoolName: '城关第一小学' }])
    expect(reply.data.consent).toEqual({ status: 'none', version: null, at: null, applies: true, required: true })
    await t.call('account', 'g-1', { action: 'acceptConsent', data: { version: CONSENT_VERSION } })
    const after = await whoami('g-1')
    expect(after.reply).toMatchObject({
      ok: true,
      data: { roles: [{ role: 'guardian', countyId: 'c1', schoolId: 's1', schoolName: '城关第一小学', studentIds: ['st-1', 'st-2'] }] }
    })
  })

  it('gives a teacher their classes and does not ask staff for the guardian consent', async () => {
    const { reply } = await whoami('t-1')
    if (!reply.ok) throw new Error(reply.message)
    expect(reply.data.roles).toEqual([{ role: 'teacher', countyId: 'c1', schoolId: 's2', schoolName: '南湖初级中学', classIds: ['k-7', 'k-8'] }])
    expect(reply.data.consent).toMatchObject({ applies: false, required: false })
  })

  it('ignores any OPENID the caller puts in the event: only WeChat’s word counts', async () => {
    const { reply } = await whoami('t-1', { openid: 'g-1', OPENID: 'g-1', userInfo: { openId: 'g-1' }, data: { openid: 'g-1' } })
    if (!reply.ok) throw new Error(reply.message)
    expect(reply.data.displayName).toBe('林老师')
    expect(reply.data.roles.map((r) => r.role)).toEqual(['teacher'])
  })

  it('lets concurrent callers each see only themselves', async () => {
    const callers = Array.from({ length: 20 }, (_, i) => (i % 3 === 0 ? 'g-1' : i % 3 === 1 ? 't-1' : 'stranger'))
    const replies = await Promise.all(callers.map((c) => whoami(c)))
    replies.forEach(({ reply }, i) => {
      const caller = callers[i]
      if (caller === 'stranger') expect(reply.ok).toBe(false)
      else {
        if (!reply.ok) throw new Error(reply.message)
        expect(reply.data.displayName).toBe(caller === 'g-1' ? '王芳' : '林老师')
      }
    })
  })

  it('ignores a membership that a client wrote itself (records carrying _openid), should a security rule ever be missing', async () => {
    t.cloud.store.insertMany('memberships', [
      { openid: 't-1', _openid: 't-1', role: 'schoolAdmin', status: 'active', countyId: 'c1', schoolId: 's2', schoolName: '南湖初级中学' }
    ])
    const { reply } = await whoami('t-1')
    if (!reply.ok) throw new Error(reply.message)
    expect(reply.data.roles.map((r) => r.role)).toEqual(['teacher'])
  })

  it('keeps county staff of two counties apart', async () => {
    t.cloud.store.insertMany('memberships', [
      { openid: 'b-1', role: 'bureauAdmin', status: 'active', countyId: 'c1', countyName: '平阳县' },
      { openid: 'b-1', role: 'bureauAdmin', status: 'active', countyId: 'c2', countyName: '苍南县' }
    ])
    const { reply } = await whoami('b-1')
    if (!reply.ok) throw new Error(reply.message)
    expect(reply.data.roles).toEqual([
      { role: 'bureauAdmin', countyId: 'c1', countyName: '平阳县' },
      { role: 'bureauAdmin', countyId: 'c2', countyName: '苍南县' }
    ])
  })

  it('costs at most 2 database requests', async () => {
    const { stats } = await whoami('g-1')
    expect(stats.dbRequests).toBeLessThanOrEqual(2)
  })
})

describe('consent', () => {
  const accept = (openid: string, version = CONSENT_VERSION) => t.call<ConsentState>('account', openid, { action: 'acceptConsent', data: { version } })

  it('records acceptance, clears the requirement, and logs it once even when retried', async () => {
    const first = await accept('g-1')
    expect(first.reply).toMatchObject({ ok: true, data: { status: 'accepted', version: CONSENT_VERSION, required: false } })
    await accept('g-1')
    await accept('g-1')
    const { reply } = await whoami('g-1')
    if (!reply.ok) throw new Error(reply.message)
    expect(reply.data.consent).toMatchObject({ status: 'accepted', version: CONSENT_VERSION, required: false })
    expect(t.cloud.store.count('consentLogs', { openid: 'g-1', action: 'accept' })).toBe(1)
  })

  it('registers a brand-new user once, and logs one acceptance, even when ten first taps arrive at the same time', async () => {
    const replies = await Promise.all(Array.from({ length: 10 }, () => accept('newcomer')))
    for (const { reply } of replies) expect(reply).toMatchObject({ ok: true, data: { status: 'accepted' } })
    expect(t.cloud.store.count('users', { openid: 'newcomer' })).toBe(1)
    expect(t.cloud.store.count('consentLogs', { openid: 'newcomer' })).toBe(1)
    const { reply } = await whoami('newcomer')
    expect(reply).toMatchObject({ ok: true, data: { roles: [], consent: { status: 'accepted', required: false } } })
  })

  it('asks again after the rules change, and logs one acceptance of the new version under concurrent taps', async () => {
    t.cloud.store.clear()
    t.cloud.store.insertMany('users', [
      { _id: 'g-2', openid: 'g-2', displayName: '赵敏', consent: { status: 'accepted', version: '2025-01-v0', at: now }, preferences: { largeText: false } }
    ])
    t.cloud.store.insertMany('memberships', [{ openid: 'g-2', role: 'guardian', status: 'active', countyId: 'c1', schoolId: 's1', studentId: 'st-5' }])
    const before = await whoami('g-2')
    expect(before.reply).toMatchObject({ ok: true, data: { consent: { status: 'accepted', version: '2025-01-v0', required: true } } })
    await Promise.all(Array.from({ length: 5 }, () => accept('g-2')))
    const after = await whoami('g-2')
    expect(after.reply).toMatchObject({ ok: true, data: { consent: { status: 'accepted', version: CONSENT_VERSION, required: false } } })
    expect(t.cloud.store.count('consentLogs', { openid: 'g-2', action: 'accept' })).toBe(1)
  })

  it('can be given again after a withdrawal', async () => {
    await accept('g-1')
    await t.call('account', 'g-1', { action: 'withdrawConsent', data: {} })
    const again = await accept('g-1')
    expect(again.reply).toMatchObject({ ok: true, data: { status: 'accepted', required: false } })
    expect(t.cloud.store.count('consentLogs', { openid: 'g-1' })).toBe(3)
  })

  it('does not ask staff to consent, even after they withdrew', async () => {
    await accept('t-1')
    const { reply } = await t.call<ConsentState>('account', 't-1', { action: 'withdrawConsent', data: {} })
    expect(reply).toMatchObject({ ok: true, data: { status: 'withdrawn', required: false } })
  })

  it('refuses an outdated version of the rules and changes nothing', async () => {
    const { reply } = await accept('g-1', '2020-01-v0')
    expect(reply).toEqual({ ok: false, code: 'CONSENT_VERSION_OUTDATED', message: expect.stringMatching(/更新/) })
    expect(t.cloud.store.find('users', { openid: 'g-1' })[0].consent).toMatchObject({ status: 'none' })
    expect(t.cloud.store.count('consentLogs')).toBe(0)
  })

  it('rejects a missing version with INVALID_INPUT and changes nothing', async () => {
    const { reply } = await t.call('account', 'g-1', { action: 'acceptConsent', data: {} })
    expect(reply).toMatchObject({ ok: false, code: 'INVALID_INPUT' })
    expect(t.cloud.store.count('consentLogs')).toBe(0)
  })

  it('withdraws: the guardian is back in limited mode, and the withdrawal is logged', async () => {
    await accept('g-1')
    const { reply } = await t.call<ConsentState>('account', 'g-1', { action: 'withdrawConsent', data: {} })
    expect(reply).toMatchObject({ ok: true, data: { status: 'withdrawn', required: true } })
    const me = await whoami('g-1')
    expect(me.reply).toMatchObject({ ok: true, data: { consent: { status: 'withdrawn', required: true } } })
    expect(t.cloud.store.count('consentLogs', { openid: 'g-1' })).toBe(2)
  })

  it('needs a registered caller to withdraw', async () => {
    const { reply } = await t.call('account', 'stranger', { action: 'withdrawConsent', data: {} })
    expect(reply).toMatchObject({ ok: false, code: 'NOT_REGISTERED' })
  })
})

describe('preferences', () => {
  it('stores large-text mode so it follows the user to another phone', async () => {
    const { reply } = await t.call<Preferences>('account', 'g-1', { action: 'setPreferences', data: { largeText: true } })
    expect(reply).toEqual({ ok: true, data: { largeText: true } })
    const me = await whoami('g-1')
    expect(me.reply).toMatchObject({ ok: true, data: { preferences: { largeText: true } } })
  })

  it('keeps large text for staff and for guardians who never consented, creating their account record once', async () => {
    t.cloud.store.insertMany('memberships', [{ openid: 'staff-only', role: 'teacher', status: 'active', countyId: 'c1', schoolId: 's1', classIds: ['k-1'] }])
    await Promise.all(Array.from({ length: 5 }, () => t.call('account', 'staff-only', { action: 'setPreferences', data: { largeText: true } })))
    expect(t.cloud.store.count('users', { openid: 'staff-only' })).toBe(1)
    const me = await whoami('staff-only')
    expect(me.reply).toMatchObject({ ok: true, data: { preferences: { largeText: true }, consent: { required: false } } })
  })

  it('rejects a value that is not on/off with a Chinese message and changes nothing', async () => {
    const { reply } = await t.call('account', 'g-1', { action: 'setPreferences', data: { largeText: 'yes' } })
    expect(reply).toEqual({ ok: false, code: 'INVALID_INPUT', message: '大字模式只能是开或关', details: expect.anything() })
    expect(t.cloud.store.find('users', { openid: 'g-1' })[0].preferences).toEqual({ largeText: false })
  })
})

describe('router', () => {
  it('answers an unknown action with UNKNOWN_ACTION', async () => {
    const { reply } = await t.call('account', 'g-1', { action: 'deleteEverything', data: {} })
    expect(reply).toMatchObject({ ok: false, code: 'UNKNOWN_ACTION' })
  })
  it('answers a malformed event with UNKNOWN_ACTION rather than crashing', async () => {
    for (const event of [null, 42, 'whoami', { action: ['whoami'] }, { action: '__proto__' }, { action: 'constructor' }, { action: 'toString' }, { action: 'hasOwnProperty' }]) {
      const { reply } = await t.call('account', 'g-1', event)
      expect(reply).toMatchObject({ ok: false, code: 'UNKNOWN_ACTION' })
    }
  })
})
