/**
 * account — who the caller is, their consent to the children's-data rules, and their preferences.
 * Roles and scopes come only from `memberships` records keyed by the caller's OPENID.
 */
import { fetchList } from '../../lib/cloud'
import { createFunction, isDuplicateKeyError, type ActionContext } from '../../lib/router'
import { CONSENT_VERSION } from '@/shared/consent'
import type { ConsentState, ConsentStatus, Preferences, WhoAmI } from '@/shared/contract'
import { AppError } from '@/shared/errors'
import type { Role, RoleScope } from '@/shared/roles'

interface UserDoc {
  _id: string
  openid: string
  displayName?: string
  consent?: { status: ConsentStatus; version: string | null; at: Date | null }
  preferences?: Partial<Preferences>
  createdAt?: Date
  updatedAt?: Date
}

interface MembershipDoc {
  _id: string
  openid: string
  role: Role
  status: 'active' | 'ended'
  countyId: string
  countyName?: string
  schoolId?: string
  schoolName?: string
  classIds?: string[]
  studentId?: string
}

const MAX_MEMBERSHIPS = 100

async function findUser(ctx: ActionContext): Promise<UserDoc | null> {
  const [user] = await fetchList<UserDoc>(ctx.db.collection('users').where({ openid: ctx.openid }).limit(1))
  return user ?? null
}

async function activeMemberships(ctx: ActionContext): Promise<MembershipDoc[]> {
  return fetchList<MembershipDoc>(ctx.db.collection('memberships').where({ openid: ctx.openid, status: 'active' }).limit(MAX_MEMBERSHIPS))
}

/** One scope per (role, school): a guardian's children and a teacher's classes are merged. */
export function mergeScopes(memberships: MembershipDoc[]): RoleScope[] {
  const byKey = new Map<string, RoleScope>()
  for (const m of memberships) {
    const key = `${m.role}|${m.schoolId ?? ''}`
    const scope = byKey.get(key) ?? { role: m.role, countyId: m.countyId, countyName: m.countyName, schoolId: m.schoolId, schoolName: m.schoolName }
    if (m.classIds?.length) scope.classIds = Array.from(new Set([...(scope.classIds ?? []), ...m.classIds]))
    if (m.studentId) scope.studentIds = Array.from(new Set([...(scope.studentIds ?? []), m.studentId]))
    byKey.set(key, scope)
  }
  for (const s of byKey.values()) {
    for (const k of ['countyName', 'schoolId', 'schoolName'] as const) if (s[k] === undefined) delete s[k]
  }
  return Array.from(byKey.values())
}

/**
 * Consent is the guardian's (PIPL art. 31). It is required of anyone acting as a guardian, and of a new user
 * who has no role yet (they are about to bind a child); staff-only users are not asked.
 */
function consentState(user: UserDoc | null, roles: RoleScope[]): ConsentState {
  const c = user?.consent
  const status: ConsentStatus = c?.status ?? 'none'
  const needsConsent = roles.length === 0 || roles.some((r) => r.role === 'guardian')
  const current = status === 'accepted' && c?.version === CONSENT_VERSION
  return {
    status,
    version: c?.version ?? null,
    at: c?.at ? new Date(c.at).getTime() : null,
    required: needsConsent && !current
  }
}

function preferencesOf(user: UserDoc | null): Preferences {
  return { largeText: user?.preferences?.largeText === true }
}

async function requireUser(ctx: ActionContext): Promise<UserDoc> {
  const user = await findUser(ctx)
  if (!user) throw new AppError('NOT_REGISTERED')
  return user
}

async function logConsent(ctx: ActionContext, action: 'accept' | 'withdraw', version: string | null) {
  await ctx.db.collection('consentLogs').add({ data: { openid: ctx.openid, action, version, at: ctx.now } })
}

export const main = createFunction('account', {
  async whoami(_input, ctx): Promise<WhoAmI> {
    const [user, memberships] = await Promise.all([findUser(ctx), activeMemberships(ctx)])
    if (!user && memberships.length === 0) throw new AppError('NOT_REGISTERED')
    const roles = mergeScopes(memberships)
    return {
      userId: user?._id ?? '',
      displayName: user?.displayName || '微信用户',
      roles,
      consent: consentState(user, roles),
      preferences: preferencesOf(user)
    }
  },

  async acceptConsent({ version }, ctx): Promise<ConsentState> {
    if (version !== CONSENT_VERSION) throw new AppError('CONSENT_VERSION_OUTDATED')
    const consent = { status: 'accepted' as const, version, at: ctx.now }
    const existing = await findUser(ctx)
    if (existing?.consent?.status === 'accepted' && existing.consent.version === version) {
      // A retry or a second tap: nothing changes, nothing is logged twice.
      return { status: 'accepted', version, at: new Date(existing.consent.at ?? ctx.now).getTime(), required: false }
    }
    if (existing) {
      await ctx.db.collection('users').doc(existing._id).update({ data: { consent, updatedAt: ctx.now } })
    } else {
      try {
        await ctx.db.collection('users').add({
          data: { openid: ctx.openid, displayName: '', consent, preferences: { largeText: false }, createdAt: ctx.now, updatedAt: ctx.now }
        })
      } catch (e) {
        // Two first taps at once: the unique index on openid lets one insert win; the other is the same consent.
        if (!isDuplicateKeyError(e)) throw e
        return { status: 'accepted', version, at: ctx.now.getTime(), required: false }
      }
    }
    await logConsent(ctx, 'accept', version)
    return { status: 'accepted', version, at: ctx.now.getTime(), required: false }
  },

  async withdrawConsent(_input, ctx): Promise<ConsentState> {
    const user = await requireUser(ctx)
    if (user.consent?.status !== 'accepted') {
      return { status: user.consent?.status ?? 'none', version: user.consent?.version ?? null, at: user.consent?.at ? new Date(user.consent.at).getTime() : null, required: true }
    }
    const consent = { status: 'withdrawn' as const, version: user.consent.version, at: ctx.now }
    await ctx.db.collection('users').doc(user._id).update({ data: { consent, updatedAt: ctx.now } })
    await logConsent(ctx, 'withdraw', user.consent.version)
    return { status: 'withdrawn', version: consent.version, at: ctx.now.getTime(), required: true }
  },

  async setPreferences({ largeText }, ctx): Promise<Preferences> {
    const user = await requireUser(ctx)
    if (user.preferences?.largeText !== largeText) {
      await ctx.db.collection('users').doc(user._id).update({ data: { 'preferences.largeText': largeText, updatedAt: ctx.now } })
    }
    return { largeText }
  }
})
