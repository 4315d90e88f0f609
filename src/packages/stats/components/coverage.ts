/**
 * The option of the class coverage chart (pure, unit-tested; echarts itself is loaded by CoverageChart.tsx in this
 * subpackage): one group of three horizontal bars per class — T6 家校联系, T7 入户家访, T8 特殊学生随访 — on a
 * 0–100% axis, classes top to bottom in the order given, and the T7 pace of the three-year cycle as a dashed line.
 * Horizontal bars keep 30+ classes readable on a phone: the chart grows downwards with the classes.
 */
import type { BarSeriesOption } from 'echarts/charts'
import type { GridComponentOption, MarkLineComponentOption, TooltipComponentOption } from 'echarts/components'
import type { ComposeOption } from 'echarts/core'
import type { CoverageRow } from '@/shared/contract-visits'
import { targetById, type TargetId } from '@/shared/targets'
import { chartValue } from './chart'

export type CoverageOption = ComposeOption<BarSeriesOption | GridComponentOption | MarkLineComponentOption | TooltipComponentOption>

/** The three bars of a class, in order, with their colours (the page's legend uses the same). */
export const COVERAGE_SERIES: ReadonlyArray<{ id: Extract<TargetId, 'T6' | 'T7' | 'T8'>; label: string; color: string }> = [
  { id: 'T6', label: '家校联系', color: '#1f7a5c' },
  { id: 'T7', label: '入户家访', color: '#3b7dd8' },
  { id: 'T8', label: '特殊学生随访', color: '#e08a2c' }
]

const PACE_COLOR = '#b3261e'
const GREY = '#5b6a63'

/** The chart's height in px: a band per class (taller in large-text mode) plus the axis. */
export function coverageChartHeight(classes: number, large = false): number {
  return 44 + Math.max(1, classes) * (large ? 84 : 60)
}

/** A class name short enough for the axis: "一年级（1）班" stays, a long one is cut with "…". */
export function axisName(name: string, max = 8): string {
  const chars = Array.from(name)
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : name
}

export function coverageOption(
  rows: ReadonlyArray<Pick<CoverageRow, 'className' | 'T6' | 'T7' | 'T8'>>,
  pace: number | null,
  opts: { large?: boolean } = {}
): CoverageOption {
  const fontSize = opts.large ? 14 : 10
  const pacePoint = pace === null || !Number.isFinite(pace) ? null : chartValue({ unit: 'percent' }, pace)
  return {
    animation: false,
    grid: { left: 8, right: 24, top: 24, bottom: 4, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      confine: true,
      textStyle: { fontSize: fontSize + 2 },
      valueFormatter: (v) => (typeof v === 'number' ? `${v}%` : '无数据')
    },
    xAxis: {
      type: 'value',
      position: 'top',
      min: 0,
      max: 100,
      interval: 25,
      axisLabel: { fontSize, color: GREY, formatter: '{value}%' },
      splitLine: { lineStyle: { color: '#eef1ef' } }
    },
    yAxis: {
      type: 'category',
      inverse: true, // the first class at the top, as in the list below the chart
      data: rows.map((r) => r.className),
      axisLabel: { fontSize, color: GREY, formatter: (v: string) => axisName(v) },
      axisTick: { show: false },
      axisLine: { lineStyle: { color: '#cfd8d3' } }
    },
    series: COVERAGE_SERIES.map((s) => {
      const series: BarSeriesOption = {
        type: 'bar',
        name: `${s.id} ${s.label}`,
        data: rows.map((r) => chartValue({ unit: 'percent' }, r[s.id]?.value)),
        barMaxWidth: opts.large ? 18 : 14,
        barGap: '15%',
        itemStyle: { color: s.color, borderRadius: [0, 4, 4, 0] }
      }
      if (s.id === 'T7' && pacePoint !== null) {
        series.markLine = {
          silent: true,
          symbol: 'none',
          lineStyle: { type: 'dashed', color: PACE_COLOR, width: 1 },
          label: { position: 'end', formatter: `应达 ${pacePoint}%`, fontSize, color: PACE_COLOR },
          data: [{ xAxis: pacePoint, name: '三年周期进度' }]
        }
      }
      return series
    })
  }
}

/** The targets a class's coverage links to the students behind (those with a gap list). */
export function hasGapList(id: TargetId): boolean {
  return Boolean(targetById(id)?.gap)
}
