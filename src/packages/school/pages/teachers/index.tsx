import { Text, View } from '@tarojs/components'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Button, Dialog } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import { rosterApi } from '@/api/roster'
import { PageShell } from '@/components/PageShell'
import { EmptyState, Flash, Loading, Notice, Section } from '@/components/ui'
import type { StaffRole, StaffView } from '@/shared/contract'
import { PAGES } from '@/store/route'
import { useAsync } from '@/store/useAsync'
import { useOutcome } from '@/store/useOutcome'
import './index.scss'

const ROLE_NAMES: Record<StaffRole, string> = { schoolAdmin: '学校管理员', teacher: '教师', counsellor: '家庭教育指导师' }
type GrantableRole = 'schoolAdmin' | 'counsellor'

const toggle = (list: string[], id: string) => (list.includes(id) ? list.filter((x) => x !== id) : [...list, id])

/** School admin: the staff — classes taught, head-teacher classes, and the school roles (admin, counsellor). */
export default function TeachersPage() {
  const { data, error, loading, reload } = useAsync(async () => {
    const [staff, classes] = await Promise.all([rosterApi.listStaff(), rosterApi.listClasses()])
    return { staff: staff.staff, classes: classes.classes }
  })
  const [editing, setEditing] = useState<{ membershipId: string; classIds: string[]; headTeacherOf: string[] } | null>(null)
  const [saving, setSaving] = useState(false)
  const [confirm, setConfirm] = useState<{ person: StaffView; role: GrantableRole; grant: boolean } | null>(null)
  const { message, setMessage, run: report } = useOutcome()
  /** Every change here reloads the staff list after it is reported. */
  const run = (fn: () => Promise<unknown>, done: string) => report(fn, done, reload)
  usePullDownRefresh(() => void reload().finally(() => Taro.stopPullDownRefresh()))

  async function saveClasses(person: StaffView) {
    if (!editing) return
    const e = editing
    setSaving(true)
    const ok = await run(
      () => rosterApi.assignTeacher({ membershipId: e.membershipId, classIds: e.classIds, headTeacherOf: e.headTeacherOf }),
      `已保存${person.name}的任教班级`
    )
    setSaving(false)
    if (ok) setEditing(null)
  }

  if (loading && !data) return <PageShell><Loading /></PageShell>

  const classes = data?.classes ?? []
  const nameOf = new Map(classes.map((c) => [c.classId, c.name]))
  const names = (ids: string[]) => (ids.length ? ids.map((id) => nameOf.get(id) ?? '已删除的班级').join('、') : '无')

  return (
    <PageShell className='tm'>
      {error ? <Notice tone='warn'>{error.message}</Notice> : null}
      <Flash message={message} />
      <Section title={`教职工（${data?.staff.length ?? 0}）`}>
        {data && data.staff.length === 0 ? <EmptyState icon='师' title='还没有教职工' description='教师凭学校码申请加入，您在「教职工」中审核通过后会出现在这里。' /> : null}
        {data?.staff.map((p) => {
          const isTeacher = p.roles.includes('teacher')
          const isAdmin = p.roles.includes('schoolAdmin')
          const isCounsellor = p.roles.includes('counsellor')
          const open = editing?.membershipId === p.membershipId ? editing : null
          return (
            <View key={p.membershipId} className='tm__card'>
              <View className='tm__head'>
                <Text className='tm__name'>
                  {p.name}
                  {p.isMe ? '（我）' : ''}
                </Text>
                <View className='tm__tags'>
                  {p.roles.map((r) => (
                    <Text key={r} className={`tm__tag${r === 'schoolAdmin' ? ' tm__tag--admin' : r === 'counsellor' ? ' tm__tag--counsellor' : ''}`}>
                      {ROLE_NAMES[r]}
                    </Text>
                  ))}
                </View>
              </View>
              {isTeacher ? (
                <>
                  <Text className='tm__line'>任教班级：{names(p.classIds)}</Text>
                  <Text className='tm__line'>班主任：{names(p.headTeacherOf)}</Text>
                </>
              ) : null}
              {open ? (
                <View className='tm__editor'>
                  <Text className='tm__label'>任教班级（可多选）</Text>
                  <View className='tm__chips'>
                    {classes.map((c) => (
                      <Text
                        key={c.classId}
                        className={`tm__chip${open.classIds.includes(c.classId) ? ' tm__chip--on' : ''}`}
                        onClick={() => {
                          const classIds = toggle(open.classIds, c.classId)
                          // A class no longer taught is no longer headed either.
                          setEditing({ ...open, classIds, headTeacherOf: open.headTeacherOf.filter((id) => classIds.includes(id)) })
                        }}
                      >
                        {c.name}
                      </Text>
                    ))}
                  </View>
                  <Text className='tm__label'>担任班主任的班级</Text>
                  <View className='tm__chips'>
                    {classes.map((c) => (
                      <Text
                        key={c.classId}
                        className={`tm__chip${open.headTeacherOf.includes(c.classId) ? ' tm__chip--on' : ''}`}
                        onClick={() => {
                          const headTeacherOf = toggle(open.headTeacherOf, c.classId)
                          if (headTeacherOf.length > 5) {
                            setMessage({ tone: 'warn', text: '担任班主任的班级不能超过 5 个' })
                            return
                          }
                          const classIds = open.classIds.includes(c.classId) ? open.classIds : [...open.classIds, c.classId]
                          setEditing({ ...open, classIds, headTeacherOf })
                        }}
                      >
                        {c.name}
                      </Text>
                    ))}
                  </View>
                  {classes.length === 0 ? <Text className='gy-muted'>还没有班级，请先导入花名册。</Text> : null}
                  <View className='tm__buttons'>
                    <Button type='primary' loading={saving} disabled={saving} onClick={() => void saveClasses(p)}>
                      保存
                    </Button>
                    <Button disabled={saving} onClick={() => setEditing(null)}>
                      取消
                    </Button>
                  </View>
                </View>
              ) : null}
              <View className='tm__buttons'>
                {isTeacher && !open ? (
                  <Button type='primary' onClick={() => setEditing({ membershipId: p.membershipId, classIds: p.classIds, headTeacherOf: p.headTeacherOf })}>
                    设置班级
                  </Button>
                ) : null}
                <Button onClick={() => setConfirm({ person: p, role: 'schoolAdmin', grant: !isAdmin })}>{isAdmin ? '取消学校管理员' : '设为学校管理员'}</Button>
                <Button onClick={() => setConfirm({ person: p, role: 'counsellor', grant: !isCounsellor })}>
                  {isCounsellor ? '取消家庭教育指导师' : '设为家庭教育指导师'}
                </Button>
              </View>
            </View>
          )
        })}
      </Section>
      <View className='gy-actions'>
        <Button size='large' block onClick={() => void Taro.navigateTo({ url: PAGES.schoolStaff })}>
          审核加入申请
        </Button>
      </View>
      <Dialog
        visible={confirm !== null}
        title={confirm ? `${confirm.grant ? '设为' : '取消'}${ROLE_NAMES[confirm.role]}？` : ''}
        content={
          <Text>
            {confirm
              ? confirm.grant
                ? `${confirm.person.name}将成为本校的${ROLE_NAMES[confirm.role]}${confirm.role === 'schoolAdmin' ? '，可以管理学生、教职工和花名册' : ''}。`
                : `${confirm.person.name}将不再是本校的${ROLE_NAMES[confirm.role]}${confirm.person.isMe && confirm.role === 'schoolAdmin' ? '；取消后您将不能再管理本校' : ''}。以后可以重新设置。`
              : ''}
          </Text>
        }
        confirmText='确定'
        cancelText='取消'
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          const c = confirm
          setConfirm(null)
          if (!c) return
          void run(
            () => rosterApi.grantRole({ membershipId: c.person.membershipId, role: c.role, grant: c.grant }),
            `已${c.grant ? '设为' : '取消'}${c.person.name}的${ROLE_NAMES[c.role]}身份`
          )
        }}
      />
    </PageShell>
  )
}
