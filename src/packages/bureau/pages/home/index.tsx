import { RoleHome } from '@/components/RoleHome'

export default function BureauHome() {
  return (
    <RoleHome
      role='bureauAdmin'
      render={() => ({
        tiles: [
          { icon: '校', title: '学校管理', soon: true },
          { icon: '统', title: '全县统计', soon: true },
          { icon: '示', title: '示范校创建', soon: true },
          { icon: '报', title: '报表导出', soon: true }
        ]
      })}
    />
  )
}
