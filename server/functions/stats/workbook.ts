/**
 * The statistics workbook, laid out as the bureau reports: one sheet per month of the school year, Chinese
 * headers, every target with its policy source, then the breakdown (classes for a school, schools for the county).
 * Counts and shares only: no student appears in it.
 */
import ExcelJS from 'exceljs'
import { formatDateTime, monthOf, schoolYearStarting } from '@/shared/calendar'
import { PERIOD_LABELS, targetsAt, type TargetDef, type TargetValue } from '@/shared/targets'
import { compareClasses, compareNames } from '@/shared/ordering'
import type { SnapshotDoc } from './rollup'

const TARGET_HEADERS = ['指标编号', '指标', '统计口径', '统计周期', '目标', '数值', '分子', '分母', '是否达标', '政策依据']
const metText = (v: TargetValue | undefined) => (!v || v.met === null ? '暂无数据' : v.met ? '达标' : '未达标')

/** A value as a number Excel can sum and sort (a share with a percent format); empty when there is none. */
const valueCell = (v: TargetValue | undefined): number | string => (v && v.value !== null ? v.value : '')
const numFmtOf = (def: TargetDef) => (def.unit === 'percent' ? '0.0%' : def.unit === 'perGuardian' ? '0.0' : '0')

function targetRow(def: TargetDef, v: TargetValue | undefined): unknown[] {
  return [def.id, def.name, def.definition, PERIOD_LABELS[def.period], def.threshold.label, valueCell(v), v?.numerator ?? 0, v?.denominator ?? '', metText(v), def.source]
}

function styleHeader(row: ExcelJS.Row) {
  row.font = { bold: true }
  row.alignment = { vertical: 'middle', wrapText: true }
  row.eachCell((c) => {
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7F3EE' } }
    c.border = { bottom: { style: 'thin', color: { argb: 'FF9DBFB0' } } }
  })
}

export async function statsWorkbook(opts: { scope: 'school' | 'county'; startYear: number; snapshots: SnapshotDoc[]; name: string }): Promise<{ buffer: Buffer; sheets: number; title: string }> {
  const year = schoolYearStarting(opts.startYear)
  const title = `${opts.name}${year.label}协同育人目标月度统计`
  const wb = new ExcelJS.Workbook()
  wb.creator = '共育'
  wb.created = new Date()
  const months = [...new Set(opts.snapshots.map((s) => s.month))].sort()
  const level = opts.scope === 'school' ? 'school' : 'county'
  const defs = targetsAt(level)
  for (const month of months) {
    const main = opts.snapshots.find((s) => s.month === month && s.kind === level)
    if (!main) continue
    const ws = wb.addWorksheet(monthOf(`${month}-01`).label)
    ws.columns = [{ width: 10 }, { width: 16 }, { width: 40 }, { width: 12 }, { width: 12 }, { width: 12 }, { width: 10 }, { width: 10 }, { width: 10 }, { width: 48 }]
    ws.addRow([`${opts.name} ${monthOf(`${month}-01`).label} 协同育人目标统计`]).font = { bold: true, size: 14 }
    ws.addRow([`数据截至 ${formatDateTime(main.computedAt)}${main.partial ? '（本月尚未结束）' : ''}`])
    ws.addRow([])
    styleHeader(ws.addRow(TARGET_HEADERS))
    for (const def of defs) ws.addRow(targetRow(def, main.values[def.id])).getCell(6).numFmt = numFmtOf(def)
    ws.addRow([])
    if (opts.scope === 'school') {
      const classDefs = targetsAt('class')
      if (classDefs.length && main.classes?.length) {
        ws.addRow(['分班级统计']).font = { bold: true }
        styleHeader(ws.addRow(['年级', '班级', ...classDefs.flatMap((d) => [`${d.id} ${d.name}`, '是否达标', '分子', '分母'])]))
        const classes = [...main.classes].sort(compareClasses)
        for (const c of classes) {
          const row = ws.addRow([c.grade, c.className, ...classDefs.flatMap((d) => [valueCell(c.values[d.id]), metText(c.values[d.id]), c.values[d.id]?.numerator ?? 0, c.values[d.id]?.denominator ?? ''])])
          classDefs.forEach((d, i) => (row.getCell(3 + i * 4).numFmt = numFmtOf(d)))
        }
      }
    } else {
      const schoolDefs = targetsAt('school')
      const schools = opts.snapshots
        .filter((s) => s.month === month && s.kind === 'school')
        .sort((a, b) => compareNames(a.district ?? '', b.district ?? '') || compareNames(a.schoolName ?? '', b.schoolName ?? ''))
      if (schools.length) {
        ws.addRow(['各校统计']).font = { bold: true }
        styleHeader(ws.addRow(['学区', '学校', '类型', ...schoolDefs.flatMap((d) => [`${d.id} ${d.name}`, '是否达标', '分子', '分母'])]))
        for (const s of schools) {
          const row = ws.addRow([s.district ?? '', s.schoolName ?? '', s.schoolType ?? '', ...schoolDefs.flatMap((d) => [valueCell(s.values[d.id]), metText(s.values[d.id]), s.values[d.id]?.numerator ?? 0, s.values[d.id]?.denominator ?? ''])])
          schoolDefs.forEach((d, i) => (row.getCell(4 + i * 4).numFmt = numFmtOf(d)))
        }
      }
    }
  }
  if (wb.worksheets.length === 0) wb.addWorksheet('无数据').addRow(['该学年还没有统计数据'])
  const buffer = Buffer.from(await wb.xlsx.writeBuffer())
  return { buffer, sheets: wb.worksheets.length, title }
}
