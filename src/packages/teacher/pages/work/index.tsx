import { Text, View } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { useRef, useState } from 'react'
import { askReminder } from '@/api/reminders'
import { visitsApi } from '@/api/visits'
import { PageShell } from '@/components/PageShell'
import { EmptyState, Flash, Hero, Loading, Notice, Section } from '@/components/ui'
import type { WorkItem } from '@/shared/contract-visits'
import { PAGES } from '@/store/route'
import { useAsync } from '@/store/useAsync'
import { errorText, useOutcome } from '@/store/useOutcome'
import { contactParts, emptyFilterText, filterWork, urgencyBadge, WORK_FILTERS, type WorkFilter } from '../../components/WorkFormat'
import { openTraining, WorkTraining } from '../../components/WorkTraining'
import './index.scss'

const TOPIC = 'followUpDue' as const

/**
 * 我的家访任务: the students assigned to me this semester, most urgent first (the server's order), with the counts as
 * filters, a quick way to log a contact, the semester's training material and the follow-up reminder.
 */
export default function TeacherWorkPage() {
  const { data, error, loading, reload } = useAsync(() => visitsApi.myWork())
  const [filter, setFilter] = useState<WorkFilter>('all')
  const [asking, setAsking] = useState(false)
  const { message, setMessage } = useOutcome()
  usePullDownRefresh(() => void reload().finally(() => Taro.stopPullDownRefresh()))
  // Back from logging a contact or from a student's file: the list may have changed.
  const shown = useRef(false)
  useDidShow(() => {
    if (shown.current) void reload()
    shown.current = true
  })

  async function allowReminder() {
    setMessage(null)
    setAsking(true)
    try {
      // (first thing in the tap handler: WeChat shows the dialog only in answer to a tap)
      const answer = await askReminder(TOPIC)
      const said =
        answer === 'simulated'
          ? { tone: 'info' as const, text: '预览环境：已模拟同意，随访到期时会发送一条提醒' }
          : answer === 'accepted'
            ? { tone: 'info' as const, text: '已开启：下一次随访到期时，微信会提醒您' }
            : { tone: 'warn' as const, text: '未开启微信提醒。到期的随访仍会显示在「待办事项」中' }
      setMessage(said)
      // (the button is at the end of a long list: say it where the teacher is looking too)
      void Taro.showToast({ title: said.text, icon: 'none', duration: 3000 }).catch(() => undefined)
    } catch (e) {
      setMessage({ tone: 'warn', text: errorText(e) })
    } finally {
      setAsking(false)
    }
  }

  async function openMaterial() {
    if (!data?.training) return
    try {
      const said = await openTraining(data.training)
      if (said) setMessage({ tone: 'info', text: said })
    } catch (e) {
      setMessage({ tone: 'warn', text: errorText(e) })
    }
  }

  if (loading && !data) return <PageShell><Loading /></PageShell>
  if (!data) {
    return (
      <PageShell className='ww'>
        <Notice tone='warn'>{error?.message ?? '无法加载家访任务'}</Notice>
        <Button type='primary' size='large' block onClick={() => void reload()}>
          重试
        </Button>
      </PageShell>
    )
  }

  const now = Date.now()
  const list = filterWork(data.items, filter)
  const open = (item: WorkItem) => void Taro.navigateTo({ url: `${PAGES.teacherFile}?studentId=${encodeURIComponent(item.studentId)}` })
  const log = (item: WorkItem) => void Taro.navigateTo({ url: `${PAGES.teacherLog}?studentId=${encodeURIComponent(item.studentId)}&name=${encodeURIComponent(item.name)}` })

  return (
    <PageShell className='ww'>
      <Hero badge='全员家访' title='我的家访任务' subtitle={data.semester.label} />
      {error ? <Notice tone='warn'>{error.message}</Notice> : null}
      <Flash message={message} />

      {data.counts.assigned === 0 ? (
        <EmptyState icon='访' title='学校还没有为您安排家访学生' description='学校管理员制定本学期全员家访方案后，分配给您的学生会显示在这里。' />
      ) : (
        <>
          <View className='ww__counts'>
            {WORK_FILTERS.map((f) => (
              <View
                key={f.key}
                className={`ww__count ww__count--${f.key}${filter === f.key ? ' ww__count--on' : ''}`}
                hoverClass='ww__count--pressed'
                onClick={() => setFilter(f.key)}
              >
                <Text className='ww__count-value'>{data.counts[f.count]}</Text>
                <Text className='ww__count-label'>{f.label}</Text>
              </View>
            ))}
          </View>
          {data.truncated ? <Notice>分配给您的学生较多，这里只列出其中 {data.items.length} 名，请联系学校管理员调整家访安排。</Notice> : null}
          <Section title={`${WORK_FILTERS.find((f) => f.key === filter)?.label ?? ''}（${list.length}）`} extra={filter !== 'all' ? <Text className='ww__all' onClick={() => setFilter('all')}>显示全部</Text> : null}>
            {list.length === 0 ? <Text className='ww__none'>{emptyFilterText(filter)}</Text> : null}
            {list.map((item) => {
              const badge = urgencyBadge(item, now)
              return (
                <View key={item.studentId} className={`ww__item${item.urgency === 'overdue' ? ' ww__item--overdue' : ''}`}>
                  <View className='ww__main' hoverClass='ww__main--pressed' onClick={() => open(item)}>
                    <View className='ww__who'>
                      <Text className='ww__name'>{item.name}</Text>
                      <Text className='ww__class'>{item.className}</Text>
                      {item.special ? <Text className='ww__tag'>名册</Text> : null}
                    </View>
                    <Text className={`ww__badge ww__badge--${badge.tone}`}>{badge.text}</Text>
                    <View className='ww__dates'>
                      {contactParts(item).map((part) => (
                        <Text key={part} className='ww__date'>
                          {part}
                        </Text>
                      ))}
                    </View>
                  </View>
                  <Button className='ww__log' size='small' onClick={() => log(item)}>
                    记录
                  </Button>
                </View>
              )
            })}
          </Section>
        </>
      )}

      {data.training ? (
        <Section title='家访培训材料'>
          <WorkTraining training={data.training} onOpen={() => void openMaterial()} />
        </Section>
      ) : null}

      <Section title='随访到期提醒'>
        <View className='ww__remind'>
          <Text className='ww__remind-text'>
            开启后，学生的随访到期时微信会给您发一条提醒（每同意一次可收到一条）。不开启也不会错过：到期和逾期的随访都会显示在「待办事项」里。
          </Text>
          <Button type='primary' size='large' block loading={asking} disabled={asking} onClick={() => void allowReminder()}>
            开启随访到期提醒
          </Button>
        </View>
      </Section>
    </PageShell>
  )
}
