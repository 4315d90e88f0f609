import { RoleHome } from '@/components/RoleHome'

export default function SchoolHome() {
  return (
    <RoleHome
      role='schoolAdmin'
      render={() => ({
        tiles: [
          { icon: '册', title: '花名册导入', soon: true },
          { icon: '师', title: '教职工管理', soon: true },
          { icon: '标', title: '目标与统计', soon: true },
          { icon: '出', title: '数据导出', soon: true },
          { icon: '示', title: '示范校申报', soon: true }
        ]
      })}
    />
  )
}
