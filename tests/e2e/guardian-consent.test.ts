/**
 * A first-time guardian signs in to the H5 preview, reads and accepts the children's-data rules, and reaches
 * the guardian home. Screenshots of each step are kept in artifacts/e2e/.
 */
import { eventually, see, signInAs, tapOn, previewForThisFile } from './browser'

jest.setTimeout(120_000)
const preview = previewForThisFile()

it('a new guardian accepts consent and reaches the guardian home', async () => {
  const { page, context } = await preview().newPhone()
  await page.goto(`${preview().cloud.url}/`)
  await see(page, '选择一个演示账号').waitFor()
  await preview().shot(page, '01-preview-signin')

  await signInAs(page, preview().cloud.url, '王芳（母亲，首次使用）')
  await see(page, '儿童个人信息保护规则').waitFor()
  await see(page, '我们收集哪些信息').waitFor()
  await preview().shot(page, '02-consent')

  // Accepting without ticking the box is refused, with a clear message.
  await tapOn(page, '同意并继续')
  await see(page, '请先勾选').waitFor()

  await tapOn(page, '我是孩子的监护人，已阅读并同意上述规则')
  await tapOn(page, '同意并继续')
  await see(page, '王芳，您好').waitFor()
  await see(page, '城关第一小学').waitFor()
  await see(page, '已绑定的孩子').waitFor()
  expect(await page.getByText('受限模式', { exact: false }).filter({ visible: true }).count()).toBe(0)
  await preview().shot(page, '03-guardian-home')

  // The server recorded it: a consent log for this user.
  expect(preview().cloud.store.count('consentLogs', { openid: 'demo-guardian-new', action: 'accept' })).toBe(1)
  await context.close()
})

it('a guardian who withdraws consent is back in limited mode and sees no child data', async () => {
  const { page, context } = await preview().newPhone()
  await signInAs(page, preview().cloud.url, '李建国（祖父，大字模式）')
  await see(page, '李建国，您好').waitFor()
  await see(page, '已绑定的孩子').waitFor()
  await tapOn(page, '大字模式 · 隐私与授权')
  await tapOn(page, '撤回同意')
  await see(page, '确定撤回同意吗？').waitFor()
  await preview().shot(page, '04-withdraw-confirm')
  await page.locator('.nut-dialog-footer-ok').tap()
  await see(page, '已撤回同意').waitFor()
  await page.goBack()
  await see(page, '您目前处于受限模式').waitFor()
  expect(await page.getByText('已绑定的孩子').filter({ visible: true }).count()).toBe(0)
  await preview().shot(page, '05-guardian-limited')
  await eventually(() => preview().cloud.store.count('consentLogs', { openid: 'demo-guardian-grandpa', action: 'withdraw' }), 1)
  await context.close()
})
