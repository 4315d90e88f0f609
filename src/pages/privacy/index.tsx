import { Text, View } from '@tarojs/components'
import { PageShell } from '@/components/PageShell'
import { CONSENT_VERSION, PRIVACY_NOTICE } from '@/shared/consent'
import '../consent/index.scss'

/** The readable privacy page: open to everyone, signed in or not. */
export default function PrivacyPage() {
  return (
    <PageShell className='consent'>
      <View className='consent__head'>
        <Text className='consent__title'>隐私政策与儿童个人信息保护规则</Text>
        <Text className='consent__sub'>版本 {CONSENT_VERSION} · 发布单位：县教育局、县妇女联合会</Text>
      </View>
      {PRIVACY_NOTICE.map((s) => (
        <View key={s.title} className='consent__section'>
          <Text className='consent__section-title'>{s.title}</Text>
          {s.paragraphs.map((p) => (
            <Text key={p} className='consent__para'>
              {p}
            </Text>
          ))}
        </View>
      ))}
    </PageShell>
  )
}
