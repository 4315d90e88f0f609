/**
 * The 示范校 programme pages in the weapp production build, every call answered by the genuine programme function
 * on the local cloud: the principal applies with the 申报表 and self-assesses item by item (evidence uploads
 * included); the bureau follows the county's progress, accepts, evaluates and re-checks — destructive steps only
 * after a confirmation.
 */
import fs from 'fs'
import os from 'os'
import path from 'path'
import { startLocalCloud } from '../../localcloud'
import { P, seedWorld, W } from '../../server/fixtures'
import { FORM, ROUND, seedApplication, seedRound, selfItems } from '../../server/functions/programme/fixtures'
import { buildFunctionsOnce } from '../../server/testing'
import { bootMiniProgram, localCloudResponder, waitFor, type MiniProgram, type PageHandle } from './harness'

jest.setTimeout(30000)

type LocalCloud = Awaited<ReturnType<typeof startLocalCloud>>
const SCHOOL_PAGE = '/packages/school/pages/programme/index'
const BUREAU_PAGE = '/packages/bureau/pages/programme/index'
const APPLICATION = '/packages/bureau/pages/application/index'

let dataDir: string
let cloud: LocalCloud
let mp: MiniProgram | null = null

beforeAll(async () => {
  buildFunctionsOnce()
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'weapp-programme-'))
  cloud = await startLocalCloud({ dataDir })
})
afterAll(async () => {
  await cloud?.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})
beforeEach(() => {
  seedWorld(cloud)
  seedRound(cloud)
})
afterEach(async () => {
  await mp?.close()
  mp = null
})

interface StoredApplication {
  status: string
  certifiedAt: unknown
  revokedAt: unknown
  expertTotal: number | null
  selfAssessment: { items: Array<{ key: string; score: number | null; note: string; evidence: Array<{ fileID: string; name: string }> }> } | null
  [field: string]: unknown
}
const appDoc = (id = `${ROUND}_${W.school}`) => cloud.store.find('programmeApplications', { _id: id })[0] as StoredApplication | undefined

async function open(openid: string, url: string, follow = false): Promise<PageHandle> {
  mp = await bootMiniProgram({ cloud: localCloudResponder(cloud, openid), followNavigation: follow })
  return mp.openPage(url)
}

/** The dialog's confirm button (NutUI renders the footer buttons with these classes). */
async function confirmDialog(page: PageHandle, text: string) {
  await page.waitForText(text)
  const ok = page.querySelectorAll('.nut-dialog-footer-ok').find((el) => el.textContent?.trim())
  if (!ok) throw new Error(`no confirm button; page shows ${page.text()}`)
  await page.tap(ok)
}

