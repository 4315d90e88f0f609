/**
 * The statistics dashboards (stats subpackage) in the weapp production build. The `stats` function answers with
 * contract-shaped data written here (src/shared/contract-stats.ts), so these tests are about what the pages show
 * and send: the principal's tiles, the drill-down to classes and to the students behind a gap, the county's
 * sortable, filterable school table and its runs, and the annual report.
 */
import type { ClassRow, CountyDashboard, GapList, RunView, SchoolDashboard, SchoolStatusRow, TargetTile, AnnualReport } from '@/shared/contract-stats'
import type { TargetValue } from '@/shared/targets'
import { previousMonthOf } from '@/shared/calendar'
import { bootMiniProgram, fail, ok, routeResponder, waitFor, type CloudCall, type MiniProgram, type PageHandle } from './harness'

jest.setTimeout(30000)

const SCHOOL = '/packages/stats/pages/school/index'
const TARGET = 'packages/stats/pages/target/index'
const GAP = '/packages/stats/pages/gap/index'
const COUNTY = '/packages/stats/pages/county/index'
const REPORT = '/packages/stats/pages/report/index'

const AT = Date.parse('2026-11-01T02:00:00+08:00')
const share = (num: number, den: number, min = 0.6): TargetValue => ({ value: den ? num / den : null, numerator: num, denominator: den, met: den ? num / den >= min : null })
const trend = (last: number | null): TargetTile['trend'] =>
  Array.from({ length: 12 }, (_, i) => ({ month: `${i < 2 ? 2025 : 2026}-${String(((i + 10) % 12) + 1).padStart(2, '0')}`, value: i === 11 ? last : 0.3 + i * 0.02 }))

const klass = (classId: string, grade: string, className: string, t1: TargetValue): ClassRow => ({ classId, grade, className, values: { T1: t1 } })

function schoolDashboard(over: Partial<SchoolDashboard> = {}): SchoolDashboard {
  return {
    school: { schoolId: 's1', name: '城关第一小学', district: '城关学区', type: '小学' },
    snapshot: { month: '2026-10', computedAt: AT, partial: false },
    tiles: [{ targetId: 'T1', value: share(550, 1000), trend: trend(0.55), pace: null }],
    classes: [
      klass('k3', '二年级', '二年级（1）班', share(30, 40)),
      klass('k2', '一年级', '一年级（10）班', share(10, 40)),
      klass('k1', '一年级', '一年级（2）班', share(25, 40))
    ],
    run: null,
    canSeeStudents: true,
    canRefresh: true,
    ...over
  }
}

const row = (schoolId: string, name: string, district: string, type: SchoolStatusRow['type'], t1: TargetValue | null): SchoolStatusRow => ({
  schoolId,
  name,
  district,
  type,
  computedAt: AT,
  values: t1 ? { T1: t1 } : {}
})

const run = (over: Partial<RunView> = {}): RunView => ({
  runId: 'r1',
  month: '2026-10',
  scope: 'county',
  schoolId: null,
  trigger: 'timer',
  status: 'done',
  startedAt: AT,
  finishedAt: AT + 40_000,
  error: null,
  requests: 120,
  ...over
})

function countyDashboard(over: Partial<CountyDashboard> = {}): CountyDashboard {
  return {
    county: { countyId: 'c1', name: '平阳县' },
    snapshot: { month: '2026-10', computedAt: AT, partial: false },
    tiles: [
      { targetId: 'T1', value: share(6100, 10000), trend: trend(0.61), pace: null },
      { targetId: 'T17', value: { value: 12, numerator: 12, denominator: null, met: false }, trend: [], pace: 45 }
    ],
    schools: [
      row('s1', '城关第一小学', '城关学区', '小学', share(70, 100)),
      row('s2', '城关中学', '城关学区', '初中', share(40, 100)),
      row('s3', '河口小学', '河口学区', '小学', share(55, 100)),
      row('s4', '河口幼儿园', '河口学区', '幼儿园', null)
    ],
    runs: [run(), run({ runId: 'r0', month: '2026-09', status: 'failed', error: '数据库请求超时', finishedAt: null })],
    ...over
  }
}

