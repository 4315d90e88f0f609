import { Text, Textarea, View } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Button, Input } from '@nutui/nutui-react-taro'
import { useRef, useState } from 'react'
import { programmeApi } from '@/api/programme'
import { PageShell } from '@/components/PageShell'
import { EmptyState, Flash, Loading, Notice, Section } from '@/components/ui'
import { formatDate } from '@/shared/calendar'
import { APPLICATION_STATUSES, LIMITS, STATUS_LABELS, STATUS_TONES, type ApplicationStatus } from '@/shared/programme'
import { PAGES } from '@/store/route'
import { useAsync } from '@/store/useAsync'
import { useOutcome } from '@/store/useOutcome'
import './index.scss'

interface RoundForm {
  name: string
  year: string
  deadline: string
  notes: string
}

/** Back to where the user came from; opened by a link with nothing to go back to: the launch page. */
function leave() {
  if (Taro.getCurrentPages().length > 1) void Taro.navigateBack().catch(() => Taro.reLaunch({ url: PAGES.launch }))
  else void Taro.reLaunch({ url: PAGES.launch })
}

/** Bureau: the county's 示范校 programme — progress toward 100 schools, creation rounds, applications by status. */
export default function BureauProgrammePage() {
  const rounds = useAsync(() => programmeApi.listRounds())
  const [roundId, setRoundId] = useState<string | null>(null)
  const [status, setStatus] = useState<ApplicationStatus | null>(null)
  const [page, setPage] = useState(1)
  const apps = useAsync(
    () => programmeApi.listApplications({ page, ...(roundId ? { roundId } : {}), ...(status ? { status } : {}) }),
    [roundId, status, page]
  )
  const [form, setForm] = useState<RoundForm | null>(null)
  const [saving, setSaving] = useState(false)
  const { message, setMessage, run } = useOutcome()
  const reloadAll = () => Promise.all([rounds.reload(), apps.reload()])
  usePullDownRefresh(() => void reloadAll().finally(() => Taro.stopPullDownRefresh()))
  // Back from an application (accepted, evaluated…): show the new statuses.
  const shown = useRef(false)
  useDidShow(() => {
    if (shown.current) void apps.reload()
    shown.current = true
  })

  async function openRound() {
    if (!form) return
    const year = Number(form.year)
    if (!Number.isInteger(year)) {
      setMessage({ tone: 'warn', text: '创建年度应为四位年份，例如 2026' })
      return
    }
    setSaving(true)
    const f = form
    let created = true
    const ok = await run(
      async () => {
        const res = await programmeApi.openRound({ name: f.name, year, deadline: f.deadline, notes: f.notes })
        created = res.created
        setRoundId(res.round.roundId)
        setPage(1)
      },
      '创建批次已开启，各校可在截止日期前申报',
      reloadAll
    )
    setSaving(false)
    if (ok) {
      setForm(null)
      if (!created) setMessage({ tone: 'warn', text: `「${f.name}」已经存在，没有重复开启` })
    }
  }

  const roundList = rounds.data?.rounds ?? []
  const selected = roundList.find((r) => r.roundId === roundId) ?? null
  const data = apps.data
  const counts = data?.counts ?? {}
  const totalCount = Object.values(counts).reduce((n, c) => n + (c ?? 0), 0)
  const progress = data ? Math.min(100, Math.round((data.certifiedSchools / data.goal) * 100)) : 0

  // Anyone but the county bureau (a teacher, a parent, a principal opening the page by its address) is told so,
  // with a way back, and sees nothing of the page.
  if ([rounds.error, apps.error].some((e) => e?.code === 'PERMISSION_DENIED')) {
    return (
      <PageShell className='bp'>
        <View className='bp__denied'>
          <EmptyState icon='限' title='仅县教育局可以管理示范校创建' />
          <Button type='primary' size='large' block onClick={leave}>
            返回
          </Button>
        </View>
      </PageShell>
    )
  }
  if ((!rounds.data && !rounds.error) || (!data && !apps.error)) return <PageShell><Loading /></PageShell>
  const errors = [...new Set([rounds.error?.message, apps.error?.message].filter((m): m is string => Boolean(m)))]

  return (
    <PageShell className='bp'>
      <Flash message={message} />
      {errors.map((m) => (
        <Notice key={m} tone='warn'>
          {m}
        </Notice>
      ))}

      {data ? (
        <View className='bp__progress'>
          <Text className='bp__progress-title'>全县协同育人示范学校</Text>
          <Text className='bp__progress-value'>
            {data.certifiedSchools}
            <Text className='bp__progress-unit'> / {data.goal} 所</Text>
          </Text>
          <View className='bp__bar'>
            <View className='bp__bar-fill' style={{ width: `${progress}%` }} />
          </View>
          <Text className='bp__progress-note'>已认定（含限时整改中）的学校数，目标为三年建成 100 所</Text>
        </View>
      ) : null}

      {form ? (
        <Section title='开启创建批次'>
          <View className='bp__form'>
            <Text className='bp__label'>批次名称</Text>
            <Input className='bp__input bp__input--name' placeholder='例如 2026年度示范校创建' value={form.name} maxLength={LIMITS.roundName} onChange={(v) => setForm({ ...form, name: String(v) })} />
            <Text className='bp__label'>创建年度</Text>
            <Input className='bp__input bp__input--year' type='number' placeholder='例如 2026' value={form.year} maxLength={4} onChange={(v) => setForm({ ...form, year: String(v) })} />
            <Text className='bp__label'>申报截止日期</Text>
            <Input className='bp__input bp__input--deadline' placeholder='YYYY-MM-DD，例如 2026-03-01' value={form.deadline} maxLength={10} onChange={(v) => setForm({ ...form, deadline: String(v) })} />
            <Text className='bp__label'>说明（选填）</Text>
            <Textarea className='bp__textarea bp__textarea--notes' autoHeight placeholder='如：各学区遴选 1–2 所学校申报' value={form.notes} maxlength={LIMITS.roundNotes} onInput={(e) => setForm({ ...form, notes: e.detail.value })} />
            <Button type='primary' size='large' block loading={saving} disabled={saving} onClick={() => void openRound()}>
              开启批次
            </Button>
            <Button size='large' block disabled={saving} onClick={() => setForm(null)}>
              取消
            </Button>
          </View>
        </Section>
      ) : null}

      <Section
        title='创建批次'
        extra={
          form ? null : (
            <Text className='bp__action' onClick={() => setForm({ name: '', year: String(new Date().getFullYear()), deadline: '', notes: '' })}>
              开启新批次
            </Text>
          )
        }
      >
        {rounds.loading && !rounds.data ? <Loading /> : null}
        {rounds.data && roundList.length === 0 ? <EmptyState icon='示' title='还没有创建批次' description='点击「开启新批次」，各校即可在截止日期前申报。' /> : null}
        {roundList.length ? (
          <View className='bp__chips'>
            <Text
              className={`bp__chip${roundId === null ? ' bp__chip--on' : ''}`}
              onClick={() => {
                setRoundId(null)
                setPage(1)
              }}
            >
              全部批次
            </Text>
            {roundList.map((r) => (
              <Text
                key={r.roundId}
                className={`bp__chip${roundId === r.roundId ? ' bp__chip--on' : ''}`}
                onClick={() => {
                  setRoundId(r.roundId)
                  setPage(1)
                }}
              >
                {r.name}
              </Text>
            ))}
          </View>
        ) : null}
        {selected ? (
          <View className='bp__round'>
            <Text>
              {selected.year} 年度 · 申报截止 {selected.deadline} · {selected.open ? '申报中' : '已截止'}
            </Text>
            {selected.notes ? <Text className='gy-muted'>{selected.notes}</Text> : null}
          </View>
        ) : null}
      </Section>

      <Section title={`学校申报（${totalCount}）`}>
        <View className='bp__chips'>
          <Text
            className={`bp__chip${status === null ? ' bp__chip--on' : ''}`}
            onClick={() => {
              setStatus(null)
              setPage(1)
            }}
          >
            全部 {totalCount}
          </Text>
          {APPLICATION_STATUSES.filter((s) => counts[s] || s === status).map((s) => (
            <Text
              key={s}
              className={`bp__chip bp__chip--${s}${status === s ? ' bp__chip--on' : ''}`}
              onClick={() => {
                setStatus(s)
                setPage(1)
              }}
            >
              {STATUS_LABELS[s]} {counts[s] ?? 0}
            </Text>
          ))}
        </View>
        {apps.loading && !data ? <Loading /> : null}
        {data && data.applications.length === 0 ? <EmptyState icon='申' title='没有符合条件的申报' description='学校提交申报表后会出现在这里。' /> : null}
        {data?.applications.map((a) => (
          <View key={a.applicationId} className='bp__app' hoverClass='bp__app--pressed' onClick={() => void Taro.navigateTo({ url: `${PAGES.bureauApplication}?id=${a.applicationId}` })}>
            <View className='bp__app-head'>
              <Text className='bp__app-name'>{a.schoolName}</Text>
              <Text className={`bp__badge bp__badge--${STATUS_TONES[a.status]}`}>{STATUS_LABELS[a.status]}</Text>
            </View>
            <Text className='gy-muted'>
              {a.district} · {a.schoolType}
              {roundId ? '' : ` · ${a.roundName}`}
            </Text>
            <Text className='bp__app-line'>
              负责人 {a.leaderName} · {a.phone}
            </Text>
            <Text className='gy-muted'>
              {a.selfTotal !== null ? `自评 ${a.selfTotal} 分 · ` : ''}
              {a.expertTotal !== null ? `专家 ${a.expertTotal} 分 · ` : ''}
              {a.rectifyDeadline ? `整改期限 ${a.rectifyDeadline} · ` : ''}
              更新于 {formatDate(a.updatedAt)}
            </Text>
          </View>
        ))}
        {data && (data.hasMore || page > 1) ? (
          <View className='bp__pager'>
            <Button size='small' disabled={page <= 1} onClick={() => setPage(page - 1)}>
              上一页
            </Button>
            <Text>第 {page} 页</Text>
            <Button size='small' disabled={!data.hasMore} onClick={() => setPage(page + 1)}>
              下一页
            </Button>
          </View>
        ) : null}
      </Section>
    </PageShell>
  )
}
