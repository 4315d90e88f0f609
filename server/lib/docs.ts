/** The shapes of the documents in the cloud database (server side only). See database/collections.json. */
import type { ConsentStatus, Preferences } from '@/shared/contract'
import type { GuardianRelation, Role } from '@/shared/roles'

export interface UserDoc {
  _id: string // the OPENID
  openid: string
  displayName?: string
  consent?: { status: ConsentStatus; version: string | null; at: Date | string | null }
  preferences?: Partial<Preferences>
  /** failed binding attempts (wrong codes, near misses) in the current hour, for rate limiting */
  bindAttempts?: { windowStart: Date | string; count: number }
  createdAt?: Date
  updatedAt?: Date
}

export interface MembershipDoc {
  _id: string
  openid: string
  role: Role
  status: 'active' | 'ended'
  countyId: string
  countyName?: string
  schoolId?: string
  schoolName?: string
  /** teacher: classes taught; headTeacherOf: classes they are head teacher of */
  classIds?: string[]
  headTeacherOf?: string[]
  /** guardian: one membership per child */
  studentId?: string
  classId?: string
  relation?: GuardianRelation
  via?: 'roster' | 'teacher' | 'family' | 'import'
  createdAt?: Date | string
  endedAt?: Date | string
  endReason?: string
}

export interface StudentDoc {
  _id: string
  countyId: string
  schoolId: string
  schoolName: string
  classId: string
  className: string
  /** the class's code, copied here so a binding needs one query (kept in step by the roster actions) */
  classCode: string
  name: string
  gender?: string
  studentNo: string
  status: 'enrolled' | 'left'
  /** set when a guardian hands the primary role over; otherwise the earliest active guardian is primary */
  primaryGuardian?: string
}

export interface BindingRequestDoc {
  _id: string
  openid: string
  guardianName: string
  countyId: string
  schoolId: string
  schoolName: string
  classId: string
  className: string
  childName: string
  studentNoSuffix: string
  relation: GuardianRelation
  status: 'pending' | 'approved' | 'rejected'
  reason: string | null
  studentId?: string
  decidedBy?: string
  createdAt: Date | string
  updatedAt: Date | string
}

export interface FamilyInviteDoc {
  _id: string // the code
  studentId: string
  createdBy: string
  expiresAt: Date | string
  createdAt: Date | string
}

export const time = (d: Date | string | null | undefined): number => (d ? new Date(d).getTime() : 0)
