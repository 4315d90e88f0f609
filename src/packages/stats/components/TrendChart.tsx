/**
 * A target's 12-month trend as a line chart (echarts through taro-react-echarts). echarts is built from
 * `echarts/core` with only what this chart uses, and is imported only by this subpackage, so the main package
 * does not carry it.
 */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Component, useMemo, type PropsWithChildren, type ReactNode } from 'react'
import * as echarts from 'echarts/core'
import { LineChart } from 'echarts/charts'
import { GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'
import Echarts from 'taro-react-echarts'
import type { TrendPoint } from '@/shared/contract-stats'
import type { TargetDef } from '@/shared/targets'
import { useSession } from '@/store/session'
import { trendOption } from './chart'

echarts.use([LineChart, GridComponent, MarkLineComponent, TooltipComponent, CanvasRenderer])

/** A chart that cannot draw (no canvas, an old WeChat) must not take the page down with it. */
export class ChartBoundary extends Component<PropsWithChildren<{ fallback: ReactNode }>, { failed: boolean }> {
  state = { failed: false }
  static getDerivedStateFromError() {
    return { failed: true }
  }
  componentDidCatch(error: unknown) {
    console.warn('chart failed to draw', error)
  }
  render() {
    return this.state.failed ? this.props.fallback : this.props.children
  }
}

let drawable: boolean | null = null

/**
 * Whether this WeChat can draw the chart: taro-react-echarts finds its canvas with a selector query in a timer,
 * where a failure could not be caught. A runtime without working selector queries (an old base library, a test
 * simulator) gets the text fallback instead.
 */
export function canDraw(): boolean {
  if (process.env.TARO_ENV !== 'weapp') return true
  if (drawable === null) {
    try {
      const query = Taro.createSelectorQuery() as unknown as { select?: (selector: string) => { fields?: unknown } | undefined } | undefined
      const version = String(Taro.getSystemInfoSync()?.SDKVersion ?? '0').split('.').map(Number)
      const modern = (version[0] ?? 0) > 2 || ((version[0] ?? 0) === 2 && (version[1] ?? 0) >= 9)
      drawable = modern && typeof query?.select?.('#gy-chart-probe')?.fields === 'function'
    } catch {
      drawable = false
    }
  }
  return drawable
}

export function TrendChart({ def, trend }: { def: Pick<TargetDef, 'unit' | 'threshold'>; trend: readonly TrendPoint[] }) {
  const { largeText } = useSession()
  const option = useMemo(() => trendOption(def, trend, { large: largeText }), [def, trend, largeText])
  // Only a height: a width in the style becomes 100 px on H5; the canvas takes the container's width.
  const style = useMemo(() => ({ height: largeText ? '200px' : '150px' }), [largeText])
  const hasData = trend.some((p) => p.value !== null && p.value !== undefined)
  if (!hasData) return <Text className='st-chart__none'>近 12 个月暂无趋势数据</Text>
  if (!canDraw()) return <Text className='st-chart__none'>当前微信版本无法显示趋势图，请升级微信后查看</Text>
  return (
    <ChartBoundary fallback={<Text className='st-chart__none'>趋势图暂时无法显示</Text>}>
      <View className='st-chart'>
        {/* isPage={false}: the chart mounts after the page's onReady (once the data has loaded), so it draws on mount */}
        <Echarts echarts={echarts} option={option} style={style} isPage={false} />
      </View>
    </ChartBoundary>
  )
}
