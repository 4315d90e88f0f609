import { RoleHome } from '@/components/RoleHome'

export default function SchoolHome() {
  return (
    <RoleHome
      role='schoolAdmin'
      render={() => ({
        tiles: [
          { icon: '📥', title: '花名册导入', soon: true },
          { icon: '👩‍🏫', title: '教职工管理', soon: true },
          { icon: '📊', title: '目标与统计', soon: true },
          { icon: '📤', title: '数据导出', soon: true },
          { icon: '🏅', title: '示范校申报', soon: true }
        ]
      })}
    />
  )
}
