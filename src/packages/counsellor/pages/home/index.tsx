import Taro from '@tarojs/taro'
import { RoleHome } from '@/components/RoleHome'
import { PAGES } from '@/store/route'

export default function CounsellorHome() {
  const slots = () => void Taro.navigateTo({ url: PAGES.counsellorSlots })
  return (
    <RoleHome
      role='counsellor'
      render={() => ({
        tiles: [
          { icon: '时', tone: 'green', title: '我的咨询时段', note: '发布时段 · 处理预约', onClick: slots },
          { icon: '案', tone: 'purple', title: '个案记录', note: '仅本人可见', onClick: slots }
        ]
      })}
    />
  )
}
