import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button, Input } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import { bindingApi } from '@/api/binding'
import { PageShell } from '@/components/PageShell'
import { Notice, Section } from '@/components/ui'
import { RelationPicker } from '../../components/RelationPicker'
import type { BindResult } from '@/shared/contract'
import { AppError } from '@/shared/errors'
import { PAGES } from '@/store/route'
import type { GuardianRelation } from '@/shared/roles'
import './index.scss'

/** Bind a child: class code + the child's name + the last 4 digits of the student number + the relation. */
export default function BindPage() {
  const [classCode, setClassCode] = useState('')
  const [childName, setChildName] = useState('')
  const [suffix, setSuffix] = useState('')
  const [relation, setRelation] = useState<GuardianRelation | ''>('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<AppError | null>(null)
  const [result, setResult] = useState<BindResult | null>(null)

  async function submit() {
    setBusy(true)
    setError(null)
    try {
      setResult(await bindingApi.bindChild({ classCode, childName, studentNoSuffix: suffix, relation: relation as GuardianRelation }))
    } catch (e) {
      setError(e instanceof AppError ? e : new AppError('INTERNAL_ERROR'))
    } finally {
      setBusy(false)
    }
  }

  if (result) {
    return (
      <PageShell className='bind'>
        {result.status === 'bound' ? (
          <View className='bind__done'>
            <Text className='bind__done-title'>绑定成功</Text>
            <Text className='bind__done-text'>
              {result.child.name} · {result.child.schoolName} {result.child.className}
            </Text>
          </View>
        ) : (
          <View className='bind__done'>
            <Text className='bind__done-title'>已提交给班主任审核</Text>
            <Text className='bind__done-text'>填写的信息与花名册不完全一致，班主任核对后会通过或告诉您原因。您可以在「我的孩子」中查看进度。</Text>
          </View>
        )}
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
      <Notice>请向班主任索取「班级码」。姓名和学籍号后 4 位与花名册一致时立即绑定，否则由班主任审核。</Notice>
      {error ? (
        <Notice tone='warn'>
          {error.message}
          {error.code === 'CONSENT_REQUIRED' ? (
            <Text className='bind__link' onClick={() => void Taro.navigateTo({ url: PAGES.consent })}>
              {' '}去阅读并同意 ›
            </Text>
          ) : null}
        </Notice>
      ) : null}
      <Section title='孩子的信息'>
        <View className='bind__field'>
          <Text className='bind__label'>班级码</Text>
          <Input className='bind__input bind__input--code' placeholder='例如 CG1X01' value={classCode} maxLength={12} onChange={(v) => setClassCode(String(v).toUpperCase())} />
        </View>
        <View className='bind__field'>
          <Text className='bind__label'>孩子姓名</Text>
          <Input className='bind__input bind__input--name' placeholder='与学校花名册一致' value={childName} maxLength={20} onChange={(v) => setChildName(String(v))} />
        </View>
        <View className='bind__field'>
          <Text className='bind__label'>学籍号后 4 位</Text>
          <Input className='bind__input bind__input--suffix' placeholder='4 位数字' type='number' value={suffix} maxLength={4} onChange={(v) => setSuffix(String(v))} />
        </View>
      </Section>
      <Section title='您是孩子的'>
        <RelationPicker value={relation} onChange={setRelation} />
      </Section>
      <View className='gy-actions'>
        <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={() => void submit()}>
          绑定
        </Button>
      </View>
    </PageShell>
  )
}
