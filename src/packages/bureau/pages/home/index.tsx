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
          { icon: '统', tone: 'green', title: '全县统计', note: '各校达标 · 导出 · 年度报告', onClick: () => void Taro.navigateTo({ url: PAGES.statsCounty }) },
          { icon: '示', tone: 'purple', title: '示范校创建', note: '创建批次 · 受理 · 评估认定 · 复查', onClick: () => void Taro.navigateTo({ url: PAGES.bureauProgramme }) },
        ]
      })}
    />
  )
}
