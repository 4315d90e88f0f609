import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { PageShell } from '@/components/PageShell'
import { EmptyState, Hero, Loading } from '@/components/ui'
import { ROLE_LABELS } from '@/shared/roles'
import { useMe } from '@/store/useMe'

/**
 * The in-app to-do list: every reminder (booking, follow-up due, activity) also appears here, so users who did
 * not allow subscribe messages miss nothing. Features that create to-dos arrive with their own issues; until then
 * the list is empty for everyone.
 */
export default function TodoPage() {
  const { me, loading, activeRole, reload } = useMe()
  usePullDownRefresh(() => {
    void reload().finally(() => Taro.stopPullDownRefresh())
  })
  if (loading) return <PageShell><Loading /></PageShell>
  return (
    <PageShell>
      <Hero title='待办事项' subtitle={activeRole ? `当前身份：${ROLE_LABELS[activeRole]}` : me ? me.displayName : undefined} />
      <EmptyState icon='无' title='暂无待办' description='预约提醒、随访到期、活动签到等事项会显示在这里，即使您没有开启微信消息提醒也不会错过。' />
    </PageShell>
  )
}