const gapList = (over: Partial<GapList> = {}): GapList => ({
  classId: 'k2',
  className: '一年级（10）班',
  targetId: 'T1',
  label: '尚无家长绑定的学生',
  classCode: 'AB12CD',
  students: [
    { studentId: 'st1', name: '王小明', studentNo: '****1234' },
    { studentId: 'st2', name: '李小红', studentNo: '****5678' }
  ],
  asOf: Date.parse('2026-11-05T09:30:00+08:00'),
  ...over
})

let mp: MiniProgram | null = null
afterEach(async () => {
  await mp?.close()
  mp = null
})

async function boot(handlers: Record<string, (data: unknown, call: CloudCall) => unknown>, followNavigation = true) {
  mp = await bootMiniProgram({ cloud: routeResponder(handlers), followNavigation })
  return mp
}

/** Names of the county table's rows, top to bottom. */
const schoolOrder = (page: PageHandle) => page.querySelectorAll('.sc__name').map((e) => e.textContent)

describe('principal dashboard', () => {
  test('a T1 tile shows the value, the threshold, the parts and 未达标 below 60%, with the data time in Shanghai time', async () => {
    const app = await boot({ 'stats.schoolDashboard': () => ok(schoolDashboard()) })
    const page = await app.openPage(SCHOOL)
    await page.waitForText('家长注册率')
    const tile = page.querySelector('.st-tile')
    expect(tile?.textContent).toContain('55.0%')
    expect(tile?.textContent).toContain('目标 ≥ 60%')
    expect(tile?.querySelector('.st-badge')?.textContent).toBe('未达标')
    expect(tile?.textContent).toContain('有家长绑定 550 / 在籍 1,000 人')
    expect(tile?.textContent).toContain('《关于加强学校家庭社会协同育人的通知》三(一)2') // the policy source
    expect(page.text()).toContain('城关第一小学')
    expect(page.text()).toContain('数据截至 2026-11-01 02:00')
    expect(page.text()).toContain('立即刷新')
    expect(page.text()).not.toContain('月底前还会变化')
    expect(app.callsTo('stats', 'schoolDashboard').map((c) => c.data.data)).toEqual([{}])
  })

  test('the trend chart: a 2D canvas where WeChat can draw, a plain note where it cannot, and the tile either way', async () => {
    const app = await boot({ 'stats.schoolDashboard': () => ok(schoolDashboard()) })
    // miniprogram-simulate has no selector queries: the chart steps aside
    const page = await app.openPage(SCHOOL)
    await page.waitForText('家长注册率')
    expect(page.querySelector('.st-tile wx-canvas')).toBeNull()
    expect(page.querySelector('.st-tile')?.textContent).toContain('无法显示趋势图')
    expect(page.querySelector('.st-tile')?.textContent).toContain('55.0%')
    await app.close()

    // A WeChat with selector queries gets the canvas (the query finds no node here, so nothing is drawn)
    const drawing = await boot({ 'stats.schoolDashboard': () => ok(schoolDashboard()) })
    const queries: string[] = []
    const query = {
      select: (selector: string) => {
        queries.push(selector)
        return { fields: () => query }
      },
      exec: (cb?: (res: unknown[]) => void) => cb?.([null])
    }
    drawing.wx.createSelectorQuery = () => query
    const charted = await drawing.openPage(SCHOOL)
    await charted.waitForSelector('.st-chart wx-canvas')
    await waitFor(() => queries.some((q) => q.startsWith('#canvas_')))
    expect(charted.querySelector('.st-tile')?.textContent).toContain('未达标')
  })

  test('at or above 60% the badge says 达标; a running month says it is still being counted', async () => {
    const app = await boot({
      'stats.schoolDashboard': () =>
        ok(schoolDashboard({ snapshot: { month: '2026-11', computedAt: AT + 4 * 86400_000, partial: true }, tiles: [{ targetId: 'T1', value: share(600, 1000), trend: trend(0.6), pace: null }] }))
    })
    const page = await app.openPage(SCHOOL)
    await page.waitForText('家长注册率')
    expect(page.querySelector('.st-tile .st-badge')?.textContent).toBe('达标')
    expect(page.text()).toContain('这是本月截至 2026-11-05 02:00 的数据，月底前还会变化')
  })

  test('no snapshot yet: the empty state says when statistics are made, and the refresh button is there', async () => {
    const app = await boot({ 'stats.schoolDashboard': () => ok(schoolDashboard({ snapshot: null, tiles: [], classes: [] })) })
    const page = await app.openPage(SCHOOL)
    await page.waitForText('还没有统计数据')
    expect(page.text()).toContain('每月 1 日凌晨自动统计，也可以点立即刷新')
    expect(page.text()).toContain('立即刷新')
    expect(page.querySelector('.st-tile')).toBeNull()
  })

  test('a value that cannot be computed shows 暂无数据, not a badge', async () => {
    const app = await boot({
      'stats.schoolDashboard': () => ok(schoolDashboard({ tiles: [{ targetId: 'T1', value: { value: null, numerator: 0, denominator: 0, met: null }, trend: trend(null), pace: null }] }))
    })
    const page = await app.openPage(SCHOOL)
    await page.waitForText('家长注册率')
    expect(page.querySelector('.st-tile .st-badge')?.textContent).toBe('暂无数据')
    expect(page.text()).not.toContain('未达标')
  })

  test('a failed run is shown; 立即刷新 recomputes the school and reports STATS_RUNNING plainly', async () => {
    const app = await boot({
      'stats.schoolDashboard': () => ok(schoolDashboard({ run: run({ scope: 'school', schoolId: 's1', status: 'failed', error: '数据库请求超时' }) })),
      'stats.recompute': () => fail('STATS_RUNNING', '统计正在进行中，请稍后刷新查看')
    })
    const page = await app.openPage(SCHOOL)
    await page.waitForText('家长注册率')
    expect(page.text()).toContain('2026年10月的统计')
    expect(page.text()).toContain('失败了：数据库请求超时')
    await page.tap('立即刷新')
    await page.waitForText('统计正在进行中，请稍后刷新查看')
    expect(app.callsTo('stats', 'recompute').map((c) => c.data.data)).toEqual([{ scope: 'school' }])
  })

  test('a successful refresh reloads the dashboard', async () => {
    let value = 0.55
    const app = await boot({
      'stats.schoolDashboard': () => ok(schoolDashboard({ tiles: [{ targetId: 'T1', value: share(value * 1000, 1000), trend: trend(value), pace: null }] })),
      'stats.recompute': () => {
        value = 0.62
        return ok(run({ scope: 'school', schoolId: 's1', month: '2026-11', trigger: 'manual' }))
      }
    })
    const page = await app.openPage(SCHOOL)
    await page.waitForText('55.0%')
    await page.tap('立即刷新')
    await page.waitForText('62.0%')
    expect(page.text()).toContain('已刷新为最新数据')
    expect(app.callsTo('stats', 'schoolDashboard')).toHaveLength(2)
  })

  test('the bureau opens a school with ?schoolId= and cannot refresh it', async () => {
    const app = await boot({ 'stats.schoolDashboard': () => ok(schoolDashboard({ canRefresh: false, canSeeStudents: false })) })
    const page = await app.openPage(`${SCHOOL}?schoolId=s1`)
    await page.waitForText('家长注册率')
    expect(app.callsTo('stats', 'schoolDashboard').map((c) => c.data.data)).toEqual([{ schoolId: 's1' }])
    expect(page.text()).not.toContain('立即刷新')
  })

  test('导出Excel asks for the school year export', async () => {
    const app = await boot({
      'stats.schoolDashboard': () => ok(schoolDashboard()),
      'stats.exportStats': () => ok({ fileID: 'cloud://x/stats.xlsx', tempFileURL: 'https://x/stats.xlsx', sheets: 3 })
    })
    const page = await app.openPage(SCHOOL)
    await page.waitForText('家长注册率')
    await page.tap('导出Excel')
    await page.waitForText('已导出本学年 3 个月的统计')
    expect(app.callsTo('stats', 'exportStats').map((c) => c.data.data)).toEqual([{ scope: 'school' }])
  })
})

