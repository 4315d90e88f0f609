import { Text, View } from '@tarojs/components'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Button, Dialog, Input } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import { bindingApi } from '@/api/binding'
import { PageShell } from '@/components/PageShell'
import { EmptyState, Flash, Loading, Notice, Section } from '@/components/ui'
import { formatDateTime } from '@/shared/calendar'
import type { PendingBindingView } from '@/shared/contract'
import { useOutcome } from '@/store/useOutcome'
import { scopesOf } from '@/store/session'
import { useAsync } from '@/store/useAsync'
import { useMe } from '@/store/useMe'
import './index.scss'

/** The head teacher's binding desk: pending requests to approve or reject, and students with no guardian yet (T1). */
export default function TeacherBindingsPage() {
  const { me } = useMe()
  const classIds = Array.from(new Set(scopesOf(me, 'teacher').flatMap((s) => s.headTeacherOf ?? [])))
  const { data, error, loading, reload } = useAsync(
    async () => Promise.all(classIds.map(async (classId) => ({ ...(await bindingApi.pendingRequests(classId)), ...(await bindingApi.unboundStudents(classId)) }))),
    [classIds.join(',')]
  )
  const [chosen, setChosen] = useState<Record<string, string>>({})
  const [rejecting, setRejecting] = useState<PendingBindingView | null>(null)
  const [reason, setReason] = useState('')
  const [reasonMissing, setReasonMissing] = useState(false)
  const { message, run } = useOutcome()
  usePullDownRefresh(() => void reload().finally(() => Taro.stopPullDownRefresh()))

  function decide(input: Parameters<typeof bindingApi.decideRequest>[0], done: string) {
    return run(() => bindingApi.decideRequest(input), done, reload)
  }

  if (!me || (loading && !data)) return <PageShell><Loading /></PageShell>
  if (classIds.length === 0) return <PageShell><EmptyState icon='班' title='您不是班主任' description='家长绑定由班主任审核。如需调整，请联系学校管理员。' /></PageShell>

  return (
    <PageShell className='tb'>
      {error ? <Notice tone='warn'>{error.message}</Notice> : null}
      <Flash message={message} />
      {data?.map((c) => (
        <View key={c.classId}>
          <Section title={`${c.className} · 待审核（${c.requests.length}）`}>
            {c.requests.length === 0 ? <Text className='tb__none'>没有待审核的绑定申请</Text> : null}
            {c.requests.map((r) => (
              <View key={r.requestId} className='tb__request'>
                <Text className='tb__line'>
                  {r.guardianMaskedName}（{r.relation}）申请绑定「{r.childName}」，学籍号后 4 位 {r.studentNoSuffix}
                </Text>
                <Text className='gy-muted'>{formatDateTime(r.createdAt)}</Text>
                <Text className='tb__hint'>{r.candidates.length ? '请选择对应的学生：' : '本班没有姓名或学籍号相符的学生'}</Text>
                <View className='tb__candidates'>
                  {r.candidates.map((s) => (
                    <Text
                      key={s.studentId}
                      className={`tb__candidate${(chosen[r.requestId] ?? (r.candidates.length === 1 ? r.candidates[0].studentId : '')) === s.studentId ? ' tb__candidate--on' : ''}`}
                      onClick={() => setChosen({ ...chosen, [r.requestId]: s.studentId })}
                    >
                      {s.name} · {s.studentNo}
                    </Text>
                  ))}
                </View>
                <View className='tb__buttons'>
                  <Button
                    size='small'
                    type='primary'
                    disabled={!(chosen[r.requestId] ?? (r.candidates.length === 1 ? r.candidates[0].studentId : undefined))}
                    onClick={() =>
                      void decide(
                        { requestId: r.requestId, approve: true, studentId: chosen[r.requestId] ?? (r.candidates.length === 1 ? r.candidates[0].studentId : undefined) },
                        '已通过，家长现在可以看到孩子了'
                      )
                    }
                  >
                    通过
                  </Button>
                  <Button
                    size='small'
                    onClick={() => {
                      setReason('')
                      setReasonMissing(false)
                      setRejecting(r)
                    }}
                  >
                    拒绝
                  </Button>
                </View>
              </View>
            ))}
          </Section>
          <Section title={`未绑定家长的学生（${c.unbound.length} / ${c.enrolled}）`}>
            <View className='tb__code'>
              <Text>班级码</Text>
              <Text className='tb__code-value'>{c.classCode}</Text>
              <Text className='gy-muted'>把班级码发到家长群，家长即可自行绑定</Text>
              <Button
                size='small'
                type='primary'
                onClick={() =>
                  void Taro.setClipboardData({
                    data: `请在微信小程序「共育」中选择「我的孩子 → 绑定孩子」，填写班级码 ${c.classCode}、孩子姓名和学籍号后 4 位，完成家长绑定。`
                  })
                }
              >
                复制邀请家长的话
              </Button>
            </View>
            {c.unbound.map((s) => (
              <View key={s.studentId} className='tb__student'>
                <Text>{s.name}</Text>
                <Text className='gy-muted'>{s.studentNo}</Text>
              </View>
            ))}
          </Section>
        </View>
      ))}
      <Dialog
        visible={rejecting !== null}
        title='拒绝绑定申请'
        content={
          <View>
            <Text className='gy-muted'>原因会显示给家长，例如“本班没有这位同学，请核对班级码”。</Text>
            <Input
              className='tb__reason'
              placeholder='请填写原因'
              value={reason}
              maxLength={100}
              onChange={(v) => {
                setReason(String(v))
                setReasonMissing(false)
              }}
            />
            {reasonMissing ? <Text className='tb__missing'>请填写原因，家长会看到</Text> : null}
          </View>
        }
        confirmText='拒绝'
        cancelText='取消'
        onCancel={() => setRejecting(null)}
        onConfirm={() => {
          const r = rejecting
          if (!reason.trim()) {
            setReasonMissing(true) // keep the dialog open: the reason is what the parent will read
            return
          }
          setRejecting(null)
          if (r) void decide({ requestId: r.requestId, approve: false, reason }, '已拒绝，家长会看到原因')
        }}
      />
    </PageShell>
  )
}
