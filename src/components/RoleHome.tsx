import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import type { ReactNode } from 'react'
import { PageShell } from './PageShell'
import { Hero, Loading, Notice, Section, Tiles, type TileProps } from './ui'
import { ROLE_LABELS, type Role, type RoleScope } from '@/shared/roles'
import type { WhoAmI } from '@/shared/contract'
import { PAGES, isLimitedMode } from '@/store/route'
import { distinctRoles, scopesOf } from '@/store/session'
import { useMe } from '@/store/useMe'

interface RoleHomeProps {
  role: Role
  /** The role's summary figures and feature entries, given its scopes. */
  render: (ctx: { me: WhoAmI; scopes: RoleScope[]; limited: boolean }) => { summary?: ReactNode; tiles: TileProps[] }
}

/** The frame of every role's home page: greeting, scope, the role's features, to-do and settings. */
export function RoleHome({ role, render }: RoleHomeProps) {
  const { me, loading, error, reload } = useMe()

  if (loading) return <PageShell><Loading /></PageShell>
  if (!me) {
    return (
      <PageShell>
        <Notice tone='warn'>{error?.message ?? '无法加载账号信息'}</Notice>
        <Button type='primary' size='large' block onClick={() => void reload()}>重试</Button>
      </PageShell>
    )
  }
  const scopes = scopesOf(me, role)
  if (scopes.length === 0) {
    return (
      <PageShell>
        <Notice tone='warn'>您没有「{ROLE_LABELS[role]}」身份。</Notice>
        <Button type='primary' size='large' block onClick={() => void Taro.reLaunch({ url: PAGES.roles })}>选择身份</Button>
      </PageShell>
    )
  }
  const limited = role === 'guardian' && isLimitedMode(me)
  const { summary, tiles } = render({ me, scopes, limited })
  const schoolNames = Array.from(new Set(scopes.map((s) => s.schoolName ?? (s.countyName ? `${s.countyName}（全县）` : undefined)).filter(Boolean))).join('、')

  return (
    <PageShell className={`role-home role-home--${role}`}>
      <Hero badge={ROLE_LABELS[role]} title={`${me.displayName}，您好`} subtitle={schoolNames || undefined} />
      {limited ? (
        <Notice tone='warn'>
          <View style={{ display: 'flex', flexDirection: 'column', gap: '8px' }}>
            <Text>
              您目前处于受限模式：{me.consent.status === 'withdrawn' ? '您已撤回' : '尚未同意'}《儿童个人信息保护规则》，暂不能查看或提交与孩子相关的信息。
            </Text>
            <Button type='primary' size='small' onClick={() => void Taro.navigateTo({ url: PAGES.consent })}>
              阅读并同意
            </Button>
          </View>
        </Notice>
      ) : null}
      {summary ? <Section>{summary}</Section> : null}
      <Section title='功能'>
        <Tiles items={tiles} />
      </Section>
      <Section title='常用'>
        <Tiles
          items={[
            { icon: '办', tone: 'orange', title: '待办事项', onClick: () => void Taro.navigateTo({ url: PAGES.todo }) },
            { icon: '我', tone: 'blue', title: '我的', note: '大字模式 · 隐私与授权', onClick: () => void Taro.navigateTo({ url: PAGES.settings }) },
            ...(distinctRoles(me.roles).length > 1
              ? [{ icon: '换', tone: 'purple' as const, title: '切换身份', onClick: () => void Taro.reLaunch({ url: PAGES.roles }) }]
              : [])
          ]}
        />
      </Section>
    </PageShell>
  )
}
