/**
 * 全员家访 pages in the weapp production build, with the `visits` function answered in the test by contract-shaped
 * data (src/shared/contract-visits.ts): the teacher's "my work" (the server's order, badges, filters, the way to a
 * student's file and to logging, the follow-up reminder), the special registry, the to-do list, the school's
 * semester plan (what an assignment sends) and the class coverage (T6/T7/T8 per class).
 */
import type { ClassPlan, Coverage, MyWork, PlanOverview, RegistryView, TodoItem, WorkItem } from '@/shared/contract-visits'
import type { WhoAmI } from '@/shared/contract'
import type { TargetValue } from '@/shared/targets'
import { shanghaiMidnight } from '@/shared/calendar'
import { DAY_MS, homeVisitPace } from '@/shared/visits'
import fs from 'fs'
import os from 'os'
import path from 'path'
import { startLocalCloud } from '../../localcloud'
import { P, seedWorld, W } from '../../server/fixtures'
import { seedAssignment, seedRecord, seedRegistry } from '../../server/functions/visits/fixtures'
import { buildFunctionsOnce } from '../../server/testing'
import { bootMiniProgram, fail, localCloudResponder, ok, routeResponder, type CloudCall, type MiniProgram, type PageHandle } from './harness'

jest.setTimeout(30000)

const WORK = '/packages/teacher/pages/work/index'
const REGISTRY = '/packages/teacher/pages/registry/index'
const FILE = '/packages/teacher/pages/file/index'
const LOG = '/packages/teacher/pages/log/index'
const TODO = '/pages/todo/index'
const PLAN = '/packages/school/pages/visit-plan/index'
const COVERAGE = '/packages/stats/pages/coverage/index'
const GAP = '/packages/stats/pages/gap/index'

/** Days relative to today in Shanghai (the pages compute "已逾期 N 天" from the phone's clock). */
const today = (() => {
  const d = new Date(Date.now() + 8 * 3600_000)
  return shanghaiMidnight(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())
})()
const day = (offset: number) => today + offset * DAY_MS

const item = (studentId: string, name: string, over: Partial<WorkItem> = {}): WorkItem => ({
  studentId,
  name,
  classId: 'k1',
  className: '一年级（1）班',
  urgency: 'done',
  lastContactAt: day(-20),
  lastHomeVisitAt: day(-200),
  contactedThisSemester: true,
  homeVisitInWindow: true,
  dueAt: null,
  special: false,
  ...over
})

/** The server's order: most urgent first. The page must keep it (no re-sorting by name). */
const ITEMS: WorkItem[] = [
  item('st5', '赵磊', { urgency: 'overdue', dueAt: day(-3), special: true }),
  item('st6', '钱多多', { urgency: 'dueSoon', dueAt: day(2) }),
  item('st7', '孙悦', { urgency: 'notContacted', lastContactAt: null, lastHomeVisitAt: null, contactedThisSemester: false, homeVisitInWindow: false }),
  item('st8', '李华', { urgency: 'noHomeVisit', lastHomeVisitAt: null, homeVisitInWindow: false, className: '一年级（2）班', classId: 'k2' }),
  item('st1', '王小明')
]

function myWork(over: Partial<MyWork> = {}): MyWork {
  return {
    semester: { id: '2026-1', label: '2026—2027学年第一学期' },
    items: ITEMS,
    counts: { assigned: 5, notContacted: 1, noHomeVisit: 2, overdue: 1 },
    truncated: false,
    training: { title: '全员家访工作指引', link: 'https://edu.example.cn/visit-guide', fileName: '', tempFileURL: '', updatedAt: day(-30) },
    ...over
  }
}

function whoami(roles: WhoAmI['roles'], name = '林老师'): WhoAmI {
  return {
    userId: 'o-t-this',
    displayName: name,
    roles,
    consent: { status: 'none', version: null, at: null, applies: false, required: false },
    preferences: { largeText: false }
  }
}
const teacherScope = (classIds: string[], headTeacherOf: string[] = classIds): WhoAmI['roles'][number] => ({
  role: 'teacher',
  countyId: 'c1',
  schoolId: 's1',
  schoolName: '城关第一小学',
  classIds,
  headTeacherOf
})

