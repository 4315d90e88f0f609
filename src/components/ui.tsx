/** Small presentational pieces shared by pages. Sizes are in em so large-text mode scales them. */
import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { useEffect, type PropsWithChildren, type ReactNode } from 'react'
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

/** An icon badge: one Chinese character on a coloured square (renders everywhere, no icon font or emoji needed). */
export function Glyph({ text, tone = 'green', size = 'm' }: { text: string; tone?: GlyphTone; size?: 'm' | 'l' }) {
  return <Text className={`gy-glyph gy-glyph--${tone} gy-glyph--${size}`}>{text}</Text>
}

export type GlyphTone = 'green' | 'blue' | 'orange' | 'purple' | 'teal' | 'red' | 'grey'

export interface TileProps {
  /** one character shown as the tile's icon */
  icon: string
  tone?: GlyphTone
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
          onClick={t.soon ? () => void Taro.showToast({ title: `「${t.title}」即将开放`, icon: 'none' }) : t.onClick}
          hoverClass={t.soon ? 'none' : 'gy-tile--pressed'}
        >
          <Glyph text={t.icon} tone={t.soon ? 'grey' : t.tone} />
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

/**
 * The outcome of something the user just did: a notice at the top of the page, and a toast in the middle of the
 * screen, because on a long page the user is usually far below the top when they tap.
 */
export function Flash({ message }: { message: { tone: 'info' | 'warn'; text: string } | null }) {
  useEffect(() => {
    if (message) void Taro.showToast({ title: message.text, icon: 'none', duration: 2500 }).catch(() => undefined)
  }, [message])
  return message ? <Notice tone={message.tone}>{message.text}</Notice> : null
}

export function EmptyState({ icon = '空', title, description }: { icon?: string; title: string; description?: string }) {
  return (
    <View className='gy-empty'>
      <Glyph text={icon} tone='teal' size='l' />
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
