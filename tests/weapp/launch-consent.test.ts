/**
 * Weapp page tests: the production weapp build (dist/weapp) run in miniprogram-simulate (see harness.ts), with
 * every cloud call answered by the genuine `account` function bundle running against the local cloud.
 *
 * Journey: launch → (consent) → role home / role choice, as a WeChat user sees it.
 */
import fs from 'fs'
import os from 'os'
import path from 'path'
import { startLocalCloud } from '../../localcloud'
import { CONSENT_VERSION } from '@/shared/consent'
import { bootMiniProgram, localCloudResponder, waitFor, type MiniProgram } from './harness'

jest.setTimeout(30000)

type LocalCloud = Awaited<ReturnType<typeof startLocalCloud>>

const LAUNCH = '/pages/launch/index'
const CONSENT = 'pages/consent/index'
const ROLES = 'pages/roles/index'
const GUARDIAN_HOME = 'packages/guardian/pages/home/index'
const TEACHER_HOME = 'packages/teacher/pages/home/index'

const GUARDIAN = 'o-guardian-wangfang'

let dataDir: string
let cloud: LocalCloud
let mp: MiniProgram | null = null

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'weapp-tests-'))
  cloud = await startLocalCloud({ dataDir })
})

afterAll(async () => {
  await cloud?.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

beforeEach(() => {
  cloud.store.clear()
})

afterEach(async () => {
  await mp?.close()
  mp = null
})

interface SeedUser {
  openid: string
  displayName: string
  consent?: { status: 'none' | 'accepted' | 'withdrawn'; version: string | null; at: Date | null }
  largeText?: boolean
}

function seedUser(u: SeedUser) {
  cloud.store.insertMany('users', [
    {
      _id: u.openid,
      openid: u.openid,
      displayName: u.displayName,
      consent: u.consent ?? { status: 'none', version: null, at: null },
      preferences: { largeText: u.largeText ?? false }
    }
  ])
}

/** 王芳, a guardian of one pupil at 城关第一小学 who has not yet agreed to the children's-data rules. */
function seedGuardian(opts: { largeText?: boolean } = {}) {
  seedUser({ openid: GUARDIAN, displayName: '王芳', largeText: opts.largeText })
  cloud.store.insertMany('memberships', [
    { openid: GUARDIAN, role: 'guardian', status: 'active', countyId: 'c1', schoolId: 's1', schoolName: '城关第一小学', studentId: 'st1' }
  ])
}

async function boot(openid: string, storage: Record<string, unknown> = {}) {
  mp = await bootMiniProgram({ cloud: localCloudResponder(cloud, openid), storage })
  return mp
}

/** Launches the app and follows it to the consent page. */
async function launchToConsent(openid = GUARDIAN) {
  const app = await boot(openid)
  await app.openPage(LAUNCH)
  const consent = await app.waitForPage(CONSENT)
  await consent.waitForText('同意并继续')
  return { app, consent }
}

describe('launch → consent → guardian home', () => {
  test('a guardian without consent sees the launch screen, then the consent rules in Chinese', async () => {
    seedGuardian()
    const app = await boot(GUARDIAN)

    const launch = await app.openPage(LAUNCH)
    // First paint, before the cloud has answered: the brand and a loading note.
    expect(launch.findByText('共育')?.className).toContain('launch__logo')
    expect(launch.text()).toContain('学校 · 家庭 · 社会 协同育人')
    expect(launch.text()).toContain('正在进入…')
    expect(app.cloudInits).toHaveLength(1) // App.onLaunch initialised the cloud before any call

    const consent = await app.waitForPage(CONSENT)
    expect(app.navigations).toEqual([{ type: 'reLaunch', url: '/' + CONSENT }])
    expect(launch.unloaded).toBe(true)
    expect(app.stack.map((p) => p.route)).toEqual([CONSENT])
    expect(app.callsTo('account', 'whoami')).toHaveLength(1)

    await consent.waitForText('同意并继续')
    const text = consent.text()
    expect(text).toContain('儿童个人信息保护规则')
    expect(text).toContain(`规则版本：${CONSENT_VERSION}`)
    for (const section of ['我们为什么需要孩子的信息', '我们收集哪些信息', '保存多久', '如何撤回同意']) {
      expect(consent.findByText(section)?.className).toContain('notice__section-title')
    }
    expect(text).toContain('我是孩子的监护人，已阅读并同意上述规则')
    expect(text).toContain('暂不同意')
    expect(consent.querySelectorAll('.notice__section')).toHaveLength(4)
    // Not large: neither the phone nor the account asked for large text.
    expect(consent.classesOf()).toEqual(expect.arrayContaining(['gy-page', 'consent']))
    expect(consent.classesOf()).not.toContain('gy-page--large')
  })

  test('tapping "同意并继续" without ticking the box asks to tick it and calls nothing', async () => {
    seedGuardian()
    const { app, consent } = await launchToConsent()
    const callsBefore = app.cloudCalls.length
    expect(consent.text()).not.toContain('请先勾选')

    await consent.tap('同意并继续')

    const warning = await consent.waitForText('请先勾选')
    expect(warning.textContent).toContain('请先勾选下方的“我是孩子的监护人，已阅读并同意上述规则”')
    expect(app.cloudCalls).toHaveLength(callsBefore)
    expect(app.callsTo('account', 'acceptConsent')).toHaveLength(0)
    expect(app.navigations).toHaveLength(1) // only the launch page's reLaunch
    expect(app.currentPage?.route).toBe(CONSENT)
    expect(cloud.store.find('users', { openid: GUARDIAN })[0].consent).toMatchObject({ status: 'none' })
  })

  test('ticking the box and accepting records the consent and opens the guardian home', async () => {
    seedGuardian()
    const { app, consent } = await launchToConsent()
    // The NutUI checkbox starts unticked.
    expect(consent.querySelector('.consent__check .nut-checkbox-icon-checked')).toBeNull()

    await consent.tap('我是孩子的监护人，已阅读并同意上述规则')
    await consent.waitForSelector('.consent__check .nut-checkbox-icon-checked')
    await consent.tap('同意并继续')

    const home = await app.waitForPage(GUARDIAN_HOME)
    expect(app.callsTo('account', 'acceptConsent').map((c) => c.data)).toEqual([{ action: 'acceptConsent', data: { version: CONSENT_VERSION } }])
    expect(app.cloudCalls.map((c) => c.data.action)).toEqual(['whoami', 'acceptConsent', 'whoami'])
    expect(app.navigations.map((n) => n.url)).toEqual(['/' + CONSENT, '/' + GUARDIAN_HOME])
    expect(consent.text()).not.toContain('请先勾选')

    await home.waitForText('王芳，您好')
    const text = home.text()
    expect(home.findByText('家长')?.className).toContain('gy-hero__badge')
    expect(text).toContain('城关第一小学')
    expect(text).toContain('已绑定的孩子')
    expect(home.findByText('已绑定的孩子')?.parentElement?.textContent).toMatch(/^1名/)
    expect(text).not.toContain('受限模式')

    // The consent is stored on the server, for the current version.
    const [user] = cloud.store.find('users', { openid: GUARDIAN })
    expect(user.consent).toMatchObject({ status: 'accepted', version: CONSENT_VERSION })
    expect(cloud.store.count('consentLogs', { openid: GUARDIAN, action: 'accept' })).toBe(1)
  })
})

describe('first use and failures', () => {
  test('a WeChat user the cloud does not know chooses how to start; a parent reads the rules before binding', async () => {
    const openid = 'o-new-user'
    const app = await boot(openid)
    await app.openPage(LAUNCH)
    const roles = await app.waitForPage(ROLES)
    await roles.waitForText('您还没有可用的身份')
    expect(app.callsTo('account', 'whoami').length).toBeGreaterThanOrEqual(1) // answered NOT_REGISTERED
    expect(roles.text()).toContain('我是教职工：加入学校') // staff are not asked for the parents' consent
    expect(roles.querySelectorAll('.roles__card')).toHaveLength(0)

    await roles.tap('我是家长：绑定孩子')
    const consent = await app.waitForPage(CONSENT)
    await consent.tap('.consent__check')
    await consent.tap('同意并继续')
    const bind = await app.waitForPage('packages/guardian/pages/bind/index')
    await bind.waitForText('孩子姓名')
    expect(cloud.store.find('users', { openid })[0].consent).toMatchObject({ status: 'accepted', version: CONSENT_VERSION })
  })

  test('when the cloud cannot be reached the launch page says so in Chinese, and 重试 tries again', async () => {
    seedGuardian()
    let reachable = false
    const toCloud = localCloudResponder(cloud, GUARDIAN)
    const app = await boot(GUARDIAN)
    app.cloud = (call) => {
      if (!reachable) throw new Error('connect ETIMEDOUT')
      return toCloud(call)
    }

    const launch = await app.openPage(LAUNCH)
    await launch.waitForText('网络不稳定，请检查网络后重试')
    expect(launch.text()).not.toContain('正在进入…')
    expect(app.navigations).toHaveLength(0)

    reachable = true
    await launch.tap('重试')
    await app.waitForPage(CONSENT)
    expect(app.callsTo('account', 'whoami')).toHaveLength(2)
  })
})

describe('large-text mode', () => {
  test('the preference kept on the phone enlarges the very first screen', async () => {
    seedGuardian({ largeText: true })
    const app = await boot(GUARDIAN, { 'gy.largeText': true })

    const launch = await app.openPage(LAUNCH)
    expect(app.callsTo('account', 'whoami')).toHaveLength(1)
    expect(launch.classesOf()).toContain('gy-page--large')

    const consent = await app.waitForPage(CONSENT)
    await consent.waitForText('同意并继续')
    expect(consent.classesOf()).toContain('gy-page--large')
  })

  test("the account's preference applies after sign-in and is remembered on the phone", async () => {
    seedGuardian({ largeText: true })
    const app = await boot(GUARDIAN)

    const launch = await app.openPage(LAUNCH)
    expect(launch.classesOf()).not.toContain('gy-page--large') // nothing known yet

    const consent = await app.waitForPage(CONSENT)
    await consent.waitForText('同意并继续')
    expect(consent.classesOf()).toContain('gy-page--large')
    expect(app.storage.get('gy.largeText')).toBe(true)
  })
})

describe('several roles', () => {
  test('a teacher who is also a parent chooses a role, and the choice opens that home', async () => {
    const openid = 'o-teacher-parent-lijun'
    seedUser({ openid, displayName: '李军', consent: { status: 'accepted', version: CONSENT_VERSION, at: new Date() } })
    cloud.store.insertMany('memberships', [
      { openid, role: 'guardian', status: 'active', countyId: 'c1', schoolId: 's1', schoolName: '城关第一小学', studentId: 'st9' },
      { openid, role: 'teacher', status: 'active', countyId: 'c1', schoolId: 's2', schoolName: '城关中学', classIds: ['k1'] }
    ])
    const app = await boot(openid)
    await app.openPage(LAUNCH)

    const roles = await app.waitForPage(ROLES)
    expect(app.navigations).toEqual([{ type: 'reLaunch', url: '/' + ROLES }])
    await roles.waitForText('李军，您好')
    const cards = roles.querySelectorAll('.roles__card')
    expect(cards.map((c) => c.querySelector('.roles__name')?.textContent)).toEqual(['家长', '教师'])
    expect(cards.map((c) => c.querySelector('.roles__school')?.textContent)).toEqual(['城关第一小学', '城关中学'])
    expect(roles.text()).not.toContain('学校管理员')

    await roles.tap('教师')
    const home = await app.waitForPage(TEACHER_HOME)
    await home.waitForText('李军，您好')
    expect(home.findByText('教师')?.className).toContain('gy-hero__badge')
    expect(home.text()).toContain('城关中学')
    expect(app.storage.get('gy.activeRole')).toBe('teacher')
  })
})

describe('large-text mode on every page', () => {
  const pages = [
    '/pages/launch/index',
    '/pages/roles/index',
    '/pages/consent/index',
    '/pages/privacy/index',
    '/pages/todo/index',
    '/pages/settings/index',
    '/pages/join-school/index',
    '/pages/accept-invite/index',
    '/packages/guardian/pages/home/index',
    '/packages/guardian/pages/children/index',
    '/packages/guardian/pages/bind/index',
    '/packages/guardian/pages/join/index',
    '/packages/guardian/pages/counsel/index',
    '/packages/guardian/pages/bookings/index',
    '/packages/teacher/pages/home/index',
    '/packages/teacher/pages/bindings/index',
    '/packages/teacher/pages/work/index',
    '/packages/teacher/pages/registry/index',
    '/packages/teacher/pages/log/index',
    '/packages/teacher/pages/file/index',
    '/packages/teacher/pages/record/index',
    '/packages/teacher/pages/special/index',
    '/packages/counsellor/pages/home/index',
    '/packages/counsellor/pages/slots/index',
    '/packages/counsellor/pages/session/index',
    '/packages/school/pages/home/index',
    '/packages/school/pages/roster/index',
    '/packages/school/pages/staff/index',
    '/packages/school/pages/students/index',
    '/packages/school/pages/teachers/index',
    '/packages/school/pages/programme/index',
    '/packages/school/pages/visit-plan/index',
    '/packages/bureau/pages/home/index',
    '/packages/bureau/pages/schools/index',
    '/packages/bureau/pages/programme/index',
    '/packages/bureau/pages/application/index',
    '/packages/stats/pages/school/index',
    '/packages/stats/pages/target/index',
    '/packages/stats/pages/gap/index',
    '/packages/stats/pages/county/index',
    '/packages/stats/pages/report/index',
    '/packages/stats/pages/coverage/index'
  ]
  const appJson = JSON.parse(fs.readFileSync(path.join(__dirname, '../../dist/weapp/app.json'), 'utf8')) as {
    pages: string[]
    subPackages: Array<{ root: string; pages: string[] }>
  }

  test('the list covers every page of the build', () => {
    const built = [...appJson.pages, ...appJson.subPackages.flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))].map((p) => `/${p}`)
    expect([...built].sort()).toEqual([...pages].sort())
  })

  test.each(pages)('%s renders large when the phone has large text on, and normal when off', async (url) => {
    // A user holding every role, so each role home renders its content rather than a "no such role" notice.
    const openid = 'o-everyone'
    seedUser({ openid, displayName: '全能', largeText: true, consent: { status: 'accepted', version: CONSENT_VERSION, at: new Date() } })
    cloud.store.insertMany('memberships', [
      { openid, role: 'guardian', status: 'active', countyId: 'c1', schoolId: 's1', schoolName: '城关第一小学', studentId: 'st1' },
      { openid, role: 'teacher', status: 'active', countyId: 'c1', schoolId: 's1', schoolName: '城关第一小学', classIds: ['k1'] },
      { openid, role: 'counsellor', status: 'active', countyId: 'c1', schoolId: 's1', schoolName: '城关第一小学' },
      { openid, role: 'schoolAdmin', status: 'active', countyId: 'c1', schoolId: 's1', schoolName: '城关第一小学' },
      { openid, role: 'bureauAdmin', status: 'active', countyId: 'c1', countyName: '平阳县' }
    ])
    const large = await bootMiniProgram({ cloud: localCloudResponder(cloud, openid), storage: { 'gy.largeText': true }, followNavigation: false })
    mp = large
    const page = await large.openPage(url)
    expect(page.classesOf()).toContain('gy-page--large')
    await large.close()

    const normal = await bootMiniProgram({ cloud: localCloudResponder(cloud, openid), storage: { 'gy.largeText': false }, followNavigation: false })
    mp = normal
    const page2 = await normal.openPage(url)
    expect(page2.classesOf()).toContain('gy-page')
    expect(page2.classesOf()).not.toContain('gy-page--large')
  })
})

