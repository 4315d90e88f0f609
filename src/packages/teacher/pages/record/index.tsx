import { Text, View } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { useRef } from 'react'
import { visitsApi } from '@/api/visits'
import { PageShell } from '@/components/PageShell'
import { Loading, Notice, Section } from '@/components/ui'
import { formatDateTime } from '@/shared/calendar'
import type { VisitRecordView } from '@/shared/contract-visits'
import { AppError } from '@/shared/errors'
import { CORRECTABLE_FIELDS } from '@/shared/visits'
import { PAGES } from '@/store/route'
import { useAsync } from '@/store/useAsync'
import { VisitRecordCard } from '../../components/VisitRecordCard'
import { VisitDenied } from '../../components/VisitDenied'
import { leave } from '../../components/VisitNav'
import './index.scss'

/** A changed field's Chinese name (the history stores the field keys of CORRECTABLE_FIELDS). */
const fieldName = (f: string) => (CORRECTABLE_FIELDS as Record<string, string>)[f] ?? f

/** One contact or visit (?recordId=) as it is now, with every correction: who, when, which fields. */
export default function TeacherRecordPage() {
  const { params } = useRouter()
  const recordId = params.recordId ?? ''
  const rec = useAsync<VisitRecordView>(
    async () => (recordId ? (await visitsApi.visitRecord(recordId)).record : Promise.reject(new AppError('NOT_FOUND', '缺少记录编号，请从学生档案进入'))),
    [recordId]
  )
  usePullDownRefresh(() => void rec.reload().finally(() => Taro.stopPullDownRefresh()))
  const shown = useRef(false)
  useDidShow(() => {
    if (shown.current) void rec.reload() // back from correcting it
    shown.current = true
  })

  if (rec.loading && !rec.data) return <PageShell><Loading /></PageShell>
  if (rec.error?.code === 'PERMISSION_DENIED') {
    return <VisitDenied page='vrp' title='您没有权限查看这条记录' description='联系与家访记录仅对学生的任课教师、家访教师和本校管理员开放。' />
  }
  if (!rec.data) {
    return (
      <PageShell className='vrp'>
        <Notice tone='warn'>{rec.error?.message ?? '记录不存在'}</Notice>
        <View className='gy-actions'>
          <Button type='primary' size='large' block onClick={() => void rec.reload()}>
            重试
          </Button>
          <Button size='large' block onClick={() => leave()}>
            返回
          </Button>
        </View>
      </PageShell>
    )
  }
  const r = rec.data
  const changes = [...r.changes].sort((a, b) => b.at - a.at)
  return (
    <PageShell className='vrp'>
      <Section title='联系记录'>
        <VisitRecordCard record={r} historyLink={false} />
      </Section>
      <Section title={`修改记录（${r.changes.length}）`}>
        <View className='vrp__history'>
          {changes.map((c, i) => (
            <View key={`${c.at}-${i}`} className='vrp__change'>
              <Text className='vrp__change-title'>
                {c.byName} 修改了 {c.fields.map(fieldName).join('、') || '记录'}
              </Text>
              <Text className='gy-muted'>{formatDateTime(c.at)}</Text>
            </View>
          ))}
          <View className='vrp__change'>
            <Text className='vrp__change-title'>{r.authorName} 提交了这条记录</Text>
            <Text className='gy-muted'>{formatDateTime(r.createdAt)}</Text>
          </View>
        </View>
        {r.changes.length ? <Text className='vrp__note gy-muted'>每次修改都有记录：谁在什么时候改了哪些内容，修改前的内容也已保留在系统中。</Text> : null}
      </Section>
      <View className='gy-actions'>
        <Button size='large' block onClick={() => void Taro.navigateTo({ url: `${PAGES.teacherFile}?studentId=${r.studentId}` })}>
          查看学生档案
        </Button>
      </View>
    </PageShell>
  )
}
