/**
 * account — who the caller is, their consent to the children's-data rules, and their preferences.
 * Roles and scopes come only from `memberships` records keyed by the caller's OPENID; the caller's `users`
 * record has the OPENID as its _id, so creating it is idempotent (no duplicate accounts under retries).
 */
import { _ } from '../../lib/cloud'
import { activeMemberships, ensureUser, findUser, requireRegistered } from '../../lib/auth'
import { allowReminder } from '../../lib/reminders'
import type { MembershipDoc, UserDoc } from '../../lib/docs'
import { createFunction, type ActionContext } from '../../lib/router'
import { CONSENT_VERSION } from '@/shared/consent'
import type { ConsentState, ConsentStatus, Preferences, WhoAmI } from '@/shared/contract'
import { AppError } from '@/shared/errors'
import type { RoleScope } from '@/shared/roles'

/** One scope per (role, county, school): a guardian's children and a teacher's classes are merged. */
export function mergeScopes(memberships: MembershipDoc[]): RoleScope[] {
  const byKey = new Map<string, RoleScope>()
  for (const m of memberships) {
    const key = `${m.role}|${m.countyId}|${m.schoolId ?? ''}`
    const scope = byKey.get(key) ?? { role: m.role, countyId: m.countyId, countyName: m.countyName, schoolId: m.schoolId, schoolName: m.schoolName }
    if (m.classIds?.length) scope.classIds = Array.from(new Set([...(scope.classIds ?? []), ...m.classIds]))
    if (m.headTeacherOf?.length) scope.headTeacherOf = Array.from(new Set([...(scope.headTeacherOf ?? []), ...m.headTeacherOf]))
    if (m.studentId) scope.studentIds = Array.from(new Set([...(scope.studentIds ?? []), m.studentId]))
    byKey.set(key, scope)
  }
  for (const s of byKey.values()) for (const k of ['countyName', 'schoolId', 'schoolName'] as const) if (s[k] === undefined) delete s[k]
  return Array.from(byKey.values())
}

/**
 * Consent is the guardian's (PIPL art. 31). It is required of anyone acting as a guardian, and of a new user
 * who has no role yet (they are about to bind a child); staff-only users are not asked.
 */
function consentState(consent: UserDoc['consent'] | undefined, roles: RoleScope[] | null): ConsentState {
  const status: ConsentStatus = consent?.status ?? 'none'
  const current = status === 'accepted' && consent?.version === CONSENT_VERSION
  const needsConsent = roles === null || roles.length === 0 || roles.some((r) => r.role === 'guardian')
  return {
    status,
    version: consent?.version ?? null,
    at: consent?.at ? new Date(consent.at).getTime() : null,
    applies: needsConsent,
    required: needsConsent && !current
  }
}

async function logConsent(ctx: ActionContext, action: 'accept' | 'withdraw', version: string | null) {
  await ctx.db.collection('consentLogs').add({ data: { openid: ctx.openid, action, version, at: ctx.now } })
}

export const main = createFunction('account', {
  async whoami(_input, ctx): Promise<WhoAmI> {
    const [user, memberships] = await Promise.all([findUser(ctx), activeMemberships(ctx)])
    if (!user && memberships.length === 0) throw new AppError('NOT_REGISTERED')
    let roles = mergeScopes(memberships)
    const consent = consentState(user?.consent, roles)
    // Limited mode: without the guardian's consent, not even the ids of their children leave the server.
    if (consent.required) roles = roles.map(({ studentIds: _hidden, ...scope }) => scope)
    return {
      userId: user?._id ?? ctx.openid,
      displayName: user?.displayName || '微信用户',
      roles,
      consent,
      preferences: { largeText: user?.preferences?.largeText === true }
    }
  },

  async acceptConsent({ version }, ctx): Promise<ConsentState> {
    if (version !== CONSENT_VERSION) throw new AppError('CONSENT_VERSION_OUTDATED')
    const existing = await findUser(ctx)
    if (existing?.consent?.status === 'accepted' && existing.consent.version === version) {
      // A retry or a second tap: nothing changes, nothing is logged twice.
      return consentState(existing.consent, null)
    }
    await ensureUser(ctx, existing)
    // Conditional update: of several concurrent taps exactly one changes the record, and only that one logs.
    const consent = { status: 'accepted' as const, version, at: ctx.now }
    const res = (await ctx.db
      .collection('users')
      .where(_.and([{ _id: ctx.openid }, _.or([{ 'consent.status': _.neq('accepted') }, { 'consent.version': _.neq(version) }])]))
      .update({ data: { consent, updatedAt: ctx.now } })) as { stats: { updated: number } }
    if (res.stats.updated === 1) await logConsent(ctx, 'accept', version)
    return consentState(consent, null)
  },

  async withdrawConsent(_input, ctx): Promise<ConsentState> {
    const [user, memberships] = await Promise.all([findUser(ctx), activeMemberships(ctx)])
    if (!user) throw new AppError('NOT_REGISTERED')
    const roles = mergeScopes(memberships)
    if (user.consent?.status !== 'accepted') return consentState(user.consent, roles)
    const consent = { status: 'withdrawn' as const, version: user.consent.version, at: ctx.now }
    const res = (await ctx.db
      .collection('users')
      .where({ _id: ctx.openid, 'consent.status': 'accepted' })
      .update({ data: { consent, updatedAt: ctx.now } })) as { stats: { updated: number } }
    if (res.stats.updated === 1) await logConsent(ctx, 'withdraw', consent.version)
    return consentState(consent, roles)
  },

  async setPreferences({ largeText }, ctx): Promise<Preferences> {
    // Anyone may keep large text — staff, and guardians who have not (yet) consented: it holds no child data.
    const user = await findUser(ctx)
    await ensureUser(ctx, user)
    if (user?.preferences?.largeText !== largeText) {
      await ctx.db.collection('users').doc(ctx.openid).update({ data: { 'preferences.largeText': largeText, updatedAt: ctx.now } })
    }
    return { largeText }
  },

  async allowReminder({ topic, accepted }, ctx) {
    const [user, memberships] = await Promise.all([findUser(ctx), activeMemberships(ctx)])
    requireRegistered(user, memberships)
    return { topic, credits: await allowReminder(ctx, topic, accepted) }
  }
})
