import type { WhoAmI } from '@/shared/contract'
import { ROLE_HOME } from '@/shared/roles'
import { isLimitedMode, landingPage, PAGES } from './route'

function me(partial: Partial<WhoAmI>): WhoAmI {
  return {
    userId: 'u1',
    displayName: '张三',
    roles: [],
    consent: { status: 'accepted', version: 'v', at: 1, applies: true, required: false },
    preferences: { largeText: false },
    ...partial
  }
}
const guardian = { role: 'guardian' as const, countyId: 'c', schoolId: 's', studentIds: ['st1'] }
const teacher = { role: 'teacher' as const, countyId: 'c', schoolId: 's', classIds: ['k1'] }

describe('where launch sends a user', () => {
  it('asks for consent first when it is required and not declined', () => {
    const m = me({ roles: [guardian], consent: { status: 'none', version: null, at: null, applies: true, required: true } })
    expect(landingPage(m, { consentDeclined: false, activeRole: null })).toBe(PAGES.consent)
    expect(isLimitedMode(m)).toBe(true)
  })
  it('lets a guardian who declined continue in limited mode to their home', () => {
    const m = me({ roles: [guardian], consent: { status: 'withdrawn', version: 'v', at: 1, applies: true, required: true } })
    expect(landingPage(m, { consentDeclined: true, activeRole: null })).toBe(ROLE_HOME.guardian)
  })
  it('goes straight to the only role home', () => {
    expect(landingPage(me({ roles: [teacher] }), { consentDeclined: false, activeRole: null })).toBe(ROLE_HOME.teacher)
  })
  it('asks a user with several roles to choose, unless one was chosen before', () => {
    const m = me({ roles: [guardian, teacher] })
    expect(landingPage(m, { consentDeclined: false, activeRole: null })).toBe(PAGES.roles)
    expect(landingPage(m, { consentDeclined: false, activeRole: 'teacher' })).toBe(ROLE_HOME.teacher)
    expect(landingPage(m, { consentDeclined: false, activeRole: 'bureauAdmin' })).toBe(PAGES.roles)
  })
  it('shows the role page (with guidance) to a user with no role yet', () => {
    expect(landingPage(me({ roles: [] }), { consentDeclined: false, activeRole: null })).toBe(PAGES.roles)
  })
})
