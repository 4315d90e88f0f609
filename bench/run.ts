/**
 * `npm run bench`: prints the figures the issues budget and exits non-zero when a budget is broken.
 * - weapp production package sizes (main, each subpackage, total) — read from dist/weapp
 * - database requests and documents per cloud-function action, measured by the local cloud on the demo county
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startLocalCloud, type LocalCloud } from '../localcloud'
import { seedDemo } from '../demo/seed'
import { statsCosts } from './stats'

interface Budget {
  name: string
  value: number
  limit: number
  unit: string
}
const budgets: Budget[] = []
const check = (name: string, value: number, limit: number, unit: string) => budgets.push({ name, value, limit, unit })

function dirSize(dir: string, skip: (rel: string) => boolean = () => false, base = dir): number {
  let total = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    const rel = path.relative(base, full).replace(/\\/g, '/')
    if (skip(rel)) continue
    total += entry.isDirectory() ? dirSize(full, skip, base) : fs.statSync(full).size
  }
  return total
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`

function weappSizes(root: string) {
  const dist = path.join(root, 'dist', 'weapp')
  const appJson = path.join(dist, 'app.json')
  if (!fs.existsSync(appJson)) throw new Error('dist/weapp is missing: run `npx taro build --type weapp` (npm test does) first')
  const app = JSON.parse(fs.readFileSync(appJson, 'utf8')) as { subPackages?: Array<{ root: string; name?: string }> }
  const subRoots = (app.subPackages ?? []).map((s) => s.root.replace(/\/$/, ''))
  // DevTools' own project files are not part of the uploaded code package.
  const notCode = (rel: string) => rel === 'project.config.json' || rel === 'project.private.config.json'
  const main = dirSize(dist, (rel) => notCode(rel) || subRoots.includes(rel))
  console.log('\nweapp production build (dist/weapp)')
  console.log(`  main package            ${kb(main).padStart(10)}   budget ≤ 600 KB`)
  check('weapp main package', main / 1024, 600, 'KB')
  let total = main
  for (const sub of subRoots) {
    const size = dirSize(path.join(dist, sub))
    total += size
    // the charts live in the one subpackage shared by the school and bureau dashboards
    const limit = sub === 'packages/stats' ? 700 : 400
    console.log(`  ${sub.padEnd(24)}${kb(size).padStart(10)}   budget ≤ ${limit} KB`)
    check(`weapp subpackage ${sub}`, size / 1024, limit, 'KB')
  }
  console.log(`  total                   ${kb(total).padStart(10)}   (WeChat limit 20 MB total, 2 MB per package)`)
  check('weapp total', total / 1024, 20 * 1024, 'KB')
}

async function accountCosts(root: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gy-bench-'))
  const cloud = await startLocalCloud({ dataDir, functionsDir: path.join(root, 'cloudfunctions') })
  try {
    seedDemo(cloud.store, path.join(dataDir, 'demo-users.json'))

    // Latency on this machine (local cloud, loopback): the first call pays the worker start and SDK load.
    const t0 = performance.now()
    await cloud.invoke('account', { action: 'whoami', data: {} }, { openid: 'demo-guardian-grandpa' })
    const cold = performance.now() - t0
    const samples: number[] = []
    for (let i = 0; i < 100; i++) {
      const t = performance.now()
      await cloud.invoke('account', { action: 'whoami', data: {} }, { openid: 'demo-teacher-parent' })
      samples.push(performance.now() - t)
    }
    samples.sort((a, b) => a - b)
    const pct = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))].toFixed(1)
    console.log('\naccount.whoami latency (local cloud, demo county of ~1,200 students)')
    console.log(`  first call (worker start + wx-server-sdk load)  ${cold.toFixed(0)} ms`)
    console.log(`  warm, 100 calls: p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms, max ${samples[samples.length - 1].toFixed(1)} ms   (WeChat function timeout 3 s)`)
    check('account.whoami warm p95 latency', Number(pct(0.95)), 3000, 'ms')

    await bindingCosts(cloud)
    await rosterCosts(cloud)
    await counsellingCosts(cloud)

    console.log('\ndatabase cost per account action (demo county, local cloud)')
    console.log('  action            caller                       requests  docs')
    const cases: Array<{ action: string; data: unknown; openid: string; who: string; budget?: number }> = [
      { action: 'whoami', data: {}, openid: 'demo-guardian-grandpa', who: 'guardian, 2 children', budget: 2 },
      { action: 'whoami', data: {}, openid: 'demo-teacher-parent', who: 'teacher + guardian', budget: 2 },
      { action: 'whoami', data: {}, openid: 'demo-bureau', who: 'bureau', budget: 2 },
      { action: 'whoami', data: {}, openid: 'nobody-here', who: 'no record', budget: 2 },
      { action: 'acceptConsent', data: { version: '' }, openid: 'demo-guardian-new', who: 'guardian (bad input)' },
      { action: 'setPreferences', data: { largeText: true }, openid: 'demo-guardian-new', who: 'guardian' },
      { action: 'withdrawConsent', data: {}, openid: 'demo-guardian-grandpa', who: 'guardian' }
    ]
    const { CONSENT_VERSION } = await import('../src/shared/consent')
    cases.splice(5, 0, { action: 'acceptConsent', data: { version: CONSENT_VERSION }, openid: 'demo-guardian-new', who: 'guardian, first time' })
    for (const c of cases) {
      const { stats } = await cloud.invoke('account', { action: c.action, data: c.data }, { openid: c.openid })
      console.log(`  ${c.action.padEnd(18)}${c.who.padEnd(29)}${String(stats.dbRequests).padStart(8)}${String(stats.docsReturned).padStart(6)}`)
      if (c.budget !== undefined) check(`account.${c.action} (${c.who}) database requests`, stats.dbRequests, c.budget, 'requests')
    }
  } finally {
    await cloud.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

/** Guardian- and teacher-facing binding actions on the demo county: each ≤ 4 database requests (issue 3). */
async function bindingCosts(cloud: LocalCloud) {
  const store = cloud.store
  const klass = store.find('classes', {}, { sort: { _id: 1 }, limit: 1 })[0] as { _id: string; code: string }
  const bound = new Set(store.find('memberships', { role: 'guardian', classId: klass._id, status: 'active' }).map((m) => m.studentId))
  const unbound = store.find('students', { classId: klass._id, status: 'enrolled' }).filter((st) => !bound.has(st._id)) as Array<{ _id: string; name: string; studentNo: string }>
  const [target, other] = unbound
  const headTeacher = (store.find('memberships', { role: 'teacher', headTeacherOf: klass._id })[0] as { openid: string }).openid
  const grandpa = 'demo-guardian-grandpa'
  const consented = new Set(store.find('users', { 'consent.status': 'accepted' }).map((u) => u._id))
  const aMother = (store.find('memberships', { role: 'guardian', classId: klass._id, openid: /^demo-g-/ }) as Array<{ openid: string }>).find((m) => consented.has(m.openid))!.openid
  const bind = (name: string, suffix: string, code = klass.code) => ({ classCode: code, childName: name, studentNoSuffix: suffix, relation: '父亲' })
  const steps: Array<{ label: string; openid: string; action: string; data: () => unknown; budget: number }> = [
    { label: 'bindChild (exact match)', openid: grandpa, action: 'bindChild', data: () => bind(target.name, target.studentNo.slice(-4)), budget: 4 },
    { label: 'bindChild (near miss)', openid: aMother, action: 'bindChild', data: () => bind(`${other.name}儿`, other.studentNo.slice(-4)), budget: 4 },
    { label: 'bindChild (wrong code)', openid: aMother, action: 'bindChild', data: () => bind(other.name, '0000', 'NOPE99'), budget: 4 },
    { label: 'myChildren', openid: grandpa, action: 'myChildren', data: () => ({}), budget: 4 },
    { label: 'familyOf', openid: grandpa, action: 'familyOf', data: () => ({ studentId: target._id }), budget: 4 },
    { label: 'inviteFamily', openid: grandpa, action: 'inviteFamily', data: () => ({ studentId: target._id }), budget: 4 },
    { label: 'joinByFamilyCode', openid: aMother, action: 'joinByFamilyCode', data: () => ({ code: lastInvite, relation: '母亲' }), budget: 4 },
    { label: 'handOverPrimary', openid: grandpa, action: 'handOverPrimary', data: () => ({ studentId: target._id, toGuardianId: `g_${aMother}_${target._id}` }), budget: 4 },
    { label: 'unbind', openid: aMother, action: 'unbind', data: () => ({ studentId: target._id }), budget: 4 },
    { label: 'pendingRequests (teacher)', openid: headTeacher, action: 'pendingRequests', data: () => ({ classId: klass._id }), budget: 4 },
    { label: 'decideRequest approve', openid: headTeacher, action: 'decideRequest', data: () => ({ requestId: `r_${aMother}_${klass._id}`, approve: true, studentId: other._id }), budget: 4 },
    { label: 'unboundStudents (teacher)', openid: headTeacher, action: 'unboundStudents', data: () => ({ classId: klass._id }), budget: 4 }
  ]
  let lastInvite = ''
  console.log('\ndatabase cost per binding action (demo county, local cloud)')
  console.log('  action                        requests  docs')
  for (const step of steps) {
    const { result, stats } = await cloud.invoke('binding', { action: step.action, data: step.data() }, { openid: step.openid })
    const reply = result as { ok: boolean; code?: string; data?: { code?: string } }
    if (step.action === 'inviteFamily' && reply.ok) lastInvite = reply.data?.code ?? ''
    const outcome = reply.ok ? '' : `  (${reply.code})`
    console.log(`  ${step.label.padEnd(30)}${String(stats.dbRequests).padStart(8)}${String(stats.docsReturned).padStart(6)}${outcome}`)
    if (!reply.ok && step.label !== 'bindChild (wrong code)') throw new Error(`bench step ${step.label} failed: ${reply.code}`)
    check(`binding.${step.label} database requests`, stats.dbRequests, step.budget, 'requests')
  }
}

