import { Text, View } from '@tarojs/components'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Button, Dialog, Input } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import { rosterApi } from '@/api/roster'
import { PageShell } from '@/components/PageShell'
import { EmptyState, Flash, Loading, Notice, Section } from '@/components/ui'
import { formatDateTime } from '@/shared/calendar'
import type { JoinRequestView } from '@/shared/contract'
import { useOutcome } from '@/store/useOutcome'
import { useAsync } from '@/store/useAsync'
import '../../../teacher/pages/bindings/index.scss'

/** School admin: teachers who asked to join with the school code — approve, or reject with a reason. */
export default function StaffPage() {
  const { data, error, loading, reload } = useAsync(() => rosterApi.listJoinRequests())
  const [rejecting, setRejecting] = useState<JoinRequestView | null>(null)
  const [reason, setReason] = useState('')
  const { message, run } = useOutcome()
  usePullDownRefresh(() => void reload().finally(() => Taro.stopPullDownRefresh()))

  function decide(requestId: string, approve: boolean, why?: string) {
    return run(() => rosterApi.decideJoin({ requestId, approve, reason: why }), approve ? '已通过，对方现在是本校教师' : '已拒绝，对方会看到原因', reload)
  }

  if (loading && !data) return <PageShell><Loading /></PageShell>
  const pending = data?.requests.filter((r) => r.status === 'pending') ?? []

  return (
    <PageShell className='tb'>
      {error ? <Notice tone='warn'>{error.message}</Notice> : null}
      <Flash message={message} />
      <Section title={`加入申请（${pending.length}）`}>
        {pending.length === 0 ? <EmptyState icon='师' title='没有待处理的加入申请' description='教师凭学校码申请加入后会出现在这里。' /> : null}
        {pending.map((r) => (
          <View key={r.requestId} className='tb__request'>
            <Text className='tb__line'>{r.name} 申请加入本校</Text>
            <Text className='gy-muted'>{formatDateTime(r.createdAt)}</Text>
            <View className='tb__buttons'>
              <Button size='small' type='primary' onClick={() => void decide(r.requestId, true)}>
                通过
              </Button>
              <Button
                size='small'
                onClick={() => {
                  setReason('')
                  setRejecting(r)
                }}
              >
                拒绝
              </Button>
            </View>
          </View>
        ))}
      </Section>
      <Dialog
        visible={rejecting !== null}
        title='拒绝加入申请'
        content={<Input className='tb__reason' placeholder='请填写原因（对方会看到）' value={reason} maxLength={100} onChange={(v) => setReason(String(v))} />}
        confirmText='拒绝'
        cancelText='取消'
        onCancel={() => setRejecting(null)}
        onConfirm={() => {
          const r = rejecting
          setRejecting(null)
          if (r) void decide(r.requestId, false, reason)
        }}
      />
    </PageShell>
  )
}
