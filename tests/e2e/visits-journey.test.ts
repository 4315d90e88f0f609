/**
 * Issue 5 journey: a head teacher logs a phone contact and a home visit with a photo, marks the student 留守儿童;
 * a month later the follow-up is due — on the to-do list, in "my work" and as a subscribe message — and the
 * class's coverage has moved. Screenshots in artifacts/e2e/ (80–89).
 */
import zlib from 'node:zlib'
import type { Page } from 'playwright-core'
import { buildDemoData } from '../../demo/demo-data'
import { semesterOf } from '@/shared/calendar'
import { openRoute, previewForThisFile, see, signInAs, tapOn } from './browser'

jest.setTimeout(240_000)
const preview = previewForThisFile()

const demo = buildDemoData()
const teacher = demo.demoUsers.find((u) => u.roleLabel === '教师' && u.name.endsWith('（班主任）'))!
const CLASS = 'school-chengguan-primary-c01'
const DAY = 86_400_000

/** A small PNG photo (a green square with a lighter band), made here so the test needs no file. */
function photo(): Buffer {
  const w = 120
  const h = 90
  const raw = Buffer.alloc((w * 3 + 1) * h)
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0
    for (let x = 0; x < w; x++) {
      const o = y * (w * 3 + 1) + 1 + x * 3
      const band = y > 35 && y < 55
      raw[o] = band ? 200 : 31
      raw[o + 1] = band ? 230 : 122
      raw[o + 2] = band ? 210 : 92
    }
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  const crc = (b: Buffer) => {
    let c = 0xffffffff
    for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8)
    return (c ^ 0xffffffff) >>> 0
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const sum = Buffer.alloc(4)
    sum.writeUInt32BE(crc(body))
    return Buffer.concat([len, body, sum])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))])
}

/** The class's T6 numerator as the coverage page shows it ("12 / 40 …"). */
async function contactedShown(page: Page): Promise<number> {
  const parts = page.locator('.sv__value--T6 .sv__parts').filter({ visible: true }).first()
  await parts.waitFor()
  return Number(/\d+/.exec(await parts.innerText())?.[0])
}

async function fillSituation(page: Page, text: string) {
  const box = page.locator('.vl__field textarea').filter({ visible: true }).first()
  await box.fill(text)
}

