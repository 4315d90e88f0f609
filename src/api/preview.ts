/**
 * The demo sign-in exists only in the H5 preview (api/preview.h5.ts, picked by Taro for the h5 build). In the
 * weapp the user is whoever WeChat says they are, so this module is empty there and nothing of the preview ships.
 */
import { AppError } from '@/shared/errors'
import type { DemoUser } from '@/shared/preview'

export type { DemoUser }

const unavailable = () => Promise.reject(new AppError('UNKNOWN_ACTION', '小程序中没有预览账号'))

export const previewApi = {
  demoUsers: (): Promise<DemoUser[]> => unavailable(),
  signIn: (_openid: string): Promise<void> => unavailable(),
  signOut(): void {}
}
