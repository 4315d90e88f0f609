import { Text, View } from '@tarojs/components'
import type { NoticeSection } from '@/shared/consent'
import './NoticeSections.scss'

/** A titled notice (consent rules, privacy policy) as readable cards. */
export function NoticeSections({ title, subtitle, sections }: { title: string; subtitle: string; sections: NoticeSection[] }) {
  return (
    <View className='notice'>
      <View className='notice__head'>
        <Text className='notice__title'>{title}</Text>
        <Text className='notice__sub'>{subtitle}</Text>
      </View>
      {sections.map((s) => (
        <View key={s.title} className='notice__section'>
          <Text className='notice__section-title'>{s.title}</Text>
          {s.paragraphs.map((p) => (
            <Text key={p} className='notice__para'>
              {p}
            </Text>
          ))}
        </View>
      ))}
    </View>
  )
}