describe('the principal', () => {
  test('applies to an open round with the 申报表 (school fields from the school record) and sees it waiting', async () => {
    const page = await open(P.adminOfThis, SCHOOL_PAGE)
    await page.waitForText('2026年度示范校创建')
    expect(page.text()).toContain('申报截止 2099-12-31')
    await page.tap('填写申报表')
    await page.waitForText('示范学校建设申报表')
    expect(page.text()).toContain('学校名称：城关第一小学')
    expect(page.text()).toContain('所属学区：城关学区')
    await page.type('.sp__input--leader', FORM.leaderName)
    await page.type('.sp__input--phone', FORM.phone)
    await page.type('.sp__textarea--basis', FORM.basis)
    await page.type('.sp__textarea--goals', FORM.goals)
    await page.type('.sp__textarea--plan', FORM.plan)
    await page.tap('提交申报')
    await page.waitForText('申报表已提交，等待县教育局受理')
    await page.waitForText('修改申报表')
    expect(page.text()).toContain('待受理')
    expect(appDoc()).toMatchObject({ status: 'submitted', schoolName: '城关第一小学', leaderName: FORM.leaderName, phone: FORM.phone, plan: FORM.plan })
  })

  test('a wrong phone number is caught on the phone, and nothing is sent', async () => {
    const page = await open(P.adminOfThis, SCHOOL_PAGE)
    await page.waitForText('填写申报表')
    await page.tap('填写申报表')
    await page.type('.sp__input--leader', FORM.leaderName)
    await page.type('.sp__input--phone', '12345')
    await page.type('.sp__textarea--basis', FORM.basis)
    await page.type('.sp__textarea--goals', FORM.goals)
    await page.type('.sp__textarea--plan', FORM.plan)
    await page.tap('提交申报')
    await page.waitForText(/联系电话应为 11 位手机号/)
    expect(mp!.callsTo('programme', 'apply')).toHaveLength(0)
    expect(appDoc()).toBeUndefined()
  })

  test('a declined application shows the bureau’s reason', async () => {
    seedApplication(cloud, 'declined')
    const page = await open(P.adminOfThis, SCHOOL_PAGE)
    await page.waitForText('不予受理的原因：创建基础材料不完整')
    expect(page.text()).toContain('未受理')
  })

  test('self-assesses item by item and saves a draft; submitting with items unscored is refused with the list', async () => {
    const id = seedApplication(cloud, 'creating')
    const page = await open(P.adminOfThis, SCHOOL_PAGE)
    await page.waitForText('自查自评（对照认定标准）')
    expect(page.text()).toContain('已评分 0/18 项')
    await page.tap('领导小组与工作机制')
    await page.waitForText(/成立学校家庭社会协同育人工作领导小组/)
    await page.type('.sp__score--org-leadership', '4')
    await page.type('.sp__note--org-leadership', '领导小组已成立，每月例会')
    expect(page.text()).toContain('4/100 分')
    await page.tap('保存草稿')
    await page.waitForText('草稿已保存')
    expect(appDoc(id)?.selfAssessment?.items).toEqual([{ key: 'org-leadership', score: 4, note: '领导小组已成立，每月例会', evidence: [] }])
    expect(appDoc(id)?.status).toBe('creating')

    await page.tap('提交自查自评')
    await confirmDialog(page, '提交自查自评？')
    await page.waitForText(/还有 17 项没有自评打分/)
    expect(appDoc(id)?.status).toBe('creating')
  })

  test('a score above the item’s points is caught on the phone', async () => {
    seedApplication(cloud, 'creating')
    const page = await open(P.adminOfThis, SCHOOL_PAGE)
    await page.waitForText('自查自评（对照认定标准）')
    await page.tap('一校一案')
    await page.type('.sp__score--org-plan', '9')
    await page.tap('保存草稿')
    await page.waitForText('「一校一案」的得分应为 0–5 的整数')
    expect(mp!.callsTo('programme', 'saveSelfAssessment')).toHaveLength(0)
  })

  test('uploads a photo as evidence into the school’s folder, saved to the draft at once', async () => {
    const id = seedApplication(cloud, 'creating')
    const page = await open(P.adminOfThis, SCHOOL_PAGE)
    type Options = { cloudPath?: string; success?: (res: unknown) => void }
    const wx = mp!.wx as { chooseMedia?: (o: Options) => unknown; cloud: { uploadFile?: (o: Options) => unknown } }
    const uploads: string[] = []
    // The photo the principal picks, and its upload (answered as WeChat does: callbacks when given, else a promise).
    const answer = (o: Options, res: unknown) => {
      if (o?.success) setTimeout(() => o.success?.(res))
      return Promise.resolve(res)
    }
    wx.chooseMedia = (o) => answer(o, { errMsg: 'chooseMedia:ok', type: 'image', tempFiles: [{ tempFilePath: 'http://tmp/abc.jpg', size: 2048, fileType: 'image' }] })
    wx.cloud.uploadFile = (o) => {
      uploads.push(String(o.cloudPath))
      return answer(o, { errMsg: 'cloud.uploadFile:ok', fileID: cloud.storage.put(String(o.cloudPath), Buffer.from('jpeg')) })
    }
    await page.waitForText('家长学校授课')
    await page.tap('家长学校授课')
    await page.tap('上传图片')
    await page.waitForText('已上传 1 个材料并保存到草稿')
    expect(uploads).toEqual([expect.stringMatching(new RegExp(`^programme/${W.school}/\\d+-0-照片1\\.jpg$`))])
    await page.waitForText('【图片】照片1.jpg')
    const saved = appDoc(id)?.selfAssessment?.items.find((i) => i.key === 'guidance-lectures')
    expect(saved?.evidence).toEqual([{ fileID: expect.stringContaining(`/programme/${W.school}/`), name: '照片1.jpg' }])
  })

  test('submits the self-assessment after confirming, and then sees it waiting for the experts', async () => {
    const id = seedApplication(cloud, 'creating')
    await cloud.invoke('programme', { action: 'saveSelfAssessment', data: { applicationId: id, items: selfItems(1) } }, { openid: P.adminOfThis })
    const page = await open(P.adminOfThis, SCHOOL_PAGE)
    await page.waitForText('已评分 18/18 项')
    expect(page.text()).toContain('99/100 分')
    await page.tap('提交自查自评')
    await confirmDialog(page, '提交自查自评？')
    await page.waitForText('自查自评已提交，等待县教育局组织专家评估')
    await page.waitForText('已自评，待评估')
    expect(appDoc(id)).toMatchObject({ status: 'selfAssessed', selfTotal: 99 })
    expect(page.text()).not.toContain('保存草稿')
  })
})

