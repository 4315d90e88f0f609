import { RoleHome } from '@/components/RoleHome'

export default function BureauHome() {
  return (
    <RoleHome
      role='bureauAdmin'
      render={() => ({
        tiles: [
          { icon: '🏫', title: '学校管理', soon: true },
          { icon: '📊', title: '全县统计', soon: true },
          { icon: '🏅', title: '示范校创建', soon: true },
          { icon: '📤', title: '报表导出', soon: true }
        ]
      })}
    />
  )
}
