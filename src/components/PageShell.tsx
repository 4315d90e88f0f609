import { View } from '@tarojs/components'
import type { PropsWithChildren } from 'react'
import { useSession } from '@/store/session'
import './PageShell.scss'

/**
 * Every page renders inside PageShell: it applies large-text mode (bigger type, bigger tap targets) so that
 * no page can forget it.
 */
export function PageShell({ children, className }: PropsWithChildren<{ className?: string }>) {
  const { largeText } = useSession()
  return (
    <View className={`gy-page${largeText ? ' gy-page--large' : ''}${className ? ` ${className}` : ''}`}>
      {children}
    </View>
  )
}
