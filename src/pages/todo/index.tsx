import { Text, View } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { useRef } from 'react'
import { visitsApi } from '@/api/visits'
import { PageShell } from '@/components/PageShell'
import { EmptyState, Hero, Loading, Notice, Section } from '@/components/ui'
import type { TodoItem } from '@/shared/contract-visits'
import { ROLE_LABELS } from '@/shared/roles'
import { dueText } from '@/shared/visits'
import { distinctRoles } from '@/store/session'
import { useAsync } from '@/store/useAsync'
import { useMe } from '@/store/useMe'
import './index.scss'

/** Overdue first, then the soonest due. */
const byUrgency = (a: TodoItem, b: TodoItem) => Number(b.overdue) - Number(a.overdue) || a.dueAt - b.dueAt

/**
 * The in-app to-do list: every reminder (booking, follow-up due, activity) also appears here, so users who did
 * not allow subscribe messages miss nothing. Teachers see the follow-ups of their visiting students and of their
 * classes' special registry that are due within 3 days or overdue.
 */
export default function TodoPage() {
  const { me, loading, activeRole, error: meError, reload: reloadMe } = useMe()
  const isTeacher = Boolean(me && distinctRoles(me.roles).includes('teacher'))
  const todos = useAsync(async () => (isTeacher ? (await visitsApi.todos()).items : []), [isTeacher, me?.userId])
  const reload = () => Promise.all([reloadMe(), todos.reload()])
  usePullDownRefresh(() => {
    void reload().finally(() => Taro.stopPullDownRefresh())
  })
  // Back from dealing with an item: it may be done now.
  const shown = useRef(false)
  useDidShow(() => {
    if (shown.current && isTeacher) void todos.reload()
    shown.current = true
  })

  if (loading || (todos.loading && (!todos.data || (isTeacher && todos.data.length === 0 && !todos.error)))) return <PageShell><Loading /></PageShell>
  const hero = <Hero title='待办事项' subtitle={activeRole ? `当前身份：${ROLE_LABELS[activeRole]}` : me ? me.displayName : undefined} />
  if (!me && meError) {
    return (
      <PageShell className='todo'>
        {hero}
        <Notice tone='warn'>{meError.message}</Notice>
        <Button type='primary' size='large' block onClick={() => void reloadMe()}>
          重试
        </Button>
      </PageShell>
    )
  }

  const now = Date.now()
  const items = [...(todos.data ?? [])].sort(byUrgency)
  const overdue = items.filter((i) => i.overdue).length

  return (
    <PageShell className='todo'>
      {hero}
      {todos.error ? (
        <View className='todo__failed'>
          <Notice tone='warn'>待办事项没有加载出来：{todos.error.message}</Notice>
          <Button type='primary' size='large' block loading={todos.loading} disabled={todos.loading} onClick={() => void todos.reload()}>
            重试
          </Button>
        </View>
      ) : items.length === 0 ? (
        <EmptyState icon='无' title='暂无待办' description='预约提醒、随访到期、活动签到等事项会显示在这里，即使您没有开启微信消息提醒也不会错过。' />
      ) : (
        <Section title={`待办（${items.length}${overdue ? `，逾期 ${overdue}` : ''}）`}>
          {items.map((item) => (
            <View
              key={item.id}
              className={`todo__item${item.overdue ? ' todo__item--overdue' : ''}`}
              hoverClass='todo__item--pressed'
              onClick={() => void Taro.navigateTo({ url: item.url })}
            >
              <View className='todo__head'>
                <Text className='todo__title'>{item.title}</Text>
                <Text className={`todo__due${item.overdue ? ' todo__due--overdue' : ''}`}>{dueText(item.dueAt, now)}</Text>
              </View>
              {item.detail ? <Text className='todo__detail'>{item.detail}</Text> : null}
              <Text className='todo__go'>去处理 ›</Text>
            </View>
          ))}
        </Section>
      )}
    </PageShell>
  )
}
