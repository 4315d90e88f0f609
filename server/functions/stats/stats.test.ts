/** The stats function through the genuine wx-server-sdk against the local cloud: snapshots, dashboards, gaps, exports. */
import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import type { AnnualReport, CountyDashboard, GapList, RunView, SchoolDashboard } from '@/shared/contract-stats'
import type { FileLink } from '@/shared/contract'
import { startTestCloud, type TestCloud } from '../../testing'
import { P, seedWorld, W } from '../../fixtures'

let t: TestCloud
beforeAll(async () => {
  t = await startTestCloud()
})
afterAll(async () => {
  await t.close()
})

const call = <T>(openid: string, action: string, data: unknown) => t.call<T>('stats', openid, { action, data })
const ok = async <T>(openid: string, action: string, data: unknown): Promise<T> => {
  const { reply } = await call<T>(openid, action, data)
  if (!reply.ok) throw new Error(`${action}: ${reply.code} ${reply.message}`)
  return reply.data
}
const at = (s: string) => new Date(s)
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- stored documents, read loosely in assertions
const snapshots = () => t.cloud.store.find('statistics', { kind: { $in: ['school', 'county'] } }, { sort: { _id: 1 } }) as Array<Record<string, any>>
const snapshotOf = (month: string, schoolId: string) => snapshots().find((s) => s.month === month && s.schoolId === schoolId)
/** Sets fields of a stored document (seeding only). */
function patch(coll: string, id: string, fields: Record<string, unknown>) {
  const doc = t.cloud.store.find(coll, { _id: id })[0]
  t.cloud.store.commit([{ coll, key: id, after: { ...doc, ...fields } }])
}
const countyOf = (month: string) => snapshots().find((s) => s.month === month && s.kind === 'county')

/**
 * The hand-built world plus records on both sides of the October/November 2026 edge (Shanghai time).
 * In W.klass (一年级（1）班) at the end of October:
 *   王小明 st1 enrolled, guardian bound 2026-11-19 → not yet at the end of October
 *   李华 st2 enrolled, no guardian
 *   赵六 st3 left (leftAt 2026-11-01 00:00 → still enrolled at the end of October), guardian bound in September
 *   e1 enrolled 2026-10-31 23:59:59 (counts), guardian bound 2026-10-31 23:59 (counts)
 *   e2 enrolled 2026-11-01 00:00 (does not count in October)
 *   e3 enrolled, guardian bound 2026-10-31T16:30Z = Nov 1 00:30 Shanghai (not in October)
 *   e4 enrolled, guardian unbound 2026-10-20 (not at the end of October); a client-written guardian record (never counts)
 *   e5 left 2026-10-15 (not enrolled at the end of October), guardian bound
 *   e6 enrolled, guardian unbound 2026-11-05 (still bound at the end of October)
 */