let mp: MiniProgram | null = null
afterEach(async () => {
  await mp?.close()
  mp = null
})

async function boot(handlers: Record<string, (data: unknown, call: CloudCall) => unknown>, followNavigation = false) {
  mp = await bootMiniProgram({ cloud: routeResponder(handlers), followNavigation })
  return mp
}

const texts = (page: PageHandle, selector: string) => page.querySelectorAll(selector).map((e) => (e.textContent ?? '').trim())

describe('my work (teacher)', () => {
  test('students in the server order with their urgency badges, the 名册 tag and the dates; counts and semester at the top', async () => {
    const app = await boot({ 'visits.myWork': () => ok(myWork()) })
    const page = await app.openPage(WORK)
    await page.waitForText('赵磊')
    expect(page.text()).toContain('2026—2027学年第一学期')
    expect(texts(page, '.ww__name')).toEqual(['赵磊', '钱多多', '孙悦', '李华', '王小明'])
    expect(texts(page, '.ww__badge')).toEqual(['随访逾期 · 已逾期 3 天', '随访将到期 · 2 天后到期', '本学期未联系', '三年内未入户家访', '已完成'])
    // overdue is red, and its row is marked
    const badges = page.querySelectorAll('.ww__badge')
    expect(badges[0].className).toContain('ww__badge--red')
    expect(badges[1].className).not.toContain('ww__badge--red')
    expect(page.querySelectorAll('.ww__item--overdue')).toHaveLength(1)
    // 名册 only on the special student
    const rows = page.querySelectorAll('.ww__item')
    expect(rows[0].querySelector('.ww__tag')?.textContent).toBe('名册')
    expect(page.querySelectorAll('.ww__tag')).toHaveLength(1)
    expect(rows[2].textContent).toContain('最近联系 暂无记录')
    expect(rows[3].textContent).toContain('一年级（2）班')
    // the four counts
    expect(texts(page, '.ww__count-value')).toEqual(['5', '1', '2', '1'])
    expect(texts(page, '.ww__count-label')).toEqual(['分配给我', '本学期未联系', '三年内未入户', '随访逾期'])
    // the training material
    expect(page.text()).toContain('全员家访工作指引')
    expect(app.callsTo('visits', 'myWork').map((c) => c.data.data)).toEqual([{}])
  })

  test('the counts filter the list (keeping the order); 显示全部 goes back', async () => {
    const app = await boot({ 'visits.myWork': () => ok(myWork()) })
    const page = await app.openPage(WORK)
    await page.waitForText('赵磊')
    await page.tap('.ww__count--noHomeVisit')
    expect(texts(page, '.ww__name')).toEqual(['孙悦', '李华'])
    expect(page.text()).toContain('三年内未入户（2）')
    await page.tap('.ww__count--overdue')
    expect(texts(page, '.ww__name')).toEqual(['赵磊'])
    await page.tap('.ww__count--notContacted')
    expect(texts(page, '.ww__name')).toEqual(['孙悦'])
    await page.tap('显示全部')
    expect(texts(page, '.ww__name')).toHaveLength(5)
  })

  test('tapping a student opens the file; 记录 opens the log form for that student', async () => {
    const app = await boot({ 'visits.myWork': () => ok(myWork()) })
    const page = await app.openPage(WORK)
    await page.waitForText('赵磊')
    await page.tap(page.querySelectorAll('.ww__main')[1] as HTMLElement)
    expect(app.navigations).toEqual([{ type: 'navigateTo', url: `${FILE}?studentId=st6` }])
    await page.tap(page.querySelectorAll('.ww__log')[0] as HTMLElement)
    expect(app.navigations[1]).toEqual({ type: 'navigateTo', url: `${LOG}?studentId=st5&name=${encodeURIComponent('赵磊')}` })
    expect(app.navigations).toHaveLength(2) // the button does not also open the file
  })

  test('nothing assigned: the empty state says the school has not arranged any student yet', async () => {
    const app = await boot({ 'visits.myWork': () => ok(myWork({ items: [], counts: { assigned: 0, notContacted: 0, noHomeVisit: 0, overdue: 0 }, training: null })) })
    const page = await app.openPage(WORK)
    await page.waitForText('学校还没有为您安排家访学生')
    expect(page.querySelector('.ww__item')).toBeNull()
    expect(page.querySelector('.ww__count')).toBeNull()
  })

  test('a failure says so and retries', async () => {
    let answer: unknown = fail('INTERNAL_ERROR', '服务暂时不可用，请稍后重试')
    const app = await boot({ 'visits.myWork': () => answer })
    const page = await app.openPage(WORK)
    await page.waitForText('服务暂时不可用')
    answer = ok(myWork())
    await page.tap('重试')
    await page.waitForText('赵磊')
  })

  test('开启随访到期提醒 asks WeChat for the template and reports the answer to the account', async () => {
    const app = await boot({ 'visits.myWork': () => ok(myWork()), 'account.allowReminder': () => ok({ topic: 'followUpDue', credits: 1 }) })
    const asked: unknown[] = []
    app.wx.requestSubscribeMessage = (o: { tmplIds: string[]; success?: (r: unknown) => void }) => {
      asked.push(o.tmplIds)
      setTimeout(() => o.success?.({ errMsg: 'requestSubscribeMessage:ok', GY_TEMPLATE_FOLLOW_UP_DUE: 'accept' }))
    }
    const page = await app.openPage(WORK)
    await page.waitForText('赵磊')
    await page.tap('开启随访到期提醒')
    await page.waitForText('已开启')
    expect(asked).toEqual([['GY_TEMPLATE_FOLLOW_UP_DUE']])
    expect(app.callsTo('account', 'allowReminder').map((c) => c.data.data)).toEqual([{ topic: 'followUpDue', accepted: true }])

    // refused: reported as such, and the to-do list is mentioned
    app.wx.requestSubscribeMessage = (o: { success?: (r: unknown) => void }) => setTimeout(() => o.success?.({ errMsg: 'requestSubscribeMessage:ok', GY_TEMPLATE_FOLLOW_UP_DUE: 'reject' }))
    await page.tap('开启随访到期提醒')
    await page.waitForText('未开启微信提醒')
    expect(page.text()).toContain('待办事项')
    expect(app.callsTo('account', 'allowReminder').map((c) => c.data.data)[1]).toEqual({ topic: 'followUpDue', accepted: false })
  })
})

