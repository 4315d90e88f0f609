import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { Button, Checkbox } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import { accountApi } from '@/api/account'
import { NoticeSections } from '@/components/NoticeSections'
import { PageShell } from '@/components/PageShell'
import { Notice } from '@/components/ui'
import { CONSENT_SUMMARY, CONSENT_VERSION } from '@/shared/consent'
import { AppError } from '@/shared/errors'
import { enterApp, updateApp } from '@/store/enter'
import { setConsentDeclined } from '@/store/session'
import { PAGES } from '@/store/route'
import './index.scss'

export default function ConsentPage() {
  const router = useRouter()
  const [agreed, setAgreed] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  async function accept() {
    if (!agreed) {
      setError('请先勾选下方的“我是孩子的监护人，已阅读并同意上述规则”')
      return
    }
    setBusy(true)
    setError(null)
    try {
      await accountApi.acceptConsent()
      setConsentDeclined(false)
      const next = router.params.next ? decodeURIComponent(router.params.next) : null
      if (next && next.startsWith('/packages/guardian/')) await Taro.redirectTo({ url: next })
      else await enterApp()
    } catch (e) {
      if (e instanceof AppError && e.code === 'CONSENT_VERSION_OUTDATED') {
        setError('隐私规则已更新，小程序正在更新到最新版本，请稍候重新进入后阅读新规则')
        updateApp()
        return
      }
      setError(e instanceof AppError ? e.message : '提交失败，请重试')
    } finally {
      setBusy(false)
    }
  }

  async function decline() {
    setConsentDeclined(true)
    setBusy(true)
    try {
      await enterApp()
    } catch (e) {
      setError(e instanceof AppError ? e.message : '网络异常，请重试')
    } finally {
      setBusy(false)
    }
  }

  return (
    <PageShell className='consent'>
      <NoticeSections title='儿童个人信息保护规则' subtitle={`请您作为孩子的监护人阅读并决定是否同意。规则版本：${CONSENT_VERSION}`} sections={CONSENT_SUMMARY} />
      <View className='consent__link' onClick={() => void Taro.navigateTo({ url: PAGES.privacy })}>
        阅读完整的《隐私政策与儿童个人信息保护规则》›
      </View>
      <View className='consent__check' onClick={() => setAgreed(!agreed)}>
        <Checkbox checked={agreed} onChange={(v) => setAgreed(v)} />
        <Text className='consent__check-text'>我是孩子的监护人，已阅读并同意上述规则</Text>
      </View>
      {error ? <Notice tone='warn'>{error}</Notice> : null}
      <View className='gy-actions'>
        <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={() => void accept()}>
          同意并继续
        </Button>
        <Button size='large' block disabled={busy} onClick={() => void decline()}>
          暂不同意
        </Button>
      </View>
      <Text className='consent__foot'>不同意也可以继续使用：您将进入受限模式，只能浏览公开内容，不能查看或提交与孩子相关的信息。可随时在「我的」中重新同意或撤回。</Text>
    </PageShell>
  )
}
