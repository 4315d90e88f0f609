/** Field schemas shared by the contract files (Chinese messages on every rule a user can break). */
import { z } from 'zod'

export const recordId = z.string({ required_error: '缺少编号' }).trim().min(1, '缺少编号').max(80, '编号格式不正确').regex(/^[A-Za-z0-9_-]+$/, '编号格式不正确')
