import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button, Cell, CellGroup, Dialog, Switch } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import { accountApi } from '@/api/account'
import { previewApi } from '@/api/preview'
import { PageShell } from '@/components/PageShell'
import { Flash, Loading, Section } from '@/components/ui'
import { formatDateTime } from '@/shared/calendar'
import { AppError } from '@/shared/errors'
import { ROLE_LABELS } from '@/shared/roles'
import { PAGES } from '@/store/route'
import { distinctRoles, markLargeTextSynced, setConsentDeclined, setLargeText, setMe } from '@/store/session'
import { useMe } from '@/store/useMe'

const CONSENT_TEXT = { none: '尚未同意', accepted: '已同意', withdrawn: '已撤回' } as const

export default function SettingsPage() {
  const { me, loading, largeText, activeRole } = useMe()
  const [confirmWithdraw, setConfirmWithdraw] = useState(false)
  const [message, setMessage] = useState<{ tone: 'info' | 'warn'; text: string } | null>(null)

  async function toggleLargeText(on: boolean) {
    setLargeText(on) // applies at once, also offline
    setMessage(null)
    if (!me) return
    try {
      await accountApi.setPreferences(on)
      markLargeTextSynced(true)
    } catch (e) {
      markLargeTextSynced(false)
      setMessage({
        tone: 'warn',
        text: `大字模式已在本机${on ? '开启' : '关闭'}，暂未保存到您的账号（${e instanceof AppError ? e.message : '请稍后重试'}），下次进入时会自动保存。`
      })
    }
  }

  async function withdraw() {
    setConfirmWithdraw(false)
    try {
      await accountApi.withdrawConsent()
      setConsentDeclined(true)
      setMe(await accountApi.whoami())
      setMessage({ tone: 'info', text: '已撤回同意。您现在处于受限模式，可随时重新同意。' })
    } catch (e) {
      setMessage({ tone: 'warn', text: e instanceof AppError ? e.message : '操作失败，请重试' })
    }
  }

  if (loading) return <PageShell><Loading /></PageShell>

  const consent = me?.consent
  const consented = consent?.status === 'accepted' && !consent.required
  const consentApplies = !me || me.consent.applies
  const roles = me ? distinctRoles(me.roles) : []

  return (
    <PageShell>
      <Flash message={message} />
      <Section title='阅读'>
        <CellGroup>
          <Cell
            title='大字模式'
            description='放大文字和按钮，方便长辈使用'
            extra={<Switch checked={largeText} onChange={(v) => void toggleLargeText(v)} />}
          />
        </CellGroup>
      </Section>
      <Section title='身份'>
        <CellGroup>
          {[
            <Cell key='current' title='当前身份' extra={activeRole ? ROLE_LABELS[activeRole] : '未选择'} />,
            roles.length > 1 ? <Cell key='switch' title='切换身份' extra='›' clickable onClick={() => void Taro.reLaunch({ url: PAGES.roles })} /> : null
          ].filter(Boolean)}
        </CellGroup>
      </Section>
      <Section title='隐私与授权'>
        <CellGroup>
          {[
            consentApplies ? (
              <Cell
                key='consent'
                title='儿童个人信息保护规则'
                description={consent?.at ? `${CONSENT_TEXT[consent.status]} · ${formatDateTime(consent.at)}` : CONSENT_TEXT[consent?.status ?? 'none']}
                extra={consented ? '' : '去同意 ›'}
                clickable={!consented}
                onClick={() => {
                  if (!consented) void Taro.navigateTo({ url: PAGES.consent })
                }}
              />
            ) : null,
            <Cell key='privacy' title='隐私政策' extra='›' clickable onClick={() => void Taro.navigateTo({ url: PAGES.privacy })} />
          ].filter(Boolean)}
        </CellGroup>
      </Section>
      {consentApplies && consent?.status === 'accepted' ? (
        <View className='gy-actions'>
          <Button size='large' block onClick={() => setConfirmWithdraw(true)}>
            撤回同意
          </Button>
        </View>
      ) : null}
      {process.env.TARO_ENV === 'h5' ? (
        <View className='gy-actions'>
          <Button
            size='large'
            block
            onClick={() => {
              previewApi.signOut()
              void Taro.reLaunch({ url: PAGES.previewSignin })
            }}
          >
            切换预览账号
          </Button>
        </View>
      ) : null}
      <Dialog
        visible={confirmWithdraw}
        title='确定撤回同意吗？'
        content={<Text>撤回后将进入受限模式：不能查看和提交与孩子相关的信息。已撤回前的处理不受影响，您可随时重新同意。</Text>}
        confirmText='撤回'
        cancelText='再想想'
        onConfirm={() => void withdraw()}
        onCancel={() => setConfirmWithdraw(false)}
      />
    </PageShell>
  )
}
