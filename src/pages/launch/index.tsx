import { Text, View } from '@tarojs/components'
import Taro, { useLoad } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import { accountApi } from '@/api/account'
import { PageShell } from '@/components/PageShell'
import { Loading } from '@/components/ui'
import { AppError } from '@/shared/errors'
import { getSession, setMe } from '@/store/session'
import { landingPage, PAGES } from '@/store/route'
import './index.scss'

export default function LaunchPage() {
  const [error, setError] = useState<AppError | null>(null)

  async function start() {
    setError(null)
    try {
      const me = await accountApi.whoami()
      setMe(me)
      const { consentDeclined, activeRole } = getSession()
      await Taro.reLaunch({ url: landingPage(me, { consentDeclined, activeRole }) })
    } catch (e) {
      const err = e instanceof AppError ? e : new AppError('INTERNAL_ERROR')
      if (err.code === 'UNAUTHENTICATED' && process.env.TARO_ENV === 'h5') {
        await Taro.reLaunch({ url: PAGES.previewSignin })
        return
      }
      if (err.code === 'NOT_REGISTERED') {
        // A new user: read and accept the children's-data rules first, then bind a child or join a school.
        await Taro.reLaunch({ url: PAGES.consent })
        return
      }
      setError(err)
    }
  }

  useLoad(() => {
    void start()
  })

  return (
    <PageShell className='launch'>
      <View className='launch__brand'>
        <Text className='launch__logo'>共育</Text>
        <Text className='launch__slogan'>学校 · 家庭 · 社会 协同育人</Text>
      </View>
      {error ? (
        <View className='launch__error'>
          <Text className='launch__error-text'>{error.message}</Text>
          <Button type='primary' size='large' block onClick={() => void start()}>
            重试
          </Button>
        </View>
      ) : (
        <Loading text='正在进入…' />
      )}
    </PageShell>
  )
}
