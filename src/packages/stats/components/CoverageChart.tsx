/**
 * The class coverage chart (T6/T7/T8 per class, grouped horizontal bars, the T7 pace as a line) with echarts through
 * taro-react-echarts, on the same setup as TrendChart: echarts/core with only what is drawn, loaded by this
 * subpackage alone, a text fallback where WeChat cannot draw.
 */
import { Text, View } from '@tarojs/components'
import { useMemo } from 'react'
import * as echarts from 'echarts/core'
import { BarChart } from 'echarts/charts'
import { GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'
import Echarts from 'taro-react-echarts'
import type { CoverageRow } from '@/shared/contract-visits'
import { useSession } from '@/store/session'
import { COVERAGE_SERIES, coverageChartHeight, coverageOption } from './coverage'
import { ChartBoundary, canDraw } from './TrendChart'
import './stats.scss'

echarts.use([BarChart, GridComponent, MarkLineComponent, TooltipComponent, CanvasRenderer])

export function CoverageChart({ rows, pace }: { rows: readonly CoverageRow[]; pace: number | null }) {
  const { largeText } = useSession()
  const option = useMemo(() => coverageOption(rows, pace, { large: largeText }), [rows, pace, largeText])
  // Only a height: the canvas takes the container's width.
  const style = useMemo(() => ({ height: `${coverageChartHeight(rows.length, largeText)}px` }), [rows.length, largeText])
  const legend = (
    <View className='st-legend'>
      {COVERAGE_SERIES.map((s) => (
        <View key={s.id} className='st-legend__item'>
          <View className='st-legend__swatch' style={{ background: s.color }} />
          <Text>
            {s.id} {s.label}
          </Text>
        </View>
      ))}
      {pace !== null ? (
        <View className='st-legend__item'>
          <View className='st-legend__pace' />
          <Text>入户家访应达进度</Text>
        </View>
      ) : null}
    </View>
  )
  if (rows.length === 0) return null
  if (!canDraw()) return <Text className='st-chart__none'>当前微信版本无法显示图表，请升级微信后查看；各班数字见下方。</Text>
  return (
    <ChartBoundary fallback={<Text className='st-chart__none'>图表暂时无法显示，各班数字见下方。</Text>}>
      <View className='st-chart st-chart--coverage'>
        {legend}
        {/* isPage={false}: the chart mounts after the page's onReady (once the data has loaded), so it draws on mount */}
        <Echarts echarts={echarts} option={option} style={style} isPage={false} />
      </View>
    </ChartBoundary>
  )
}
