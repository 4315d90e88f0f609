/** Input validation with Chinese messages: the first problem becomes an INVALID_INPUT AppError. */
import { z } from 'zod'
import { AppError } from './errors'

/** zod's built-in messages are English; this map gives every default issue a plain Chinese message. */
export const chineseErrorMap: z.ZodErrorMap = (issue, ctx) => {
  switch (issue.code) {
    case z.ZodIssueCode.invalid_type:
      if (issue.received === 'undefined') return { message: '缺少必填项' }
      return { message: '格式不正确' }
    case z.ZodIssueCode.too_small:
      return { message: issue.type === 'string' ? `至少需要 ${String(issue.minimum)} 个字` : `不能小于 ${String(issue.minimum)}` }
    case z.ZodIssueCode.too_big:
      return { message: issue.type === 'string' ? `不能超过 ${String(issue.maximum)} 个字` : `不能大于 ${String(issue.maximum)}` }
    case z.ZodIssueCode.invalid_enum_value:
      return { message: '选项无效' }
    case z.ZodIssueCode.invalid_string:
      return { message: '格式不正确' }
    case z.ZodIssueCode.unrecognized_keys:
      return { message: '包含不支持的字段' }
    default:
      return { message: ctx.defaultError && /[\u4e00-\u9fa5]/.test(ctx.defaultError) ? ctx.defaultError : '内容无效' }
  }
}

// Installed as zod's global map so that messages written on a schema (required_error, .min(n, '…')) still win.
z.setErrorMap(chineseErrorMap)

export interface FieldProblem {
  path: string
  message: string
}

/** Parses input against a schema; throws INVALID_INPUT with the first problem's message and all problems as details. */
export function parseInput<S extends z.ZodTypeAny>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input === null ? undefined : input)
  if (result.success) return result.data
  const problems: FieldProblem[] = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
  throw new AppError('INVALID_INPUT', problems[0]?.message ?? undefined, { problems })
}
