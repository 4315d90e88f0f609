import Taro from '@tarojs/taro'
import { RoleHome } from '@/components/RoleHome'
import { PAGES } from '@/store/route'

export default function SchoolHome() {
  return (
    <RoleHome
      role='schoolAdmin'
      render={() => ({
        tiles: [
          { icon: '册', tone: 'green', title: '花名册', note: '导入 · 导出', onClick: () => void Taro.navigateTo({ url: PAGES.schoolRoster }) },
          { icon: '师', tone: 'blue', title: '教职工', note: '审核加入申请', onClick: () => void Taro.navigateTo({ url: PAGES.schoolStaff }) },
          { icon: '生', tone: 'teal', title: '学生管理', note: '添加 · 转班 · 离校', onClick: () => void Taro.navigateTo({ url: PAGES.schoolStudents }) },
          { icon: '教', tone: 'purple', title: '教师管理', note: '任教班级 · 角色', onClick: () => void Taro.navigateTo({ url: PAGES.schoolTeachers }) },
          { icon: '访', tone: 'green', title: '全员家访方案', note: '安排家访教师 · 培训材料', onClick: () => void Taro.navigateTo({ url: PAGES.schoolVisitPlan }) },
          { icon: '率', tone: 'teal', title: '家访覆盖率', note: '联系 · 入户 · 随访', onClick: () => void Taro.navigateTo({ url: PAGES.statsCoverage }) },
          { icon: '标', tone: 'orange', title: '目标统计', note: '指标 · 导出 · 年度报告', onClick: () => void Taro.navigateTo({ url: PAGES.statsSchool }) },
          { icon: '示', tone: 'red', title: '示范校申报', note: '申报 · 自查自评', onClick: () => void Taro.navigateTo({ url: PAGES.schoolProgramme }) }
        ]
      })}
    />
  )
}
