/**
 * The option of a target's 12-month trend chart (pure, unit-tested; only echarts' types are imported here, the
 * library itself is loaded by TrendChart.tsx in this subpackage): months on the x axis, the value as a line (gaps
 * where a month has no snapshot), the threshold as a dashed mark line; shares on a 0–100% axis.
 */
import type { LineSeriesOption } from 'echarts/charts'
import type { GridComponentOption, MarkLineComponentOption, TooltipComponentOption } from 'echarts/components'
import type { ComposeOption } from 'echarts/core'
import type { TrendPoint } from '@/shared/contract-stats'
import type { TargetDef } from '@/shared/targets'
import { monthLabel } from './format'

export type TrendOption = ComposeOption<LineSeriesOption | GridComponentOption | MarkLineComponentOption | TooltipComponentOption>

const GREEN = '#1f7a5c'
const RED = '#d0574b'
const GREY = '#5b6a63'

/** A value in the chart's unit: shares as percent points (0–100), others as they are; one decimal. */
export function chartValue(def: Pick<TargetDef, 'unit'>, value: number | null | undefined): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null
  const v = def.unit === 'percent' ? value * 100 : value
  return Math.round(v * 10) / 10
}

/** The top of a count axis: the largest value or the threshold, rounded up to a readable step. */
export function niceMax(values: readonly number[]): number {
  const top = Math.max(1, ...values.filter((v) => Number.isFinite(v)))
  const magnitude = Math.pow(10, Math.floor(Math.log10(top)))
  for (const step of [1, 2, 2.5, 5, 10]) {
    const m = step * magnitude
    if (m >= top) return m
  }
  return 10 * magnitude
}

function unitSuffix(def: Pick<TargetDef, 'unit'>): string {
  return def.unit === 'percent' ? '%' : def.unit === 'perGuardian' ? ' 次' : ''
}

export function trendOption(
  def: Pick<TargetDef, 'unit' | 'threshold'>,
  trend: readonly TrendPoint[],
  opts: { large?: boolean } = {}
): TrendOption {
  const fontSize = opts.large ? 14 : 10
  const values = trend.map((p) => chartValue(def, p.value))
  const threshold = chartValue(def, def.threshold.min) as number
  const suffix = unitSuffix(def)
  const percent = def.unit === 'percent'
  return {
    animation: false,
    grid: { left: 8, right: 16, top: 20, bottom: 4, containLabel: true },
    tooltip: {
      trigger: 'axis',
      confine: true,
      textStyle: { fontSize: fontSize + 2 },
      valueFormatter: (v) => (typeof v === 'number' ? `${v}${suffix}` : '无数据')
    },
    xAxis: {
      type: 'category',
      boundaryGap: false,
      // full names ("2025年3月") for the tooltip's title, short ones ("3月") under the axis
      data: trend.map((p) => monthLabel(p.month)),
      axisLabel: { fontSize, color: GREY, hideOverlap: true, formatter: (v: string) => v.replace(/^\d{4}年/, '') },
      axisTick: { show: false },
      axisLine: { lineStyle: { color: '#cfd8d3' } }
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: percent ? 100 : niceMax([...values.filter((v): v is number => v !== null), threshold]),
      interval: percent ? 25 : undefined,
      axisLabel: { fontSize, color: GREY, formatter: percent ? '{value}%' : '{value}' },
      splitLine: { lineStyle: { color: '#eef1ef' } }
    },
    series: [
      {
        type: 'line',
        name: '数值',
        data: values,
        connectNulls: false,
        showSymbol: true,
        symbolSize: opts.large ? 7 : 5,
        lineStyle: { width: 2, color: GREEN },
        itemStyle: { color: GREEN },
        markLine: {
          silent: true,
          symbol: 'none',
          lineStyle: { type: 'dashed', color: RED, width: 1 },
          label: { position: 'insideStartTop', formatter: `目标 ${def.threshold.label}`, fontSize, color: RED },
          data: [{ yAxis: threshold, name: '目标' }]
        }
      }
    ]
  }
}
