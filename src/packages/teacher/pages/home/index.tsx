import { View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { PAGES } from '@/store/route'
import { RoleHome } from '@/components/RoleHome'
import { Stat } from '@/components/ui'

export default function TeacherHome() {
  return (
    <RoleHome
      role='teacher'
      render={({ scopes }) => {
        const headOf = new Set(scopes.flatMap((s) => s.headTeacherOf ?? []))
        return {
          summary: (
            <View className='gy-stats'>
              <Stat label='任教班级' value={new Set(scopes.flatMap((s) => s.classIds ?? [])).size} unit='个' />
            </View>
          ),
          tiles: [
            { icon: '访', tone: 'green', title: '我的家访任务', note: '家访学生 · 记录联系', onClick: () => void Taro.navigateTo({ url: PAGES.teacherWork }) },
            { icon: '册', tone: 'purple', title: '特殊学生名册', note: '留守儿童 · 随访到期', onClick: () => void Taro.navigateTo({ url: PAGES.teacherRegistry }) },
            ...(headOf.size > 0
              ? [{ icon: '率', tone: 'orange' as const, title: '本班覆盖率', note: '联系 · 入户 · 随访', onClick: () => void Taro.navigateTo({ url: PAGES.statsCoverage }) }]
              : []),
            { icon: '绑', tone: 'blue', title: '家长绑定', note: '审核申请 · 未绑定学生', onClick: () => void Taro.navigateTo({ url: PAGES.teacherBindings }) }
          ]
        }
      }}
    />
  )
}
