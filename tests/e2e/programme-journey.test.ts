/**
 * 示范校 journey (PRODUCT.md capability 11): the bureau opens a creation round; the kindergarten's principal applies
 * with the 申报表; the bureau accepts; during the creation year the principal self-assesses every item of the
 * standard (with a photo as evidence; a program file is refused before it is uploaded; the draft saves itself) but
 * cannot submit until the year is over; a year later (the acceptance moved back in the store) the draft is there and
 * is submitted; the bureau's experts score and certify — and the county's count of demonstration schools goes up by
 * one. Screenshots in artifacts/e2e/.
 */
import type { Page } from 'playwright-core'
import { STANDARD_ITEMS } from '@/shared/programme'
import { openRoute, previewForThisFile, see, signInAs, tapOn } from './browser'

jest.setTimeout(240_000)
const preview = previewForThisFile()

const BUREAU_PROGRAMME = '/packages/bureau/pages/programme/index'
const SCHOOL_PROGRAMME = '/packages/school/pages/programme/index'
const KINDERGARTEN = 'school-qingshan-kindergarten'
/** a 1×1 PNG */
const DAY = 86400_000
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkaPhfDwAEhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')

async function fill(page: Page, selector: string, text: string) {
  await page.locator(selector).first().fill(text)
}

it('a round is opened, a school applies, creates, self-assesses, and is certified', async () => {
  const { cloud } = preview()
  const store = cloud.store

  // 1. The bureau sees the county's progress and opens a round.
  const bureau = await preview().newPhone()
  await signInAs(bureau.page, cloud.url, '周卫东')
  await tapOn(bureau.page, '示范校创建')
  await see(bureau.page, '全县协同育人示范学校').waitFor()
  await see(bureau.page, '城关第一小学').waitFor()
  await bureau.page.locator('.bp__progress-value', { hasText: /^\s*1\s*\/\s*100 所/ }).filter({ visible: true }).waitFor()
  await preview().shot(bureau.page, '70-bureau-programme')
  await bureau.page.locator('.bp__action', { hasText: '开启新批次' }).tap()
  await fill(bureau.page, '.bp__input--name input', '2027年度示范校创建')
  await fill(bureau.page, '.bp__input--year input', '2027')
  await fill(bureau.page, '.bp__input--deadline input', '2099-03-01')
  await fill(bureau.page, '.bp__textarea--notes textarea', '各学区遴选 1–2 所学校申报')
  await tapOn(bureau.page, '开启批次')
  await see(bureau.page, '创建批次已开启').waitFor()
  const round = store.find('programmeRounds', { name: '2027年度示范校创建' })[0] as { _id: string }
  expect(round).toBeTruthy()

  // 2. The kindergarten's principal applies to it.
  const adminOpenid = (store.find('memberships', { role: 'schoolAdmin', schoolId: KINDERGARTEN })[0] as { openid: string }).openid
  const adminName = (store.find('users', { _id: adminOpenid })[0] as { displayName: string }).displayName
  const principal = await preview().newPhone()
  await signInAs(principal.page, cloud.url, `${adminName}（校长）`)
  await tapOn(principal.page, '示范校申报')
  const card = principal.page.locator('.sp__round').filter({ hasText: '2027年度示范校创建' })
  await card.locator('.nut-button', { hasText: '填写申报表' }).tap()
  await see(principal.page, '学校名称：青山幼儿园').waitFor()
  await fill(principal.page, '.sp__input--leader input', '叶春梅')
  await fill(principal.page, '.sp__input--phone input', '13867712345')
  await fill(
    principal.page,
    '.sp__textarea--basis textarea',
    '园所已建立家长学校和三级家委会，每学期开展家长开放日，小班新生家庭全部完成入园家访。2025 年起三个年级家委会全部规范选举产生，家长志愿者队伍常态参与户外课程与安全护导。'
  )
  // The multi-line box: the <textarea> fills its frame and grows with the text (nothing cut after two lines).
  const basisBox = await principal.page.locator('.sp__textarea--basis').first().evaluate((frame) => {
    const ta = frame.querySelector('textarea') as HTMLTextAreaElement
    return { frame: frame.getBoundingClientRect().height, inner: ta.getBoundingClientRect().height, scroll: ta.scrollHeight, client: ta.clientHeight }
  })
  expect(basisBox.scroll).toBeLessThanOrEqual(basisBox.client + 1)
  expect(basisBox.frame - basisBox.inner).toBeLessThan(30)
  await fill(principal.page, '.sp__textarea--goals textarea', '一年内家长注册率达到 85%，每学期集体授课 1 次、分班授课 2 次，组建 2 支家长志愿者队伍。')
  await fill(principal.page, '.sp__textarea--plan textarea', '以“亲子自然课堂”为特色，依托青山农场劳动教育基地，家长志愿者每月参与一次户外课程。')
  await preview().shot(principal.page, '71-school-application-form')
  await tapOn(principal.page, '提交申报')
  await see(principal.page, '申报表已提交，等待县教育局受理').waitFor()
  await see(principal.page, '待受理').waitFor()
  const applicationId = `${round._id}_${KINDERGARTEN}`
  expect(store.find('programmeApplications', { _id: applicationId })[0]).toMatchObject({ status: 'submitted', countyId: 'county-pingyang', schoolId: KINDERGARTEN })
  await preview().shot(principal.page, '72-school-applied')

  // 3. The bureau accepts it (after confirming).
  await openRoute(bureau.page, cloud.url, BUREAU_PROGRAMME)
  await bureau.page.locator('.bp__app').filter({ hasText: '青山幼儿园' }).filter({ hasText: '待受理' }).tap()
  await see(bureau.page, '负责人：叶春梅 · 13867712345').waitFor()
  await tapOn(bureau.page, '受理申报')
  await see(bureau.page, '受理该校的申报？').waitFor()
  await preview().shot(bureau.page, '73-bureau-accept-confirm')
  await tapOn(bureau.page, '确定受理')
  await see(bureau.page, '已受理，该校进入创建期').waitFor()

  // 4. During the creation year the principal self-assesses every item, with a photo as evidence; the draft saves
  //    itself. A file that is neither an image nor a document is refused before it is uploaded.
  await openRoute(principal.page, cloud.url, SCHOOL_PROGRAMME)
  await see(principal.page, '自查自评（对照认定标准）').waitFor()
  for (const [n, item] of STANDARD_ITEMS.entries()) {
    await principal.page.locator(`.sp__item--${item.key} .sp__item-row`).tap()
    await fill(principal.page, `.sp__score--${item.key} input`, String(n === 0 ? item.points - 1 : item.points))
    if (n === 3) {
      await fill(principal.page, `.sp__note--${item.key} textarea`, '本学期集体授课 1 次、分班授课 2 次，签到表齐全。')
      const uploads: string[] = []
      principal.page.on('request', (r) => {
        if (r.url().includes('/storage/upload')) uploads.push(r.url())
      })
      const refusedChooser = principal.page.waitForEvent('filechooser')
      await principal.page.locator(`.sp__item--${item.key} .nut-button`, { hasText: '上传文档' }).tap()
      await (await refusedChooser).setFiles({ name: 'evil.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') })
      await see(principal.page, '「evil.exe」不是图片或文档，不能作为佐证材料').waitFor()
      expect(await principal.page.getByText('evil.exe】').count()).toBe(0)
      expect(uploads).toEqual([]) // nothing was uploaded
      const chooser = principal.page.waitForEvent('filechooser')
      await principal.page.locator(`.sp__item--${item.key} .nut-button`, { hasText: '上传图片' }).tap()
      await (await chooser).setFiles({ name: '分班授课.png', mimeType: 'image/png', buffer: PNG })
      await see(principal.page, '已上传 1 个材料并保存到草稿').waitFor()
      await see(principal.page, '【图片】分班授课.png').waitFor()
      expect(uploads).toHaveLength(1)
      await preview().shot(principal.page, '74-school-self-assessment-item')
    }
  }
  await see(principal.page, '已评分 18/18 项').waitFor()
  await principal.page.locator('.sp__intro .sp__autosave--saved').filter({ visible: true }).waitFor()
  const draft = store.find('programmeApplications', { _id: applicationId })[0] as { status: string; selfAssessment: { items: Array<{ score: number | null; evidence: Array<{ name: string }> }> } }
  expect(draft.status).toBe('creating')
  expect(draft.selfAssessment.items.filter((i) => typeof i.score === 'number')).toHaveLength(STANDARD_ITEMS.length)
  expect(draft.selfAssessment.items.flatMap((i) => i.evidence.map((e) => e.name))).toEqual(['分班授课.png'])
  // The year is not over: submitting is refused before any confirmation, naming the day.
  await tapOn(principal.page, '提交自查自评')
  await see(principal.page, '后才能提交自查自评，在此之前可以继续填写、保存草稿').waitFor()
  expect(await see(principal.page, '提交自查自评？').count()).toBe(0)
  await preview().shot(principal.page, '74b-school-too-early')

  // A year later (the acceptance moved back in the store): the saved draft is there, and is submitted.
  const accepted = store.find('programmeApplications', { _id: applicationId })[0] as Record<string, unknown>
  store.commit([{ coll: 'programmeApplications', key: applicationId, after: { ...accepted, acceptedAt: new Date(Date.now() - 366 * DAY) } }])
  await openRoute(principal.page, cloud.url, SCHOOL_PROGRAMME)
  await see(principal.page, '自查自评（对照认定标准）').waitFor()
  await see(principal.page, '已评分 18/18 项').waitFor()
  await tapOn(principal.page, '提交自查自评')
  await see(principal.page, '提交自查自评？').waitFor()
  await tapOn(principal.page, '确定提交')
  await see(principal.page, '自查自评已提交，等待县教育局组织专家评估').waitFor()
  await preview().shot(principal.page, '75-school-self-assessed')
  expect(store.find('programmeApplications', { _id: applicationId })[0]).toMatchObject({ status: 'selfAssessed', selfTotal: 99 })

  // 5. The experts score (starting from the school's scores), comment, and certify.
  await openRoute(bureau.page, cloud.url, `/packages/bureau/pages/application/index?id=${applicationId}`)
  await see(bureau.page, '专家评分合计：99/100 分').waitFor()
  // A veto item at 0 rules certification out: 认定通过 is disabled (grey) and the reason is next to it.
  await fill(bureau.page, '.ba__score--committee-no-fees input', '0')
  await see(bureau.page, '一票否决项得 0 分，不能认定通过').waitFor()
  const pass = bureau.page.locator('.ba__pass').filter({ visible: true })
  expect(await pass.getAttribute('class')).toContain('nut-button-disabled')
  expect(await pass.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(195, 204, 199)')
  await pass.scrollIntoViewIfNeeded()
  await preview().shot(bureau.page, '76a-bureau-veto')
  await fill(bureau.page, '.ba__score--committee-no-fees input', '6')
  await fill(bureau.page, '.ba__score--visits-home input', '4')
  await see(bureau.page, '专家评分合计：98/100 分').waitFor()
  await fill(bureau.page, '.ba__textarea--comment textarea', '实地查看家长学校与农场基地，材料真实，同意认定。')
  await preview().shot(bureau.page, '76-bureau-evaluation')
  await bureau.page.locator('.nut-button', { hasText: '认定通过' }).first().tap()
  await see(bureau.page, '认定通过并授予称号？').waitFor()
  await bureau.page.locator('.nut-dialog-footer-ok').filter({ visible: true }).tap()
  await see(bureau.page, '已认定通过，授予协同育人示范学校称号').waitFor()
  const doc = store.find('programmeApplications', { _id: applicationId })[0] as { status: string; certifiedAt: unknown }
  expect(doc.status).toBe('certified')
  expect(doc.certifiedAt).toBeInstanceOf(Date)
  await preview().shot(bureau.page, '77-bureau-certified')

  // The county now counts two demonstration schools.
  await openRoute(bureau.page, cloud.url, BUREAU_PROGRAMME)
  await see(bureau.page, '全县协同育人示范学校').waitFor()
  await bureau.page.locator('.bp__progress-value', { hasText: /^\s*2\s*\/\s*100 所/ }).filter({ visible: true }).waitFor()
  await preview().shot(bureau.page, '78-bureau-progress')
  for (const phone of [bureau, principal]) await phone.context.close()
})