/**
 * School admin roster import (issue 3): a 2,000-student workbook built with exceljs and uploaded to storage, imported
 * into a demo school — budget ≤ 60 database requests — then imported again (nothing changes) and exported.
 */
async function rosterCosts(cloud: LocalCloud) {
  const ExcelJS = (await import('exceljs')).default
  const admin = cloud.store.find('memberships', { role: 'schoolAdmin', status: 'active' }, { sort: { _id: 1 }, limit: 1 })[0] as { openid: string }
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('花名册')
  ws.addRow(['年级', '班级', '姓名', '学籍号', '性别'])
  const surnames = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨'
  const given = ['子涵', '一诺', '欣怡', '梓轩', '雨桐', '浩然', '思远', '可馨', '宇航', '语嫣']
  for (let i = 0; i < 2000; i++) {
    const grade = ['七年级', '八年级', '九年级', '十年级'][Math.floor(i / 500)]
    ws.addRow([grade, String(Math.floor((i % 500) / 50) + 1), surnames[i % surnames.length] + given[i % given.length], `88${String(i).padStart(8, '0')}`, i % 2 ? '女' : '男'])
  }
  const fileID = cloud.storage.put('bench/roster-2000.xlsx', Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer))
  console.log('\nroster import/export (school admin, local cloud)')
  const run = async (label: string, action: string, data: unknown, budget?: number) => {
    const t0 = performance.now()
    const { result, stats } = await cloud.invoke('roster', { action, data }, { openid: admin.openid })
    const ms = performance.now() - t0
    const reply = result as { ok: boolean; code?: string; message?: string }
    if (!reply.ok) throw new Error(`bench step ${label} failed: ${reply.code} ${reply.message}`)
    console.log(`  ${label}: ${stats.dbRequests} database requests, ${ms.toFixed(0)} ms`)
    if (budget !== undefined) check(`roster.${label} database requests`, stats.dbRequests, budget, 'requests')
    check(`roster.${label} time (function timeout 60 s)`, ms, 60_000, 'ms')
  }
  await run('importing 2,000 students', 'importRoster', { fileID }, 60)
  await run('importing the same 2,000 again (no change)', 'importRoster', { fileID }, 60)
  await run('exporting the roster', 'exportRoster', {})
  // A new school year: every class moves up a grade (40 class moves; 2 requests per old → new class pair). No budget.
  ws.eachRow((row, n) => {
    if (n > 1) row.getCell(1).value = { 七年级: '八年级', 八年级: '九年级', 九年级: '十年级', 十年级: '十一年级' }[String(row.getCell(1).value)] ?? ''
  })
  const promoted = cloud.storage.put('bench/roster-2000-promoted.xlsx', Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer))
  await run('importing 2,000 students all moved up a grade (40 class moves, informational)', 'importRoster', { fileID: promoted })
}

