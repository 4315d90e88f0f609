import { Text, View } from '@tarojs/components'
import { Button, Input } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import { rosterApi } from '@/api/roster'
import { PageShell } from '@/components/PageShell'
import { Notice, Section } from '@/components/ui'
import { AppError } from '@/shared/errors'
import { enterApp } from '@/store/enter'
import './index.scss'

/** Staff join a school with its school code; the school admin approves. */
export default function JoinSchoolPage() {
  const [schoolCode, setSchoolCode] = useState('')
  const [name, setName] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)

  async function submit() {
    setBusy(true)
    setError(null)
    try {
      const res = await rosterApi.joinSchool({ schoolCode, name })
      setDone(res.schoolName)
    } catch (e) {
      setError(e instanceof AppError ? e.message : '提交失败，请重试')
    } finally {
      setBusy(false)
    }
  }

  if (done) {
    return (
      <PageShell>
        <View className='join-school__done'>
          <Text className='join-school__title'>已提交申请</Text>
          <Text>已向「{done}」提交加入申请，学校管理员通过后，重新进入小程序即可使用教师功能。</Text>
          <Button type='primary' size='large' block onClick={() => void enterApp().catch(() => undefined)}>
            返回首页
          </Button>
        </View>
      </PageShell>
    )
  }
  return (
    <PageShell>
      <Notice>请向学校管理员索取「学校码」。提交后由学校管理员审核。</Notice>
      {error ? <Notice tone='warn'>{error}</Notice> : null}
      <Section title='申请信息'>
        <View className='join-school__field'>
          <Text className='join-school__label'>学校码</Text>
          <Input className='join-school__input join-school__input--code' placeholder='4–8 位字母或数字' value={schoolCode} maxLength={8} onChange={(v) => setSchoolCode(String(v).toUpperCase())} />
        </View>
        <View className='join-school__field'>
          <Text className='join-school__label'>您的姓名</Text>
          <Input className='join-school__input join-school__input--name' placeholder='真实姓名' value={name} maxLength={20} onChange={(v) => setName(String(v))} />
        </View>
      </Section>
      <View className='gy-actions'>
        <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={() => void submit()}>
          提交申请
        </Button>
      </View>
    </PageShell>
  )
}
