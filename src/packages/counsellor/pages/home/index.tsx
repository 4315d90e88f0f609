import { RoleHome } from '@/components/RoleHome'

export default function CounsellorHome() {
  return (
    <RoleHome
      role='counsellor'
      render={() => ({
        tiles: [
          { icon: '时', title: '我的咨询时段', soon: true },
          { icon: '约', title: '预约处理', soon: true },
          { icon: '案', title: '个案记录', note: '仅本人可见', soon: true }
        ]
      })}
    />
  )
}
