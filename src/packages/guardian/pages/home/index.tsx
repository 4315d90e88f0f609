import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { PAGES } from '@/store/route'
import { RoleHome } from '@/components/RoleHome'
import { Stat } from '@/components/ui'

export default function GuardianHome() {
  return (
    <RoleHome
      role='guardian'
      render={({ scopes, limited }) => ({
        summary: limited ? undefined : (
          <View className='gy-stats'>
            <Stat label='已绑定的孩子' value={new Set(scopes.flatMap((s) => s.studentIds ?? [])).size} unit='名' />
          </View>
        ),
        tiles: [
          { icon: '孩', tone: 'green', title: '我的孩子', note: '绑定孩子 · 邀请家人', onClick: () => void Taro.navigateTo({ url: PAGES.guardianChildren }) },
          { icon: '学', title: '数字家长学校', soon: true },
          { icon: '课', title: '家长课堂', soon: true },
          { icon: '询', tone: 'teal', title: '预约咨询', note: '家庭教育指导师一对一', onClick: () => void Taro.navigateTo({ url: PAGES.guardianCounsel }) },
          { icon: '约', tone: 'blue', title: '我的预约', note: '取消 · 改约 · 评价', onClick: () => void Taro.navigateTo({ url: PAGES.guardianBookings }) },
          { icon: '志', title: '志愿活动', soon: true },
          { icon: '议', title: '意见建议', soon: true }
        ]
      })}
    />
  )
}
