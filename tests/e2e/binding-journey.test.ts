/**
 * Issue 3 journey (binding part): a grandparent binds a grandchild with the class code; invites the mother with a
 * family code; the mother — first time in the app — consents and joins; she then asks for a second child with a
 * name that is not quite right; the head teacher approves it to the right student; the mother sees both children.
 * Screenshots in artifacts/e2e/.
 */
import type { Page } from 'playwright-core'
import { choose, openRoute, previewForThisFile, see, signInAs, tapOn } from './browser'

jest.setTimeout(180_000)
const preview = previewForThisFile()

async function type(page: Page, cls: string, text: string) {
  await page.locator(`.${cls} input`).fill(text)
}

it('binds children by class code, family code and the head teacher’s approval', async () => {
  const store = preview().cloud.store
  const klass = store.find('classes', {}, { sort: { _id: 1 }, limit: 1 })[0] as { _id: string; code: string; name: string }
  const bound = new Set(store.find('memberships', { role: 'guardian', classId: klass._id, status: 'active' }).map((m) => m.studentId))
  const [first, second] = store.find('students', { classId: klass._id, status: 'enrolled' }).filter((s) => !bound.has(s._id)) as Array<{ _id: string; name: string; studentNo: string }>

  // 1. The grandfather binds his grandchild with the class code (exact roster match).
  const grandpa = await preview().newPhone()
  await signInAs(grandpa.page, preview().cloud.url, '李建国（祖父，大字模式）')
  await tapOn(grandpa.page, '我的孩子')
  await see(grandpa.page, '绑定孩子').waitFor()
  await tapOn(grandpa.page, '绑定孩子')
  await type(grandpa.page, 'bind__input--code', klass.code.toLowerCase())
  await type(grandpa.page, 'bind__input--name', first.name)
  await type(grandpa.page, 'bind__input--suffix', first.studentNo.slice(-4))
  await choose(grandpa.page, '祖父母')
  await preview().shot(grandpa.page, '30-bind-form')
  await tapOn(grandpa.page, '绑定')
  await see(grandpa.page, '绑定成功').waitFor()
  await tapOn(grandpa.page, '查看我的孩子')
  await see(grandpa.page, first.name).waitFor()
  expect(store.find('memberships', { openid: 'demo-guardian-grandpa', studentId: first._id })[0]).toMatchObject({ status: 'active', relation: '祖父母' })

  // 2. He invites the mother with a family code.
  await grandpa.page.locator('.children__head').filter({ hasText: first.name }).filter({ visible: true }).last().tap()
  await tapOn(grandpa.page, '邀请家人')
  const code = (await grandpa.page.locator('.children__code').innerText()).trim()
  expect(code).toMatch(/^[A-Z0-9]{8}$/)
  await preview().shot(grandpa.page, '31-family-code')

  // 3. The mother, first time in the app, consents and joins with the code.
  const mother = await preview().newPhone()
  await signInAs(mother.page, preview().cloud.url, '王芳（母亲，首次使用）')
  await tapOn(mother.page, '我是孩子的监护人，已阅读并同意上述规则')
  await tapOn(mother.page, '同意并继续')
  await tapOn(mother.page, '我的孩子')
  await tapOn(mother.page, '凭家庭邀请码加入')
  await type(mother.page, 'bind__input--family', code)
  await choose(mother.page, '母亲')
  await tapOn(mother.page, '加入')
  await see(mother.page, '已加入').waitFor()
  await tapOn(mother.page, '查看我的孩子')
  await see(mother.page, first.name).waitFor()

  // 4. She asks for the second child with a name the roster spells differently: it goes to the head teacher.
  await tapOn(mother.page, '绑定孩子')
  await type(mother.page, 'bind__input--code', klass.code)
  await type(mother.page, 'bind__input--name', `${second.name.slice(0, 1)}小${second.name.slice(1)}`)
  await type(mother.page, 'bind__input--suffix', second.studentNo.slice(-4))
  await choose(mother.page, '母亲')
  await tapOn(mother.page, '绑定')
  await see(mother.page, '已提交给班主任审核').waitFor()
  await preview().shot(mother.page, '32-bind-pending')

  // 5. The head teacher approves it to the right student.
  const teacher = await preview().newPhone()
  await signInAs(teacher.page, preview().cloud.url, '（班主任）')
  await tapOn(teacher.page, '家长绑定')
  await see(teacher.page, '申请绑定').waitFor()
  await teacher.page.locator('.tb__candidate').filter({ hasText: second.name }).first().tap()
  await preview().shot(teacher.page, '33-teacher-approve')
  await tapOn(teacher.page, '通过')
  await see(teacher.page, '已通过').waitFor()
  await see(teacher.page, '未绑定家长的学生').waitFor()
  await preview().shot(teacher.page, '34-teacher-after')

  // 6. The mother now sees both children.
  await openRoute(mother.page, preview().cloud.url, '/packages/guardian/pages/children/index')
  await see(mother.page, second.name).waitFor()
  await see(mother.page, first.name).waitFor()
  await preview().shot(mother.page, '35-mother-children')
  expect(store.count('memberships', { openid: 'demo-guardian-new', role: 'guardian', status: 'active', studentId: { $in: [first._id, second._id] } })).toBe(2)
  for (const phone of [grandpa, mother, teacher]) await phone.context.close()
})