function seedEdges() {
  seedWorld(t.cloud)
  const s = t.cloud.store
  const stu = (id: string, name: string, extra: Record<string, unknown>) => ({
    _id: id,
    countyId: W.county,
    schoolId: W.school,
    schoolName: '城关第一小学',
    classId: W.klass,
    className: '一年级（1）班',
    classCode: W.classCode,
    name,
    studentNo: `20260100${id.slice(1)}`,
    status: 'enrolled',
    createdAt: at('2026-09-01T08:00:00+08:00'),
    ...extra
  })
  patch('students', W.leaver, { leftAt: at('2026-11-01T00:00:00+08:00') })
  s.insertMany('students', [
    stu('e1', '钱一', { createdAt: at('2026-10-31T23:59:59+08:00') }),
    stu('e2', '孙二', { createdAt: at('2026-11-01T00:00:00+08:00') }),
    stu('e3', '周三', {}),
    stu('e4', '吴四', {}),
    stu('e5', '郑五', { status: 'left', leftAt: at('2026-10-15T10:00:00+08:00') }),
    stu('e6', '冯六', {})
  ])
  const g = (id: string, studentId: string, extra: Record<string, unknown>) => ({
    _id: id,
    openid: `o-${id}`,
    role: 'guardian',
    status: 'active',
    countyId: W.county,
    schoolId: W.school,
    classId: W.klass,
    studentId,
    relation: '母亲',
    createdAt: at('2026-09-10T08:00:00+08:00'),
    ...extra
  })
  patch('memberships', `g_${P.guardianOfThis}_${W.child}`, { createdAt: at('2026-11-19T10:00:00+08:00') })
  s.insertMany('memberships', [
    g('ge3', W.leaver, {}),
    g('ge1', 'e1', { createdAt: at('2026-10-31T23:59:00+08:00') }),
    g('ge3b', 'e3', { createdAt: at('2026-10-31T16:30:00Z') }),
    g('ge4', 'e4', { status: 'ended', endedAt: at('2026-10-20T10:00:00+08:00') }),
    g('ge4x', 'e4', { _openid: 'o-hacker' }),
    g('ge5', 'e5', {}),
    g('ge6', 'e6', { status: 'ended', endedAt: at('2026-11-05T10:00:00+08:00') })
  ])
  // the other class: 陈晨, bound in September
  patch('memberships', `g_${P.guardianOfOther}_${W.otherChild}`, { createdAt: at('2026-09-05T08:00:00+08:00') })
  // 示范校: s1 certified in October; s2 certified in September and revoked on Nov 2 (still certified at the end of
  // October); a third school certified in two rounds counts once; another county's school never counts.
  s.insertMany('programmeApplications', [
    { _id: 'r1_s1', roundId: 'r1', countyId: W.county, schoolId: W.school, status: 'certified', certifiedAt: at('2026-10-31T20:00:00+08:00') },
    { _id: 'r1_s2', roundId: 'r1', countyId: W.county, schoolId: W.otherSchool, status: 'revoked', certifiedAt: at('2026-09-20T10:00:00+08:00'), revokedAt: at('2026-11-02T10:00:00+08:00') },
    { _id: 'r0_s3', roundId: 'r0', countyId: W.county, schoolId: 's3', status: 'revoked', certifiedAt: at('2025-06-01T10:00:00+08:00'), revokedAt: at('2025-12-01T10:00:00+08:00') },
    { _id: 'r1_s3', roundId: 'r1', countyId: W.county, schoolId: 's3', status: 'certified', certifiedAt: at('2026-06-01T10:00:00+08:00'), revokedAt: null },
    { _id: 'r1_x', roundId: 'rx', countyId: 'c-other', schoolId: 'sx', status: 'certified', certifiedAt: at('2026-06-01T10:00:00+08:00') }
  ])
}

