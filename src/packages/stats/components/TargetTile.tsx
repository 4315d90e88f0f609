import { Text, View } from '@tarojs/components'
import type { TrendPoint } from '@/shared/contract-stats'
import { formatTargetValue, PERIOD_LABELS, type TargetDef, type TargetValue } from '@/shared/targets'
import { badgeOf, paceText, partsText } from './format'
import { TrendChart } from './TrendChart'
import './stats.scss'

export function Badge({ value, def }: { value: TargetValue | undefined | null; def?: Pick<TargetDef, 'metByPace'> }) {
  const b = badgeOf(value, def)
  return <Text className={`st-badge st-badge--${b.tone}`}>{b.text}</Text>
}

interface TargetTileProps {
  def: TargetDef
  value: TargetValue | undefined | null
  trend?: readonly TrendPoint[]
  pace?: number | null
  /** opens the drill-down */
  onClick?: () => void
  moreText?: string
}

/** One target: name, value, threshold, 达标 badge, the parts of the share, the trend, and the policy source. */
export function TargetTile({ def, value, trend, pace, onClick, moreText = '查看各班 ›' }: TargetTileProps) {
  const parts = partsText(def, value)
  const paceLine = paceText(def, pace)
  const tone = badgeOf(value).tone
  return (
    <View className={`st-tile${onClick ? ' st-tile--link' : ''}`} onClick={onClick} hoverClass={onClick ? 'st-tile--pressed' : 'none'}>
      <View className='st-tile__head'>
        <Text className='st-tile__name'>{def.name}</Text>
        <Badge value={value} def={def} />
      </View>
      <View className='st-tile__main'>
        <Text className={`st-tile__value st-tile__value--${tone}`}>{formatTargetValue(def, value?.value)}</Text>
        <Text className='st-tile__threshold'>目标 {def.threshold.label}</Text>
      </View>
      {parts ? <Text className='st-tile__parts'>{parts}</Text> : null}
      {paceLine ? <Text className='st-tile__pace'>{paceLine}</Text> : null}
      {trend ? <TrendChart def={def} trend={trend} /> : null}
      <Text className='st-tile__source'>
        {def.id} · {PERIOD_LABELS[def.period]} · 依据 {def.source}
      </Text>
      {onClick ? <Text className='st-tile__more'>{moreText}</Text> : null}
    </View>
  )
}
