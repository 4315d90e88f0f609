import type { ActionInput } from '@/shared/contract'
import { callCloud } from './gateway'

/** 全员家访 (visits function): see src/shared/contract-visits.ts. */
export const visitsApi = {
  planOverview: () => callCloud('visits', 'planOverview', {}),
  classPlan: (classId: string) => callCloud('visits', 'classPlan', { classId }),
  assignClass: (input: ActionInput<'visits', 'assignClass'>) => callCloud('visits', 'assignClass', input),
  assignDefaults: () => callCloud('visits', 'assignDefaults', {}),
  saveTraining: (input: ActionInput<'visits', 'saveTraining'>) => callCloud('visits', 'saveTraining', input),
  myWork: () => callCloud('visits', 'myWork', {}),
  submitVisit: (input: ActionInput<'visits', 'submitVisit'>) => callCloud('visits', 'submitVisit', input),
  correctVisit: (input: ActionInput<'visits', 'correctVisit'>) => callCloud('visits', 'correctVisit', input),
  visitRecord: (recordId: string) => callCloud('visits', 'visitRecord', { recordId }),
  studentFile: (studentId: string) => callCloud('visits', 'studentFile', { studentId }),
  saveFamily: (input: ActionInput<'visits', 'saveFamily'>) => callCloud('visits', 'saveFamily', input),
  markSpecial: (input: ActionInput<'visits', 'markSpecial'>) => callCloud('visits', 'markSpecial', input),
  endSpecial: (input: ActionInput<'visits', 'endSpecial'>) => callCloud('visits', 'endSpecial', input),
  specialRegistry: (classId?: string) => callCloud('visits', 'specialRegistry', classId ? { classId } : {}),
  classCoverage: (classId?: string) => callCloud('visits', 'classCoverage', classId ? { classId } : {}),
  todos: () => callCloud('visits', 'todos', {}),
  auditTrail: (studentId: string) => callCloud('visits', 'auditTrail', { studentId })
}
