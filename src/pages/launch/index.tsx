import { Text, View } from '@tarojs/components'
import { useLoad } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import { PageShell } from '@/components/PageShell'
import { Loading } from '@/components/ui'
import { AppError } from '@/shared/errors'
import { enterApp } from '@/store/enter'
import './index.scss'

export default function LaunchPage() {
  const [error, setError] = useState<AppError | null>(null)

  async function start() {
    setError(null)
    try {
      await enterApp()
    } catch (e) {
      setError(e instanceof AppError ? e : new AppError('INTERNAL_ERROR'))
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
