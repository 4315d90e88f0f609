import { View } from '@tarojs/components'
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
            <Stat label='本学年学习' value='0 / 4' unit='次' />
          </View>
        ),
        tiles: [
          { icon: '👧', title: '我的孩子', soon: true },
          { icon: '📚', title: '数字家长学校', soon: true },
          { icon: '🎤', title: '家长课堂', soon: true },
          { icon: '💬', title: '预约家庭教育咨询', soon: true },
          { icon: '🤝', title: '志愿活动', soon: true },
          { icon: '📮', title: '意见建议', soon: true }
        ]
      })}
    />
  )
}
