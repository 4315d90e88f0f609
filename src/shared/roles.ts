/** The five roles of PRODUCT.md. One WeChat user (OPENID) may hold several. */
export const ROLES = ['guardian', 'teacher', 'counsellor', 'schoolAdmin', 'bureauAdmin'] as const
export type Role = (typeof ROLES)[number]

export const ROLE_LABELS: Record<Role, string> = {
  guardian: '家长',
  teacher: '教师',
  counsellor: '家庭教育指导师',
  schoolAdmin: '学校管理员',
  bureauAdmin: '教育局/妇联'
}

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  guardian: '查看孩子信息、家长学校学习、预约咨询、报名活动',
  teacher: '记录家校联系与家访、管理本班特殊学生名册',
  counsellor: '发布咨询时段、处理预约、记录个案',
  schoolAdmin: '管理本校花名册、教职工、目标与导出',
  bureauAdmin: '查看全县各校统计与示范校创建进度'
}

/** The subpackage home page of each role (see src/app.config.ts). */
export const ROLE_HOME: Record<Role, string> = {
  guardian: '/packages/guardian/pages/home/index',
  teacher: '/packages/teacher/pages/home/index',
  counsellor: '/packages/counsellor/pages/home/index',
  schoolAdmin: '/packages/school/pages/home/index',
  bureauAdmin: '/packages/bureau/pages/home/index'
}

export const GUARDIAN_RELATIONS = ['父亲', '母亲', '祖父母', '外祖父母', '其他监护人'] as const
export type GuardianRelation = (typeof GUARDIAN_RELATIONS)[number]

/**
 * What a role lets its holder reach, derived on the server from the `memberships` collection.
 * A guardian's scope is the students bound to them; a teacher's the classes assigned to them;
 * a school admin's and a counsellor's their school; a bureau admin's their county.
 */
export interface RoleScope {
  role: Role
  countyId: string
  countyName?: string
  schoolId?: string
  schoolName?: string
  classIds?: string[]
  /** teacher: the classes they are head teacher (班主任) of */
  headTeacherOf?: string[]
  studentIds?: string[]
}

/** The distinct roles among a user's scopes, in the order of ROLES. */
export function distinctRoles(scopes: Array<Pick<RoleScope, 'role'>>): Role[] {
  return ROLES.filter((r) => scopes.some((s) => s.role === r))
}