describe('special registry (teacher)', () => {
  const entry = (studentId: string, name: string, className: string, dueAt: number, overdue: boolean): RegistryView => ({
    studentId,
    name,
    className,
    categories: ['留守儿童', '心理关注'],
    intervalDays: 30,
    note: '',
    registeredAt: day(-60),
    registeredByName: '林老师',
    lastContactAt: day(-40),
    dueAt,
    overdue,
    history: []
  })

  test('a teacher of two classes: overdue first across classes, one class at a time, tap opens the file; the page says every view is recorded', async () => {
    const app = await boot({
      'account.whoami': () => ok(whoami([teacherScope(['k1', 'k2'], ['k1'])])),
      'visits.specialRegistry': (data) =>
        ok({
          entries:
            (data as { classId?: string }).classId === 'k1'
              ? [entry('st5', '赵磊', '一年级（1）班', day(5), false)]
              : [entry('st8', '李华', '一年级（2）班', day(-4), true)]
        })
    })
    const page = await app.openPage(REGISTRY)
    await page.waitForText('赵磊')
    expect(app.callsTo('visits', 'specialRegistry').map((c) => c.data.data)).toEqual([{ classId: 'k1' }, { classId: 'k2' }])
    expect(texts(page, '.wr__name')).toEqual(['李华', '赵磊'])
    expect(texts(page, '.wr__due')).toEqual(['已逾期 4 天', '5 天后到期'])
    expect(page.querySelector('.wr__entry--overdue')?.textContent).toContain('李华')
    expect(page.text()).toContain('每 30 天随访一次')
    expect(page.text()).toContain('访问留痕')
    await page.tap('一年级（1）班（1）')
    expect(texts(page, '.wr__name')).toEqual(['赵磊'])
    await page.tap('.wr__entry')
    expect(app.navigations).toEqual([{ type: 'navigateTo', url: `${FILE}?studentId=st5` }])
  })

  test('an empty registry says how to add a student', async () => {
    const app = await boot({ 'account.whoami': () => ok(whoami([teacherScope(['k1'])])), 'visits.specialRegistry': () => ok({ entries: [] }) })
    const page = await app.openPage(REGISTRY)
    await page.waitForText('名册里还没有学生')
    expect(app.callsTo('visits', 'specialRegistry').map((c) => c.data.data)).toEqual([{}])
  })
})

