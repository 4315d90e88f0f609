/**
 * Issue 3 journey (roster part): the principal imports a roster with 2 new classes — first a file with a mistake,
 * which imports nothing and says which row is wrong, then the corrected file; a new teacher asks to join with the
 * school code and the principal approves; the teacher then has the teacher home. Screenshots in artifacts/e2e/.
 */
import ExcelJS from 'exceljs'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { previewForThisFile, see, signInAs, tapOn } from './browser'

jest.setTimeout(180_000)
const preview = previewForThisFile()

async function workbook(rows: Array<[string, string, string, string, string]>): Promise<string> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('花名册')
  ws.addRow(['年级', '班级', '姓名', '学籍号', '性别'])
  for (const r of rows) ws.addRow(r)
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gy-roster-')), '二年级新班.xlsx')
  await wb.xlsx.writeFile(file)
  return file
}

async function upload(page: Page, file: string) {
  const chooser = page.waitForEvent('filechooser')
  await tapOn(page, '上传并导入')
  await (await chooser).setFiles(file)
}

it('imports a roster (all rows or none), and a new teacher joins with the school code', async () => {
  const store = preview().cloud.store
  const rows: Array<[string, string, string, string, string]> = [
    ['二年级', '二年级（3）班', '赵一鸣', '2025130001', '男'],
    ['二年级', '二年级（3）班', '钱多多', '2025130002', '女'],
    ['二年级', '二年级（3）班', '孙悦', '2025130003', '女'],
    ['二年级', '二年级（4）班', '李想', '2025140001', '男'],
    ['二年级', '二年级（4）班', '周全', '2025140002', '男'],
    ['二年级', '二年级（4）班', '吴桐', '2025140003', '女']
  ]
  const before = store.count('students')

  // 1. A file with a mistake in row 3 imports nothing and says what to fix.
  const principal = await preview().newPhone()
  const adminOpenid = (store.find('memberships', { role: 'schoolAdmin', schoolId: 'school-chengguan-primary' })[0] as { openid: string }).openid
  const adminName = (store.find('users', { _id: adminOpenid })[0] as { displayName: string }).displayName
  await signInAs(principal.page, preview().cloud.url, `${adminName}（校长）`)
  await tapOn(principal.page, '花名册')
  await see(principal.page, '下载模板').waitFor()
  const bad = rows.map((r) => [...r]) as typeof rows
  bad[1][3] = ''
  await upload(principal.page, await workbook(bad))
  await see(principal.page, '第 3 行').waitFor()
  await preview().shot(principal.page, '40-import-errors')
  expect(store.count('students')).toBe(before)

  // 2. The corrected file imports both classes.
  await upload(principal.page, await workbook(rows))
  await see(principal.page, '导入完成').waitFor()
  await see(principal.page, '新建班级 2 个').waitFor()
  await preview().shot(principal.page, '41-import-done')
  expect(store.count('students')).toBe(before + 6)
  expect(store.count('classes', { name: { $in: ['二年级（3）班', '二年级（4）班'] } })).toBe(2)

  // 3. A new teacher (not asked for the parents' consent) asks to join with the school code.
  const teacher = await preview().newPhone()
  await signInAs(teacher.page, preview().cloud.url, '张敏（新教师')
  await tapOn(teacher.page, '我是教职工：加入学校')
  await teacher.page.locator('.join-school__input--code input').fill('cg1x')
  await teacher.page.locator('.join-school__input--name input').fill('张敏')
  await tapOn(teacher.page, '提交申请')
  await see(teacher.page, '已提交申请').waitFor()
  await preview().shot(teacher.page, '42-join-school')

  // 4. The principal approves.
  await principal.page.goBack()
  await tapOn(principal.page, '教职工')
  await see(principal.page, '张敏 申请加入本校').waitFor()
  await preview().shot(principal.page, '43-join-requests')
  await tapOn(principal.page, '通过')
  await see(principal.page, '已通过').waitFor()

  // 5. The principal makes her head teacher of 二年级（3）班.
  await principal.page.goBack()
  await tapOn(principal.page, '教师管理')
  const card = principal.page.locator('.tm__card').filter({ hasText: '张敏' })
  await card.locator('.nut-button').filter({ hasText: '设置班级' }).tap()
  await card.locator('.tm__chips').nth(1).locator('.tm__chip', { hasText: '二年级（3）班' }).tap()
  await preview().shot(principal.page, '45-assign-head-teacher')
  await card.locator('.nut-button').filter({ hasText: '保存' }).tap()
  await see(principal.page, '已保存张敏的任教班级').waitFor()

  // 6. A pupil leaves: marked as left after a confirmation; the record stays, bindings are refused from now on.
  await principal.page.goBack()
  await tapOn(principal.page, '学生管理')
  await principal.page.locator('.sm__chip', { hasText: '二年级（3）班' }).tap()
  await principal.page.locator('.sm__row', { hasText: '孙悦' }).tap()
  await principal.page.locator('.sm__buttons .nut-button', { hasText: '标记离校' }).tap()
  await see(principal.page, '离校后家长将不能再绑定').waitFor()
  await principal.page.locator('.nut-dialog-footer-ok').filter({ visible: true }).tap()
  await see(principal.page, '孙悦已标记为离校').waitFor()
  await principal.page.locator('.sm__toggle', { hasText: '显示离校学生' }).tap()
  await see(principal.page, '已离校').waitFor()
  await preview().shot(principal.page, '46-students')
  expect(store.find('students', { name: '孙悦', studentNo: '2025130003' })[0]).toMatchObject({ status: 'left' })

  // 7. The teacher, opening the app again, has the teacher home with her class, and its binding desk.
  await teacher.page.goto(`${preview().cloud.url}/`)
  await see(teacher.page, '张敏，您好').waitFor()
  await see(teacher.page, '任教班级').waitFor()
  await preview().shot(teacher.page, '44-new-teacher-home')
  await tapOn(teacher.page, '家长绑定')
  await see(teacher.page, '未绑定家长的学生（2 / 2）').waitFor()
  for (const phone of [principal, teacher]) await phone.context.close()
})
