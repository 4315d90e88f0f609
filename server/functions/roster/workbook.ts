/**
 * The roster workbook: the template, reading a filled one (every row checked, Chinese messages per cell) and the
 * export. Pure functions of buffers and rows: no database access here.
 */
import ExcelJS from 'exceljs'
import { ROSTER_HEADERS, rosterFields, type ImportProblem } from '@/shared/contract'
import { AppError } from '@/shared/errors'

export type RosterHeader = (typeof ROSTER_HEADERS)[number]
export const MAX_ROWS = 5000
export const MAX_FILE_BYTES = 5 * 1024 * 1024
/** The example row of the template; an import skips it when it was left in unchanged. */
export const EXAMPLE_ROW: Record<RosterHeader, string> = { 年级: '一年级', 班级: '1', 姓名: '王小明', 学籍号: 'G110101201801010012', 性别: '男' }

export interface RosterRow {
  row: number
  grade: string
  className: string
  name: string
  studentNo: string
  gender: '男' | '女'
}

/** "1", "（1）", "(1)班", "1班" → 一年级（1）班; any other text is taken as the class's full name. */
export function normalizeClassName(grade: string, cls: string): string {
  const m = /^[(（]?\s*(\d{1,2})\s*[)）]?\s*班?$/.exec(cls)
  return m ? `${grade}（${Number(m[1])}）班` : cls
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10)
  if (typeof v === 'object') {
    const o = v as unknown as Record<string, unknown>
    if (Array.isArray(o.richText)) return (o.richText as Array<{ text?: unknown }>).map((r) => (typeof r.text === 'string' ? r.text : '')).join('')
    if ('result' in o) return cellText(o.result as ExcelJS.CellValue)
    if (typeof o.text === 'string') return o.text
  }
  return ''
}

const FIELD_OF: Record<RosterHeader, keyof typeof rosterFields> = { 年级: 'grade', 班级: 'className', 姓名: 'name', 学籍号: 'studentNo', 性别: 'gender' }

/**
 * Reads the first worksheet. Throws IMPORT_FILE_INVALID when the file is not a readable roster; otherwise returns
 * the valid rows and a problem for every invalid cell and every number repeated inside the file.
 */
export async function readRoster(buffer: Buffer): Promise<{ rows: RosterRow[]; problems: ImportProblem[] }> {
  if (buffer.length > MAX_FILE_BYTES) throw new AppError('IMPORT_FILE_INVALID', '花名册文件不能超过 5 MB，请分批导入')
  const wb = new ExcelJS.Workbook()
  try {
    await wb.xlsx.load(buffer as unknown as ExcelJS.Buffer)
  } catch {
    throw new AppError('IMPORT_FILE_INVALID')
  }
  const ws = wb.worksheets[0]
  if (!ws) throw new AppError('IMPORT_FILE_INVALID')
  const cols = new Map<RosterHeader, number>()
  ws.getRow(1).eachCell((cell, col) => {
    const t = cellText(cell.value).replace(/\s+/g, '') as RosterHeader
    if ((ROSTER_HEADERS as readonly string[]).includes(t) && !cols.has(t)) cols.set(t, col)
  })
  const missing = ROSTER_HEADERS.filter((h) => !cols.has(h))
  if (missing.length) throw new AppError('IMPORT_FILE_INVALID', `花名册缺少“${missing.join('、')}”列，请使用下载的模板`, { missing })
  if (ws.rowCount > MAX_ROWS + 1) throw new AppError('IMPORT_FILE_INVALID', `一次最多导入 ${MAX_ROWS} 名学生，请分批导入`)

  const rows: RosterRow[] = []
  const problems: ImportProblem[] = []
  const firstRowOf = new Map<string, number>()
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r)
    const raw = {} as Record<RosterHeader, ExcelJS.CellValue>
    const text = {} as Record<RosterHeader, string>
    for (const h of ROSTER_HEADERS) {
      raw[h] = row.getCell(cols.get(h) as number).value
      text[h] = cellText(raw[h]).trim()
    }
    if (ROSTER_HEADERS.every((h) => text[h] === '')) continue
    if (ROSTER_HEADERS.every((h) => text[h] === EXAMPLE_ROW[h])) continue
    const parsed: Partial<Record<keyof typeof rosterFields, string>> = {}
    let bad = false
    for (const h of ROSTER_HEADERS) {
      if (h === '学籍号' && typeof raw[h] === 'number' && !Number.isSafeInteger(raw[h])) {
        problems.push({ row: r, field: h, message: '学籍号位数太多，已被表格改写，请把该列设为“文本”格式后重新填写' })
        bad = true
        continue
      }
      const res = rosterFields[FIELD_OF[h]].safeParse(text[h] === '' ? undefined : text[h])
      if (res.success) parsed[FIELD_OF[h]] = res.data
      else {
        problems.push({ row: r, field: h, message: res.error.issues[0]?.message ?? '内容无效' })
        bad = true
      }
    }
    if (parsed.studentNo) {
      const first = firstRowOf.get(parsed.studentNo)
      if (first !== undefined) {
        problems.push({ row: r, field: '学籍号', message: `与第 ${first} 行的学籍号重复` })
        bad = true
      } else firstRowOf.set(parsed.studentNo, r)
    }
    if (bad) continue
    const grade = parsed.grade as string
    rows.push({ row: r, grade, className: normalizeClassName(grade, parsed.className as string), name: parsed.name as string, studentNo: parsed.studentNo as string, gender: parsed.gender as '男' | '女' })
  }
  return { rows, problems }
}

function sheet(wb: ExcelJS.Workbook, name: string, headers: string[]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] })
  ws.columns = headers.map((h) => ({ header: h, key: h, width: h === '学籍号' ? 24 : h === '班级' ? 16 : 12, style: h === '学籍号' ? { numFmt: '@' } : {} }))
  ws.getRow(1).font = { bold: true }
  return ws
}

async function toBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer)
}

/** The template: the five columns, one example row, and a sheet of instructions. */
export async function templateWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const ws = sheet(wb, '花名册', [...ROSTER_HEADERS])
  ws.addRow(EXAMPLE_ROW).font = { italic: true, color: { argb: 'FF888888' } }
  const help = wb.addWorksheet('填写说明')
  help.columns = [{ width: 90 }]
  for (const line of [
    '1. 每行一名学生；第一行是表头，请勿修改。灰色的示例行可以删除（原样保留会被忽略）。',
    '2. 年级：如“一年级”“七年级”。班级：填班号（如 1）或完整班名（如 一年级（1）班）。',
    '3. 学籍号：全国学籍号（G/L/J 开头 19 位）或 6–19 位数字，请使用“文本”格式，同一文件中不能重复。',
    '4. 性别：填“男”或“女”。',
    '5. 导入时逐行检查，有任何错误都不会导入，请按提示修改后重新导入。重复导入同一文件不会产生重复学生。',
    '6. 学生换班：在新班级中填写该学生即可，家长绑定会保留。'
  ])
    help.addRow([line])
  return toBuffer(wb)
}

export interface ExportRow {
  grade: string
  className: string
  classCode: string
  name: string
  studentNo: string
  gender: string
  status: string
}

/** The school's roster: roster fields only (no guardians, no phone numbers). */
export async function exportWorkbook(rows: ExportRow[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const ws = sheet(wb, '花名册', [...ROSTER_HEADERS, '班级码', '状态'])
  for (const r of rows) ws.addRow({ 年级: r.grade, 班级: r.className, 姓名: r.name, 学籍号: r.studentNo, 性别: r.gender, 班级码: r.classCode, 状态: r.status })
  return toBuffer(wb)
}
