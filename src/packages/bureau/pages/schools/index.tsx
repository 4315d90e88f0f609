import { Text, View } from '@tarojs/components'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Button, Input } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import { rosterApi } from '@/api/roster'
import { PageShell } from '@/components/PageShell'
import { EmptyState, Flash, Loading, Notice, Section } from '@/components/ui'
import { formatDateTime } from '@/shared/calendar'
import { SCHOOL_TYPES, type SchoolProgress, type SchoolType } from '@/shared/contract'
import { AppError } from '@/shared/errors'
import { useAsync } from '@/store/useAsync'
import { useOutcome } from '@/store/useOutcome'
import './index.scss'

const pct = (part: number, whole: number) => (whole > 0 ? `${Math.round((part / whole) * 100)}%` : '—')

/** Bureau: the county's schools with their onboarding progress; create a school; invite its principal. */
export default function BureauSchoolsPage() {
  const [page, setPage] = useState(1)
  const [type, setType] = useState<SchoolType | ''>('')
  const { data, error, loading, reload } = useAsync(() => rosterApi.listSchools({ page, ...(type ? { type } : {}) }), [page, type])
  const [form, setForm] = useState<{ name: string; type: SchoolType | ''; district: string } | null>(null)
  const [invites, setInvites] = useState<Record<string, { code: string; expiresAt: number }>>({})
  const { message, setMessage, run } = useOutcome()
  usePullDownRefresh(() => void reload().finally(() => Taro.stopPullDownRefresh()))

  async function create() {
    if (!form) return
    setMessage(null)
    try {
      const { school, created } = await rosterApi.createSchool({ name: form.name, type: form.type as SchoolType, district: form.district })
      setForm(null)
      await reload()
      setMessage(
        created
          ? { tone: 'info', text: '学校已创建，请生成校长邀请码交给校长' }
          : { tone: 'warn', text: `「${school.name}」已经存在（${school.type} · ${school.district}），没有重复创建` }
      )
    } catch (e) {
      setMessage({ tone: 'warn', text: e instanceof AppError ? e.message : '操作失败，请重试' })
    }
  }

  return (
    <PageShell className='bs'>
      {error ? <Notice tone='warn'>{error.message}</Notice> : null}
      <Flash message={message} />
      <View className='bs__filters'>
        {(['', ...SCHOOL_TYPES] as Array<SchoolType | ''>).map((t) => (
          <Text
            key={t || 'all'}
            className={`bs__chip${type === t ? ' bs__chip--on' : ''}`}
            onClick={() => {
              setPage(1)
              setType(t)
            }}
          >
            {t || '全部'}
          </Text>
        ))}
      </View>
      {loading && !data ? <Loading /> : null}
      {data && data.schools.length === 0 ? <EmptyState icon='校' title='还没有学校' description='点击下方「新建学校」添加本县的学校。' /> : null}
      {data?.schools.map((s: SchoolProgress) => (
        <View key={s.schoolId} className='bs__card'>
          <View className='bs__head'>
            <Text className='bs__name'>{s.name}</Text>
            <Text className='gy-muted'>
              {s.type} · {s.district} · 学校码 {s.code}
            </Text>
          </View>
          <View className='gy-stats'>
            <View className='bs__stat'>
              <Text className='bs__value'>{s.classes}</Text>
              <Text className='gy-muted'>班级</Text>
            </View>
            <View className='bs__stat'>
              <Text className='bs__value'>{s.enrolled}</Text>
              <Text className='gy-muted'>在校学生</Text>
            </View>
            <View className='bs__stat'>
              <Text className='bs__value'>{s.teachers}</Text>
              <Text className='gy-muted'>教师</Text>
            </View>
            <View className='bs__stat'>
              <Text className='bs__value'>{pct(s.boundStudents, s.enrolled)}</Text>
              <Text className='gy-muted'>家长注册率</Text>
            </View>
          </View>
          {invites[s.schoolId] ? (
            <View className='bs__invite'>
              <Text className='bs__code'>{invites[s.schoolId].code}</Text>
              <Text className='gy-muted'>校长邀请码，{formatDateTime(invites[s.schoolId].expiresAt)} 前有效，校长在小程序首页选择「我是校长：输入邀请码」</Text>
            </View>
          ) : (
            <View className='bs__actions'>
              <Button
                size='small'
                onClick={() =>
                  void run(async () => {
                    const inv = await rosterApi.inviteSchoolAdmin(s.schoolId)
                    setInvites({ ...invites, [s.schoolId]: inv })
                  }, '邀请码已生成')
                }
              >
                生成校长邀请码
              </Button>
            </View>
          )}
        </View>
      ))}
      {data && (data.hasMore || page > 1) ? (
        <View className='bs__pager'>
          <Button size='small' disabled={page <= 1} onClick={() => setPage(page - 1)}>
            上一页
          </Button>
          <Text>第 {page} 页</Text>
          <Button size='small' disabled={!data.hasMore} onClick={() => setPage(page + 1)}>
            下一页
          </Button>
        </View>
      ) : null}
      {form ? (
        <Section title='新建学校'>
          <View className='bs__field'>
            <Text className='bs__label'>学校名称</Text>
            <Input className='bs__input bs__input--name' placeholder='例如 城关第二小学' value={form.name} maxLength={40} onChange={(v) => setForm({ ...form, name: String(v) })} />
          </View>
          <View className='bs__field'>
            <Text className='bs__label'>所属学区</Text>
            <Input className='bs__input bs__input--district' placeholder='例如 城关学区' value={form.district} maxLength={20} onChange={(v) => setForm({ ...form, district: String(v) })} />
          </View>
          <View className='bs__filters'>
            {SCHOOL_TYPES.map((t) => (
              <Text key={t} className={`bs__chip${form.type === t ? ' bs__chip--on' : ''}`} onClick={() => setForm({ ...form, type: t })}>
                {t}
              </Text>
            ))}
          </View>
          <View className='gy-actions bs__form-actions'>
            <Button type='primary' size='large' block onClick={() => void create()}>
              创建
            </Button>
            <Button size='large' block onClick={() => setForm(null)}>
              取消
            </Button>
          </View>
        </Section>
      ) : (
        <View className='gy-actions'>
          <Button type='primary' size='large' block onClick={() => setForm({ name: '', type: '', district: '' })}>
            新建学校
          </Button>
        </View>
      )}
    </PageShell>
  )
}
