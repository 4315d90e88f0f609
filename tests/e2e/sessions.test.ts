/**
 * Preview sessions and who sees what in 我的: no dead ends without a session, nothing carried over between demo
 * accounts, and the guardian consent only where it concerns the user.
 */
import { openRoute, previewForThisFile, see, signInAs, tapOn } from './browser'

jest.setTimeout(120_000)
const preview = previewForThisFile()

it('an inner page opened without a session leads to the sign-in page, not a dead end', async () => {
  const { page, context } = await preview().newPhone()
  await page.goto(`${preview().cloud.url}/#/pages/settings/index`)
  await see(page, '选择一个演示账号').waitFor()
  await openRoute(page, preview().cloud.url, '/packages/teacher/pages/home/index')
  await see(page, '选择一个演示账号').waitFor()
  await context.close()
})

it('staff are not asked for the guardian consent in 我的', async () => {
  const { page, context } = await preview().newPhone()
  await signInAs(page, preview().cloud.url, '周卫东')
  await see(page, '全县统计').waitFor()
  await see(page, '平阳县（全县）').waitFor()
  await tapOn(page, '大字模式 · 隐私与授权')
  await see(page, '隐私政策').waitFor()
  expect(await page.getByText('儿童个人信息保护规则').filter({ visible: true }).count()).toBe(0)
  expect(await page.getByText('撤回同意').filter({ visible: true }).count()).toBe(0)
  await preview().shot(page, '20-bureau-settings')
  await context.close()
})

it('a demo account chosen after another inherits nothing from it (role choice, text size)', async () => {
  const { page, context } = await preview().newPhone()
  await signInAs(page, preview().cloud.url, '李建国（祖父，大字模式）')
  await page.locator('.gy-page--large').first().waitFor()
  // Straight to the sign-in page by URL, not through 切换预览账号.
  // (a full load of the page: the phone's storage — role choice, text size — is what must not carry over)
  await openRoute(page, preview().cloud.url, '/pages/preview-signin/index')
  await see(page, '陈晓东（教师，也是家长）').waitFor()
  await tapOn(page, '陈晓东（教师，也是家长）')
  await see(page, '请选择本次使用的身份').waitFor()
  await page.locator('.roles__card').filter({ hasText: '家长' }).tap()
  await see(page, '已绑定的孩子').waitFor()
  expect(await page.locator('.gy-page--large').count()).toBe(0)
  await context.close()
})
