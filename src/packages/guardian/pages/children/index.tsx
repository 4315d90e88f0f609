import { Text, View } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Button, Dialog } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import { bindingApi } from '@/api/binding'
import { PageShell } from '@/components/PageShell'
import { EmptyState, Flash, Loading, Notice, Section } from '@/components/ui'
import { formatDateTime } from '@/shared/calendar'
import type { ChildSummary, GuardianSummary } from '@/shared/contract'
import { AppError } from '@/shared/errors'
import { PAGES } from '@/store/route'
import { useAsync } from '@/store/useAsync'
import { useOutcome } from '@/store/useOutcome'
import './index.scss'

const REQUEST_STATUS = { pending: '等待班主任审核', approved: '已通过', rejected: '未通过' } as const

export default function ChildrenPage() {
  const { data, error, loading, reload } = useAsync(() => bindingApi.myChildren())
  const [open, setOpen] = useState<string | null>(null)
  const [family, setFamily] = useState<GuardianSummary[] | null>(null)
  const [invite, setInvite] = useState<{ code: string; expiresAt: number } | null>(null)
  const [confirm, setConfirm] = useState<{ kind: 'unbind' | 'handover'; child: ChildSummary; to?: GuardianSummary } | null>(null)
  const { message, setMessage, run } = useOutcome()

  useDidShow(() => void reload())
  usePullDownRefresh(() => void reload().finally(() => Taro.stopPullDownRefresh()))

  async function toggle(child: ChildSummary) {
    if (open === child.studentId) {
      setOpen(null)
      return
    }
    setOpen(child.studentId)
    setFamily(null)
    setInvite(null)
    try {
      setFamily((await bindingApi.familyOf(child.studentId)).guardians)
    } catch (e) {
      setMessage({ tone: 'warn', text: e instanceof AppError ? e.message : '加载失败' })
    }
  }

  if (loading && !data) return <PageShell><Loading /></PageShell>

  return (
    <PageShell className='children'>
      {error ? <Notice tone='warn'>{error.message}</Notice> : null}
      <Flash message={message} />
      {data && data.children.length === 0 && data.requests.length === 0 ? (
        <EmptyState icon='孩' title='还没有绑定孩子' description='向班主任索取班级码即可绑定；家人已绑定的，可以凭家庭邀请码加入。' />
      ) : null}
      {data?.children.map((c) => (
        <View key={c.studentId} className='children__card'>
          <View className='children__head' onClick={() => void toggle(c)}>
            <View className='children__who'>
              <Text className='children__name'>{c.name}</Text>
              <Text className='children__class'>
                {c.schoolName} · {c.className}
              </Text>
            </View>
            <View className='children__tags'>
              <Text className='children__tag'>{c.relation}</Text>
              {c.primary ? <Text className='children__tag children__tag--primary'>主要监护人</Text> : null}
            </View>
          </View>
          {open === c.studentId ? (
            <View className='children__more'>
              <Text className='children__sub'>家人</Text>
              {!family ? <Text className='gy-muted'>正在加载…</Text> : null}
              {family?.map((g) => (
                <View key={g.guardianId} className='children__guardian'>
                  <Text>
                    {g.maskedName}（{g.relation}）{g.isMe ? ' · 我' : ''}
                    {g.primary ? ' · 主要监护人' : ''}
                  </Text>
                  {c.primary && !g.isMe ? (
                    <Text className='children__action' onClick={() => setConfirm({ kind: 'handover', child: c, to: g })}>
                      移交主要监护人
                    </Text>
                  ) : null}
                </View>
              ))}
              {invite ? (
                <View className='children__invite'>
                  <Text className='children__code'>{invite.code}</Text>
                  <Text className='gy-muted'>只告诉要加入的那位家人：一次有效，{formatDateTime(invite.expiresAt)} 前使用</Text>
                </View>
              ) : null}
              <View className='children__buttons'>
                <Button size='small' type='primary' onClick={() => void run(async () => setInvite(await bindingApi.inviteFamily(c.studentId)), '邀请码已生成')}>
                  邀请家人
                </Button>
                <Button size='small' onClick={() => setConfirm({ kind: 'unbind', child: c })}>
                  解除绑定
                </Button>
              </View>
            </View>
          ) : null}
        </View>
      ))}
      {data && data.requests.length > 0 ? (
        <Section title='绑定申请'>
          {data.requests.map((r) => (
            <View key={r.requestId} className='children__request'>
              <Text>
                {r.childName} · {r.schoolName} {r.className}
              </Text>
              <Text className={`children__status children__status--${r.status}`}>{REQUEST_STATUS[r.status]}</Text>
              {r.reason ? <Text className='gy-muted'>班主任说明：{r.reason}</Text> : null}
            </View>
          ))}
        </Section>
      ) : null}
      <View className='gy-actions'>
        <Button type='primary' size='large' block onClick={() => void Taro.navigateTo({ url: PAGES.guardianBind })}>
          绑定孩子
        </Button>
        <Button size='large' block onClick={() => void Taro.navigateTo({ url: PAGES.guardianJoin })}>
          凭家庭邀请码加入
        </Button>
      </View>
      <Dialog
        visible={confirm !== null}
        title={confirm?.kind === 'unbind' ? '确定解除绑定吗？' : '确定移交主要监护人吗？'}
        content={
          <Text>
            {confirm?.kind === 'unbind'
              ? `解除后您将看不到${confirm.child.name}的信息；孩子在学校的记录不会删除，以后可以重新绑定。`
              : `移交后，${confirm?.to?.maskedName ?? ''}将成为${confirm?.child.name ?? ''}的主要监护人。`}
          </Text>
        }
        confirmText='确定'
        cancelText='取消'
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          const c = confirm
          setConfirm(null)
          if (!c) return
          if (c.kind === 'unbind') void run(() => bindingApi.unbind(c.child.studentId), `已解除与${c.child.name}的绑定`).then(() => reload())
          else if (c.to) void run(async () => setFamily((await bindingApi.handOverPrimary(c.child.studentId, c.to!.guardianId)).guardians), '已移交主要监护人').then(() => reload())
        }}
      />
    </PageShell>
  )
}
