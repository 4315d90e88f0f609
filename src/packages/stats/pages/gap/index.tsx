import { Text, View } from '@tarojs/components'
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { statsApi } from '@/api/stats'
import { PageShell } from '@/components/PageShell'
import { EmptyState, Flash, Loading, Section } from '@/components/ui'
import { formatDateTime } from '@/shared/calendar'
import { targetById } from '@/shared/targets'
import { PAGES } from '@/store/route'
import { useAsync } from '@/store/useAsync'
import { errorText, useOutcome } from '@/store/useOutcome'
import { inviteMessage } from '../../components/format'
import { LoadFailed } from '../../components/parts'
import './index.scss'

/** The students behind a class's gap (live data): who has no guardian bound yet, for instance. */
export default function StatsGapPage() {
  const { params } = useRouter()
  const classId = params.classId ?? ''
  const def = targetById(params.targetId ?? '')
  const { data, error, loading, reload } = useAsync(
    async () => (classId && def ? statsApi.classGap(classId, def.id) : null),
    [classId, def?.id]
  )
  const { message, setMessage } = useOutcome()
  usePullDownRefresh(() => void reload().finally(() => Taro.stopPullDownRefresh()))

  if (!classId || !def) return <PageShell><EmptyState icon='班' title='请从统计页选择班级' /></PageShell>
  if (loading && !data) return <PageShell><Loading /></PageShell>
  if (!data) return <LoadFailed error={error} onRetry={() => void reload()} />

  async function copy(code: string) {
    try {
      await Taro.setClipboardData({ data: inviteMessage(data?.className ?? '', code) })
      setMessage({ tone: 'info', text: '已复制，发到家长群即可' })
    } catch (e) {
      setMessage({ tone: 'warn', text: errorText(e) })
    }
  }

  // a student missing a contact or a home visit opens their file (the head teacher and the admin may read it)
  const opensFile = def.gap?.opens === 'visitFile'
  const empty = def.id === 'T1' ? '该班所有学生都已有家长绑定' : '该班没有需要跟进的学生'

  return (
    <PageShell className='sg'>
      <Flash message={message} />
      <View className='sg__head'>
        <Text className='sg__class'>{data.className}</Text>
        <Text className='sg__label'>
          {data.label}：<Text className='sg__count'>{data.students.length}</Text> 人
        </Text>
        <Text className='gy-muted'>
          {def.id} {def.name} · 实时数据，截至 {formatDateTime(data.asOf)}
        </Text>
      </View>
      {data.classCode ? (
        <Section title='请家长自行绑定'>
          <View className='sg__code'>
            <Text>班级码</Text>
            <Text className='sg__code-value'>{data.classCode}</Text>
            <Text className='gy-muted'>复制一段通知发到家长群，家长按提示即可自行绑定</Text>
            <Button type='primary' size='large' onClick={() => void copy(data.classCode as string)}>
              复制班级码
            </Button>
          </View>
        </Section>
      ) : null}
      {data.students.length === 0 ? (
        <EmptyState icon='齐' title={empty} />
      ) : (
        <Section title={`${data.label}（${data.students.length}）`}>
          {data.students.map((s) => (
            <View
              key={s.studentId}
              className={`sg__student${opensFile ? ' sg__student--link' : ''}`}
              hoverClass={opensFile ? 'sg__student--pressed' : 'none'}
              onClick={opensFile ? () => void Taro.navigateTo({ url: `${PAGES.teacherFile}?studentId=${encodeURIComponent(s.studentId)}` }) : undefined}
            >
              <Text>{s.name}</Text>
              <Text className='gy-muted'>
                学籍号 {s.studentNo}
                {opensFile ? ' · 一人一档 ›' : ''}
              </Text>
            </View>
          ))}
        </Section>
      )}
    </PageShell>
  )
}
