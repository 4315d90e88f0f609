import type { ActionInput } from '@/shared/contract'
import { callCloud } from './gateway'

export const rosterApi = {
  createSchool: (input: ActionInput<'roster', 'createSchool'>) => callCloud('roster', 'createSchool', input),
  listSchools: (input: ActionInput<'roster', 'listSchools'> = {}) => callCloud('roster', 'listSchools', input),
  inviteSchoolAdmin: (schoolId: string) => callCloud('roster', 'inviteSchoolAdmin', { schoolId }),
  acceptAdminInvite: (code: string) => callCloud('roster', 'acceptAdminInvite', { code }),
  rosterTemplate: () => callCloud('roster', 'rosterTemplate', {}),
  importRoster: (fileID: string) => callCloud('roster', 'importRoster', { fileID }),
  exportRoster: () => callCloud('roster', 'exportRoster', {}),
  joinSchool: (input: ActionInput<'roster', 'joinSchool'>) => callCloud('roster', 'joinSchool', input),
  listJoinRequests: () => callCloud('roster', 'listJoinRequests', {}),
  decideJoin: (input: ActionInput<'roster', 'decideJoin'>) => callCloud('roster', 'decideJoin', input)
}
