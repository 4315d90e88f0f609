import { Text, View } from '@tarojs/components'
import Taro, { useLoad } from '@tarojs/taro'
import { Cell, CellGroup } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import { previewApi, type DemoUser } from '@/api/preview'
import { PageShell } from '@/components/PageShell'
import { EmptyState, Loading, Notice } from '@/components/ui'
import { AppError } from '@/shared/errors'
import { PAGES } from '@/store/route'

/** H5 preview only (not in the weapp build): pick a demo user of the local cloud to act as. */
export default function PreviewSigninPage() {
  const [users, setUsers] = useState<DemoUser[] | null>(null)
  const [error, setError] = useState<string | null>(null)

  useLoad(() => {
    previewApi
      .demoUsers()
      .then(setUsers)
      .catch((e: unknown) => setError(e instanceof AppError ? e.message : '加载失败'))
  })

  async function signIn(u: DemoUser) {
    try {
      await previewApi.signIn(u.openid)
      await Taro.reLaunch({ url: PAGES.launch })
    } catch (e) {
      setError(e instanceof AppError ? e.message : '登录失败')
    }
  }

  const groups = new Map<string, DemoUser[]>()
  for (const u of users ?? []) groups.set(u.roleLabel, [...(groups.get(u.roleLabel) ?? []), u])

  return (
    <PageShell>
      <Notice>这是 H5 预览环境，数据均为虚构的演示数据。请选择一个演示账号体验对应角色（正式小程序使用微信身份登录，没有此页面）。</Notice>
      {error ? <Notice tone='warn'>{error}</Notice> : null}
      {!users && !error ? <Loading /> : null}
      {users && users.length === 0 ? <EmptyState title='没有演示账号' description='请先运行 npm start 生成演示数据' /> : null}
      {Array.from(groups.entries()).map(([label, list]) => (
        <View key={label} className='gy-section'>
          <View className='gy-section__head'>
            <Text className='gy-section__title'>{label}</Text>
          </View>
          <CellGroup>
            {list.map((u) => (
              <Cell key={u.openid} title={u.name} description={u.description} extra='›' clickable onClick={() => void signIn(u)} />
            ))}
          </CellGroup>
        </View>
      ))}
    </PageShell>
  )
}
