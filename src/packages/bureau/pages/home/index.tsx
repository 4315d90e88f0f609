import Taro from '@tarojs/taro'
import { RoleHome } from '@/components/RoleHome'
import { PAGES } from '@/store/route'

export default function BureauHome() {
  return (
    <RoleHome
      role='bureauAdmin'
      render={() => ({
        tiles: [
          { icon: '校', tone: 'orange', title: '学校管理', note: '新建学校 · 校长邀请 · 注册进度', onClick: () => void Taro.navigateTo({ url: PAGES.bureauSchools }) },
          { icon: '统', title: '全县统计', soon: true },
          { icon: '示', title: '示范校创建', soon: true },
          { icon: '报', title: '报表导出', soon: true }
        ]
      })}
    />
  )
}
