import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button, Input } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import { bindingApi } from '@/api/binding'
import { PageShell } from '@/components/PageShell'
import { Notice, Section } from '@/components/ui'
import { RelationPicker } from '../../components/RelationPicker'
import type { ChildSummary } from '@/shared/contract'
import { AppError } from '@/shared/errors'
import type { GuardianRelation } from '@/shared/roles'
import { PAGES } from '@/store/route'
import '../bind/index.scss'

/** A family member (e.g. a grandparent) binds the same child with the code another guardian generated. */
export default function JoinPage() {
  const [code, setCode] = useState('')
  const [relation, setRelation] = useState<GuardianRelation | ''>('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [child, setChild] = useState<ChildSummary | null>(null)

  async function submit() {
    setBusy(true)
    setError(null)
    try {
      setChild((await bindingApi.joinByFamilyCode({ code, relation: relation as GuardianRelation })).child)
    } catch (e) {
      setError(e instanceof AppError ? e.message : '提交失败，请重试')
    } finally {
      setBusy(false)
    }
  }

  if (child) {
    return (
      <PageShell className='bind'>
        <View className='bind__done'>
          <Text className='bind__done-title'>已加入</Text>
          <Text className='bind__done-text'>
            您已绑定 {child.name}（{child.schoolName} {child.className}）
          </Text>
        </View>
        <View className='gy-actions'>
          <Button type='primary' size='large' block onClick={() => void Taro.redirectTo({ url: PAGES.guardianChildren })}>
            查看我的孩子
          </Button>
        </View>
      </PageShell>
    )
  }

  return (
    <PageShell className='bind'>
      <Notice>请让已绑定孩子的家人在「我的孩子 → 邀请家人」中生成 8 位邀请码，72 小时内有效，只能使用一次。</Notice>
      {error ? <Notice tone='warn'>{error}</Notice> : null}
      <Section title='家庭邀请码'>
        <View className='bind__field'>
          <Text className='bind__label'>邀请码</Text>
          <Input className='bind__input bind__input--family' placeholder='8 位字母或数字' value={code} maxLength={8} onChange={(v) => setCode(String(v).toUpperCase())} />
        </View>
      </Section>
      <Section title='您是孩子的'>
        <RelationPicker value={relation} onChange={setRelation} />
      </Section>
      <View className='gy-actions'>
        <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={() => void submit()}>
          加入
        </Button>
      </View>
    </PageShell>
  )
}
