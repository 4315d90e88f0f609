import type { TrendPoint } from '@/shared/contract-stats'
import { targetById } from '@/shared/targets'
import { chartValue, niceMax, trendOption } from './chart'

const T1 = targetById('T1')!
const T17 = targetById('T17')!
const months = (values: Array<number | null>): TrendPoint[] =>
  values.map((value, i) => ({ month: `2025-${String(i + 1).padStart(2, '0')}`, value }))

type Series = { type: string; data: Array<number | null>; connectNulls: boolean; markLine: { lineStyle: { type: string }; data: Array<{ yAxis: number }>; label: { formatter: string } } }
type Axis = { type: string; min: number; max: number; data: string[]; axisLabel: { formatter: string | ((v: string) => string) } }

describe('trend chart option', () => {
  test('a share: percent points on a 0–100% axis, the threshold as a dashed mark line, gaps where a month has no snapshot', () => {
    const option = trendOption(T1, months([0.5, null, 0.612, 0.6666]))
    const series = (option.series as Series[])[0]
    expect(series.type).toBe('line')
    expect(series.data).toEqual([50, null, 61.2, 66.7])
    expect(series.connectNulls).toBe(false)
    expect(series.markLine.lineStyle.type).toBe('dashed')
    expect(series.markLine.data).toEqual([{ yAxis: 60, name: '目标' }])
    expect(series.markLine.label.formatter).toContain('60%')
    const y = option.yAxis as Axis
    expect([y.min, y.max]).toEqual([0, 100])
    expect(y.axisLabel.formatter).toBe('{value}%')
  })

  test('months on the x axis: full names for the tooltip, short ones under the axis', () => {
    const option = trendOption(T1, months([0.5, 0.6]))
    const x = option.xAxis as Axis
    expect(x.type).toBe('category')
    expect(x.data).toEqual(['2025年1月', '2025年2月'])
    expect((x.axisLabel.formatter as (v: string) => string)('2025年2月')).toBe('2月')
  })

  test('a count: the axis reaches the threshold so its line is visible', () => {
    const option = trendOption(T17, months([3, 5, 8]))
    expect((option.series as Series[])[0].data).toEqual([3, 5, 8])
    expect((option.yAxis as Axis).max).toBeGreaterThanOrEqual(100)
    expect((option.series as Series[])[0].markLine.data[0].yAxis).toBe(100)
  })

  test('values and axis tops', () => {
    expect(chartValue(T1, null)).toBeNull()
    expect(chartValue(T1, 0.1234)).toBe(12.3)
    expect(chartValue(T17, 7)).toBe(7)
    expect(niceMax([3, 7])).toBe(10)
    expect(niceMax([101])).toBe(200)
    expect(niceMax([240])).toBe(250)
    expect(niceMax([])).toBe(1)
  })
})
