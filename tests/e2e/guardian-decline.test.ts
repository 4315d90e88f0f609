/**
 * A first-time guardian declines the children's-data rules: limited mode, no nagging on the next visit, and
 * consent can be given later. Screenshots in artifacts/e2e/.
 */
import { see, signInAs, tapOn, previewForThisFile } from './browser'

jest.setTimeout(120_000)
const preview = previewForThisFile()

it('a new guardian who declines continues in limited mode, and can still read the privacy page and accept later', async () => {
  // A fresh preview (this file's own local cloud), where 王芳 has never answered.
  const { page, context } = await preview().newPhone()
  await signInAs(page, preview().cloud.url, '王芳（母亲，首次使用）')
  await see(page, '我们收集哪些信息').waitFor()
  expect(preview().cloud.store.count('consentLogs', { openid: 'demo-guardian-new' })).toBe(0)
  await tapOn(page, '暂不同意')
  await see(page, '您目前处于受限模式').waitFor()
  expect(await page.getByText('已绑定的孩子').filter({ visible: true }).count()).toBe(0)
  await preview().shot(page, '06-guardian-declined')
  // Coming back later does not nag: the app opens in limited mode.
  await page.reload()
  await see(page, '您目前处于受限模式').waitFor()
  // And consent can be given from there.
  await tapOn(page, '阅读并同意')
  await tapOn(page, '我是孩子的监护人，已阅读并同意上述规则')
  await tapOn(page, '同意并继续')
  await see(page, '已绑定的孩子').waitFor()
  expect(preview().cloud.store.count('consentLogs', { openid: 'demo-guardian-new', action: 'accept' })).toBe(1)
  await context.close()
})