/**
 * 个案咨询 (issue 6): on the demo county, a guardian's list of open slots (≤ 20 per request) and booking one —
 * budget ≤ 4 database requests for the booking, the deciding write included.
 */
async function counsellingCosts(cloud: LocalCloud) {
  console.log('\n个案咨询 (demo county, local cloud)')
  const guardian = 'demo-guardian-grandpa'
  const [binding] = cloud.store.find('memberships', { openid: guardian, role: 'guardian' }, { sort: { _id: 1 }, limit: 1 }) as Array<{ studentId: string }>
  const list = await cloud.invoke('counselling', { action: 'openSlots', data: { studentId: binding.studentId } }, { openid: guardian })
  const open = (list.result as { ok: boolean; data?: { slots: Array<{ slotId: string }> } }).data?.slots ?? []
  if (!open.length) throw new Error(`no open slot to book: ${JSON.stringify(list.result)}`)
  console.log(`  open slots for a child: ${list.stats.dbRequests} database requests, ${open.length} slots listed (≤ 20 per request)`)
  check('counselling open slots per request', open.length, 20, 'slots')
  const t0 = performance.now()
  const booked = await cloud.invoke('counselling', { action: 'confirmBooking', data: { slotId: open[0].slotId, studentId: binding.studentId, topic: '学习', description: '作业拖拉，想请教方法' } }, { openid: guardian })
  const ms = performance.now() - t0
  if (!(booked.result as { ok: boolean }).ok) throw new Error(`booking failed: ${JSON.stringify(booked.result)}`)
  console.log(`  booking a slot: ${booked.stats.dbRequests} database requests (one conditional write decides), ${ms.toFixed(0)} ms`)
  check('counselling booking database requests', booked.stats.dbRequests, 4, 'requests')
}

async function main() {
  const root = process.cwd()
  weappSizes(root)
  await accountCosts(root)
  await statsCosts(root, check)
  const broken = budgets.filter((b) => b.value > b.limit)
  console.log('\nbudgets')
  for (const b of budgets) {
    console.log(`  ${b.value <= b.limit ? 'ok  ' : 'OVER'} ${b.name}: ${Number.isInteger(b.value) ? b.value : b.value.toFixed(1)} ${b.unit} (≤ ${b.limit})`)
  }
  if (broken.length) {
    console.error(`\n${broken.length} budget(s) broken`)
    process.exit(1)
  }
  console.log('\nall budgets hold')
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
