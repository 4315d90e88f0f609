import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { PAGES } from '@/store/route'
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
          { icon: '绑', tone: 'blue', title: '家长绑定', note: '审核申请 · 未绑定学生', onClick: () => void Taro.navigateTo({ url: PAGES.teacherBindings }) },
          { icon: '生', title: '我的学生', soon: true },
          { icon: '访', title: '家访与联系记录', soon: true },
          { icon: '册', title: '特殊学生名册', soon: true },
          { icon: '率', title: '本班覆盖率', soon: true }
        ]
      })}
    />
  )
}