describe('to-do list', () => {
  const todo = (over: Partial<TodoItem>): TodoItem => ({
    id: 't1',
    kind: 'registryDue',
    title: '随访：赵磊',
    detail: '一年级（1）班 · 留守儿童',
    dueAt: day(2),
    overdue: false,
    url: `${FILE}?studentId=st5`,
    ...over
  })

  test("a teacher's overdue follow-up is first and red, and opens the page that deals with it", async () => {
    const app = await boot({
      'account.whoami': () => ok(whoami([teacherScope(['k1'])])),
      'visits.todos': () =>
        ok({
          items: [
            todo({}),
            todo({ id: 't2', kind: 'followUpOverdue', title: '随访逾期：李华', detail: '电话联系后约定的跟进', dueAt: day(-3), overdue: true, url: `${FILE}?studentId=st8` })
          ]
        })
    })
    const page = await app.openPage(TODO)
    await page.waitForText('随访逾期：李华')
    expect(texts(page, '.todo__title')).toEqual(['随访逾期：李华', '随访：赵磊'])
    expect(texts(page, '.todo__due')).toEqual(['已逾期 3 天', '2 天后到期'])
    const first = page.querySelectorAll('.todo__item')[0]
    expect(first.className).toContain('todo__item--overdue')
    expect(first.querySelector('.todo__due')?.className).toContain('todo__due--overdue')
    expect(page.querySelectorAll('.todo__item')[1].className).not.toContain('todo__item--overdue')
    expect(page.text()).toContain('电话联系后约定的跟进')
    expect(page.text()).not.toContain('暂无待办')
    await page.tap(first as HTMLElement)
    expect(app.navigations).toEqual([{ type: 'navigateTo', url: `${FILE}?studentId=st8` }])
  })

  test('nothing due: the empty state; a guardian is not asked for teacher to-dos', async () => {
    const app = await boot({ 'account.whoami': () => ok(whoami([teacherScope(['k1'])])), 'visits.todos': () => ok({ items: [] }) })
    const page = await app.openPage(TODO)
    await page.waitForText('暂无待办')
    await app.close()

    const guardian = await boot({
      'account.whoami': () => ok(whoami([{ role: 'guardian', countyId: 'c1', schoolId: 's1', schoolName: '城关第一小学', studentIds: ['st1'] }], '王芳'))
    })
    const g = await guardian.openPage(TODO)
    await g.waitForText('暂无待办')
    expect(guardian.callsTo('visits')).toHaveLength(0)
  })

  test('a failure to load shows an error with a retry', async () => {
    let answer: unknown = fail('INTERNAL_ERROR', '服务暂时不可用，请稍后重试')
    const app = await boot({ 'account.whoami': () => ok(whoami([teacherScope(['k1'])])), 'visits.todos': () => answer })
    const page = await app.openPage(TODO)
    await page.waitForText('待办事项没有加载出来')
    answer = ok({ items: [todo({ overdue: true, dueAt: day(-1) })] })
    await page.tap('重试')
    await page.waitForText('随访：赵磊')
    expect(page.text()).toContain('已逾期 1 天')
  })
})

