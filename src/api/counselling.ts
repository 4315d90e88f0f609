import type { ActionInput } from '@/shared/contract'
import { callCloud } from './gateway'

/** 个案咨询 (counselling function): see src/shared/contract-counselling.ts. */
export const counsellingApi = {
  publishSlots: (input: ActionInput<'counselling', 'publishSlots'>) => callCloud('counselling', 'publishSlots', input),
  mySlots: () => callCloud('counselling', 'mySlots', {}),
  cancelSlot: (input: ActionInput<'counselling', 'cancelSlot'>) => callCloud('counselling', 'cancelSlot', input),
  recordOutcome: (input: ActionInput<'counselling', 'recordOutcome'>) => callCloud('counselling', 'recordOutcome', input),
  caseNotes: (slotId: string) => callCloud('counselling', 'caseNotes', { slotId }),
  openSlots: (studentId: string, page = 1) => callCloud('counselling', 'openSlots', { studentId, page }),
  holdSlot: (slotId: string, studentId: string) => callCloud('counselling', 'holdSlot', { slotId, studentId }),
  releaseHold: (slotId: string) => callCloud('counselling', 'releaseHold', { slotId }),
  confirmBooking: (input: ActionInput<'counselling', 'confirmBooking'>) => callCloud('counselling', 'confirmBooking', input),
  myBookings: () => callCloud('counselling', 'myBookings', {}),
  cancelBooking: (slotId: string) => callCloud('counselling', 'cancelBooking', { slotId }),
  rescheduleBooking: (slotId: string, toSlotId: string) => callCloud('counselling', 'rescheduleBooking', { slotId, toSlotId }),
  rateSession: (input: ActionInput<'counselling', 'rateSession'>) => callCloud('counselling', 'rateSession', input),
  todos: () => callCloud('counselling', 'todos', {})
}
