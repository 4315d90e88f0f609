/**
 * The statistics budgets (issue 4): a generated county of 150 schools, 120,000 students and 1,000,000 records.
 * - the full monthly rollup: database requests for 15 and for 150 schools (must not grow with the schools),
 *   the most documents one request returns (≤ 1000), and the time it takes on the local cloud (printed)
 * - a principal's dashboard ≤ 2 database requests, the county dashboard ≤ 3
 * - 全员家访 (issue 5), with 300,000 contact/visit records in the county: a teacher's "my work" ≤ 4 requests and
 *   ≤ 200 documents, class coverage ≤ 3 requests — each printed with its latency
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startLocalCloud } from '../localcloud'
import { monthOf, previousMonthOf } from '../src/shared/calendar'
import { planSemester } from '../src/shared/visits'

type Check = (name: string, value: number, limit: number, unit: string) => void
type Doc = Record<string, unknown>

const STUDENTS_PER_SCHOOL = 800
const CLASSES_PER_SCHOOL = 25
/** records per school, all collections together: 150 schools → 1,000,000 */
const RECORDS_PER_SCHOOL = Math.round(1_000_000 / 150)
/** contact and visit records per school: 150 schools → 300,000 */
const VISITS_PER_SCHOOL = 2000
const VISIT_TYPES = ['入户家访', '到校约谈', '电话', '视频', '微信']

/** A county of `schools` schools, inserted straight into the store in batches. Returns the number of records. */
function generateCounty(insert: (coll: string, docs: Doc[]) => void, schools: number): { records: number; admin: string; headTeacher: string } {
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
    // 全员家访: every student assigned to the head teacher this semester, 2,000 contacts and visits over three
    // school years, 2% of the students on the special registry
    const semesterId = planSemester(Date.now()).id
    const assignments: Doc[] = students.map((st) => ({ _id: `${semesterId}_${st._id}`, countyId: county, schoolId, classId: st.classId, className: '', studentId: st._id, studentName: st.name, semesterId, teacherOpenids: [`${st.classId}-t`], teacherNames: ['班主任'], updatedAt: enrolledOn }))
    const visitSpan = Date.now() - new Date('2024-09-01T00:00:00+08:00').getTime()
    const visits: Doc[] = []
    for (let i = 0; i < VISITS_PER_SCHOOL; i++) {
      const st = students[Math.floor(rand() * students.length)]
      const date = new Date(Date.now() - rand() * visitSpan)
      visits.push({ _id: `${schoolId}-v${i}`, countyId: county, schoolId, classId: st.classId, className: '', studentId: st._id, studentName: st.name, authorOpenid: `${st.classId}-t`, authorName: '班主任', type: VISIT_TYPES[Math.floor(rand() * 5)], date, participants: '班主任、家长', situation: { study: '学习情况良好，作业能按时完成', health: '健康', mood: '情绪稳定', family: '与父母同住' }, suggestions: '希望老师多反馈孩子在校表现', followUp: { needed: rand() < 0.1, by: new Date(date.getTime() + 14 * 86_400_000), note: '' }, photos: [], createdAt: date, updatedAt: date, history: [] })
    }
    const registry: Doc[] = students
      .filter(() => rand() < 0.02)
      .map((st) => ({ _id: st._id, studentId: st._id, countyId: county, schoolId, classId: st.classId, className: '', studentName: st.name, categories: ['留守儿童'], intervalDays: 30, note: '', registeredAt: enrolledOn, registeredBy: `${st.classId}-t`, registeredByName: '班主任', endedAt: null, endReason: null, history: [], updatedAt: enrolledOn }))
    put('visitAssignments', assignments)
    put('visitRecords', visits)
    put('specialRegistry', registry)
    // The rest of the year's records (consent logs, audit entries) up to ~6,700 per school: not read by the rollup,
    // but there, as in a real county.
    const rest = RECORDS_PER_SCHOOL - (1 + classes.length + students.length + memberships.length + users.length + assignments.length + visits.length + registry.length)
    const logs: Doc[] = []
    for (let i = 0; i < rest; i++) logs.push({ _id: `${schoolId}-log${i}`, countyId: county, schoolId, openid: `g-${schoolId}-s${i % STUDENTS_PER_SCHOOL}`, action: 'read', at: enrolledOn })
    put('consentLogs', logs)
    if (s % 10 === 0) put('programmeApplications', [{ _id: `r1_${schoolId}`, roundId: 'r1', countyId: county, schoolId, status: 'certified', certifiedAt: new Date('2026-06-01T00:00:00+08:00') }])
  }
  return { records, admin: `bs000-admin`, headTeacher: 'bs000-k0-t' }
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
      const { records, admin, headTeacher } = generateCounty((coll, docs) => cloud.store.insertMany(coll, docs), schools)
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
        const visits = await cloud.store.count('visitRecords', {})
        console.log(`\n全员家访 on the same county (${visits.toLocaleString('en')} contact/visit records)`)
        for (const [label, openid, action, data, budget, docBudget] of [
          ["a head teacher's my work", headTeacher, 'myWork', {}, 4, 200],
          ["a head teacher's class coverage", headTeacher, 'classCoverage', {}, 3, null],
          ["a principal's coverage of every class", admin, 'classCoverage', {}, 3, null]
        ] as const) {
          const t2 = performance.now()
          const r = await cloud.invoke('visits', { action, data }, { openid })
          const took = performance.now() - t2
          if (!(r.result as { ok: boolean }).ok) throw new Error(`${label} failed: ${JSON.stringify(r.result)}`)
          const shown = action === 'myWork' ? `${(r.result as { data: { items: unknown[] } }).data.items.length} students` : `${(r.result as { data: { classes: unknown[] } }).data.classes.length} classes`
          console.log(`  ${label} (${shown}): ${r.stats.dbRequests} database requests, ${r.stats.docsReturned} documents, ${took.toFixed(0)} ms`)
          check(`visits ${label}: database requests`, r.stats.dbRequests, budget, 'requests')
          if (docBudget !== null) check(`visits ${label}: documents returned`, r.stats.docsReturned, docBudget, 'docs')
        }
      }
    } finally {
      await cloud.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  }
  check('stats rollup: database requests, 150 schools minus 15 schools (must not grow)', (requests.get(150) ?? 0) - (requests.get(15) ?? 0), 0, 'requests')
}
