/** A 家访 page the person may not see (or cannot use): what and why, and the way back. */
import { View } from '@tarojs/components'
import { Button } from '@nutui/nutui-react-taro'
import { PageShell } from '@/components/PageShell'
import { EmptyState } from '@/components/ui'
import { leave } from './VisitNav'
import './VisitDenied.scss'

export function VisitDenied({ page, title, description }: { page: string; title: string; description: string }) {
  return (
    <PageShell className={page}>
      <View className='visit-denied'>
        <EmptyState icon='限' title={title} description={description} />
        <Button type='primary' size='large' block onClick={() => leave()}>
          返回
        </Button>
      </View>
    </PageShell>
  )
}
