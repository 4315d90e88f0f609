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
const DAY = 86400_000
/** Changes stored fields of an application directly (e.g. an acceptance a month ago: the creation year not over). */
function patch(id: string, fields: Record<string, unknown>) {
  const doc = cloud.store.find('programmeApplications', { _id: id })[0]
  cloud.store.commit([{ coll: 'programmeApplications', key: id, after: { ...doc, ...fields } }])
}

type Options = { cloudPath?: string; success?: (res: unknown) => void }
/** Answered as WeChat does: callbacks when given, else a promise. */
const answer = (o: Options, res: unknown) => {
  if (o?.success) setTimeout(() => o.success?.(res))
  return Promise.resolve(res)
}
type Wx = {
  chooseMedia?: (o: Options) => unknown
  chooseMessageFile?: (o: Options) => unknown
  enableAlertBeforeUnload?: (o: unknown) => unknown
  cloud: { uploadFile?: (o: Options) => unknown }
}

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

  test('self-assesses item by item and saves a draft; submitting with items unscored is refused with the list, before any confirmation', async () => {
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
    await page.waitForText(/还有 17 项没有自评打分：「一校一案」、「家长学校建设」/)
    expect(page.text()).not.toContain('提交自查自评？')
    expect(mp!.callsTo('programme', 'submitSelfAssessment')).toHaveLength(0)
    // the first missing item is opened to be scored
    await page.waitForSelector('.sp__score--org-plan')
    expect(appDoc(id)?.status).toBe('creating')
  })

  test('edits are saved automatically 1.5 s after the last change, with the state shown', async () => {
    const id = seedApplication(cloud, 'creating')
    const page = await open(P.adminOfThis, SCHOOL_PAGE)
    await page.waitForText('填写的内容会自动保存为草稿')
    expect(page.text()).not.toContain('草稿随时保存在云端')
    await page.tap('家长学校建设')
    await page.type('.sp__score--guidance-school', '5')
    await page.type('.sp__note--guidance-school', '指导委员会已成立')
    await page.waitForText('有修改，稍后自动保存…')
    expect(mp!.callsTo('programme', 'saveSelfAssessment')).toHaveLength(0)
    await page.waitForText(/已自动保存（\d{2}:\d{2}）/, 5000)
    expect(mp!.callsTo('programme', 'saveSelfAssessment')).toHaveLength(1)
    expect(appDoc(id)?.selfAssessment?.items).toEqual([{ key: 'guidance-school', score: 5, note: '指导委员会已成立', evidence: [] }])
    // typing on while nothing changes in the cloud: one save per pause, the latest text
    await page.type('.sp__note--guidance-school', '指导委员会已成立，制度上墙')
    await waitFor(() => appDoc(id)?.selfAssessment?.items[0]?.note === '指导委员会已成立，制度上墙', { timeout: 5000 })
    expect(mp!.callsTo('programme', 'saveSelfAssessment')).toHaveLength(2)
  })

  test('leaving the page right after typing saves what was typed', async () => {
    const id = seedApplication(cloud, 'creating')
    const page = await open(P.adminOfThis, SCHOOL_PAGE)
    await page.waitForText('领导小组与工作机制')
    await page.tap('领导小组与工作机制')
    await page.type('.sp__note--org-leadership', '每月例会，记录齐全')
    expect(mp!.callsTo('programme', 'saveSelfAssessment')).toHaveLength(0)
    page.unload()
    await waitFor(() => appDoc(id)?.selfAssessment?.items[0]?.note === '每月例会，记录齐全', { timeout: 3000 })
  })

  test('a draft the cloud will not take is shown as not saved, and WeChat asks before the page is left', async () => {
    const id = seedApplication(cloud, 'creating')
    const page = await open(P.adminOfThis, SCHOOL_PAGE)
    const alerts: unknown[] = []
    ;(mp!.wx as Wx).enableAlertBeforeUnload = (o) => {
      alerts.push(o)
      return answer(o as Options, { errMsg: 'enableAlertBeforeUnload:ok' })
    }
    await page.waitForText('一校一案')
    // meanwhile the self-assessment was submitted from another phone: this one's draft can no longer be saved
    patch(id, { status: 'selfAssessed' })
    await page.tap('一校一案')
    await page.type('.sp__score--org-plan', '4')
    await page.waitForText('自动保存失败', 5000)
    await waitFor(() => alerts.length > 0)
    expect(alerts[0]).toMatchObject({ message: expect.stringContaining('还没有保存') })
  })

  test('a score above the item’s points is capped at them (and said), so the draft still saves', async () => {
    const id = seedApplication(cloud, 'creating')
    const page = await open(P.adminOfThis, SCHOOL_PAGE)
    await page.waitForText('一校一案')
    await page.tap('一校一案')
    await page.type('.sp__score--org-plan', '9')
    await page.waitForText('「一校一案」满分 5 分，已按 5 分记')
    await page.tap('保存草稿')
    await page.waitForText('草稿已保存')
    expect(appDoc(id)?.selfAssessment?.items).toEqual([expect.objectContaining({ key: 'org-plan', score: 5 })])
  })

  test('submitting before the creation year is over is refused on the phone, naming the day, before any confirmation', async () => {
    const id = seedApplication(cloud, 'creating')
    await cloud.invoke('programme', { action: 'saveSelfAssessment', data: { applicationId: id, items: selfItems(1) } }, { openid: P.adminOfThis })
    const accepted = new Date(Date.now() - 30 * DAY)
    patch(id, { acceptedAt: accepted })
    const ends = new Date(accepted.getTime() + 8 * 3600_000)
    ends.setUTCFullYear(ends.getUTCFullYear() + 1)
    const day = `${ends.getUTCFullYear()}年${ends.getUTCMonth() + 1}月${ends.getUTCDate()}日`
    const page = await open(P.adminOfThis, SCHOOL_PAGE)
    await page.waitForText('已评分 18/18 项')
    expect(page.text()).toContain(`创建期满：${day}`)
    expect(page.text()).toContain(`一年创建期满（${day}）后才能提交自查自评`)
    await page.tap('提交自查自评')
    await page.waitForText(`一年创建期满（${day}）后才能提交自查自评，在此之前可以继续填写、保存草稿`)
    expect(page.text()).not.toContain('提交自查自评？')
    expect(mp!.callsTo('programme', 'submitSelfAssessment')).toHaveLength(0)
    // drafts are still saved
    await page.tap('保存草稿')
    await page.waitForText('草稿已保存')
    expect(appDoc(id)?.status).toBe('creating')
  })

  test('取消 on the 申报表 asks before dropping what was typed; with nothing typed it just closes', async () => {
    const page = await open(P.adminOfThis, SCHOOL_PAGE)
    await page.waitForText('填写申报表')
    await page.tap('填写申报表')
    await page.waitForText('示范学校建设申报表')
    await page.tap('.sp__cancel')
    await waitFor(() => !page.hasText('示范学校建设申报表'))
    expect(page.text()).not.toContain('放弃填写的内容？')

    await page.tap('填写申报表')
    await page.type('.sp__textarea--basis', FORM.basis)
    await page.tap('.sp__cancel')
    await page.waitForText('放弃填写的内容？')
    await page.tap(page.querySelectorAll('.nut-dialog-footer-cancel').find((el) => el.textContent?.trim())!)
    await waitFor(() => !page.hasText('放弃填写的内容？'))
    expect(page.text()).toContain('示范学校建设申报表')
    expect(page.text()).toContain(`${FORM.basis.length}/1000`) // what was typed is still there
    await page.tap('.sp__cancel')
    await confirmDialog(page, '放弃填写的内容？')
    await waitFor(() => !page.hasText('示范学校建设申报表'))
    expect(mp!.callsTo('programme', 'apply')).toHaveLength(0)
  })

  test('uploads a photo as evidence into the school’s folder, saved to the draft at once', async () => {
    const id = seedApplication(cloud, 'creating')
    const page = await open(P.adminOfThis, SCHOOL_PAGE)
    const wx = mp!.wx as Wx
    const uploads: string[] = []
    // The photo the principal picks, and its upload.
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

  test('a file that is not an image or a document is refused before it is uploaded, and later saves still work', async () => {
    const id = seedApplication(cloud, 'creating')
    const page = await open(P.adminOfThis, SCHOOL_PAGE)
    const wx = mp!.wx as Wx
    const uploads: string[] = []
    wx.chooseMessageFile = (o) => answer(o, { errMsg: 'chooseMessageFile:ok', tempFiles: [{ path: 'http://tmp/evil.exe', name: 'evil.exe', size: 4096, type: 'file' }] })
    wx.cloud.uploadFile = (o) => {
      uploads.push(String(o.cloudPath))
      return answer(o, { errMsg: 'cloud.uploadFile:ok', fileID: cloud.storage.put(String(o.cloudPath), Buffer.from('x')) })
    }
    await page.waitForText('家长学校授课')
    await page.tap('家长学校授课')
    await page.tap('上传文档')
    await page.waitForText('「evil.exe」不是图片或文档，不能作为佐证材料。请上传图片（jpg、jpeg、png、webp、gif、heic）或文档（pdf、doc、docx、xls、xlsx、ppt、pptx）')
    expect(uploads).toEqual([])
    expect(page.text()).not.toContain('【文档】evil.exe')
    expect(mp!.callsTo('programme', 'saveSelfAssessment')).toHaveLength(0)

    // a document afterwards is uploaded and saved; so is a score
    wx.chooseMessageFile = (o) => answer(o, { errMsg: 'chooseMessageFile:ok', tempFiles: [{ path: 'http://tmp/a.pdf', name: '签到表.pdf', size: 4096, type: 'file' }] })
    await page.tap('上传文档')
    await page.waitForText('已上传 1 个材料并保存到草稿')
    await page.type('.sp__score--guidance-lectures', '9')
    await page.tap('保存草稿')
    await page.waitForText('草稿已保存')
    expect(appDoc(id)?.selfAssessment?.items).toEqual([
      { key: 'guidance-lectures', score: 9, note: '', evidence: [{ fileID: expect.stringContaining(`/programme/${W.school}/`), name: '签到表.pdf' }] }
    ])
  })

  test('a file the cloud refuses never stays in the draft (it would block every later save)', async () => {
    const id = seedApplication(cloud, 'creating')
    const page = await open(P.adminOfThis, SCHOOL_PAGE)
    const wx = mp!.wx as Wx
    wx.chooseMessageFile = (o) => answer(o, { errMsg: 'chooseMessageFile:ok', tempFiles: [{ path: 'http://tmp/a.pdf', name: '他校材料.pdf', size: 4096, type: 'file' }] })
    // the upload lands somewhere that is not this school's folder
    wx.cloud.uploadFile = (o) => answer(o, { errMsg: 'cloud.uploadFile:ok', fileID: cloud.storage.put(`programme/${W.otherSchool}/x-他校材料.pdf`, Buffer.from('x')) })
    await page.waitForText('家长学校授课')
    await page.tap('家长学校授课')
    await page.tap('上传文档')
    await page.waitForText(/「他校材料\.pdf」不是本校上传的图片或文档.*（该材料未保存）/)
    await waitFor(() => !page.hasText('【文档】他校材料.pdf'), { message: () => page.text() })
    // the next edit is saved as usual
    await page.type('.sp__score--guidance-lectures', '8')
    await page.tap('保存草稿')
    await page.waitForText('草稿已保存')
    expect(appDoc(id)?.selfAssessment?.items).toEqual([{ key: 'guidance-lectures', score: 8, note: '', evidence: [] }])
  })

  test('before submitting, a veto item at 0 is pointed out in the confirmation', async () => {
    const id = seedApplication(cloud, 'creating')
    const items = selfItems().map((i) => (i.key === 'committee-no-fees' ? { ...i, score: 0 } : i))
    await cloud.invoke('programme', { action: 'saveSelfAssessment', data: { applicationId: id, items } }, { openid: P.adminOfThis })
    const page = await open(P.adminOfThis, SCHOOL_PAGE)
    await page.waitForText('已评分 18/18 项')
    await page.tap('提交自查自评')
    await page.waitForText('是一票否决项，自评 0 分将不能通过认定')
    expect(mp!.callsTo('programme', 'submitSelfAssessment')).toHaveLength(0)
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

  test('accepts only after confirming; the school’s hints are not shown to the bureau', async () => {
    const id = seedApplication(cloud, 'submitted')
    const page = await open(P.bureau, `${APPLICATION}?id=${id}`)
    await page.waitForText('受理申报')
    expect(page.text()).toContain('学校已提交申报表，请审阅后受理或不予受理。')
    expect(page.text()).not.toContain('受理前可以修改申报表')
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

  test('certifying below the suggested 85 points asks with a reminder of the total', async () => {
    const id = seedApplication(cloud, 'selfAssessed')
    const page = await open(P.bureau, `${APPLICATION}?id=${id}`)
    await page.waitForText('专家评分合计：95/100 分')
    await page.type('.ba__score--guidance-lectures', '0')
    await page.waitForText('专家评分合计：85/100 分')
    await page.type('.ba__score--visits-home', '3')
    await page.waitForText('专家评分合计：83/100 分')
    await page.type('.ba__textarea--comment', '实地查看，尚需完善')
    await page.tap('认定通过')
    await page.waitForText('专家评分合计 83 分，低于建议的认定分数 85 分，请确认。')
    expect(mp!.callsTo('programme', 'evaluate')).toHaveLength(0)
    await confirmDialog(page, '认定通过并授予称号？')
    await page.waitForText('已认定通过，授予协同育人示范学校称号')
    expect(appDoc(id)).toMatchObject({ status: 'certified', expertTotal: 83 })
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

  test('a veto item at 0 disables 认定通过 (grey, not pink) and says why next to it', async () => {
    const id = seedApplication(cloud, 'selfAssessed')
    const page = await open(P.bureau, `${APPLICATION}?id=${id}`)
    await page.waitForText('专家评分合计：95/100 分')
    expect(page.classesOf('.ba__pass')).not.toContain('nut-button-disabled')
    await page.type('.ba__score--committee-no-fees', '0')
    await page.waitForText('一票否决项得 0 分，不能认定通过（「家长委员会规范管理」）')
    expect(page.classesOf('.ba__pass')).toContain('nut-button-disabled')
    // the app's theme (every page) makes a disabled primary button grey
    const scss = fs.readFileSync(path.resolve(__dirname, '../../src/components/PageShell.scss'), 'utf8')
    expect(scss).toMatch(/--nutui-button-primary-disabled: #c3ccc7;/)
    await page.tap('.ba__pass')
    expect(page.text()).not.toContain('认定通过并授予称号？')
    expect(mp!.callsTo('programme', 'evaluate')).toHaveLength(0)
  })

  test('限时整改: a wrong or past deadline is caught before the confirmation', async () => {
    const id = seedApplication(cloud, 'certified')
    const page = await open(P.bureau, `${APPLICATION}?id=${id}`)
    await page.waitForText('限时整改')
    await page.type('.ba__textarea--recheck', '分班授课不足')
    await page.type('.ba__input--deadline', '2099/06/30')
    await page.tap('限时整改')
    await page.waitForText('整改期限格式应为 YYYY-MM-DD，例如 2026-03-01')
    expect(page.text()).not.toContain('责成限时整改？')
    await page.type('.ba__input--deadline', '2024-06-30')
    await page.tap('限时整改')
    await page.waitForText('整改期限不能早于今天')
    expect(page.text()).not.toContain('责成限时整改？')
    await page.type('.ba__input--deadline', '2099-02-30')
    await page.tap('限时整改')
    await page.waitForText('整改期限不是有效的日期')
    expect(mp!.callsTo('programme', 'recheck')).toHaveLength(0)
    await page.type('.ba__input--deadline', '2099-06-30')
    await page.tap('限时整改')
    await confirmDialog(page, '责成限时整改？')
    await page.waitForText('已责成限时整改')
    expect(appDoc(id)).toMatchObject({ status: 'rectifying', rectifyDeadline: '2099-06-30' })
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

describe('anyone else', () => {
  const DENIED = '仅县教育局可以管理示范校创建'
  test.each([
    ['a teacher', P.teacherOfThis],
    ['a parent', P.guardianOfThis],
    ['a principal', P.adminOfThis]
  ])('%s opening the bureau’s programme page by its address sees one message and a way back, nothing else', async (_who, openid) => {
    seedApplication(cloud, 'submitted')
    const page = await open(openid, BUREAU_PAGE, false)
    await page.waitForText(DENIED)
    await mp!.settle()
    const text = page.text()
    expect(text.split(DENIED)).toHaveLength(2)
    for (const hidden of ['您没有权限', '100 所', '开启新批次', '2026年度示范校创建', '城关第一小学', '学校申报']) expect(text).not.toContain(hidden)
    await page.tap('返回')
    // opened with nothing to go back to: the launch page takes the user home
    expect(mp!.navigations).toEqual([{ type: 'reLaunch', url: '/pages/launch/index' }])
  })

  test('a principal opening the bureau’s application page sees the same message', async () => {
    const id = seedApplication(cloud, 'submitted')
    const page = await open(P.adminOfThis, `${APPLICATION}?id=${id}`, false)
    await page.waitForText(DENIED)
    expect(page.text()).not.toContain('受理申报')
    expect(page.text()).not.toContain(FORM.plan)
  })

  test.each([
    ['a teacher', P.teacherOfThis],
    ['the bureau', P.bureau]
  ])('%s opening the school’s programme page sees one message and a way back', async (_who, openid) => {
    const page = await open(openid, SCHOOL_PAGE, false)
    await page.waitForText('仅学校管理员可以申报示范校创建')
    await mp!.settle()
    expect(page.text()).not.toContain('2026年度示范校创建')
    expect(page.text()).not.toContain('您没有权限')
    await page.tap('返回')
    expect(mp!.navigations).toEqual([{ type: 'reLaunch', url: '/pages/launch/index' }])
  })

  test('返回 goes back when there is a page to go back to', async () => {
    mp = await bootMiniProgram({ cloud: localCloudResponder(cloud, P.teacherOfThis), followNavigation: false })
    await mp.openPage('/pages/privacy/index')
    const page = await mp.openPage(BUREAU_PAGE)
    await page.waitForText(DENIED)
    await page.tap('返回')
    expect(mp.navigations).toEqual([{ type: 'navigateBack', delta: 1 }])
  })
})