describe('large text changed without a connection', () => {
  test('the phone keeps it, says so plainly, and saves it to the account at the next start', async () => {
    seedUser({ openid: GUARDIAN, displayName: '王芳', consent: { status: 'accepted', version: CONSENT_VERSION, at: new Date() } })
    cloud.store.insertMany('memberships', [
      { openid: GUARDIAN, role: 'guardian', status: 'active', countyId: 'c1', schoolId: 's1', schoolName: '城关第一小学', studentId: 'st1' }
    ])
    const online = localCloudResponder(cloud, GUARDIAN)
    // The connection drops just for saving preferences.
    const flaky = async (call: Parameters<typeof online>[0]) => {
      if (call.data.action === 'setPreferences') throw new Error('request:fail timeout')
      return online(call)
    }
    const first = await bootMiniProgram({ cloud: flaky, followNavigation: false })
    mp = first
    const settings = await first.openPage('/pages/settings/index')
    await settings.waitForText('大字模式')
    await settings.tap('.nut-switch')
    const notice = await settings.waitForText('大字模式已在本机开启')
    expect(notice.textContent).toContain('下次进入时会自动保存')
    expect(settings.classesOf()).toContain('gy-page--large')
    expect(cloud.store.find('users', { openid: GUARDIAN })[0].preferences).toEqual({ largeText: false })
    const phone = Object.fromEntries(first.storage)
    await first.close()

    // Next start, online again: the server still says "off", but the phone's newer choice wins and is saved.
    const second = await bootMiniProgram({ cloud: online, storage: phone })
    mp = second
    await second.openPage('/pages/launch/index')
    const home = await second.waitForPage('packages/guardian/pages/home/index')
    await home.waitForText('王芳，您好')
    expect(home.classesOf()).toContain('gy-page--large')
    await waitFor(() => (cloud.store.find('users', { openid: GUARDIAN })[0].preferences as { largeText: boolean }).largeText === true || null, {
      message: () => 'the account was never updated'
    })
    expect(second.callsTo('account', 'setPreferences').map((c) => c.data.data)).toEqual([{ largeText: true }])
  })
})
