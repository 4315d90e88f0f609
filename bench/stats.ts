/**
 * The statistics budgets (issue 4): a generated county of 150 schools, 120,000 students and 1,000,000 records.
 * - the full monthly rollup: database requests for 15 and for 150 schools (must not grow with the schools),
 *   the most documents one request returns (≤ 1000), and the time it takes on the local cloud (printed)
 * - a principal's dashboard ≤ 2 database requests, the county dashboard ≤ 3
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startLocalCloud } from '../localcloud'
import { monthOf, previousMonthOf } from '../src/shared/calendar'

type Check = (name: string, value: number, limit: number, unit: string) => void
type Doc = Record<string, unknown>

const STUDENTS_PER_SCHOOL = 800
const CLASSES_PER_SCHOOL = 25
/** records per school, all collections together: 150 schools → 1,000,000 */
const RECORDS_PER_SCHOOL = Math.round(1_000_000 / 150)

/** A county of `schools` schools, inserted straight into the store in batches. Returns the number of records. */
function generateCounty(insert: (coll: string, docs: Doc[]) => void, schools: number): { records: number; admin: string } {
  let records = 0
  const put = (coll: string, docs: Doc[]) => {
    insert(coll, docs)
    records += docs.length
  }
  const county = 'bench-county'
  const enrolledOn = new Date('2025-08-25T09:00:00+08:00')
  const span = new Date('2026-10-31T00:00:00+08:00').getTime() - enrolledOn.getTime()
  let seed = 7
  const rand = () => ((seed = (seed * 48271) % 2147483647) / 2147483647)
  put('memberships', [{ _id: 'bench-bureau-m', openid: 'bench-bureau', role: 'bureauAdmin', status: 'active', countyId: county, countyName: '基准县' }])
  for (let s = 0; s < schools; s++) {
    const schoolId = `bs${String(s).padStart(3, '0')}`
    const schoolName = `基准第${s + 1}学校`
    put('schools', [{ _id: schoolId, countyId: county, name: schoolName, type: s % 3 === 0 ? '初中' : '小学', district: `第${(s % 8) + 1}学区`, code: `B${String(s).padStart(4, '0')}` }])
    const classes: Doc[] = []
    const students: Doc[] = []
    const memberships: Doc[] = [{ _id: `${schoolId}-admin`, openid: `${schoolId}-admin`, role: 'schoolAdmin', status: 'active', countyId: county, schoolId, schoolName }]
    const users: Doc[] = []
    for (let c = 0; c < CLASSES_PER_SCHOOL; c++) {
      const classId = `${schoolId}-k${c}`
      const grade = `${['一', '二', '三', '四', '五', '六'][c % 6]}年级`
      classes.push({ _id: classId, schoolId, countyId: county, grade, name: `${grade}（${Math.floor(c / 6) + 1}）班`, code: `${schoolId}K${c}`.toUpperCase() })
      memberships.push({ _id: `${classId}-t`, openid: `${classId}-t`, role: 'teacher', status: 'active', countyId: county, schoolId, classIds: [classId], headTeacherOf: [classId] })
    }
    for (let i = 0; i < STUDENTS_PER_SCHOOL; i++) {
      const classId = `${schoolId}-k${i % CLASSES_PER_SCHOOL}`
      const studentId = `${schoolId}-s${i}`
      const left = rand() < 0.02
      students.push({ _id: studentId, countyId: county, schoolId, schoolName, classId, className: '', classCode: '', name: `学生${i}`, studentNo: `${schoolId}${i}`, status: left ? 'left' : 'enrolled', createdAt: enrolledOn, ...(left ? { leftAt: new Date('2026-06-01T00:00:00+08:00') } : {}) })
      if (rand() < 0.75) {
        const openid = `g-${studentId}`
        memberships.push({ _id: `g_${openid}_${studentId}`, openid, role: 'guardian', status: 'active', countyId: county, schoolId, classId, studentId, createdAt: new Date(enrolledOn.getTime() + rand() * span) })
        users.push({ _id: openid, openid, displayName: '家长', createdAt: enrolledOn })
      }
    }
    put('classes', classes)
    put('students', students)
    put('memberships', memberships)
    put('users', users)
    // The rest of the year's records (consent logs, audit entries) up to ~6,700 per school: not read by the rollup,
    // but there, as in a real county.
    const rest = RECORDS_PER_SCHOOL - (1 + classes.length + students.length + memberships.length + users.length)
    const logs: Doc[] = []
    for (let i = 0; i < rest; i++) logs.push({ _id: `${schoolId}-log${i}`, countyId: county, schoolId, openid: `g-${schoolId}-s${i % STUDENTS_PER_SCHOOL}`, action: 'read', at: enrolledOn })
    put('auditLogs', logs)
    if (s % 10 === 0) put('programmeApplications', [{ _id: `r1_${schoolId}`, roundId: 'r1', countyId: county, schoolId, status: 'certified', certifiedAt: new Date('2026-06-01T00:00:00+08:00') }])
  }
  return { records, admin: `bs000-admin` }
}

