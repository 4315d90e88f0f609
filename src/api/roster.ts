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
  listClasses: () => callCloud('roster', 'listClasses', {}),
  listStudents: (classId: string, includeLeft = false) => callCloud('roster', 'listStudents', { classId, includeLeft }),
  listStaff: () => callCloud('roster', 'listStaff', {}),
  addStudent: (input: ActionInput<'roster', 'addStudent'>) => callCloud('roster', 'addStudent', input),
  editStudent: (input: ActionInput<'roster', 'editStudent'>) => callCloud('roster', 'editStudent', input),
  transferStudent: (studentId: string, classId: string) => callCloud('roster', 'transferStudent', { studentId, classId }),
  markLeft: (studentId: string) => callCloud('roster', 'markLeft', { studentId }),
  assignTeacher: (input: ActionInput<'roster', 'assignTeacher'>) => callCloud('roster', 'assignTeacher', input),
  grantRole: (input: ActionInput<'roster', 'grantRole'>) => callCloud('roster', 'grantRole', input),
  joinSchool: (input: ActionInput<'roster', 'joinSchool'>) => callCloud('roster', 'joinSchool', input),
  listJoinRequests: () => callCloud('roster', 'listJoinRequests', {}),
  decideJoin: (input: ActionInput<'roster', 'decideJoin'>) => callCloud('roster', 'decideJoin', input)
}
