import { View } from '@tarojs/components'
import { RoleHome } from '@/components/RoleHome'
import { Stat } from '@/components/ui'

export default function TeacherHome() {
  return (
    <RoleHome
      role='teacher'
      render={({ scopes }) => ({
        summary: (
          <View className='gy-stats'>
            <Stat label='任教班级' value={new Set(scopes.flatMap((s) => s.classIds ?? [])).size} unit='个' />
          </View>
        ),
        tiles: [
          { icon: '🧒', title: '我的学生', soon: true },
          { icon: '🏠', title: '家访与联系记录', soon: true },
          { icon: '📋', title: '特殊学生名册', soon: true },
          { icon: '📈', title: '本班覆盖率', soon: true }
        ]
      })}
    />
  )
}
