import { Text, View } from '@tarojs/components'
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import { openFile } from '@/api/files'
import { statsApi } from '@/api/stats'
import { PageShell } from '@/components/PageShell'
import { EmptyState, Flash, Hero, Loading, Notice } from '@/components/ui'
import { formatDateTime } from '@/shared/calendar'
import { PAGES } from '@/store/route'
import { useAsync } from '@/store/useAsync'
import { errorText, useOutcome } from '@/store/useOutcome'
import { coverageNote, knownTiles, monthLabel } from '../../components/format'
import { LoadFailed, RunNotice } from '../../components/parts'
import { TargetTile } from '../../components/TargetTile'

/** The principal's dashboard of their school (the bureau opens any school with ?schoolId=). */
export default function StatsSchoolPage() {
  const { params } = useRouter()
  const schoolId = params.schoolId || undefined
  const { data, error, loading, reload } = useAsync(() => statsApi.schoolDashboard(schoolId), [schoolId])
  const { message, setMessage } = useOutcome()
  const [busy, setBusy] = useState<'refresh' | 'export' | null>(null)
  usePullDownRefresh(() => void reload().finally(() => Taro.stopPullDownRefresh()))

  async function refresh() {
    setBusy('refresh')
    setMessage(null)
    try {
      const run = await statsApi.recompute({ scope: 'school' })
      await reload()
      if (run.status === 'failed') setMessage({ tone: 'warn', text: `统计失败${run.error ? `：${run.error}` : ''}，请稍后再试` })
      else if (run.status === 'running') setMessage({ tone: 'info', text: '已开始统计，稍后下拉刷新查看最新数字' })
      else setMessage({ tone: 'info', text: '已刷新为最新数据' })
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
      const file = await statsApi.exportStats({ scope: 'school', ...(schoolId ? { schoolId } : {}) })
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

  const { school, snapshot, run, canRefresh } = data
  const tiles = knownTiles(data.tiles)
  const query = schoolId ? `&schoolId=${encodeURIComponent(schoolId)}` : ''

  return (
    <PageShell className='ss'>
      <Hero
        badge='目标统计'
        title={school.name}
        subtitle={snapshot ? `${monthLabel(snapshot.month)} · 数据截至 ${formatDateTime(snapshot.computedAt)}` : `${school.district} · ${school.type}`}
      />
      {error ? <Notice tone='warn'>{error.message}</Notice> : null}
      <Flash message={message} />
      {snapshot?.partial ? <Notice>这是本月截至 {formatDateTime(snapshot.computedAt)} 的数据，月底前还会变化。</Notice> : null}
      <RunNotice run={run} canRefresh={canRefresh} />
      <View className='st-actions'>
        {canRefresh ? (
          <Button type='primary' size='large' disabled={busy !== null} loading={busy === 'refresh'} onClick={() => void refresh()}>
            立即刷新
          </Button>
        ) : null}
        <Button size='large' disabled={busy !== null || !snapshot} loading={busy === 'export'} onClick={() => void exportExcel()}>
          导出Excel
        </Button>
        <Button size='large' disabled={busy !== null} onClick={() => void Taro.navigateTo({ url: `${PAGES.statsReport}?scope=school${query}` })}>
          年度报告
        </Button>
      </View>
      {!snapshot ? (
        <EmptyState icon='统' title='还没有统计数据' description='每月 1 日凌晨自动统计，也可以点立即刷新' />
      ) : (
        tiles.map(({ def, tile }) => (
          <TargetTile
            key={def.id}
            def={def}
            value={tile.value}
            trend={tile.trend}
            pace={tile.pace}
            onClick={() => void Taro.navigateTo({ url: `${PAGES.statsTarget}?targetId=${def.id}${query}` })}
            moreText={def.levels.includes('class') ? '查看各班 ›' : '查看说明 ›'}
          />
        ))
      )}
      {snapshot ? <Text className='st-meta'>{coverageNote(tiles.length)}</Text> : null}
    </PageShell>
  )
}