export async function statsCosts(root: string, check: Check) {
  const month = previousMonthOf(Date.now()).id
  console.log(`\nstatistics: the monthly rollup of ${month} on a generated county (local cloud)`)
  const requests = new Map<number, number>()
  for (const schools of [15, 150]) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gy-bench-stats-'))
    const cloud = await startLocalCloud({ dataDir, functionsDir: path.join(root, 'cloudfunctions') })
    try {
      const t0 = performance.now()
      const { records, admin } = generateCounty((coll, docs) => cloud.store.insertMany(coll, docs), schools)
      const seeded = performance.now() - t0
      const t1 = performance.now()
      const { result, stats } = await cloud.invoke('stats', { action: 'recompute', data: { scope: 'county', month } }, { openid: 'bench-bureau' })
      const ms = performance.now() - t1
      if (!(result as { ok: boolean }).ok) throw new Error(`rollup failed: ${JSON.stringify(result)}`)
      const students = schools * STUDENTS_PER_SCHOOL
      console.log(
        `  ${String(schools).padStart(3)} schools, ${students.toLocaleString('en')} students, ${records.toLocaleString('en')} records (seeded in ${(seeded / 1000).toFixed(1)} s): ` +
          `${stats.dbRequests} database requests, at most ${stats.maxDocsPerRequest} documents per request, ${(ms / 1000).toFixed(2)} s`
      )
      requests.set(schools, stats.dbRequests)
      check(`stats rollup, ${schools} schools: documents per request`, stats.maxDocsPerRequest, 1000, 'docs')
      check(`stats rollup, ${schools} schools: time on the local cloud (function timeout 60 s)`, ms, 60_000, 'ms')
      if (schools === 150) {
        // this month too, so the dashboards read two months
        await cloud.invoke('stats', { action: 'recompute', data: { scope: 'county', month: monthOf(Date.now()).id } }, { openid: 'bench-bureau' })
        const school = await cloud.invoke('stats', { action: 'schoolDashboard', data: {} }, { openid: admin })
        const county = await cloud.invoke('stats', { action: 'countyDashboard', data: {} }, { openid: 'bench-bureau' })
        for (const [label, r, budget] of [
          ["principal's dashboard", school, 2],
          ['county dashboard (150 schools)', county, 3]
        ] as const) {
          if (!(r.result as { ok: boolean }).ok) throw new Error(`${label} failed: ${JSON.stringify(r.result)}`)
          console.log(`  ${label}: ${r.stats.dbRequests} database requests, ${r.stats.docsReturned} documents`)
          check(`stats ${label} database requests`, r.stats.dbRequests, budget, 'requests')
        }
      }
    } finally {
      await cloud.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  }
  check('stats rollup: database requests, 150 schools minus 15 schools (must not grow)', (requests.get(150) ?? 0) - (requests.get(15) ?? 0), 0, 'requests')
}
