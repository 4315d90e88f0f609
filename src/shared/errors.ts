/**
 * Stable error codes with the Chinese message a user sees. Codes never change once released:
 * clients, tests and auditors rely on them. Add new codes; do not rename old ones.
 */
export const ERROR_MESSAGES = {
  INVALID_INPUT: '填写的内容有误，请检查后重试',
  UNKNOWN_ACTION: '不支持的操作，请升级小程序后重试',
  UNAUTHENTICATED: '无法识别您的微信身份，请重新进入小程序',
  NOT_REGISTERED: '您还没有注册：家长请先绑定孩子，教职工请先加入学校',
  PERMISSION_DENIED: '您没有权限进行此操作',
  CONSENT_REQUIRED: '请先阅读并同意《儿童个人信息保护规则》后再使用此功能',
  CONSENT_VERSION_OUTDATED: '隐私规则已更新，请重新阅读后同意',
  NOT_FOUND: '要查找的内容不存在或已被删除',
  CONFLICT: '数据已被他人修改，请刷新后重试',
  DUPLICATE: '该记录已存在，请勿重复提交',
  RATE_LIMITED: '尝试次数太多，请一小时后再试，或联系班主任',
  CLASS_CODE_INVALID: '班级码不正确，请向班主任核对',
  FAMILY_CODE_INVALID: '家庭邀请码无效或已过期，请让家人重新生成',
  STUDENT_NOT_ACCEPTING: '该学生已离校，不能再绑定',
  SCHOOL_CODE_INVALID: '学校码不正确，请向学校管理员核对',
  ADMIN_INVITE_INVALID: '管理员邀请码无效或已过期，请联系教育局重新生成',
  IMPORT_INVALID: '花名册有错误，请按提示逐行修改后重新导入（本次未导入任何数据）',
  IMPORT_FILE_INVALID: '无法读取花名册文件，请使用下载的模板（.xlsx）填写后重新上传',
  STUDENT_NO_TAKEN: '该学籍号已在其他学校登记，请核对或联系教育局',
  LAST_ADMIN: '不能取消学校最后一位管理员，请先指定新的管理员',
  STATS_RUNNING: '统计正在进行中，请稍后刷新查看',
  INVALID_STATE: '当前状态下不能进行此操作，请刷新后查看最新状态',
  NETWORK_ERROR: '网络不稳定，请检查网络后重试',
  INTERNAL_ERROR: '系统繁忙，请稍后再试'
} as const

export type ErrorCode = keyof typeof ERROR_MESSAGES

export const ERROR_CODES = Object.keys(ERROR_MESSAGES) as ErrorCode[]

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_MESSAGES, value)
}

/** An error that crosses the wire as `{ ok: false, code, message }`. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly details?: unknown
  constructor(code: ErrorCode, message?: string, details?: unknown) {
    super(message ?? ERROR_MESSAGES[code])
    this.name = 'AppError'
    this.code = code
    this.details = details
  }
}

/** The one response envelope every cloud function returns. */
export type Envelope<T> =
  | { ok: true; data: T }
  | { ok: false; code: ErrorCode; message: string; details?: unknown }