describe('semester plan (school admin)', () => {
  const T = {
    lin: { openid: 'o-t-lin', name: '林老师' },
    wu: { openid: 'o-t-wu', name: '吴老师' },
    he: { openid: 'o-t-he', name: '何老师' }
  }
  function overview(over: Partial<PlanOverview> = {}): PlanOverview {
    return {
      semester: { id: '2026-1', label: '2026—2027学年第一学期' },
      classes: [
        { classId: 'k1', grade: '一年级', name: '一年级（1）班', enrolled: 3, assigned: 1, headTeachers: [T.lin], visitors: [{ ...T.lin, students: 1 }] },
        { classId: 'k2', grade: '一年级', name: '一年级（2）班', enrolled: 2, assigned: 2, headTeachers: [T.wu], visitors: [{ ...T.wu, students: 2 }] },
        { classId: 'k3', grade: '二年级', name: '二年级（1）班', enrolled: 4, assigned: 0, headTeachers: [], visitors: [] }
      ],
      totals: { enrolled: 9, assigned: 3 },
      teachers: [T.lin, T.wu, T.he],
      training: null,
      ...over
    }
  }
  const classPlan: ClassPlan = {
    classId: 'k1',
    className: '一年级（1）班',
    students: [
      { studentId: 'st1', name: '王小明', visitors: [T.lin] },
      { studentId: 'st2', name: '李华', visitors: [] },
      { studentId: 'st7', name: '孙悦', visitors: [] }
    ],
    teachers: [{ ...T.he }, { ...T.lin, headTeacher: true }, { ...T.wu }]
  }
  const handlers = () => ({
    'account.whoami': () => ok(whoami([{ role: 'schoolAdmin', countyId: 'c1', schoolId: 's1', schoolName: '城关第一小学' }], '严校长')),
    'visits.planOverview': () => ok(overview()),
    'visits.classPlan': () => ok(classPlan),
    'visits.assignClass': (data: unknown) => ok({ assigned: (data as { studentIds?: string[] }).studentIds?.length ?? 3 })
  })

  async function confirm(page: PageHandle) {
    const button = page.querySelectorAll('.nut-dialog-footer-ok').find((el) => el.textContent?.trim())
    if (!button) throw new Error(`no confirm button; page shows ${page.text()}`)
    await page.tap(button)
  }

  test('totals, classes with their head teachers and visitors; a class opens with its unassigned students highlighted', async () => {
    const app = await boot(handlers())
    const page = await app.openPage(PLAN)
    await page.waitForText('一年级（1）班')
    expect(texts(page, '.gy-stat__value')).toEqual(['9人', '3人', '6人'])
    expect(texts(page, '.vp__class-name')).toEqual(['一年级（1）班', '一年级（2）班', '二年级（1）班'])
    expect(texts(page, '.vp__missing')).toEqual(['未安排 2', '未安排 4'])
    expect(page.text()).toContain('班主任：未指定')
    expect(page.text()).toContain('家访教师：吴老师（2人）')
    await page.tap('二年级')
    expect(texts(page, '.vp__class-name')).toEqual(['二年级（1）班'])
    await page.tap('全部年级')
    await page.tap('.vp__class-row')
    await page.waitForText('王小明')
    expect(app.callsTo('visits', 'classPlan').map((c) => c.data.data)).toEqual([{ classId: 'k1' }])
    expect(texts(page, '.vp__student--unassigned .vp__student-name')).toEqual(['李华', '孙悦'])
    // the class's head teacher first and preselected
    expect(texts(page, '.vp__teacher')[0]).toBe('林老师（班主任）')
    expect(texts(page, '.vp__chip--on.vp__teacher')).toEqual(['林老师（班主任）'])
  })

  test('assigning the whole class to a pair sends the class and both teachers, after a confirmation', async () => {
    const app = await boot(handlers())
    const page = await app.openPage(PLAN)
    await page.waitForText('一年级（1）班')
    await page.tap('.vp__class-row')
    await page.waitForText('王小明')
    await page.tap('何老师')
    // a third teacher is refused: visits are by one teacher or a pair
    await page.tap('吴老师')
    await page.waitForText('最多安排 2 位家访教师')
    await page.tap('安排全班学生（3）')
    await page.waitForText('原来的安排会被替换')
    expect(app.callsTo('visits', 'assignClass')).toHaveLength(0)
    await confirm(page)
    await page.waitForText('已为 3 名学生安排家访教师')
    expect(app.callsTo('visits', 'assignClass').map((c) => c.data.data)).toEqual([{ classId: 'k1', teacherOpenids: ['o-t-lin', 'o-t-he'] }])
    expect(app.callsTo('visits', 'planOverview').length).toBeGreaterThanOrEqual(2) // the totals are reloaded
  })

  test('assigning only the chosen students sends their ids', async () => {
    const app = await boot(handlers())
    const page = await app.openPage(PLAN)
    await page.waitForText('一年级（1）班')
    await page.tap('.vp__class-row')
    await page.waitForText('王小明')
    await page.tap('选中未安排的')
    await page.tap('安排选中的学生（2）')
    await confirm(page)
    await page.waitForText('已为 2 名学生安排家访教师')
    expect(app.callsTo('visits', 'assignClass').map((c) => c.data.data)).toEqual([{ classId: 'k1', teacherOpenids: ['o-t-lin'], studentIds: ['st2', 'st7'] }])
  })

  test('一键安排 asks first, then reports the classes without a head teacher', async () => {
    const app = await boot({ ...handlers(), 'visits.assignDefaults': () => ok({ assigned: 2, classesWithoutHeadTeacher: ['二年级（1）班'] }) })
    const page = await app.openPage(PLAN)
    await page.waitForText('一年级（1）班')
    await page.tap('一键安排（默认班主任）')
    await page.waitForText('已安排的学生不变；没有班主任的班级需要逐班安排')
    expect(app.callsTo('visits', 'assignDefaults')).toHaveLength(0)
    await confirm(page)
    await page.waitForText('以下班级没有班主任，请逐班安排：二年级（1）班')
    expect(app.callsTo('visits', 'assignDefaults')).toHaveLength(1)
  })
})

