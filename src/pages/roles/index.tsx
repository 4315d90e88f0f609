import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { PageShell } from '@/components/PageShell'
import { Glyph, Hero, Loading, Notice, type GlyphTone } from '@/components/ui'
import { distinctRoles, ROLE_DESCRIPTIONS, ROLE_HOME, ROLE_LABELS, type Role } from '@/shared/roles'
import { PAGES } from '@/store/route'
import { setActiveRole } from '@/store/session'
import { useMe } from '@/store/useMe'
import './index.scss'

const ROLE_GLYPHS: Record<Role, { text: string; tone: GlyphTone }> = {
  guardian: { text: '家', tone: 'green' },
  teacher: { text: '教', tone: 'blue' },
  counsellor: { text: '询', tone: 'purple' },
  schoolAdmin: { text: '校', tone: 'orange' },
  bureauAdmin: { text: '局', tone: 'red' }
}

/** Role choice: one WeChat user may be, e.g., a teacher and also a parent. */
export default function RolesPage() {
  const { me, loading, error, activeRole, reload } = useMe()

  /** A parent reads and accepts the children's-data rules before binding a child; then continues where they meant to. */
  function asParent(page: string) {
    const consented = me?.consent.status === 'accepted' && me.consent.version !== null && !me.consent.required
    void Taro.navigateTo({ url: consented ? page : `${PAGES.consent}?next=${encodeURIComponent(page)}` })
  }

  function choose(role: Role) {
    setActiveRole(role)
    void Taro.reLaunch({ url: ROLE_HOME[role] })
  }

  if (loading) return <PageShell><Loading /></PageShell>

  const roles = distinctRoles(me?.roles ?? [])
  const schoolsOf = (role: Role) =>
    Array.from(new Set((me?.roles ?? []).filter((s) => s.role === role).map((s) => s.schoolName).filter(Boolean))).join('、')

  return (
    <PageShell className='roles'>
      <Hero title={me ? `${me.displayName}，您好` : '欢迎使用共育'} subtitle='请选择本次使用的身份，可随时在「我的」中切换' />
      {error && error.code !== 'NOT_REGISTERED' ? (
        <Notice tone='warn'>
          {error.message}
          <Button size='small' onClick={() => void reload()}>重试</Button>
        </Notice>
      ) : null}
      {roles.length === 0 ? (
        <View className='roles__none'>
          <Text className='roles__none-title'>您还没有可用的身份</Text>
          <Text className='roles__none-text'>家长：请向孩子的班主任索取「班级码」，绑定孩子后即可使用。</Text>
          <Text className='roles__none-text'>教职工：请向学校管理员索取「学校码」，申请加入学校并等待审核。</Text>
          <View className='gy-actions'>
            <Button type='primary' size='large' block onClick={() => asParent(PAGES.guardianBind)}>
              我是家长：绑定孩子
            </Button>
            <Button size='large' block onClick={() => asParent(PAGES.guardianJoin)}>
              我是家长：凭家庭邀请码加入
            </Button>
            <Button size='large' block onClick={() => void Taro.navigateTo({ url: PAGES.joinSchool })}>
              我是教职工：加入学校
            </Button>
            <Button size='large' block onClick={() => void Taro.navigateTo({ url: PAGES.acceptInvite })}>
              我是校长：输入邀请码
            </Button>
          </View>
        </View>
      ) : (
        roles.map((role) => (
          <View key={role} className={`roles__card${activeRole === role ? ' roles__card--active' : ''}`} onClick={() => choose(role)} hoverClass='roles__card--pressed'>
            <View className='roles__icon'>
              <Glyph text={ROLE_GLYPHS[role].text} tone={ROLE_GLYPHS[role].tone} />
            </View>
            <View className='roles__body'>
              <Text className='roles__name'>{ROLE_LABELS[role]}</Text>
              <Text className='roles__school'>{schoolsOf(role) || ' '}</Text>
              <Text className='roles__desc'>{ROLE_DESCRIPTIONS[role]}</Text>
            </View>
            <Text className='roles__arrow'>›</Text>
          </View>
        ))
      )}
      <View className='gy-actions'>
        <Button size='large' block onClick={() => void Taro.navigateTo({ url: PAGES.settings })}>
          我的设置
        </Button>
      </View>
    </PageShell>
  )
}
