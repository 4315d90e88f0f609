/** Entering the app: ask the server who I am, remember it, and go to the right first page. */
import Taro from '@tarojs/taro'
import { accountApi } from '@/api/account'
import { AppError } from '@/shared/errors'
import { landingPage, PAGES } from './route'
import { getSession, largeTextUnsynced, markLargeTextSynced, setMe } from './session'

export async function enterApp(): Promise<void> {
  try {
    const me = await accountApi.whoami()
    setMe(me)
    if (largeTextUnsynced()) {
      // A change made offline on this phone: send it now (best effort; it stays pending if this fails too).
      accountApi
        .setPreferences(getSession().largeText)
        .then(() => markLargeTextSynced(true))
        .catch(() => undefined)
    }
    const { consentDeclined, activeRole } = getSession()
    await Taro.reLaunch({ url: landingPage(me, { consentDeclined, activeRole }) })
  } catch (e) {
    const err = e instanceof AppError ? e : new AppError('INTERNAL_ERROR')
    if (err.code === 'UNAUTHENTICATED' && process.env.TARO_ENV === 'h5') {
      await Taro.reLaunch({ url: PAGES.previewSignin })
      return
    }
    if (err.code === 'NOT_REGISTERED') {
      // A new user chooses how to start: a parent is asked for the children's-data rules before binding; staff are not.
      await Taro.reLaunch({ url: PAGES.roles })
      return
    }
    throw err
  }
}

/**
 * The rules on this phone are older than the server's: the mini-program itself must update. In WeChat the update
 * manager downloads the new version and restarts; elsewhere a reload does.
 */
export function updateApp(): void {
  if (process.env.TARO_ENV === 'weapp') {
    const manager = Taro.getUpdateManager()
    manager.onUpdateReady(() => manager.applyUpdate())
    return
  }
  if (typeof window !== 'undefined') window.location.reload()
}