describe('class coverage', () => {
  const share = (num: number, den: number, met: boolean | null): TargetValue => ({ value: den ? num / den : null, numerator: num, denominator: den, met })
  const pace = homeVisitPace(Date.now())
  const coverage = (): Coverage => ({
    asOf: Date.now(),
    homeVisitPace: pace,
    school: null,
    classes: [
      { classId: 'k1', className: '一年级（1）班', T6: share(40, 40, true), T7: share(10, 40, false), T8: share(2, 3, false) },
      { classId: 'k2', className: '一年级（2）班', T6: share(30, 40, false), T7: share(38, 40, true), T8: share(0, 0, null) }
    ]
  })

  test('T6, T7 (against the pace) and T8 per class as numbers, the pace, the time of the data', async () => {
    const app = await boot({ 'visits.classCoverage': () => ok(coverage()) })
    const page = await app.openPage(COVERAGE)
    await page.waitForText('一年级（1）班')
    expect(app.callsTo('visits', 'classCoverage').map((c) => c.data.data)).toEqual([{}])
    expect(page.text()).toMatch(/数据截至 \d{2}:\d{2}/)
    expect(page.text()).toContain(`按三年周期进度，目前应达 ${(Math.round(pace * 1000) / 10).toFixed(1)}%`)
    const [k1, k2] = page.querySelectorAll('.sv__class')
    expect(Array.from(k1.querySelectorAll('.sv__number')).map((b) => b.textContent)).toEqual(['100.0%', '25.0%', '66.7%'])
    expect(k1.textContent).toContain('已直接联系 40 / 在籍 40 人')
    expect(k1.textContent).toContain('三年内已入户家访 10 / 在籍 40 人')
    expect(k1.textContent).toContain('按期跟进 2 / 登记特殊学生 3 人')
    expect(Array.from(k1.querySelectorAll('.st-badge')).map((b) => b.textContent)).toEqual(['达标', '低于进度', '未达标'])
    expect(Array.from(k2.querySelectorAll('.sv__number')).map((b) => b.textContent)).toEqual(['75.0%', '95.0%', '—'])
    expect(Array.from(k2.querySelectorAll('.st-badge')).map((b) => b.textContent)).toEqual(['未达标', '达到进度', '暂无数据'])
    expect(k2.textContent).toContain('没有登记的特殊学生')
    // no selector queries in the simulator: the chart steps aside with a note, the numbers stay
    expect(page.text()).toContain('各班数字见下方')
  })

  test('the chart draws where WeChat can; ?classId= asks for one class; T6 of a class opens the students not contacted', async () => {
    const app = await boot({ 'visits.classCoverage': () => ok(coverage()) })
    const query = { select: () => ({ fields: () => query }), exec: (cb?: (res: unknown[]) => void) => cb?.([null]) }
    app.wx.createSelectorQuery = () => query
    const page = await app.openPage(`${COVERAGE}?classId=k1`)
    await page.waitForSelector('.st-chart--coverage wx-canvas')
    expect(page.text()).toContain('T7 入户家访')
    expect(app.callsTo('visits', 'classCoverage').map((c) => c.data.data)).toEqual([{ classId: 'k1' }])
    await page.tap(page.querySelectorAll('.sv__value--T6')[0] as HTMLElement)
    expect(app.navigations).toEqual([{ type: 'navigateTo', url: `${GAP}?classId=k1&targetId=T6` }])
    await page.tap(page.querySelectorAll('.sv__value--T8')[0] as HTMLElement)
    expect(app.navigations).toHaveLength(1) // T8 has no list to open
  })

  test('someone who may not see it is told who may, with a way back', async () => {
    const app = await boot({ 'visits.classCoverage': () => fail('PERMISSION_DENIED', '没有权限') })
    const page = await app.openPage(COVERAGE)
    await page.waitForText('家访覆盖率只对本班班主任和学校管理员开放')
    expect(page.text()).toContain('返回')
  })
})

