/** Small presentational pieces shared by pages. Sizes are in em so large-text mode scales them. */
import { Text, View } from '@tarojs/components'
import type { PropsWithChildren, ReactNode } from 'react'
import './ui.scss'

export function Section({ title, extra, children }: PropsWithChildren<{ title?: string; extra?: ReactNode }>) {
  return (
    <View className='gy-section'>
      {title ? (
        <View className='gy-section__head'>
          <Text className='gy-section__title'>{title}</Text>
          {extra}
        </View>
      ) : null}
      <View className='gy-section__body'>{children}</View>
    </View>
  )
}

export function Hero({ title, subtitle, badge }: { title: string; subtitle?: string; badge?: string }) {
  return (
    <View className='gy-hero'>
      {badge ? <Text className='gy-hero__badge'>{badge}</Text> : null}
      <Text className='gy-hero__title'>{title}</Text>
      {subtitle ? <Text className='gy-hero__subtitle'>{subtitle}</Text> : null}
    </View>
  )
}

export interface TileProps {
  icon: string
  title: string
  note?: string
  soon?: boolean
  onClick?: () => void
}

export function Tiles({ items }: { items: TileProps[] }) {
  return (
    <View className='gy-tiles'>
      {items.map((t) => (
        <View
          key={t.title}
          className={`gy-tile${t.soon ? ' gy-tile--soon' : ''}`}
          onClick={t.soon ? undefined : t.onClick}
          hoverClass={t.soon ? 'none' : 'gy-tile--pressed'}
        >
          <Text className='gy-tile__icon'>{t.icon}</Text>
          <Text className='gy-tile__title'>{t.title}</Text>
          {t.soon ? <Text className='gy-tile__soon'>即将开放</Text> : t.note ? <Text className='gy-tile__note'>{t.note}</Text> : null}
        </View>
      ))}
    </View>
  )
}

export function Notice({ tone = 'info', children }: PropsWithChildren<{ tone?: 'info' | 'warn' }>) {
  return <View className={`gy-notice gy-notice--${tone}`}>{children}</View>
}

export function EmptyState({ icon = '📭', title, description }: { icon?: string; title: string; description?: string }) {
  return (
    <View className='gy-empty'>
      <Text className='gy-empty__icon'>{icon}</Text>
      <Text className='gy-empty__title'>{title}</Text>
      {description ? <Text className='gy-empty__desc'>{description}</Text> : null}
    </View>
  )
}

export function Stat({ label, value, unit }: { label: string; value: string | number; unit?: string }) {
  return (
    <View className='gy-stat'>
      <Text className='gy-stat__value'>
        {value}
        {unit ? <Text className='gy-stat__unit'>{unit}</Text> : null}
      </Text>
      <Text className='gy-stat__label'>{label}</Text>
    </View>
  )
}

export function Loading({ text = '正在加载…' }: { text?: string }) {
  return (
    <View className='gy-loading'>
      <View className='gy-loading__spinner' />
      <Text className='gy-loading__text'>{text}</Text>
    </View>
  )
}
