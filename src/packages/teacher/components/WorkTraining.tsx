/** The semester's 家访培训 material (a document or a link), as the visiting teacher sees it. */
import { Text, View } from '@tarojs/components'
import { Button } from '@nutui/nutui-react-taro'
import type { TrainingView } from '@/shared/contract-visits'
export { openTraining } from '@/api/training'
import './WorkTraining.scss'

export function WorkTraining({ training, onOpen }: { training: TrainingView; onOpen: () => void }) {
  return (
    <View className='wt'>
      <View className='wt__text'>
        <Text className='wt__title'>{training.title}</Text>
        <Text className='gy-muted'>{training.tempFileURL ? `文档：${training.fileName || '培训材料'}` : `链接：${training.link}`}</Text>
      </View>
      <Button size='small' type='primary' onClick={onOpen}>
        {training.tempFileURL ? '打开文档' : process.env.TARO_ENV === 'h5' ? '打开链接' : '复制链接'}
      </Button>
    </View>
  )
}