/* ------------------------------------------------------------------------------------------------------------ */
/* The same pages against the genuine `visits` function on the local cloud (the hand-built world of the function   */
/* tests: 林老师 heads 一年级（1）班 with 王小明 and 李华 enrolled, 赵六 left).                                         */
/* ------------------------------------------------------------------------------------------------------------ */

describe('with the visits function on the local cloud', () => {
  type LocalCloud = Awaited<ReturnType<typeof startLocalCloud>>
  let dataDir: string
  let cloud: LocalCloud

  beforeAll(async () => {
    buildFunctionsOnce()
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'weapp-visits-'))
    cloud = await startLocalCloud({ dataDir })
  })
  afterAll(async () => {
    await cloud?.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  /**
   * Both pupils of 一年级（1）班 are assigned to 林老师; 王小明 had a phone call today (contacted, no home visit);
   * 李华 is on the registry since 40 days, never contacted: the 30-day follow-up is 10 days overdue.
   */
  beforeEach(() => {
    seedWorld(cloud)
    seedAssignment(cloud, W.child, [P.teacherOfThis])
    seedAssignment(cloud, W.sibling, [P.teacherOfThis])
    seedRecord(cloud)
    seedRegistry(cloud, { studentId: W.sibling, studentName: '李华' })
  })

  async function open(openid: string, url: string) {
    mp = await bootMiniProgram({ cloud: localCloudResponder(cloud, openid), followNavigation: false })
    return mp.openPage(url)
  }

  test('my work: the overdue registry pupil first (red, 名册), then the one without a home visit; the file opens', async () => {
    const page = await open(P.teacherOfThis, WORK)
    await page.waitForText('李华')
    expect(texts(page, '.ww__name')).toEqual(['李华', '王小明'])
    expect(texts(page, '.ww__badge')).toEqual(['随访逾期 · 已逾期 10 天', '三年内未入户家访'])
    expect(page.querySelectorAll('.ww__badge')[0].className).toContain('ww__badge--red')
    expect(texts(page, '.ww__tag')).toEqual(['名册'])
    expect(texts(page, '.ww__count-value')).toEqual(['2', '1', '2', '1'])
    await page.tap('.ww__count--notContacted')
    expect(texts(page, '.ww__name')).toEqual(['李华'])
    await page.tap('.ww__main')
    expect(mp!.navigations).toEqual([{ type: 'navigateTo', url: `${FILE}?studentId=${W.sibling}` }])
  })

  test("the to-do list shows the teacher's overdue follow-up in red and opens the pupil's file", async () => {
    const page = await open(P.teacherOfThis, TODO)
    await page.waitForText('李华')
    const first = page.querySelectorAll('.todo__item')[0]
    expect(first.className).toContain('todo__item--overdue')
    expect(first.textContent).toContain('已逾期 10 天')
    await page.tap(first as HTMLElement)
    expect(mp!.navigations).toEqual([{ type: 'navigateTo', url: `${FILE}?studentId=${W.sibling}` }])
  })

  test('the registry lists the pupil as overdue, with the category and the interval', async () => {
    const page = await open(P.teacherOfThis, REGISTRY)
    await page.waitForText('李华')
    expect(page.querySelector('.wr__entry--overdue')?.textContent).toContain('留守儿童')
    expect(page.text()).toContain('已逾期 10 天')
    expect(page.text()).toContain('每 30 天随访一次')
  })

  test('the plan: the admin assigns the other class to its head teacher; the assignment is stored', async () => {
    const page = await open(P.adminOfThis, PLAN)
    await page.waitForText('一年级（2）班')
    expect(texts(page, '.gy-stat__value')).toEqual(['3人', '2人', '1人'])
    const rows = page.querySelectorAll('.vp__class-row')
    await page.tap(rows[1] as HTMLElement)
    await page.waitForText('陈晨')
    expect(texts(page, '.vp__student--unassigned .vp__student-name')).toEqual(['陈晨'])
    expect(texts(page, '.vp__chip--on.vp__teacher')).toHaveLength(1) // the head teacher, preselected
    await page.tap('安排全班学生（1）')
    const button = page.querySelectorAll('.nut-dialog-footer-ok').find((el) => el.textContent?.trim())
    await page.tap(button as HTMLElement)
    await page.waitForText('已为 1 名学生安排家访教师')
    expect(mp!.callsTo('visits', 'assignClass').map((c) => c.data.data)).toEqual([{ classId: W.otherClass, teacherOpenids: [P.teacherOfOther] }])
    const stored = cloud.store.find('visitAssignments', { studentId: W.otherChild }) as Array<{ teacherOpenids: string[] }>
    expect(stored.map((a) => a.teacherOpenids)).toEqual([[P.teacherOfOther]])
    await page.waitForText('3人')
    expect(texts(page, '.gy-stat__value')).toEqual(['3人', '3人', '0人'])
  })

  test('coverage: the head teacher sees T6, T7 and T8 of the class as numbers', async () => {
    const page = await open(P.teacherOfThis, COVERAGE)
    await page.waitForText('一年级（1）班')
    const k1 = page.querySelectorAll('.sv__class')
    expect(k1).toHaveLength(1)
    expect(Array.from(k1[0].querySelectorAll('.sv__number')).map((e) => e.textContent)).toEqual(['50.0%', '0.0%', '0.0%'])
    expect(k1[0].textContent).toContain('已直接联系 1 / 在籍 2 人')
    expect(k1[0].textContent).toContain('三年内已入户家访 0 / 在籍 2 人')
    expect(k1[0].textContent).toContain('按期跟进 0 / 登记特殊学生 1 人')
    expect(page.text()).toContain('按三年周期进度，目前应达')
  })
})
