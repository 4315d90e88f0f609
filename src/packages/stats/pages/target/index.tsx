import { Text, View } from '@tarojs/components'
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { statsApi } from '@/api/stats'
import { PageShell } from '@/components/PageShell'
import { EmptyState, Loading, Notice, Section } from '@/components/ui'
import { formatDateTime } from '@/shared/calendar'
import { formatTargetValue, PERIOD_LABELS, targetById } from '@/shared/targets'
import { PAGES } from '@/store/route'
import { useAsync } from '@/store/useAsync'
import { monthLabel, partsText } from '../../components/format'
import { LoadFailed } from '../../components/parts'
import { sortClasses } from '../../components/table'
import { Badge, TargetTile } from '../../components/TargetTile'
import './index.scss'

/** One target of a school: what it measures, the school's value and trend, and every class's value. */
export default function StatsTargetPage() {
  const { params } = useRouter()
  const schoolId = params.schoolId || undefined
  const def = targetById(params.targetId ?? '')
  const { data, error, loading, reload } = useAsync(() => statsApi.schoolDashboard(schoolId), [schoolId])
  usePullDownRefresh(() => void reload().finally(() => Taro.stopPullDownRefresh()))

  if (!def) return <PageShell><EmptyState icon='标' title='找不到这个指标' description='请返回统计页重新选择。' /></PageShell>
  if (loading && !data) return <PageShell><Loading /></PageShell>
  if (!data) return <LoadFailed error={error} onRetry={() => void reload()} />

  const tile = data.tiles.find((t) => t.targetId === def.id)
  const byClass = def.levels.includes('class')
  const classes = sortClasses(data.classes).filter((c) => c.values[def.id])
  const canOpen = data.canSeeStudents && Boolean(def.gap)
  const met = classes.filter((c) => c.values[def.id]?.met === true).length

  return (
    <PageShell className='stt'>
      {error ? <Notice tone='warn'>{error.message}</Notice> : null}
      <Section title={`${def.id} ${def.name}`}>
        <View className='stt__about'>
          <Text className='stt__line'>{def.definition}</Text>
          <Text className='stt__line'>目标：{def.threshold.label}（统计口径：{PERIOD_LABELS[def.period]}）</Text>
          <Text className='gy-muted'>政策依据：{def.source}</Text>
        </View>
      </Section>
      <Text className='st-meta'>
        {data.school.name}
        {data.snapshot ? ` · ${monthLabel(data.snapshot.month)} · 数据截至 ${formatDateTime(data.snapshot.computedAt)}` : ' · 还没有统计数据'}
      </Text>
      <TargetTile def={def} value={tile?.value} trend={tile?.trend} pace={tile?.pace} />
      {byClass ? (
        <Section title={`各班情况（${classes.length ? `达标 ${met} / ${classes.length} 个班` : '暂无'}）`}>
          {!data.canSeeStudents ? <Text className='stt__note'>这里只显示各班的汇总数字，不显示学生名单。</Text> : null}
          {canOpen && classes.length ? <Text className='stt__note'>点班级查看{def.gap?.label}名单。</Text> : null}
          {classes.length === 0 ? <Text className='stt__none'>还没有分班的统计数据</Text> : null}
          {classes.map((c) => {
            const v = c.values[def.id]
            const parts = partsText(def, v)
            return (
              <View
                key={c.classId}
                className={`stt__class${canOpen ? ' stt__class--link' : ''}`}
                hoverClass={canOpen ? 'stt__class--pressed' : 'none'}
                onClick={
                  canOpen
                    ? () => void Taro.navigateTo({ url: `${PAGES.statsGap}?classId=${encodeURIComponent(c.classId)}&targetId=${def.id}` })
                    : undefined
                }
              >
                <View className='stt__class-main'>
                  <Text className='stt__class-name'>{c.className}</Text>
                  {parts ? <Text className='gy-muted'>{parts}</Text> : null}
                </View>
                <View className='stt__class-value'>
                  <Text className={`stt__value${v?.met === false ? ' stt__value--unmet' : v?.met == null ? ' stt__value--none' : ''}`}>{formatTargetValue(def, v?.value)}</Text>
                  <Badge value={v} def={def} />
                </View>
                {canOpen ? <Text className='stt__arrow'>›</Text> : null}
              </View>
            )
          })}
        </Section>
      ) : (
        <Notice>该指标按{def.levels.includes('school') ? '全校' : '全县'}统计，没有分班数据。</Notice>
      )}
    </PageShell>
  )
}