describe('monthly snapshots', () => {
  beforeEach(seedEdges)

  it('counts T1 at the end of the month in Shanghai time, per class, school and county', async () => {
    const run = await ok<RunView>(P.bureau, 'recompute', { scope: 'county', month: '2026-10' })
    expect(run).toMatchObject({ status: 'done', month: '2026-10', scope: 'county', trigger: 'manual' })
    const s1 = snapshotOf('2026-10', W.school)!
    const k1 = s1.classes.find((c: { classId: string }) => c.classId === W.klass)
    // enrolled at the end of October in k1: st1, st2, st3 (left Nov 1), e1, e3, e4, e6 = 7; with a guardian: st3, e1, e6 = 3
    expect(k1.counters.T1).toEqual({ enrolled: 7, withGuardian: 3 })
    expect(k1.values.T1).toEqual({ value: 3 / 7, numerator: 3, denominator: 7, met: false })
    const k2 = s1.classes.find((c: { classId: string }) => c.classId === W.otherClass)
    expect(k2.values.T1).toMatchObject({ numerator: 1, denominator: 1, met: true })
    expect(s1.values.T1).toMatchObject({ numerator: 4, denominator: 8 })
    expect(s1.partial).toBe(false)
    const county = countyOf('2026-10')!
    expect(county.values.T1).toMatchObject({ numerator: 4, denominator: 9 }) // + 周舟 in the other school, unbound
    // T17 at the end of October: s1 (certified Oct 31 20:00), s2 (revoked only on Nov 2), s3 once; not the other county
    expect(county.values.T17).toEqual({ value: 3, numerator: 3, denominator: null, met: false })
    expect(s1.values.T17).toBeUndefined()
  })

  it('moves records across the edge into November', async () => {
    await ok(P.bureau, 'recompute', { scope: 'county', month: '2026-11' })
    const s1 = snapshotOf('2026-11', W.school)!
    const k1 = s1.classes.find((c: { classId: string }) => c.classId === W.klass)
    // now: st1 (bound Nov 19), st2, e1, e2, e3 (bound Nov 1 00:30), e4, e6 (unbound Nov 5); st3 has left
    // with a guardian: st1, e1, e3 — but this month is running: only bindings up to now count, all are in the past
    expect(k1.counters.T1).toEqual({ enrolled: 7, withGuardian: 3 })
    expect(s1.partial).toBe(true)
    // s2 revoked on Nov 2: November counts s1 and s3
    expect(countyOf('2026-11')!.values.T17.value).toBe(2)
  })

  it('gives the same snapshot when re-run, and never duplicates it', async () => {
    await ok(P.bureau, 'recompute', { scope: 'county', month: '2026-10' })
    const key = (s: Record<string, unknown>) => `${s.kind}|${s.schoolId ?? ''}|${s.month}`
    const withoutRun = ({ _id: _i, computedAt: _c, runId: _r, instance: _n, ...rest }: Record<string, unknown>) => rest
    const first = snapshots().map(withoutRun)
    const keys = snapshots().map(key).sort()
    await ok(P.bureau, 'recompute', { scope: 'county', month: '2026-10' })
    await ok(P.adminOfThis, 'recompute', { scope: 'school' })
    const october = snapshots().filter((s) => s.month === '2026-10')
    expect(october.map(withoutRun)).toEqual(first)
    expect(october.map(key).sort()).toEqual(keys)
    expect(new Set(snapshots().map(key)).size).toBe(snapshots().length)
    const run = t.cloud.store.find('statistics', { kind: 'run', month: '2026-10', scope: 'county' }) as Array<Record<string, unknown>>
    expect(run).toHaveLength(1)
    expect(run[0]).toMatchObject({ status: 'done', attempts: 2 })
    // no lock is left behind
    expect(t.cloud.store.find('statistics', { kind: 'lock' })).toEqual([])
  })

  it("keeps a past month's figure when a guardian later unbinds and binds again (the earlier binding period is kept)", async () => {
    await ok(P.bureau, 'recompute', { scope: 'county', month: '2026-10' })
    const k2 = () => snapshotOf('2026-10', W.school)!.classes.find((c: { classId: string }) => c.classId === W.otherClass).counters.T1
    expect(k2()).toEqual({ enrolled: 1, withGuardian: 1 })
    // 陈晨's father unbinds and binds again today: one membership record, started today
    const binding = (action: string, data: unknown) => t.call('binding', P.guardianOfOther, { action, data })
    expect((await binding('unbind', { studentId: W.otherChild })).reply.ok).toBe(true)
    expect((await binding('bindChild', { classCode: W.otherClassCode, childName: '陈晨', studentNoSuffix: '4321', relation: '父亲' })).reply).toMatchObject({ ok: true })
    await ok(P.bureau, 'recompute', { scope: 'county', month: '2026-10' })
    expect(k2()).toEqual({ enrolled: 1, withGuardian: 1 })
  })

  it('reads the newest snapshot when a re-run left an older one behind (never counts a school twice)', async () => {
    await ok(P.bureau, 'recompute', { scope: 'county', month: '2026-10' })
    const current = snapshotOf('2026-10', W.school)!
    // what a re-run that stopped after its insert leaves: an older copy with other figures
    t.cloud.store.insertMany('statistics', [
      { ...current, _id: `${current._id}-old`, instance: 'old', computedAt: new Date(new Date(current.computedAt).getTime() - 3600_000), values: { T1: { value: 0.1, numerator: 1, denominator: 10, met: false } } }
    ])
    const board = await ok<CountyDashboard>(P.bureau, 'countyDashboard', {})
    expect(board.schools.filter((s) => s.schoolId === W.school)).toHaveLength(1)
    expect(board.schools.find((s) => s.schoolId === W.school)!.values.T1).toMatchObject({ numerator: 4, denominator: 8 })
    const school = await ok<SchoolDashboard>(P.adminOfThis, 'schoolDashboard', {})
    expect(school.tiles[0].value).toMatchObject({ numerator: 4, denominator: 8 })
    // the next successful run clears the leftover
    await ok(P.bureau, 'recompute', { scope: 'county', month: '2026-10' })
    expect(snapshots().filter((s) => s.month === '2026-10' && s.schoolId === W.school)).toHaveLength(1)
  })

  it('never lets a principal refresh and a county run of the same month collide', async () => {
    for (let round = 0; round < 4; round++) {
      const replies = await Promise.all([
        call<RunView>(P.bureau, 'recompute', { scope: 'county' }),
        call<RunView>(P.adminOfThis, 'recompute', { scope: 'school' }),
        call<RunView>(P.adminOfThis, 'recompute', { scope: 'school' })
      ])
      for (const r of replies) if (!r.reply.ok) expect(r.reply.code).toBe('STATS_RUNNING')
      expect(replies.some((r) => r.reply.ok)).toBe(true)
    }
    const month = snapshots()[0].month
    const keys = snapshots()
      .filter((s) => s.month === month)
      .map((s) => `${s.kind}|${s.schoolId ?? ''}`)
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('lets only one run of a month go at a time; concurrent requests get a clear answer', async () => {
    const replies = await Promise.all([1, 2, 3].map(() => call<RunView>(P.bureau, 'recompute', { scope: 'county', month: '2026-10' })))
    const done = replies.filter((r) => r.reply.ok)
    expect(done.length).toBeGreaterThanOrEqual(1)
    for (const r of replies) if (!r.reply.ok) expect(r.reply).toMatchObject({ code: 'STATS_RUNNING', message: expect.stringMatching(/统计正在进行/) })
    expect(snapshots().filter((s) => s.month === '2026-10')).toHaveLength(3) // two schools + county
  })

  it('shows an unfinished run as failed on the county dashboard, and a re-run completes it', async () => {
    t.cloud.store.insertMany('statistics', [
      { _id: 'run_county_c1_2026-10', kind: 'run', scope: 'county', month: '2026-10', countyId: W.county, schoolId: null, trigger: 'timer', by: null, status: 'running', startedAt: new Date(Date.now() - 10 * 60_000), finishedAt: null, error: null, requests: null, attempts: 1 }
    ])
    const board = await ok<CountyDashboard>(P.bureau, 'countyDashboard', {})
    expect(board.runs[0]).toMatchObject({ month: '2026-10', status: 'failed', error: expect.stringMatching(/未完成/) })
    const run = await ok<RunView>(P.bureau, 'recompute', { scope: 'county', month: '2026-10' })
    expect(run.status).toBe('done')
    const after = await ok<CountyDashboard>(P.bureau, 'countyDashboard', {})
    expect(after.runs.find((r) => r.month === '2026-10')).toMatchObject({ status: 'done', error: null })
  })

  it('refuses a second run while one is going', async () => {
    t.cloud.store.insertMany('statistics', [{ _id: 'lock_c1_2026-10', kind: 'lock', countyId: W.county, month: '2026-10', holder: 'someone', at: new Date() }])
    const { reply } = await call(P.bureau, 'recompute', { scope: 'county', month: '2026-10' })
    expect(reply).toMatchObject({ ok: false, code: 'STATS_RUNNING' })
    expect(snapshots()).toHaveLength(0)
    // a lock whose holder died (a function lives at most 60 s) is taken over
    patch('statistics', 'lock_c1_2026-10', { at: new Date(Date.now() - 10 * 60_000) })
    await expect(ok(P.bureau, 'recompute', { scope: 'county', month: '2026-10' })).resolves.toMatchObject({ status: 'done' })
  })

  it('runs on the timer for the month just ended, and a user cannot start the timer job', async () => {
    const { result } = await t.cloud.fireTimer('stats', 'monthlySnapshot')
    const data = (result as { ok: boolean; data: { month: string; results: Array<{ countyId: string; ok: boolean }> } }).data
    expect(data.results).toEqual([expect.objectContaining({ countyId: W.county, ok: true })])
    const runs = t.cloud.store.find('statistics', { kind: 'run' }) as Array<Record<string, unknown>>
    expect(runs).toEqual([expect.objectContaining({ month: data.month, trigger: 'timer', status: 'done' })])
    expect(snapshotOf(data.month, W.school)).toBeDefined()
    // the same event from a user (who always has an OPENID) is not a timer
    const { reply } = await t.call('stats', P.bureau, { Type: 'Timer', TriggerName: 'monthlySnapshot' })
    expect(reply).toMatchObject({ ok: false, code: 'UNKNOWN_ACTION' })
  })

  it('declares the timer as WeChat Cloud needs it: 7 fields, 02:00 on the 1st', () => {
    expect(t.cloud.timerTriggers()).toContainEqual({ fn: 'stats', name: 'monthlySnapshot', config: '0 0 2 1 * * *' })
  })

  it('lets a principal refresh only their school this month, and nobody compute the future', async () => {
    const run = await ok<RunView>(P.adminOfThis, 'recompute', { scope: 'school' })
    expect(run).toMatchObject({ scope: 'school', schoolId: W.school, status: 'done' })
    expect(snapshots().map((s) => s.schoolId)).toEqual([W.school])
    expect(await call(P.adminOfThis, 'recompute', { scope: 'school', month: '2026-10' })).toMatchObject({ reply: { ok: false, code: 'INVALID_INPUT', message: expect.stringMatching(/只能刷新本月/) } })
    expect(await call(P.adminOfThis, 'recompute', { scope: 'county' })).toMatchObject({ reply: { ok: false, code: 'PERMISSION_DENIED' } })
    expect(await call(P.bureau, 'recompute', { scope: 'county', month: '2099-01' })).toMatchObject({ reply: { ok: false, code: 'INVALID_INPUT' } })
    expect(await call(P.bureau, 'recompute', { scope: 'county', month: '2026-13' })).toMatchObject({ reply: { ok: false, code: 'INVALID_INPUT', message: expect.stringMatching(/YYYY-MM/) } })
    expect(await call(P.bureau, 'recompute', { scope: 'county', month: '2000-01' })).toMatchObject({ reply: { ok: false, code: 'INVALID_INPUT', message: expect.stringMatching(/2020/) } })
    expect(await call(P.adminOfThis, 'recompute', { scope: 'school', schoolId: W.otherSchool })).toMatchObject({ reply: { ok: false, code: 'PERMISSION_DENIED' } })
  })
})

describe('dashboards', () => {
  beforeAll(async () => {
    seedEdges()
    for (const month of ['2026-08', '2026-09', '2026-10']) await ok(P.bureau, 'recompute', { scope: 'county', month })
  })

  it("shows the principal their school's targets with a 12-month trend and the classes, in 2 requests", async () => {
    const { reply, stats } = await call<SchoolDashboard>(P.adminOfThis, 'schoolDashboard', {})
    if (!reply.ok) throw new Error(reply.code)
    const d = reply.data
    expect(stats.dbRequests).toBeLessThanOrEqual(2)
    expect(d.school).toMatchObject({ schoolId: W.school, name: '城关第一小学', district: '城关学区', type: '小学' })
    expect(d.snapshot).toMatchObject({ month: '2026-10', partial: false })
    const t1 = d.tiles.find((x) => x.targetId === 'T1')!
    expect(t1.value).toMatchObject({ numerator: 4, denominator: 8, met: false })
    expect(t1.trend).toHaveLength(12)
    expect(t1.trend[11]).toEqual({ month: '2026-10', value: 0.5 })
    expect(t1.trend[0]).toEqual({ month: '2025-11', value: null })
    // in September only st3 (bound Sep 10) and e6, e4 (bound Sep 10) … of the students then enrolled
    expect(t1.trend[10].month).toBe('2026-09')
    expect(d.tiles.map((x) => x.targetId)).not.toContain('T17')
    expect(d.classes.map((c) => c.className)).toEqual(['一年级（1）班', '一年级（2）班'])
    expect(d).toMatchObject({ canSeeStudents: true, canRefresh: true })
  })

  it('lets the bureau open a school of its county (counts only), and nobody else', async () => {
    const d = await ok<SchoolDashboard>(P.bureau, 'schoolDashboard', { schoolId: W.school })
    expect(d).toMatchObject({ canSeeStudents: false, canRefresh: false })
    expect(JSON.stringify(d)).not.toMatch(/王小明|李华|studentNo/)
    expect(await call(P.adminOfOther, 'schoolDashboard', { schoolId: W.school })).toMatchObject({ reply: { ok: false, code: 'PERMISSION_DENIED' } })
    expect(await call(P.teacherOfThis, 'schoolDashboard', {})).toMatchObject({ reply: { ok: false, code: 'PERMISSION_DENIED' } })
    // another county's bureau sees nothing of this school
    t.cloud.store.insertMany('memberships', [{ _id: 'm-far-bureau', openid: 'o-far-bureau', role: 'bureauAdmin', status: 'active', countyId: 'c-other' }])
    expect(await call('o-far-bureau', 'schoolDashboard', { schoolId: W.school })).toMatchObject({ reply: { ok: false, code: 'PERMISSION_DENIED' } })
  })

  it('shows the bureau the county and every school in 3 requests, with no student in it', async () => {
    const { reply, stats } = await call<CountyDashboard>(P.bureau, 'countyDashboard', {})
    if (!reply.ok) throw new Error(reply.code)
    expect(stats.dbRequests).toBeLessThanOrEqual(3)
    const d = reply.data
    expect(d.county).toEqual({ countyId: W.county, name: '平阳县' })
    expect(d.tiles.map((x) => x.targetId)).toEqual(['T1', 'T6', 'T7', 'T8', 'T17'])
    expect(d.tiles.find((x) => x.targetId === 'T17')).toMatchObject({ value: { value: 3 }, pace: expect.any(Number) })
    expect(d.schools.map((s) => s.name)).toEqual(['城关第一小学', '南湖初级中学'])
    expect(d.schools[0].values.T1).toMatchObject({ numerator: 4, denominator: 8 })
    expect(JSON.stringify(d)).not.toMatch(/王小明|李华|周舟|classes/)
    expect(d.runs.map((r) => r.month)).toEqual(['2026-10', '2026-09', '2026-08'])
  })

  it('gives an empty dashboard before the first snapshot', async () => {
    t.cloud.store.insertMany('schools', [{ _id: 's-new', countyId: W.county, name: '新建小学', type: '小学', district: '城关学区', code: 'XJXX' }])
    t.cloud.store.insertMany('memberships', [{ _id: 'm-a-new', openid: 'o-a-new', role: 'schoolAdmin', status: 'active', countyId: W.county, schoolId: 's-new', schoolName: '新建小学' }])
    const d = await ok<SchoolDashboard>('o-a-new', 'schoolDashboard', {})
    expect(d).toMatchObject({ snapshot: null, tiles: [], classes: [], school: { name: '新建小学' } })
  })
})

describe('the students behind a gap', () => {
  beforeEach(seedEdges)

  it("lists a class's enrolled students without a bound guardian, live, for its admin and head teacher", async () => {
    const { reply, stats } = await call<GapList>(P.adminOfThis, 'classGap', { classId: W.klass, targetId: 'T1' })
    if (!reply.ok) throw new Error(reply.code)
    expect(stats.dbRequests).toBeLessThanOrEqual(3)
    // now: bound are st1, e1, e3 (and e4 only through a client-written record, which does not count)
    expect(reply.data.students.map((s) => s.name).sort()).toEqual(['冯六', '吴四', '孙二', '李华'].sort())
    expect(reply.data.students.find((s) => s.name === '李华')).toEqual({ studentId: W.sibling, name: '李华', studentNo: '****5678' })
    expect(reply.data).toMatchObject({ className: '一年级（1）班', classCode: W.classCode, label: expect.stringMatching(/家长/) })
    await expect(ok(P.teacherOfThis, 'classGap', { classId: W.klass, targetId: 'T1' })).resolves.toBeTruthy()
    for (const who of [P.teacherOfOther, P.adminOfOther, P.bureau, P.guardianOfThis]) {
      expect(await call(who, 'classGap', { classId: W.klass, targetId: 'T1' })).toMatchObject({ reply: { ok: false, code: expect.stringMatching(/PERMISSION_DENIED|NOT_REGISTERED/) } })
    }
    expect(await call(P.adminOfThis, 'classGap', { classId: W.klass, targetId: 'T17' })).toMatchObject({ reply: { ok: false, code: 'NOT_FOUND' } })
    expect(await call(P.adminOfThis, 'classGap', { classId: W.klass, targetId: 'T99' })).toMatchObject({ reply: { ok: false, code: 'INVALID_INPUT' } })
  })
})

/** number formats used per sheet, filled by sheets() */
const formats = new Map<string, string[]>()
async function sheets(fileID: string): Promise<Map<string, string[][]>> {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(t.cloud.storage.read(fileID) as unknown as ExcelJS.Buffer)
  const out = new Map<string, string[][]>()
  for (const ws of wb.worksheets) {
    const rows: string[][] = []
    const fmts = new Set<string>()
    ws.eachRow((row) => {
      rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? '')))
      row.eachCell((c) => void (c.numFmt && fmts.add(c.numFmt)))
    })
    out.set(ws.name, rows)
    formats.set(ws.name, [...fmts])
  }
  return out
}

