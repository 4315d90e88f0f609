import type { CoverageRow } from '@/shared/contract-visits'
import type { TargetValue } from '@/shared/targets'
import { axisName, COVERAGE_SERIES, coverageChartHeight, coverageOption } from './coverage'

const share = (num: number, den: number, met: boolean | null = null): TargetValue => ({ value: den ? num / den : null, numerator: num, denominator: den, met })
const row = (className: string, t6: TargetValue, t7: TargetValue, t8: TargetValue): CoverageRow => ({ classId: className, className, T6: t6, T7: t7, T8: t8 })

type Bar = { type: string; name: string; data: Array<number | null>; itemStyle: { color: string }; markLine?: { lineStyle: { type: string }; data: Array<{ xAxis: number }>; label: { formatter: string } } }
type Axis = { type: string; min?: number; max?: number; inverse?: boolean; data?: string[]; axisLabel: { formatter: string | ((v: string) => string) } }

const rows = [
  row('一年级（1）班', share(40, 40), share(10, 40), share(2, 3)),
  row('一年级（2）班', share(30, 40), share(20, 40), share(0, 0))
]

describe('class coverage chart option', () => {
  test('one group of three bars per class: T6, T7, T8 as percent points, a class without special students has no T8 bar', () => {
    const option = coverageOption(rows, 0.4)
    const series = option.series as Bar[]
    expect(series.map((s) => s.type)).toEqual(['bar', 'bar', 'bar'])
    expect(series.map((s) => s.name)).toEqual(['T6 家校联系', 'T7 入户家访', 'T8 特殊学生随访'])
    expect(series[0].data).toEqual([100, 75])
    expect(series[1].data).toEqual([25, 50])
    expect(series[2].data).toEqual([66.7, null])
    expect(series.map((s) => s.itemStyle.color)).toEqual(COVERAGE_SERIES.map((s) => s.color))
  })

  test('classes top to bottom in the given order on the category axis; shares on a 0–100% value axis', () => {
    const option = coverageOption(rows, 0.4)
    const y = option.yAxis as Axis
    expect(y.type).toBe('category')
    expect(y.inverse).toBe(true)
    expect(y.data).toEqual(['一年级（1）班', '一年级（2）班'])
    const x = option.xAxis as Axis
    expect([x.type, x.min, x.max]).toEqual(['value', 0, 100])
    expect(x.axisLabel.formatter).toBe('{value}%')
  })

  test('the T7 pace is a dashed line on the T7 bars, labelled with the share expected by now', () => {
    const series = coverageOption(rows, 0.4567).series as Bar[]
    expect(series[1].markLine?.data).toEqual([{ xAxis: 45.7, name: '三年周期进度' }])
    expect(series[1].markLine?.lineStyle.type).toBe('dashed')
    expect(series[1].markLine?.label.formatter).toBe('应达 45.7%')
    expect(series[0].markLine).toBeUndefined()
    expect(series[2].markLine).toBeUndefined()
    expect((coverageOption(rows, null).series as Bar[])[1].markLine).toBeUndefined()
  })

  test('the chart grows with the classes (taller bands in large-text mode); long class names are cut on the axis', () => {
    expect(coverageChartHeight(1)).toBeLessThan(coverageChartHeight(2))
    expect(coverageChartHeight(30)).toBeGreaterThan(30 * 50)
    expect(coverageChartHeight(3, true)).toBeGreaterThan(coverageChartHeight(3))
    expect(coverageChartHeight(0)).toBe(coverageChartHeight(1))
    expect(axisName('一年级（1）班')).toBe('一年级（1）班')
    expect(axisName('二〇二六级实验班第十二班')).toBe('二〇二六级实验…')
    const y = coverageOption(rows, 0.4).yAxis as Axis
    expect((y.axisLabel.formatter as (v: string) => string)('二〇二六级实验班第十二班')).toBe('二〇二六级实验…')
  })
})