describe('drill-down', () => {
  test('tapping the tile opens the target with its definition and the classes by grade and number; a class opens its gap', async () => {
    const app = await boot({ 'stats.schoolDashboard': () => ok(schoolDashboard()), 'stats.classGap': () => ok(gapList()) })
    const home = await app.openPage(SCHOOL)
    await home.waitForText('家长注册率')
    await home.tap('.st-tile')
    expect(app.navigations).toEqual([{ type: 'navigateTo', url: '/packages/stats/pages/target/index?targetId=T1' }])
    const page = await app.waitForPage(TARGET)
    await page.waitForText('各班情况')
    expect(page.text()).toContain('至少有一位已绑定家长的在籍学生')
    expect(page.text()).toContain('达标 2 / 3 个班')
    expect(page.querySelectorAll('.stt__class-name').map((e) => e.textContent)).toEqual(['一年级（2）班', '一年级（10）班', '二年级（1）班'])
    const badges = page.querySelectorAll('.stt__class .st-badge').map((e) => e.textContent)
    expect(badges).toEqual(['达标', '未达标', '达标'])
    expect(page.text()).toContain('有家长绑定 10 / 在籍 40 人')

    await page.tap('一年级（10）班')
    const gap = await app.waitForPage('/packages/stats/pages/gap/index')
    await gap.waitForText('王小明')
    expect(app.callsTo('stats', 'classGap').map((c) => c.data.data)).toEqual([{ classId: 'k2', targetId: 'T1' }])
  })

  test('the bureau sees class figures only: tapping a class opens no names', async () => {
    const app = await boot({ 'stats.schoolDashboard': () => ok(schoolDashboard({ canSeeStudents: false, canRefresh: false })) }, false)
    const page = await app.openPage(`/${TARGET}?targetId=T1&schoolId=s1`)
    await page.waitForText('各班情况')
    expect(page.text()).toContain('只显示各班的汇总数字')
    await page.tap('一年级（10）班')
    expect(app.navigations).toEqual([])
    expect(app.callsTo('stats', 'classGap')).toHaveLength(0)
  })
})

