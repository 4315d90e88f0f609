import { Text, View } from '@tarojs/components'
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { visitsApi } from '@/api/visits'
import { PageShell } from '@/components/PageShell'
import { EmptyState, Hero, Loading, Notice, Section } from '@/components/ui'
import { dayKey, formatDateTime } from '@/shared/calendar'
import type { CoverageRow } from '@/shared/contract-visits'
import { formatTargetValue, targetById, type TargetDef } from '@/shared/targets'
import { PAGES } from '@/store/route'
import { useAsync } from '@/store/useAsync'
import { CoverageChart } from '../../components/CoverageChart'
import { COVERAGE_SERIES, hasGapList } from '../../components/coverage'
import { badgeOf, partsText } from '../../components/format'
import { goBack } from '../../components/parts'
import './index.scss'

type Values = Pick<CoverageRow, 'T6' | 'T7' | 'T8'>
const DEFS = COVERAGE_SERIES.map((s) => targetById(s.id) as TargetDef)

/** "数据截至 14:05" today, else with the day. */
function asOfText(at: number): string {
  const full = formatDateTime(at)
  return `数据截至 ${dayKey(at) === dayKey(Date.now()) ? full.slice(11) : full}`
}

/**
 * 家访覆盖率 (live): T6 家校联系, T7 入户家访 (against the pace of the three-year cycle) and T8 特殊学生随访 for the
 * head teacher's classes, or every class of the school for its admin (?classId= for one class), as numbers and a chart.
 */
export default function StatsCoveragePage() {
  const { params } = useRouter()
  const classId = params.classId || undefined
  const { data, error, loading, reload } = useAsync(() => visitsApi.classCoverage(classId), [classId])
  usePullDownRefresh(() => void reload().finally(() => Taro.stopPullDownRefresh()))

  if (loading && !data) return <PageShell><Loading /></PageShell>
  if (!data) {
    const denied = error?.code === 'PERMISSION_DENIED' || error?.code === 'NOT_REGISTERED'
    return (
      <PageShell className='sv'>
        <Notice tone='warn'>{denied ? '您的账号不能查看这一页：家访覆盖率只对本班班主任和学校管理员开放。' : error?.message ?? '无法加载家访覆盖率'}</Notice>
        {denied ? (
          <Button size='large' block onClick={goBack}>
            返回
          </Button>
        ) : (
          <Button type='primary' size='large' block onClick={() => void reload()}>
            重试
          </Button>
        )}
      </PageShell>
    )
  }

  const T7 = DEFS[1]
  const pace = Number.isFinite(data.homeVisitPace) ? data.homeVisitPace : null
  const openGap = (c: CoverageRow, def: TargetDef) =>
    void Taro.navigateTo({ url: `${PAGES.statsGap}?classId=${encodeURIComponent(c.classId)}&targetId=${def.id}` })

  return (
    <PageShell className='sv'>
      <Hero badge='全员家访' title='家访覆盖率' subtitle={`实时数据 · ${asOfText(data.asOf)}`} />
      {error ? <Notice tone='warn'>{error.message}</Notice> : null}
      {pace !== null ? (
        <Notice>
          按三年周期进度，目前应达 {formatTargetValue(T7, pace)}（入户家访：原则上三年内对每位学生入户家访 1 次）。
        </Notice>
      ) : null}

      {data.school ? (
        <Section title='全校'>
          <Values values={data.school} />
        </Section>
      ) : null}

      {data.classes.length === 0 ? (
        <EmptyState icon='率' title='没有可查看的班级' description='家访覆盖率按班显示给班主任（本班）和学校管理员（全校各班）。' />
      ) : (
        <>
          <Section title='各班对比'>
            <View className='sv__chart'>
              <CoverageChart rows={data.classes} pace={pace} />
            </View>
          </Section>
          <Section title={`各班情况（${data.classes.length}）`}>
            <Text className='sv__note'>点「家校联系」或「入户家访」查看尚未联系、尚未入户家访的学生。</Text>
            {data.classes.map((c) => (
              <View key={c.classId} className='sv__class'>
                <Text className='sv__class-name'>{c.className}</Text>
                <Values values={c} onOpen={(def) => openGap(c, def)} />
              </View>
            ))}
          </Section>
        </>
      )}
      <Text className='st-meta sv__meta'>
        T6 统计本学期，T7 统计近三年内（至今天往前三年）的入户家访，T8 统计在册特殊学生是否在随访间隔内得到跟进。
      </Text>
    </PageShell>
  )
}

/** The three values of a class (or the school): name, value, parts, badge; T6/T7 open the students behind the gap. */
function Values({ values, onOpen }: { values: Values; onOpen?: (def: TargetDef) => void }) {
  return (
    <View className='sv__values'>
      {DEFS.map((def) => {
        const v = values[def.id as 'T6' | 'T7' | 'T8']
        const b = badgeOf(v, def)
        const parts = partsText(def, v)
        const link = onOpen && hasGapList(def.id) && def.id !== 'T8'
        return (
          <View
            key={def.id}
            className={`sv__value sv__value--${def.id}${link ? ' sv__value--link' : ''}`}
            hoverClass={link ? 'sv__value--pressed' : 'none'}
            onClick={link ? () => onOpen(def) : undefined}
          >
            <View className='sv__value-head'>
              <Text className='sv__value-name'>
                {def.id} {def.name}
              </Text>
              <Text className={`st-badge st-badge--${b.tone}`}>{b.text}</Text>
            </View>
            <View className='sv__value-main'>
              <Text className={`sv__number sv__number--${b.tone}`}>{formatTargetValue(def, v?.value)}</Text>
              <Text className='sv__parts'>{def.id === 'T8' && v?.denominator === 0 ? '没有登记的特殊学生' : parts ?? ''}</Text>
              {link ? <Text className='sv__arrow'>名单 ›</Text> : null}
            </View>
          </View>
        )
      })}
    </View>
  )
}
