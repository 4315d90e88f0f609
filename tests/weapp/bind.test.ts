/**
 * The guardian's bind page in the weapp production build: typing the class code, the child's name and the number
 * suffix, choosing the relation, and binding — with every call answered by the genuine binding function.
 */
import fs from 'fs'
import os from 'os'
import path from 'path'
import { startLocalCloud } from '../../localcloud'
import { P, seedWorld, W } from '../../server/fixtures'
import { buildFunctionsOnce } from '../../server/testing'
import { bootMiniProgram, localCloudResponder, type MiniProgram } from './harness'

type LocalCloud = Awaited<ReturnType<typeof startLocalCloud>>
const BIND = '/packages/guardian/pages/bind/index'

let dataDir: string
let cloud: LocalCloud
let mp: MiniProgram | null = null

beforeAll(async () => {
  buildFunctionsOnce()
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'weapp-bind-'))
  cloud = await startLocalCloud({ dataDir })
})
afterAll(async () => {
  await cloud?.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})
beforeEach(() => seedWorld(cloud))
afterEach(async () => {
  await mp?.close()
  mp = null
})

async function fill(openid: string, values: { code: string; name: string; suffix: string; relation: string }) {
  mp = await bootMiniProgram({ cloud: localCloudResponder(cloud, openid), followNavigation: false })
  const page = await mp.openPage(BIND)
  await page.waitForText('班级码')
  await page.type('.bind__input--code', values.code)
  await page.type('.bind__input--name', values.name)
  await page.type('.bind__input--suffix', values.suffix)
  await page.tap(values.relation)
  await page.tap('绑定')
  return page
}

test('an exact roster match binds at once and says so', async () => {
  const page = await fill(P.grandpa, { code: W.classCode.toLowerCase(), name: '李华', suffix: '5678', relation: '祖父母' })
  await page.waitForText('绑定成功')
  expect(page.text()).toContain('李华 · 城关第一小学 一年级（1）班')
  expect(mp!.callsTo('binding', 'bindChild').map((c) => c.data.data)).toEqual([
    { classCode: W.classCode, childName: '李华', studentNoSuffix: '5678', relation: '祖父母' }
  ])
  expect(cloud.store.count('memberships', { openid: P.grandpa, studentId: W.sibling, status: 'active', relation: '祖父母' })).toBe(1)
})

test('a near miss is sent to the head teacher', async () => {
  const page = await fill(P.grandpa, { code: W.classCode, name: '李桦', suffix: '5678', relation: '父亲' })
  await page.waitForText('已提交给班主任审核')
  expect(cloud.store.count('bindingRequests', { openid: P.grandpa, status: 'pending' })).toBe(1)
})

test('a wrong class code shows the Chinese message and binds nothing', async () => {
  const page = await fill(P.grandpa, { code: 'ZZZZ99', name: '李华', suffix: '5678', relation: '父亲' })
  await page.waitForText('班级码不正确，请向班主任核对')
  expect(cloud.store.count('memberships', { openid: P.grandpa })).toBe(0)
})

test('a missing relation is caught on the phone, with no call made', async () => {
  mp = await bootMiniProgram({ cloud: localCloudResponder(cloud, P.grandpa), followNavigation: false })
  const page = await mp.openPage(BIND)
  await page.type('.bind__input--code', W.classCode)
  await page.type('.bind__input--name', '李华')
  await page.type('.bind__input--suffix', '5678')
  await page.tap('绑定')
  await page.waitForText('请选择您与孩子的关系')
  expect(mp.callsTo('binding', 'bindChild')).toHaveLength(0)
})

test('a guardian who has not consented is told so, with the way to the rules', async () => {
  const page = await fill(P.unconsented, { code: W.classCode, name: '李华', suffix: '5678', relation: '母亲' })
  await page.waitForText('去阅读并同意 ›')
  expect(page.text()).toContain('请先阅读并同意')
})