describe('the students behind a gap', () => {
  test('lists names with masked numbers, the class code and a ready-to-send message', async () => {
    const app = await boot({ 'stats.classGap': () => ok(gapList()) })
    let copied: string | null = null
    app.wx.setClipboardData = (o: { data: string; success?: (r: unknown) => void; complete?: (r: unknown) => void }) => {
      copied = o.data
      o.success?.({ errMsg: 'setClipboardData:ok' })
      o.complete?.({ errMsg: 'setClipboardData:ok' })
    }
    const page = await app.openPage(`${GAP}?classId=k2&targetId=T1`)
    await page.waitForText('王小明')
    expect(page.text()).toContain('一年级（10）班')
    expect(page.text()).toContain('尚无家长绑定的学生：2 人')
    expect(page.text()).toContain('学籍号 ****1234')
    expect(page.text()).toContain('李小红')
    expect(page.text()).toContain('AB12CD')
    expect(page.text()).toContain('实时数据，截至 2026-11-05 09:30')
    await page.tap('复制班级码')
    await page.waitForText('已复制')
    expect(copied).toContain('班级码 AB12CD')
    expect(copied).toContain('一年级（10）班')
  })

  test('no one left: the empty state says so', async () => {
    const app = await boot({ 'stats.classGap': () => ok(gapList({ students: [] })) })
    const page = await app.openPage(`${GAP}?classId=k2&targetId=T1`)
    await page.waitForText('该班所有学生都已有家长绑定')
  })
})

