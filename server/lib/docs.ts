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
  via?: 'roster' | 'teacher' | 'family' | 'import' | 'join' | 'invite' | 'grant'
  /** staff: the name they gave when joining */
  name?: string
  updatedAt?: Date | string
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
  /** earlier classes, appended when the roster moves the student (newest last) */
  classHistory?: Array<{ classId: string; className: string; until: Date | string }>
  leftAt?: Date | string
  createdAt?: Date | string
  updatedAt?: Date | string
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
  /** the family member who used it: a code works once */
  usedBy?: string
  usedAt?: Date | string
}

export interface SchoolDoc {
  _id: string
  countyId: string
  name: string
  type: string
  district: string
  /** unique; teachers join the school with it */
  code: string
  createdBy?: string
  createdAt?: Date | string
}

export interface ClassDoc {
  _id: string
  schoolId: string
  countyId: string
  grade: string
  name: string
  /** unique; guardians bind with it */
  code: string
  createdAt?: Date | string
}

export interface JoinRequestDoc {
  _id: string // j_<openid>_<schoolId>
  openid: string
  name: string
  countyId: string
  schoolId: string
  schoolName: string
  status: 'pending' | 'approved' | 'rejected'
  reason: string | null
  decidedBy?: string
  createdAt: Date | string
  updatedAt: Date | string
}

export interface AdminInviteDoc {
  _id: string // the code
  countyId: string
  schoolId: string
  schoolName: string
  createdBy: string
  expiresAt: Date | string
  usedBy?: string
  createdAt: Date | string
}

export const time = (d: Date | string | null | undefined): number => (d ? new Date(d).getTime() : 0)
