import type { ActionInput } from '@/shared/contract'
import type { TargetId } from '@/shared/targets'
import { callCloud } from './gateway'

/** The statistics dashboards (stats function): see src/shared/contract-stats.ts. */
export const statsApi = {
  /** School admin: their school; bureau: any school of the county (schoolId). */
  schoolDashboard: (schoolId?: string) => callCloud('stats', 'schoolDashboard', schoolId ? { schoolId } : {}),
  countyDashboard: () => callCloud('stats', 'countyDashboard', {}),
  classGap: (classId: string, targetId: TargetId) => callCloud('stats', 'classGap', { classId, targetId }),
  recompute: (input: ActionInput<'stats', 'recompute'>) => callCloud('stats', 'recompute', input),
  exportStats: (input: ActionInput<'stats', 'exportStats'>) => callCloud('stats', 'exportStats', input),
  annualReport: (input: ActionInput<'stats', 'annualReport'>) => callCloud('stats', 'annualReport', input),
  saveAnnualReport: (input: ActionInput<'stats', 'saveAnnualReport'>) => callCloud('stats', 'saveAnnualReport', input),
  resetAnnualReport: (input: ActionInput<'stats', 'resetAnnualReport'>) => callCloud('stats', 'resetAnnualReport', input),
  downloadAnnualReport: (input: ActionInput<'stats', 'downloadAnnualReport'>) => callCloud('stats', 'downloadAnnualReport', input)
}