describe('county dashboard', () => {
  test('county tiles, with the demonstration schools against their pace', async () => {
    const app = await boot({ 'stats.countyDashboard': () => ok(countyDashboard()) })
    const page = await app.openPage(COUNTY)
    await page.waitForText('平阳县')
    expect(page.text()).toContain('61.0%')
    expect(page.text()).toContain('示范校')
    expect(page.text()).toContain('本月应达 45 所')
    expect(page.text()).toContain('目标 3 年 100 所')
  })

  test('the school table sorts by a tapped column both ways, and filters by district and type', async () => {
    const app = await boot({ 'stats.countyDashboard': () => ok(countyDashboard()) }, false)
    const page = await app.openPage(COUNTY)
    await page.waitForText('各校情况')
    expect(page.text()).toContain('各校情况（4 / 4 所）')

    const header = () => page.querySelectorAll('.sc__row--head .sc__sort')[1] // 家长注册率
    expect(header().textContent).toContain('家长注册率')
    await page.tap(header())
    expect(schoolOrder(page)).toEqual(['城关中学', '河口小学', '城关第一小学', '河口幼儿园'])
    expect(header().textContent).toContain('▲')
    await page.tap(header())
    expect(schoolOrder(page)).toEqual(['城关第一小学', '河口小学', '城关中学', '河口幼儿园'])
    expect(header().textContent).toContain('▼')

    await page.tap('河口学区')
    expect(schoolOrder(page)).toEqual(['河口小学', '河口幼儿园'])
    expect(page.text()).toContain('各校情况（2 / 4 所）')
    await page.tap('小学')
    expect(schoolOrder(page)).toEqual(['河口小学'])
    await page.tap('全部学区')
    expect(schoolOrder(page)).toEqual(['城关第一小学', '河口小学'])

    // each row says 达标 / 未达标 per target; a school opens its dashboard
    const first = page.querySelectorAll('.sc__school')[0]
    expect(first.textContent).toContain('70.0%')
    expect(first.textContent).toContain('达标')
    await page.tap(first as HTMLElement)
    expect(app.navigations).toEqual([{ type: 'navigateTo', url: '/packages/stats/pages/school/index?schoolId=s1' }])
  })

  test('runs are listed with their status; 重新统计上月 asks first, then recomputes that month', async () => {
    const app = await boot({
      'stats.countyDashboard': () => ok(countyDashboard()),
      'stats.recompute': (data) => ok(run({ runId: 'r2', month: (data as { month: string }).month, trigger: 'manual', status: 'running', finishedAt: null }))
    })
    const page = await app.openPage(COUNTY)
    await page.waitForText('统计记录')
    const runs = page.querySelectorAll('.sc__run').map((e) => e.textContent ?? '')
    expect(runs[0]).toContain('2026年10月')
    expect(runs[0]).toContain('完成')
    expect(runs[1]).toContain('失败')
    expect(runs[1]).toContain('数据库请求超时')

    const last = previousMonthOf(Date.now())
    await page.tap('重新统计上月')
    await page.waitForText(`重新统计${last.label}`)
    expect(app.callsTo('stats', 'recompute')).toHaveLength(0) // nothing before the confirmation
    await page.tap('开始统计')
    await page.waitForText(`已开始统计${last.label}`)
    expect(app.callsTo('stats', 'recompute').map((c) => c.data.data)).toEqual([{ scope: 'county', month: last.id }])
  })
})

