/** H5 preview only: the demo sign-in against the local cloud. Never part of the weapp build. */
import Taro from '@tarojs/taro'
import { AppError } from '@/shared/errors'
import type { DemoUser } from '@/shared/preview'
import { resetSession } from '@/store/session'
import { PREVIEW_TOKEN_KEY } from './gateway'

export type { DemoUser }

export const previewApi = {
  async demoUsers(): Promise<DemoUser[]> {
    try {
      const res = await fetch('/preview/demo-users')
      if (!res.ok) throw new Error(String(res.status))
      return (await res.json()) as DemoUser[]
    } catch {
      throw new AppError('NETWORK_ERROR', '无法连接本地云，请确认预览服务已启动')
    }
  },
  async signIn(openid: string): Promise<void> {
    const res = await fetch('/preview/signin', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ openid })
    }).catch(() => null)
    if (!res || !res.ok) throw new AppError('NETWORK_ERROR', '登录预览账号失败，请重试')
    const { token } = (await res.json()) as { token: string }
    resetSession() // nothing of the previous demo account (role choice, consent refusal, text size) carries over
    Taro.setStorageSync(PREVIEW_TOKEN_KEY, token)
  },
  signOut() {
    Taro.removeStorageSync(PREVIEW_TOKEN_KEY)
    resetSession()
  }
}
