import type { ActionInput } from '@/shared/contract'
import { callCloud } from './gateway'

export const programmeApi = {
  openRound: (input: ActionInput<'programme', 'openRound'>) => callCloud('programme', 'openRound', input),
  listRounds: () => callCloud('programme', 'listRounds', {}),
  apply: (input: ActionInput<'programme', 'apply'>) => callCloud('programme', 'apply', input),
  listApplications: (input: ActionInput<'programme', 'listApplications'> = {}) => callCloud('programme', 'listApplications', input),
  getApplication: (applicationId: string) => callCloud('programme', 'getApplication', { applicationId }),
  decideApplication: (input: ActionInput<'programme', 'decideApplication'>) => callCloud('programme', 'decideApplication', input),
  saveSelfAssessment: (input: ActionInput<'programme', 'saveSelfAssessment'>) => callCloud('programme', 'saveSelfAssessment', input),
  submitSelfAssessment: (input: ActionInput<'programme', 'submitSelfAssessment'>) => callCloud('programme', 'submitSelfAssessment', input),
  evaluate: (input: ActionInput<'programme', 'evaluate'>) => callCloud('programme', 'evaluate', input),
  recheck: (input: ActionInput<'programme', 'recheck'>) => callCloud('programme', 'recheck', input)
}
