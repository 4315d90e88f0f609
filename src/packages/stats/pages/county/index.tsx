import { ScrollView, Text, View } from '@tarojs/components'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Button, Dialog } from '@nutui/nutui-react-taro'
import { useMemo, useState } from 'react'
import { openFile } from '@/api/files'
import { statsApi } from '@/api/stats'
import { PageShell } from '@/components/PageShell'
import { EmptyState, Flash, Hero, Loading, Notice, Section } from '@/components/ui'
import { formatDateTime, previousMonthOf } from '@/shared/calendar'
import type { RunView } from '@/shared/contract-stats'
import { formatTargetValue, targetsAt } from '@/shared/targets'
import { PAGES } from '@/store/route'
import { useAsync } from '@/store/useAsync'
import { errorText, useOutcome } from '@/store/useOutcome'
import { badgeOf, coverageNote, knownTiles, monthLabel, runStatusText, timeRange } from '../../components/format'
import { LoadFailed, RunNotice } from '../../components/parts'
import { DEFAULT_SORT, facetsOf, filterSchools, metCount, nextSort, sortSchools, type SchoolFilter, type SortKey, type SortState } from '../../components/table'
import { TargetTile } from '../../components/TargetTile'
import './index.scss'

type Pending = { kind: 'current' } | { kind: 'month'; month: string }

/** Widths of the school table's columns, in em so large-text mode widens them. */
const NAME_COL = 8.5
const VALUE_COL = 6
/** The runs panel shows the latest ones (a year of monthly runs). */
const RUNS_SHOWN = 12

