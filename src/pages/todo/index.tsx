import { Text, View } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { useRef } from 'react'
import { counsellingApi } from '@/api/counselling'
import { visitsApi } from '@/api/visits'
import { PageShell } from '@/components/PageShell'
import { EmptyState, Hero, Loading, Notice, Section } from '@/components/ui'
import type { CounselTodo } from '@/shared/contract-counselling'
import type { TodoItem } from '@/shared/contract-visits'
import { AppError } from '@/shared/errors'
import { ROLE_LABELS } from '@/shared/roles'
import { dueText } from '@/shared/visits'
import { distinctRoles } from '@/store/session'
import { useAsync } from '@/store/useAsync'
import { useMe } from '@/store/useMe'
import './index.scss'

/** One line of the list, whichever function it came from. */
type Item = Pick<TodoItem, 'id' | 'title' | 'detail' | 'dueAt' | 'overdue' | 'url'>

/** Overdue first, then the soonest due. */
const byUrgency = (a: Item, b: Item) => Number(b.overdue) - Number(a.overdue) || a.dueAt - b.dueAt

/**
 * The in-app to-do list: every reminder (booking, follow-up due, activity) also appears here, so users who did
 * not allow subscribe messages miss nothing. Teachers see the follow-ups of their visiting students and of their
 * classes' special registry that are due within 3 days or overdue; guardians and counsellors their counselling
 * sessions of today and tomorrow, and counsellors the sessions waiting for an outcome.
 */
export default function TodoPage() {
  const { me, loading, activeRole, error: meError, reload: reloadMe } = useMe()
  const roles = me ? distinctRoles(me.roles) : []
  const isTeacher = roles.includes('teacher')
  const counsels = roles.includes('guardian') || roles.includes('counsellor')
  const wanted = isTeacher || counsels
  // Both lists at once; one that fails leaves the other shown (with a notice), both failing is an error.
  const todos = useAsync(async () => {
    const [visits, counsel] = await Promise.allSettled([
      isTeacher ? visitsApi.todos().then((r) => r.items as Item[]) : Promise.resolve([] as Item[]),
      counsels
        ? counsellingApi.todos().then(
            (r) => r.items as CounselTodo[] as Item[],
            // a cloud without counselling yet (older than this app) has nothing due there
            (e: unknown) => {
              if (e instanceof AppError && e.code === 'UNKNOWN_ACTION') return [] as Item[]
              throw e
            }
          )
        : Promise.resolve([] as Item[])
    ])
    const failed = [visits, counsel].filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (r.reason instanceof AppError ? r.reason : new AppError('INTERNAL_ERROR')))
    if (failed.length && (isTeacher ? visits.status === 'rejected' : true) && (counsels ? counsel.status === 'rejected' : true)) throw failed[0]
    const items = [visits, counsel].flatMap((r) => (r.status === 'fulfilled' ? r.value : []))
    return { items, partial: failed[0] ?? null }
  }, [isTeacher, counsels, me?.userId])
  const reload = () => Promise.all([reloadMe(), todos.reload()])
  usePullDownRefresh(() => {
    void reload().finally(() => Taro.stopPullDownRefresh())
  })
  // Back from dealing with an item: it may be done now.
  const shown = useRef(false)
  useDidShow(() => {
    if (shown.current && wanted) void todos.reload()
    shown.current = true
  })

  if (loading || (todos.loading && (!todos.data || (wanted && todos.data.items.length === 0 && !todos.error)))) return <PageShell><Loading /></PageShell>
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
  const items = [...(todos.data?.items ?? [])].sort(byUrgency)
  const partial = todos.data?.partial ?? null
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
      ) : null}
      {!todos.error && partial ? (
        <View className='todo__failed'>
          <Notice tone='warn'>部分待办事项没有加载出来：{partial.message}</Notice>
          <Button size='large' block loading={todos.loading} disabled={todos.loading} onClick={() => void todos.reload()}>
            重试
          </Button>
        </View>
      ) : null}
      {todos.error ? null : items.length === 0 ? (
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
