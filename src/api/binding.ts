import type { ActionInput } from '@/shared/contract'
import { callCloud } from './gateway'

export const bindingApi = {
  bindChild: (input: ActionInput<'binding', 'bindChild'>) => callCloud('binding', 'bindChild', input),
  myChildren: () => callCloud('binding', 'myChildren', {}),
  unbind: (studentId: string) => callCloud('binding', 'unbind', { studentId }),
  inviteFamily: (studentId: string) => callCloud('binding', 'inviteFamily', { studentId }),
  joinByFamilyCode: (input: ActionInput<'binding', 'joinByFamilyCode'>) => callCloud('binding', 'joinByFamilyCode', input),
  familyOf: (studentId: string) => callCloud('binding', 'familyOf', { studentId }),
  handOverPrimary: (studentId: string, toGuardianId: string) => callCloud('binding', 'handOverPrimary', { studentId, toGuardianId }),
  pendingRequests: (classId: string) => callCloud('binding', 'pendingRequests', { classId }),
  decideRequest: (input: ActionInput<'binding', 'decideRequest'>) => callCloud('binding', 'decideRequest', input),
  unboundStudents: (classId: string) => callCloud('binding', 'unboundStudents', { classId })
}