describe('the bureau', () => {
  test('sees the progress toward 100 schools and the applications with phones masked; filters by status', async () => {
    seedApplication(cloud, 'submitted')
    seedApplication(cloud, 'certified', { schoolId: W.otherSchool })
    const page = await open(P.bureau, BUREAU_PAGE)
    await page.waitForText('南湖初级中学')
    await page.waitForText('城关第一小学')
    expect(page.text()).toMatch(/全县协同育人示范学校 ?1 ?\/ 100 所/)
    expect(page.text()).toContain('138****5678')
    expect(page.text()).not.toContain('13812345678')
    expect(page.text()).toContain('学校申报（2）')
    await page.tap('.bp__chip--submitted')
    await waitFor(() => mp!.callsTo('programme', 'listApplications').some((c) => (c.data.data as { status?: string }).status === 'submitted'))
    await waitFor(() => !page.hasText('南湖初级中学'), { message: () => page.text() })
    expect(page.text()).toContain('城关第一小学')
  })

  test('opens a round after filling the form', async () => {
    const page = await open(P.bureau, BUREAU_PAGE)
    await page.waitForText('开启新批次')
    await page.tap('开启新批次')
    await page.type('.bp__input--name', '2027年度示范校创建')
    await page.type('.bp__input--year', '2027')
    await page.type('.bp__input--deadline', '2099-03-01')
    await page.tap('开启批次')
    await page.waitForText('创建批次已开启，各校可在截止日期前申报')
    expect(cloud.store.count('programmeRounds', { name: '2027年度示范校创建', deadline: '2099-03-01' })).toBe(1)
  })

  test('opens an application from the list', async () => {
    const id = seedApplication(cloud, 'submitted')
    const page = await open(P.bureau, BUREAU_PAGE, true)
    await page.waitForText('城关第一小学')
    await page.tap('城关第一小学')
    const detail = await mp!.waitForPage(APPLICATION)
    expect(detail.query).toEqual({ id })
    await detail.waitForText('负责人：严明 · 13812345678')
    expect(detail.text()).toContain(FORM.plan)
  })

  test('accepts only after confirming', async () => {
    const id = seedApplication(cloud, 'submitted')
    const page = await open(P.bureau, `${APPLICATION}?id=${id}`)
    await page.waitForText('受理申报')
    await page.tap('受理申报')
    await page.waitForText('受理该校的申报？')
    const cancel = page.querySelectorAll('.nut-dialog-footer-cancel').find((el) => el.textContent?.trim())
    await page.tap(cancel!)
    expect(mp!.callsTo('programme', 'decideApplication')).toHaveLength(0)
    await page.tap('受理申报')
    await confirmDialog(page, '受理该校的申报？')
    await page.waitForText('已受理，该校进入创建期')
    expect(appDoc(id)?.status).toBe('creating')
    expect(page.text()).toContain('创建中')
  })

  test('declining keeps the dialog open until a reason is given', async () => {
    const id = seedApplication(cloud, 'submitted')
    const page = await open(P.bureau, `${APPLICATION}?id=${id}`)
    await page.waitForText('不予受理')
    await page.tap('.ba__buttons .nut-button:last-child')
    await confirmDialog(page, '不予受理该校的申报？')
    await page.waitForText('请填写原因，学校会看到')
    expect(mp!.callsTo('programme', 'decideApplication')).toHaveLength(0)
    await page.type('.ba__reason', '创建基础材料不完整')
    await confirmDialog(page, '不予受理该校的申报？')
    await page.waitForText('已不予受理，学校会看到原因')
    expect(appDoc(id)).toMatchObject({ status: 'declined', declineReason: '创建基础材料不完整' })
  })

  test('evaluates from the school’s own scores, with a comment, and certifies after confirming', async () => {
    const id = seedApplication(cloud, 'selfAssessed')
    const page = await open(P.bureau, `${APPLICATION}?id=${id}`)
    await page.waitForText('专家评分合计：95/100 分')
    await page.type('.ba__score--visits-home', '3')
    await page.waitForText('专家评分合计：93/100 分')
    await page.type('.ba__textarea--comment', '实地查看，材料属实')
    await page.tap('认定通过')
    await confirmDialog(page, '认定通过并授予称号？')
    await page.waitForText('已认定通过，授予协同育人示范学校称号')
    const doc = appDoc(id)!
    expect(doc.status).toBe('certified')
    expect(doc.certifiedAt).toBeInstanceOf(Date)
    expect(doc.expertTotal).toBe(93)
    expect(page.text()).toContain('复查')
  })

  test('revokes a title only after confirming', async () => {
    const id = seedApplication(cloud, 'certified')
    const page = await open(P.bureau, `${APPLICATION}?id=${id}`)
    await page.waitForText('撤销称号')
    await page.type('.ba__textarea--recheck', '复查发现家委会代收费用')
    await page.tap('撤销称号')
    await page.waitForText('撤销示范校称号？')
    await page.tap(page.querySelectorAll('.nut-dialog-footer-cancel').find((el) => el.textContent?.trim())!)
    expect(mp!.callsTo('programme', 'recheck')).toHaveLength(0)
    expect(appDoc(id)?.status).toBe('certified')
    await page.tap('撤销称号')
    await confirmDialog(page, '撤销示范校称号？')
    await page.waitForText('已撤销示范校称号')
    expect(appDoc(id)?.revokedAt).toBeInstanceOf(Date)
    expect(page.text()).toContain('已撤销称号')
  })
})