describe('annual report', () => {
  const report: AnnualReport = {
    scope: 'school',
    schoolId: 's1',
    title: '城关第一小学 2025-2026 学年家校社协同育人工作报告',
    schoolYear: '2025-2026',
    schoolYearStart: 2025,
    sections: [
      { key: 'overview', title: '总体情况', body: '本学年家长注册率 55.0%。' },
      { key: 'next', title: '下一步工作', body: '提高家长注册率。' }
    ],
    generatedAt: AT,
    updatedAt: null
  }

  test('the draft is shown section by section; an edit is saved', async () => {
    const app = await boot({
      'stats.annualReport': () => ok(report),
      'stats.saveAnnualReport': (data) => ok({ ...report, sections: (data as AnnualReport).sections, updatedAt: AT + 1000 })
    })
    const page = await app.openPage(`${REPORT}?scope=school`)
    await page.waitForText('自动生成的草稿')
    await page.type('.sr__title--edit', '城关第一小学协同育人白皮书')
    await page.type('.sr__body-next', '提高家长注册率，每班召开一次家长会。')
    await page.waitForText('有未保存的修改')
    await page.tap('保存')
    await page.waitForText('已保存')
    const saved = app.callsTo('stats', 'saveAnnualReport').map((c) => c.data.data)
    expect(saved).toEqual([
      {
        scope: 'school',
        schoolYear: 2025,
        title: '城关第一小学协同育人白皮书',
        sections: [
          { key: 'overview', title: '总体情况', body: '本学年家长注册率 55.0%。' },
          { key: 'next', title: '下一步工作', body: '提高家长注册率，每班召开一次家长会。' }
        ]
      }
    ])
    await waitFor(() => !page.text().includes('有未保存的修改'))
  })

  test('a saved report can start again from the latest figures, after a confirmation', async () => {
    const saved = { ...report, updatedAt: AT + 1000, sections: [{ key: 'next', title: '下一步工作', body: '我们写的计划' }] }
    const app = await boot({ 'stats.annualReport': () => ok(saved), 'stats.resetAnnualReport': () => ok(report) })
    const page = await app.openPage(`${REPORT}?scope=school`)
    await page.waitForText('保存的修改稿')
    await page.tap('按最新统计数据重新生成')
    await page.waitForText('已保存的修改（包括您填写的案例和计划）会被丢弃')
    expect(app.callsTo('stats', 'resetAnnualReport')).toHaveLength(0) // nothing before the confirmation
    await page.tap('重新生成')
    await page.waitForText('已按最新统计数据重新生成草稿')
    expect(app.callsTo('stats', 'resetAnnualReport').map((c) => c.data.data)).toEqual([{ scope: 'school' }])
    expect(page.text()).toContain('自动生成的草稿')
    // an unedited draft has nothing to start again from
    expect(page.querySelectorAll('.sr__reset')).toHaveLength(0)
  })

  test('another school year is one tap away (the earlier one always; a later one only up to this year)', async () => {
    const app = await boot({ 'stats.annualReport': () => ok(report) })
    const page = await app.openPage(`${REPORT}?scope=school`)
    await page.waitForText('自动生成的草稿')
    expect(page.text()).toContain('2026–2027学年 ›') // 2025–2026 is shown and this year is later
    await page.tap('‹ 2024–2025学年')
    await waitFor(() => app.navigations.length > 0)
    expect(app.navigations[0]).toEqual({ type: 'redirectTo', url: '/packages/stats/pages/report/index?scope=school&schoolYear=2024' })
  })

  test('large-text mode: the page is large and every section stays editable', async () => {
    mp = await bootMiniProgram({ cloud: routeResponder({ 'stats.annualReport': () => ok(report) }), storage: { 'gy.largeText': true } })
    const page = await mp.openPage(`${REPORT}?scope=school`)
    await page.waitForText('下载 Word')
    expect(page.classesOf()).toContain('gy-page--large')
    expect(page.querySelectorAll('.sr__body')).toHaveLength(2)
    expect(page.text()).toContain('下载 Word')
  })

  test('the bureau reads a school report without editing it', async () => {
    const app = await boot({ 'stats.annualReport': () => ok(report) })
    const page = await app.openPage(`${REPORT}?scope=school&schoolId=s1`)
    await page.waitForText('工作报告')
    expect(app.callsTo('stats', 'annualReport').map((c) => c.data.data)).toEqual([{ scope: 'school', schoolId: 's1' }])
    expect(page.querySelectorAll('.sr__body')).toHaveLength(0)
    expect(page.text()).toContain('只能阅读和下载')
    expect(page.querySelectorAll('.nut-button').map((b) => b.textContent?.trim())).toEqual(['下载 Word'])
  })
})
