/**
 * Who may do what, derived only from server records keyed by the caller's OPENID. Deny unless a rule allows.
 */
import { _, fetchList, trustedOnly } from './cloud'
import type { ActionContext } from './router'
import { time, type MembershipDoc, type UserDoc } from './docs'
import { CONSENT_VERSION } from '@/shared/consent'
import { AppError } from '@/shared/errors'

const MAX_MEMBERSHIPS = 100

export async function findUser(ctx: ActionContext): Promise<UserDoc | null> {
  const [user] = await fetchList<UserDoc>(ctx.db.collection('users').where(trustedOnly({ _id: ctx.openid })).limit(1))
  return user ?? null
}

export async function activeMemberships(ctx: ActionContext): Promise<MembershipDoc[]> {
  return fetchList<MembershipDoc>(
    ctx.db.collection('memberships').where(trustedOnly({ openid: ctx.openid, status: 'active' })).limit(MAX_MEMBERSHIPS)
  )
}

/** Guardian actions need the guardian's consent to the children's-data rules (PIPL art. 31). */
export function requireGuardianConsent(user: UserDoc | null): UserDoc {
  if (!user) throw new AppError('CONSENT_REQUIRED')
  if (user.consent?.status !== 'accepted' || user.consent.version !== CONSENT_VERSION) throw new AppError('CONSENT_REQUIRED')
  return user
}

/** The caller's active binding to this child, or PERMISSION_DENIED. */
export function requireGuardianOf(memberships: MembershipDoc[], studentId: string): MembershipDoc {
  const m = memberships.find((x) => x.role === 'guardian' && x.studentId === studentId)
  if (!m) throw new AppError('PERMISSION_DENIED')
  return m
}

/** May manage a class's roster and bindings: its head teacher, or an admin of its school. */
export function canManageClass(memberships: MembershipDoc[], classId: string, schoolId: string): boolean {
  return memberships.some(
    (m) => (m.role === 'teacher' && m.schoolId === schoolId && (m.headTeacherOf ?? []).includes(classId)) || (m.role === 'schoolAdmin' && m.schoolId === schoolId)
  )
}

export function requireManageClass(memberships: MembershipDoc[], classId: string, schoolId: string | undefined): void {
  if (!schoolId || !canManageClass(memberships, classId, schoolId)) throw new AppError('PERMISSION_DENIED')
}

/** The caller's school-admin membership (their school), or PERMISSION_DENIED. */
export function requireSchoolAdmin(memberships: MembershipDoc[]): MembershipDoc & { schoolId: string } {
  const m = memberships.find((x) => x.role === 'schoolAdmin' && x.schoolId)
  if (!m) throw new AppError('PERMISSION_DENIED')
  return m as MembershipDoc & { schoolId: string }
}

/** The caller's bureau membership (their county), or PERMISSION_DENIED. */
export function requireBureau(memberships: MembershipDoc[]): MembershipDoc {
  const m = memberships.find((x) => x.role === 'bureauAdmin' && x.countyId)
  if (!m) throw new AppError('PERMISSION_DENIED')
  return m
}

/** Registered: an account or any active role; otherwise NOT_REGISTERED. */
export function requireRegistered(user: UserDoc | null, memberships: MembershipDoc[]): void {
  if (!user && memberships.length === 0) throw new AppError('NOT_REGISTERED')
}

/**
 * Creates the caller's account record if it is missing. The _id is the OPENID, so of several concurrent first
 * calls exactly one insert wins; the others fail and find the record there (no reliance on error texts).
 */
export async function ensureUser(ctx: ActionContext, existing: UserDoc | null, extra: Partial<UserDoc> = {}): Promise<void> {
  if (existing) return
  try {
    await ctx.db.collection('users').add({
      data: {
        ...extra,
        _id: ctx.openid,
        openid: ctx.openid,
        displayName: '',
        consent: { status: 'none', version: null, at: null },
        preferences: { largeText: false },
        createdAt: ctx.now,
        updatedAt: ctx.now
      }
    })
  } catch (e) {
    if (!(await findUser(ctx))) throw e
  }
}


// ------------------------------------------------------------------ codes tried too often
/** Wrong codes (class, family, school, invitation) and binding near misses allowed per user per hour. */
export const MAX_FAILED_ATTEMPTS_PER_HOUR = 10
const HOUR = 3600_000

/** Rejects with RATE_LIMITED when the caller has used up the failed attempts of the current hour. */
export function checkCodeAttempts(user: UserDoc | null, now: Date): void {
  const a = user?.bindAttempts
  if (a && now.getTime() - time(a.windowStart) < HOUR && a.count >= MAX_FAILED_ATTEMPTS_PER_HOUR) throw new AppError('RATE_LIMITED')
}

/**
 * Counts one failed attempt in one write: a new hour window when the last one is over; a first-time user gets
 * their account record with the count (so guessing cannot start afresh by never registering).
 */
export async function recordFailedCodeAttempt(ctx: ActionContext, user: UserDoc | null): Promise<void> {
  const a = user?.bindAttempts
  const fresh = !a || ctx.now.getTime() - time(a.windowStart) >= HOUR
  if (!user) {
    await ensureUser(ctx, null, { bindAttempts: { windowStart: ctx.now, count: 1 } })
    return
  }
  await ctx.db
    .collection('users')
    .doc(ctx.openid)
    .update({ data: fresh ? { bindAttempts: { windowStart: ctx.now, count: 1 } } : { 'bindAttempts.count': _.inc(1) } })
}

// ------------------------------------------------------------------ staff with their names
export type StaffRow = MembershipDoc & { user?: Array<{ displayName?: string; _openid?: string }> }

/** The school's active staff memberships of these roles, each with its person's account (for the name): one request. */
export async function staffWithNames(ctx: Pick<ActionContext, 'db'>, schoolId: string, roles: string[]): Promise<StaffRow[]> {
  const res = (await ctx.db
    .collection('memberships')
    .aggregate()
    .match(trustedOnly({ schoolId, role: _.in(roles), status: 'active' }))
    .limit(1000)
    .lookup({ from: 'users', localField: 'openid', foreignField: '_id', as: 'user' })
    .end()) as { list: StaffRow[] }
  return res.list
}

/** The name a staff member gave when joining, else their account's name. */
export function staffName(m: StaffRow): string {
  return m.name || m.user?.find((u) => u._openid === undefined)?.displayName || '未填写姓名'
}