/** The bureau's dashboard: the county's targets, every school's status (schools may be compared, students never are), the runs. */
export default function StatsCountyPage() {
  const { data, error, loading, reload } = useAsync(() => statsApi.countyDashboard(), [])
  const { message, setMessage } = useOutcome()
  const [sort, setSort] = useState<SortState>(DEFAULT_SORT)
  const [filter, setFilter] = useState<SchoolFilter>({ district: '', type: '' })
  const [pending, setPending] = useState<Pending | null>(null)
  const [busy, setBusy] = useState<'recompute' | 'export' | null>(null)
  usePullDownRefresh(() => void reload().finally(() => Taro.stopPullDownRefresh()))

  const columns = useMemo(() => targetsAt('school'), [])
  const facets = useMemo(() => facetsOf(data?.schools ?? []), [data])
  const rows = useMemo(() => sortSchools(filterSchools(data?.schools ?? [], filter), sort), [data, filter, sort])
  const lastMonth = previousMonthOf(Date.now()).id

  async function recompute(p: Pending) {
    setBusy('recompute')
    setMessage(null)
    try {
      const run = await statsApi.recompute(p.kind === 'month' ? { scope: 'county', month: p.month } : { scope: 'county' })
      await reload()
      const what = monthLabel(run.month)
      if (run.status === 'failed') setMessage({ tone: 'warn', text: `${what}统计失败${run.error ? `：${run.error}` : ''}` })
      else if (run.status === 'running') setMessage({ tone: 'info', text: `已开始统计${what}，稍后下拉刷新查看` })
      else setMessage({ tone: 'info', text: `${what}已重新统计完成` })
    } catch (e) {
      setMessage({ tone: 'warn', text: errorText(e) })
    } finally {
      setBusy(null)
    }
  }

  async function exportExcel() {
    setBusy('export')
    setMessage(null)
    try {
      const file = await statsApi.exportStats({ scope: 'county' })
      await openFile(file)
      setMessage({ tone: 'info', text: `已导出本学年 ${file.sheets} 个月的统计` })
    } catch (e) {
      setMessage({ tone: 'warn', text: errorText(e) })
    } finally {
      setBusy(null)
    }
  }

  if (loading && !data) return <PageShell><Loading /></PageShell>
  if (!data) return <LoadFailed error={error} onRetry={() => void reload()} />

  const { county, snapshot, runs } = data
  const tiles = knownTiles(data.tiles)
  const latestCountyRun = runs.find((r) => r.scope === 'county') ?? null
  const schoolNames = new Map(data.schools.map((s) => [s.schoolId, s.name]))
  const arrow = (key: SortKey) => (sort.key === key ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : '')
  const tableWidth = `${NAME_COL + VALUE_COL * columns.length}em`

  return (
    <PageShell className='sc'>
      <Hero
        badge='全县统计'
        title={county.name}
        subtitle={snapshot ? `${monthLabel(snapshot.month)} · 数据截至 ${formatDateTime(snapshot.computedAt)}` : '还没有统计数据'}
      />
      {error ? <Notice tone='warn'>{error.message}</Notice> : null}
      <Flash message={message} />
      {snapshot?.partial ? <Notice>这是本月截至 {formatDateTime(snapshot.computedAt)} 的数据，月底前还会变化。</Notice> : null}
      <RunNotice run={latestCountyRun} canRefresh />
      <View className='st-actions'>
        <Button size='large' disabled={busy !== null || !snapshot} loading={busy === 'export'} onClick={() => void exportExcel()}>
          导出Excel
        </Button>
        <Button size='large' disabled={busy !== null} onClick={() => void Taro.navigateTo({ url: `${PAGES.statsReport}?scope=county` })}>
          年度报告
        </Button>
      </View>

      {!snapshot ? (
        <EmptyState icon='统' title='还没有统计数据' description='每月 1 日凌晨自动统计，也可以在下方「统计记录」里点刷新本月' />
      ) : (
        tiles.map(({ def, tile }) => <TargetTile key={def.id} def={def} value={tile.value} trend={tile.trend} pace={tile.pace} />)
      )}
      {snapshot ? <Text className='st-meta'>{coverageNote(tiles.length)}</Text> : null}

      <Section title={`各校情况（${rows.length} / ${data.schools.length} 所）`}>
        <View className='sc__filters'>
          <Text className='sc__filter-label'>学区</Text>
          {['', ...facets.districts].map((d) => (
            <Text key={d || 'all'} className={`sc__chip${filter.district === d ? ' sc__chip--on' : ''}`} onClick={() => setFilter({ ...filter, district: d })}>
              {d || '全部学区'}
            </Text>
          ))}
        </View>
        <View className='sc__filters'>
          <Text className='sc__filter-label'>类型</Text>
          {['', ...facets.types].map((t) => (
            <Text key={t || 'all'} className={`sc__chip${filter.type === t ? ' sc__chip--on' : ''}`} onClick={() => setFilter({ ...filter, type: t })}>
              {t || '全部类型'}
            </Text>
          ))}
        </View>
        <Text className='sc__hint'>点表头排序，再点一次反向；点学校查看详情。{columns.length > 1 ? '表格可左右滑动。' : ''}</Text>
        {rows.length === 0 ? (
          <Text className='sc__none'>{data.schools.length ? '没有符合筛选条件的学校' : '还没有学校的统计数据'}</Text>
        ) : (
          <ScrollView scrollX className='sc__scroll'>
            <View className='sc__table' style={{ width: tableWidth }}>
              <View className='sc__row sc__row--head'>
                <Text className='sc__cell sc__cell--name sc__sort' style={{ width: `${NAME_COL}em` }} onClick={() => setSort(nextSort(sort, 'name'))}>
                  学校{arrow('name')}
                </Text>
                {columns.map((c) => (
                  <Text key={c.id} className='sc__cell sc__sort' style={{ width: `${VALUE_COL}em` }} onClick={() => setSort(nextSort(sort, c.id))}>
                    {c.name}
                    {arrow(c.id)}
                  </Text>
                ))}
              </View>
              {rows.map((r) => {
                const { met, counted } = metCount(r, columns.map((c) => c.id))
                return (
                  <View
                    key={r.schoolId}
                    className='sc__row sc__school'
                    hoverClass='sc__row--pressed'
                    onClick={() => void Taro.navigateTo({ url: `${PAGES.statsSchool}?schoolId=${encodeURIComponent(r.schoolId)}` })}
                  >
                    <View className='sc__cell sc__cell--name' style={{ width: `${NAME_COL}em` }}>
                      <Text className='sc__name'>{r.name}</Text>
                      <Text className='sc__sub'>
                        <Text className='sc__nowrap'>{r.district}</Text>
                        <Text className='sc__nowrap'>{` · ${r.type}`}</Text>
                        {counted ? <Text className='sc__nowrap'>{` · 达标 ${met}/${counted}`}</Text> : null}
                      </Text>
                    </View>
                    {columns.map((c) => {
                      const v = r.values[c.id]
                      const b = badgeOf(v, c)
                      return (
                        <View key={c.id} className='sc__cell' style={{ width: `${VALUE_COL}em` }}>
                          <Text className={`sc__value sc__value--${b.tone}`}>{formatTargetValue(c, v?.value)}</Text>
                          <Text className={`sc__mark sc__mark--${b.tone}`}>{b.text}</Text>
                        </View>
                      )
                    })}
                  </View>
                )
              })}
            </View>
          </ScrollView>
        )}
      </Section>

      <Section title='统计记录'>
        <View className='sc__run-actions'>
          <Button type='primary' size='large' disabled={busy !== null} loading={busy === 'recompute'} onClick={() => setPending({ kind: 'current' })}>
            刷新本月
          </Button>
          <Button size='large' disabled={busy !== null} onClick={() => setPending({ kind: 'month', month: lastMonth })}>
            重新统计上月
          </Button>
        </View>
        {runs.length === 0 ? <Text className='sc__none'>还没有统计记录</Text> : null}
        {runs.slice(0, RUNS_SHOWN).map((r) => (
          <RunRow key={r.runId} run={r} schoolName={r.schoolId ? schoolNames.get(r.schoolId) : undefined} />
        ))}
      </Section>

      <Dialog
        visible={pending !== null}
        title={pending?.kind === 'month' ? `重新统计${monthLabel(pending.month)}` : '刷新本月统计'}
        content={
          pending?.kind === 'month'
            ? `将按现有记录重新计算全县各校${monthLabel(pending.month)}的统计，覆盖该月原有的统计结果，需要一些时间。确定吗？`
            : '将重新计算全县各校本月到目前为止的统计，需要一些时间。确定吗？'
        }
        confirmText='开始统计'
        cancelText='取消'
        onCancel={() => setPending(null)}
        onConfirm={() => {
          const p = pending
          setPending(null)
          if (p) void recompute(p)
        }}
      />
    </PageShell>
  )
}

function RunRow({ run, schoolName }: { run: RunView; schoolName?: string }) {
  const status = runStatusText(run)
  return (
    <View className='sc__run'>
      <View className='sc__run-head'>
        <Text className='sc__run-month'>{monthLabel(run.month)}</Text>
        <Text className={`st-badge st-badge--${status.tone}`}>{status.text}</Text>
      </View>
      <Text className='gy-muted'>
        {run.scope === 'county' ? '全县' : schoolName ?? '单个学校'} · {run.trigger === 'timer' ? '定时统计' : '手动统计'} · {timeRange(run.startedAt, run.finishedAt)}
      </Text>
      {run.error ? <Text className='sc__run-error'>{run.error}</Text> : null}
    </View>
  )
}