describe('exports and the annual report', () => {
  beforeAll(async () => {
    seedEdges()
    for (const month of ['2026-09', '2026-10']) await ok(P.bureau, 'recompute', { scope: 'county', month })
  })

  it("exports the school's months as sheets with Chinese headers, the policy source and the classes", async () => {
    const link = await ok<FileLink & { sheets: number }>(P.adminOfThis, 'exportStats', { scope: 'school', schoolYear: 2026 })
    expect(link.sheets).toBe(2)
    const book = await sheets(link.fileID)
    expect([...book.keys()]).toEqual(['2026年9月', '2026年10月'])
    const oct = book.get('2026年10月')!
    expect(oct[0][0]).toMatch(/城关第一小学 2026年10月/)
    const header = oct.findIndex((r) => r[0] === '指标编号')
    expect(oct[header]).toEqual(['指标编号', '指标', '统计口径', '统计周期', '目标', '数值', '分子', '分母', '是否达标', '政策依据'])
    expect(oct[header + 1]).toEqual(['T1', '家长注册率', expect.any(String), '月末时点', '≥ 60%', '0.5', '4', '8', '未达标', expect.stringMatching(/^《关于加强学校家庭社会协同育人的通知》三\(一\)2/)])
    const k1 = oct.find((r) => r[1] === '一年级（1）班')!
    expect(k1.slice(0, 6)).toEqual(['一年级', '一年级（1）班', String(3 / 7), '未达标', '3', '7'])
    // shares are numbers with a percent format (they sum and sort in Excel)
    expect(formats.get('2026年10月')).toContain('0.0%')
    expect(JSON.stringify([...book.values()])).not.toMatch(/王小明|李华/)
  })

  it("exports the county with every school, for the bureau only", async () => {
    const link = await ok<FileLink & { sheets: number }>(P.bureau, 'exportStats', { scope: 'county', schoolYear: 2026 })
    const oct = (await sheets(link.fileID)).get('2026年10月')!
    expect(oct.find((r) => r[0] === 'T17')?.slice(0, 7)).toEqual(['T17', '示范校', expect.any(String), '三年周期', '3 年 100 所', '3', '3'])
    expect(oct.find((r) => r[1] === '南湖初级中学')?.slice(0, 3)).toEqual(['南湖学区', '南湖初级中学', '初中'])
    // the bureau's export of one school carries the school's name
    const one = await ok<FileLink & { sheets: number }>(P.bureau, 'exportStats', { scope: 'school', schoolId: W.school, schoolYear: 2026 })
    expect((await sheets(one.fileID)).get('2026年10月')![0][0]).toMatch(/^城关第一小学 2026年10月/)
    expect(one.fileID).toMatch(/城关第一小学2026–2027学年协同育人目标月度统计-\d{14}-[a-z0-9]+\.xlsx$/)
    expect(await call(P.adminOfThis, 'exportStats', { scope: 'county' })).toMatchObject({ reply: { ok: false, code: 'PERMISSION_DENIED' } })
    expect(await call(P.adminOfThis, 'exportStats', { scope: 'school', schoolYear: 2020 })).toMatchObject({ reply: { ok: false, code: 'NOT_FOUND', message: expect.stringMatching(/还没有统计数据/) } })
  })

  it('drafts the annual report from the snapshots, keeps the edits and gives a Word file', async () => {
    const draft = await ok<AnnualReport>(P.adminOfThis, 'annualReport', { scope: 'school', schoolYear: 2026 })
    expect(draft).toMatchObject({ scope: 'school', schoolId: W.school, schoolYear: '2026-2027', updatedAt: null, title: '城关第一小学2026–2027学年家校社协同育人年度报告（白皮书）' })
    const targets = draft.sections.find((s) => s.key === 'targets')!
    expect(targets.body).toMatch(/T1 家长注册率：50\.0%（目标：≥ 60%），未达标/)
    expect(draft.sections.find((s) => s.key === 'next')!.body).toMatch(/家长注册率为 50\.0%，未达到目标（≥ 60%）/)

    const edited = draft.sections.map((s) => (s.key === 'cases' ? { ...s, body: '开展“护学岗”家长志愿服务，覆盖全部班级。' } : s))
    const saved = await ok<AnnualReport>(P.adminOfThis, 'saveAnnualReport', { scope: 'school', schoolYear: 2026, title: '城关第一小学2026学年协同育人白皮书', sections: edited })
    expect(saved.updatedAt).toEqual(expect.any(Number))
    expect(saved.title).toBe('城关第一小学2026学年协同育人白皮书')
    const again = await ok<AnnualReport>(P.adminOfThis, 'annualReport', { scope: 'school', schoolYear: 2026 })
    expect(again.sections.find((s) => s.key === 'cases')!.body).toBe('开展“护学岗”家长志愿服务，覆盖全部班级。')

    const file = await ok<FileLink>(P.adminOfThis, 'downloadAnnualReport', { scope: 'school', schoolYear: 2026 })
    expect(file.fileID).toMatch(/\.docx$/)
    const bytes = t.cloud.storage.read(file.fileID) as Buffer
    expect(bytes.subarray(0, 2).toString()).toBe('PK')
    const xml = await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string')
    expect(xml).toContain('护学岗')
    expect(xml).toContain('家长注册率为 50.0%')
    // the draft's prompts that nobody replaced are not printed
    expect(xml).not.toContain('（请')

    // bad input changes nothing
    const before = t.cloud.store.find('annualReports', {})
    expect(await call(P.adminOfThis, 'saveAnnualReport', { scope: 'school', schoolYear: 2026, sections: [{ key: 'a', title: '', body: 'x' }] })).toMatchObject({
      reply: { ok: false, code: 'INVALID_INPUT', message: expect.stringMatching(/标题/) }
    })
    expect(t.cloud.store.find('annualReports', {})).toEqual(before)
    // starting again from the latest figures drops the edits (the bureau cannot do it to a school's report)
    expect(await call(P.bureau, 'resetAnnualReport', { scope: 'school', schoolId: W.school, schoolYear: 2026 })).toMatchObject({ reply: { ok: false, code: 'PERMISSION_DENIED' } })
    const fresh = await ok<AnnualReport>(P.adminOfThis, 'resetAnnualReport', { scope: 'school', schoolYear: 2026 })
    expect(fresh).toMatchObject({ updatedAt: null, title: draft.title })
    expect(fresh.sections.find((s) => s.key === 'cases')!.body).toMatch(/^（请填写/)
    // in Word the untouched 典型案例 section is left out, and the numbering has no gap
    const draftFile = await ok<FileLink>(P.adminOfThis, 'downloadAnnualReport', { scope: 'school', schoolYear: 2026 })
    const draftXml = await (await JSZip.loadAsync(t.cloud.storage.read(draftFile.fileID) as Buffer)).file('word/document.xml')!.async('string')
    expect(draftXml).not.toContain('典型案例')
    expect(draftXml).toContain('四、存在问题与下一步计划')
    await ok(P.adminOfThis, 'saveAnnualReport', { scope: 'school', schoolYear: 2026, sections: edited })
    // another school's principal neither reads nor overwrites it
    const other = await ok<AnnualReport>(P.adminOfOther, 'annualReport', { scope: 'school', schoolYear: 2026 })
    expect(other.schoolId).toBe(W.otherSchool)
    expect(other.updatedAt).toBeNull()
  })

  it('drafts the county report with the 示范校 progress', async () => {
    const r = await ok<AnnualReport>(P.bureau, 'annualReport', { scope: 'county', schoolYear: 2026 })
    expect(r.title).toMatch(/^平阳县2026–2027学年/)
    expect(r.sections.find((s) => s.key === 'programme')!.body).toMatch(/已认定协同育人示范学校 3 所/)
  })
})
