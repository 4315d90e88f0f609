import { Text, View } from '@tarojs/components'
import { Button, Input } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import { rosterApi } from '@/api/roster'
import { PageShell } from '@/components/PageShell'
import { Notice, Section } from '@/components/ui'
import { AppError } from '@/shared/errors'
import { enterApp } from '@/store/enter'
import '../join-school/index.scss'

/** A principal becomes the school's admin with the invitation code the county bureau gave them. */
export default function AcceptInvitePage() {
  const [code, setCode] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [school, setSchool] = useState<string | null>(null)

  async function submit() {
    setBusy(true)
    setError(null)
    try {
      setSchool((await rosterApi.acceptAdminInvite(code)).schoolName)
    } catch (e) {
      setError(e instanceof AppError ? e.message : '提交失败，请重试')
    } finally {
      setBusy(false)
    }
  }

  if (school) {
    return (
      <PageShell>
        <View className='join-school__done'>
          <Text className='join-school__title'>您已成为「{school}」的学校管理员</Text>
          <Button type='primary' size='large' block onClick={() => void enterApp()}>
            进入学校管理
          </Button>
        </View>
      </PageShell>
    )
  }
  return (
    <PageShell>
      <Notice>校长邀请码由县教育局生成，7 天内有效，只能使用一次。</Notice>
      {error ? <Notice tone='warn'>{error}</Notice> : null}
      <Section title='邀请码'>
        <View className='join-school__field'>
          <Text className='join-school__label'>邀请码</Text>
          <Input className='join-school__input join-school__input--invite' placeholder='8 位字母或数字' value={code} maxLength={8} onChange={(v) => setCode(String(v).toUpperCase())} />
        </View>
      </Section>
      <View className='gy-actions'>
        <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={() => void submit()}>
          确认
        </Button>
      </View>
    </PageShell>
  )
}
