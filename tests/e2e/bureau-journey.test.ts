/**
 * Issue 3 journey (bureau part): the bureau creates a school and generates the principal's invitation; a principal
 * who has never opened the app (and is not asked for the parents' consent) enters the code and becomes the
 * school's admin. Screenshots in artifacts/e2e/.
 */
import type { Page } from 'playwright-core'
import { previewForThisFile, see, signInAs, tapOn } from './browser'

jest.setTimeout(180_000)
const preview = previewForThisFile()

async function type(page: Page, cls: string, text: string) {
  await page.locator(`.${cls} input`).fill(text)
}

it('the bureau creates a school and its principal joins with the invitation code', async () => {
  const bureau = await preview().newPhone()
  await signInAs(bureau.page, preview().cloud.url, '周卫东')
  await tapOn(bureau.page, '学校管理')
  await see(bureau.page, '城关第一小学').waitFor()
  await see(bureau.page, '家长注册率').waitFor()
  await preview().shot(bureau.page, '50-bureau-schools')
  await tapOn(bureau.page, '新建学校')
  await type(bureau.page, 'bs__input--name', '城关第二小学')
  await type(bureau.page, 'bs__input--district', '城关学区')
  await bureau.page.locator('.bs__chip', { hasText: /^\s*小学\s*$/ }).last().tap() // the form's choice, below the filter
  await tapOn(bureau.page, '创建')
  await see(bureau.page, '学校已创建').waitFor()
  const card = bureau.page.locator('.bs__card').filter({ hasText: '城关第二小学' })
  await card.locator('.nut-button').filter({ hasText: '生成校长邀请码' }).tap()
  const code = (await card.locator('.bs__code').innerText()).trim()
  expect(code).toMatch(/^[A-Z0-9]{8}$/)
  await preview().shot(bureau.page, '51-bureau-invite')

  const principal = await preview().newPhone()
  await signInAs(principal.page, preview().cloud.url, '何振华（新校长')
  await tapOn(principal.page, '我是校长：输入邀请码')
  await type(principal.page, 'join-school__input--invite', code.toLowerCase())
  await tapOn(principal.page, '确认')
  await see(principal.page, '您已成为「城关第二小学」的学校管理员').waitFor()
  await tapOn(principal.page, '进入学校管理')
  await see(principal.page, '花名册').waitFor()
  await see(principal.page, '城关第二小学').waitFor()
  await preview().shot(principal.page, '52-new-principal-home')
  for (const phone of [bureau, principal]) await phone.context.close()
})
