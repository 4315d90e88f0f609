/**
 * Every role reaches its own home in the H5 preview; a user with two roles chooses; large-text mode follows the
 * user's stored preference. Screenshots of every page are kept in artifacts/e2e/.
 */
import { eventually, see, signInAs, tapOn, previewForThisFile } from './browser'

jest.setTimeout(180_000)
const preview = previewForThisFile()

const homes: Array<{ demo: string; shot: string; expect: string[] }> = [
  { demo: '（班主任）', shot: '10-teacher-home', expect: ['教师', '任教班级', '我的家访任务'] },
  { demo: '家庭教育指导师', shot: '11-counsellor-home', expect: ['家庭教育指导师', '我的咨询时段', '个案记录'] },
  { demo: '（校长）', shot: '12-school-home', expect: ['学校管理员', '花名册导入', '目标统计'] },
  { demo: '周卫东', shot: '13-bureau-home', expect: ['教育局/妇联', '全县统计', '示范校创建'] }
]

for (const h of homes) {
  it(`${h.demo} reaches the role home`, async () => {
    const { page, context } = await preview().newPhone()
    await signInAs(page, preview().cloud.url, h.demo)
    for (const text of h.expect) await see(page, text).waitFor()
    expect(await page.locator('.gy-page--large').count()).toBe(0)
    await preview().shot(page, h.shot)
    await context.close()
  })
}

it('a guardian whose stored preference is large text gets large text on every page', async () => {
  const { page, context } = await preview().newPhone()
  await signInAs(page, preview().cloud.url, '李建国（祖父，大字模式）')
  await see(page, '李建国，您好').waitFor()
  await page.locator('.gy-page--large').first().waitFor()
  const size = await see(page, '李建国，您好').evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
  await preview().shot(page, '14-guardian-home-large-text')
  await tapOn(page, '待办事项')
  // his grandchild's counselling session tomorrow (demo data) is on the list
  await see(page, '家庭教育咨询').waitFor()
  expect(await page.locator('.gy-page--large').count()).toBeGreaterThan(0)
  await preview().shot(page, '15-todo-large-text')
  await page.goBack()
  await tapOn(page, '大字模式 · 隐私与授权')
  await see(page, '放大文字和按钮').waitFor()
  await preview().shot(page, '16-settings-large-text')
  // Turning it off shrinks the text at once and is stored on the server.
  await page.locator('.nut-switch').first().tap()
  await page.waitForFunction(() => document.querySelectorAll('.gy-page--large').length === 0)
  await page.goBack()
  const smaller = await see(page, '李建国，您好').evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
  expect(smaller).toBeLessThan(size)
  await eventually(() => preview().cloud.store.find('users', { openid: 'demo-guardian-grandpa' })[0].preferences, { largeText: false })
  await context.close()
})

it('a teacher who is also a parent chooses a role, and can switch', async () => {
  const { page, context } = await preview().newPhone()
  await signInAs(page, preview().cloud.url, '陈晓东（教师，也是家长）')
  await see(page, '请选择本次使用的身份').waitFor()
  await see(page, '南湖初级中学').waitFor()
  await see(page, '城关第一小学').waitFor()
  await preview().shot(page, '17-roles')
  await page.locator('.roles__card').filter({ hasText: '家长' }).tap()
  await see(page, '已绑定的孩子').waitFor()
  await tapOn(page, '切换身份')
  await page.locator('.roles__card').filter({ hasText: '教师' }).tap()
  await see(page, '任教班级').waitFor()
  await context.close()
})

it('the privacy page is readable', async () => {
  const { page, context } = await preview().newPhone()
  await page.goto(`${preview().cloud.url}/#/pages/privacy/index`)
  await see(page, '隐私政策与儿童个人信息保护规则').waitFor()
  await see(page, '六、谁能看到').waitFor()
  await preview().shot(page, '18-privacy')
  await context.close()
})