it('a head teacher logs a phone contact and a home visit with a photo, marks a 留守儿童, and the follow-up comes due', async () => {
  const store = preview().cloud.store
  const { page } = await preview().newPhone()
  await signInAs(page, preview().cloud.url, teacher.name)

  // coverage before: the class's contact coverage this semester
  await tapOn(page, '本班覆盖率')
  const before = await contactedShown(page)
  const semester = semesterOf(Date.now())
  const contactedInDb = () =>
    new Set(store.find('visitRecords', { classId: CLASS }).filter((r) => new Date(String(r.date)).getTime() >= semester.start).map((r) => r.studentId)).size
  expect(before).toBe(contactedInDb())
  await preview().shot(page, '80-teacher-coverage-before')

  // my work: a student not contacted this semester (and not on the registry)
  await page.goBack()
  await tapOn(page, '我的家访任务')
  await page.locator('.ww__item').first().waitFor()
  await preview().shot(page, '81-teacher-my-work')
  await page.locator('.ww__count--notContacted').tap()
  const item = page.locator('.ww__item').filter({ hasNotText: '名册' }).first()
  const name = (await item.locator('.ww__name').innerText()).trim()
  const student = store.find('students', { classId: CLASS, name })[0]
  expect(student).toBeTruthy()
  const studentId = String(student._id)

  // a phone contact
  await item.locator('.ww__log').tap()
  await page.locator('.vl__type').filter({ hasText: '电话' }).first().tap()
  await fillSituation(page, '电话联系母亲，孩子在家能按时完成作业，睡眠正常。')
  await see(page, '草稿已保存').waitFor()
  await tapOn(page, '提交记录')
  await see(page, '记录已提交').waitFor()
  expect(store.find('visitRecords', { studentId, type: '电话' })).toHaveLength(1)

  // a home visit with a photo, from the student's file
  await openRoute(page, preview().cloud.url, `/packages/teacher/pages/file/index?studentId=${studentId}`)
  await tapOn(page, '记录联系/家访')
  await page.locator('.vl__type').filter({ hasText: '入户家访' }).first().tap()
  await fillSituation(page, '入户家访：与祖父母同住，学习环境安静，有独立书桌。')
  const chooser = page.waitForEvent('filechooser')
  await page.locator('.vl__photo--add').first().tap()
  await (await chooser).setFiles({ name: '家访.png', mimeType: 'image/png', buffer: photo() })
  await see(page, '已上传 1 张照片').waitFor()
  await page.locator('.vl__photos img').first().waitFor()
  await preview().shot(page, '82-teacher-home-visit-form')
  await tapOn(page, '提交记录')
  await see(page, '记录已提交').waitFor()
  const [visit] = store.find('visitRecords', { studentId, type: '入户家访' })
  expect(visit.photos).toHaveLength(1)
  expect(String((visit.photos as string[])[0])).toContain(`/visit-photos/${studentId}/`)
  expect(preview().cloud.storage.read(String((visit.photos as string[])[0]))?.length ?? 0).toBeGreaterThan(100)

  // the file: both records, newest first, the photo shown; the read is in the audit log
  await openRoute(page, preview().cloud.url, `/packages/teacher/pages/file/index?studentId=${studentId}`)
  await see(page, '联系概况').waitFor()
  await page.locator('.vr').nth(1).waitFor()
  const photoShown = page.locator('.vr img').first()
  await photoShown.waitFor()
  await photoShown.scrollIntoViewIfNeeded()
  // the photo itself is served by the local cloud's storage through its temporary URL
  await page.waitForFunction((img) => img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0, await photoShown.elementHandle(), { timeout: 10_000 })
  await preview().shot(page, '83-teacher-student-file')
  expect(store.find('auditLog', { studentIds: studentId, what: '查看一人一档' }).length).toBeGreaterThan(0)

  // on the registry as 留守儿童
  await tapOn(page, '登记特殊学生名册')
  await page.locator('.vs__cat').filter({ hasText: '留守儿童' }).tap()
  await preview().shot(page, '84-teacher-mark-special')
  await tapOn(page, '登记到名册')
  await see(page, '特殊学生').waitFor()
  expect(store.find('specialRegistry', { _id: studentId })[0]).toMatchObject({ categories: ['留守儿童'], intervalDays: 30, endedAt: null })

  // the coverage moved by this student
  await openRoute(page, preview().cloud.url, '/packages/stats/pages/coverage/index')
  await expect(contactedShown(page)).resolves.toBe(before + 1)
  expect(contactedInDb()).toBe(before + 1)
  await preview().shot(page, '85-teacher-coverage-after')

  // a month passes without another contact: the records and the registration are moved 31 days back
  const shift = (coll: string, query: Record<string, unknown>, fields: string[]) =>
    store.commit(
      store.find(coll, query).map((d) => ({
        coll,
        key: String(d._id),
        after: { ...d, ...Object.fromEntries(fields.map((f) => [f, new Date(new Date(String(d[f])).getTime() - 31 * DAY)])) }
      }))
    )
  shift('visitRecords', { studentId }, ['date', 'createdAt', 'updatedAt'])
  shift('specialRegistry', { _id: studentId }, ['registeredAt'])

  // the to-do list shows the overdue follow-up; tapping it opens the file
  await openRoute(page, preview().cloud.url, '/pages/todo/index')
  const todo = page.locator('.todo__item').filter({ hasText: name }).first()
  await todo.waitFor()
  await expect(todo.innerText()).resolves.toContain('逾期')
  await preview().shot(page, '86-teacher-todo-overdue')

  // my work lists the student among the overdue ones, which come first; the teacher allows a reminder (simulated in the preview)
  await openRoute(page, preview().cloud.url, '/packages/teacher/pages/work/index')
  await page.locator('.ww__item').first().waitFor()
  const names = (await page.locator('.ww__item .ww__name').allInnerTexts()).map((n) => n.trim())
  const badges = await page.locator('.ww__item .ww__badge').allInnerTexts()
  const at = names.indexOf(name)
  expect(badges[at]).toContain('随访逾期')
  expect(badges.slice(0, at + 1).every((b) => b.includes('随访逾期'))).toBe(true)
  await tapOn(page, '开启随访到期提醒')
  await see(page, '已模拟同意').waitFor()
  await preview().shot(page, '87-teacher-work-overdue')

  // the daily job sends one subscribe message summing up what fell due (the most overdue first), once
  await preview().cloud.fireTimer('visits', 'dailyReminders')
  await preview().cloud.fireTimer('visits', 'dailyReminders')
  const sent = preview().cloud.outbox({ touser: teacher.openid })
  expect(sent).toHaveLength(1)
  expect(sent[0].page).toBe('packages/teacher/pages/work/index')
  expect(sent[0].data.thing1.value).toBe(`${names[0]}等${at + 1}名学生`)
})
