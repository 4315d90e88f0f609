/** Where the launch page sends a user, decided from whoami alone (pure, unit-tested). */
import type { WhoAmI } from '@/shared/contract'
import { distinctRoles, ROLE_HOME, type Role } from '@/shared/roles'

export const PAGES = {
  launch: '/pages/launch/index',
  roles: '/pages/roles/index',
  consent: '/pages/consent/index',
  privacy: '/pages/privacy/index',
  todo: '/pages/todo/index',
  settings: '/pages/settings/index',
  previewSignin: '/pages/preview-signin/index',
  guardianChildren: '/packages/guardian/pages/children/index',
  guardianBind: '/packages/guardian/pages/bind/index',
  guardianJoin: '/packages/guardian/pages/join/index',
  teacherBindings: '/packages/teacher/pages/bindings/index',
  joinSchool: '/pages/join-school/index',
  schoolRoster: '/packages/school/pages/roster/index',
  schoolStaff: '/packages/school/pages/staff/index',
  schoolStudents: '/packages/school/pages/students/index',
  schoolTeachers: '/packages/school/pages/teachers/index',
  bureauSchools: '/packages/bureau/pages/schools/index',
  schoolProgramme: '/packages/school/pages/programme/index',
  bureauProgramme: '/packages/bureau/pages/programme/index',
  bureauApplication: '/packages/bureau/pages/application/index',
  statsSchool: '/packages/stats/pages/school/index',
  statsTarget: '/packages/stats/pages/target/index',
  statsGap: '/packages/stats/pages/gap/index',
  statsCounty: '/packages/stats/pages/county/index',
  statsReport: '/packages/stats/pages/report/index',
  acceptInvite: '/pages/accept-invite/index',
  teacherWork: '/packages/teacher/pages/work/index',
  teacherLog: '/packages/teacher/pages/log/index',
  teacherFile: '/packages/teacher/pages/file/index',
  teacherRecord: '/packages/teacher/pages/record/index',
  teacherRegistry: '/packages/teacher/pages/registry/index',
  teacherSpecial: '/packages/teacher/pages/special/index',
  schoolVisitPlan: '/packages/school/pages/visit-plan/index',
  statsCoverage: '/packages/stats/pages/coverage/index',
  counsellorSlots: '/packages/counsellor/pages/slots/index',
  counsellorSession: '/packages/counsellor/pages/session/index',
  guardianCounsel: '/packages/guardian/pages/counsel/index',
  guardianBookings: '/packages/guardian/pages/bookings/index'
} as const

export function landingPage(me: WhoAmI, opts: { consentDeclined: boolean; activeRole: Role | null }): string {
  const roles = distinctRoles(me.roles)
  // No role yet: choose how to start (a parent binds a child — reading the rules first —, staff join a school).
  if (roles.length === 0) return PAGES.roles
  if (me.consent.required && !opts.consentDeclined) return PAGES.consent
  if (roles.length === 1) return ROLE_HOME[roles[0]]
  if (opts.activeRole && roles.includes(opts.activeRole)) return ROLE_HOME[opts.activeRole]
  return PAGES.roles
}

/** A guardian who has not accepted the current consent works in limited mode: no child data. */
export function isLimitedMode(me: WhoAmI | null): boolean {
  return !me || me.consent.required
}
