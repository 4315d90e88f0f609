/** Open counselling slots a guardian may choose (booking and rescheduling): time, mode, place, counsellor. */
import { Text, View } from '@tarojs/components'
import { Button } from '@nutui/nutui-react-taro'
import type { OpenSlotView } from '@/shared/contract-counselling'
import { SCOPE_LABELS, slotWhen } from './CounselFormat'
import './CounselSlotList.scss'

const MODE_GLYPHS = { 面谈: '面', 电话: '话', 视频: '视' } as const
const MODE_KEYS = { 面谈: 'face', 电话: 'phone', 视频: 'video' } as const

interface Props {
  slots: OpenSlotView[]
  /** the slot being held or moved to right now (shown busy) */
  busyId?: string | null
  hasMore: boolean
  loadingMore: boolean
  onPick: (slot: OpenSlotView) => void
  onMore: () => void
  /** what the tap does, said on each slot */
  action: string
}

export function CounselSlotList({ slots, busyId, hasMore, loadingMore, onPick, onMore, action }: Props) {
  return (
    <View className='cs-list'>
      {slots.map((s) => (
        <View
          key={s.slotId}
          className={`cs-slot cs-slot--${s.slotId}${busyId === s.slotId ? ' cs-slot--busy' : ''}`}
          hoverClass='cs-slot--pressed'
          onClick={() => (busyId ? undefined : onPick(s))}
        >
          <Text className={`cs-slot__mode cs-slot__mode--${MODE_KEYS[s.mode]}`}>{MODE_GLYPHS[s.mode]}</Text>
          <View className='cs-slot__main'>
            <Text className='cs-slot__when'>{slotWhen(s.start, s.minutes)}</Text>
            <View className='cs-slot__line'>
              <Text className='cs-slot__kind'>{s.mode}</Text>
              {s.place ? <Text className='cs-slot__place'>{s.place}</Text> : null}
            </View>
            <View className='cs-slot__line'>
              <Text className='cs-slot__who'>{s.counsellorName} 老师</Text>
              <Text className={`cs-slot__scope cs-slot__scope--${s.scope}`}>{SCOPE_LABELS[s.scope]}</Text>
              {s.heldUntil ? <Text className='cs-slot__held'>已为您保留</Text> : null}
            </View>
          </View>
          <Text className='cs-slot__go'>{busyId === s.slotId ? '请稍候…' : `${action} ›`}</Text>
        </View>
      ))}
      {hasMore ? (
        <View className='cs-list__more'>
          <Button size='large' block loading={loadingMore} disabled={loadingMore} onClick={onMore}>
            加载更多
          </Button>
        </View>
      ) : null}
    </View>
  )
}
