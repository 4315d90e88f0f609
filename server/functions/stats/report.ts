/**
 * The annual report (白皮书, 004 (四)2): a draft written from the school year's snapshots — the figures and
 * whether each target is met, the trend of the year, the 示范校 progress — with sections the principal (or the
 * bureau) completes before downloading it as a Word document. Counts and shares only; no student is named.
 */
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx'
import { formatDateTime, monthOf, schoolYearStarting } from '@/shared/calendar'
import type { ReportSection } from '@/shared/contract-stats'
import { formatTargetValue, targetById, targetsAt, windowOf } from '@/shared/targets'
import type { SnapshotDoc } from './rollup'

export interface ReportDoc {
  _id: string
  scope: 'school' | 'county'
  /** the school or the county */
  ownerId: string
  countyId: string
  schoolYearStart: number
  title: string
  sections: ReportSection[]
  generatedAt: Date | string
  updatedAt: Date | string | null
  updatedBy?: string
}

const pct = (v: number) => `${(Math.round(v * 1000) / 10).toFixed(1)}%`

export function draftReport(opts: { scope: 'school' | 'county'; name: string; startYear: number; snapshots: SnapshotDoc[]; now: Date }): { title: string; sections: ReportSection[]; generatedAt: Date } {
  const year = schoolYearStarting(opts.startYear)
  const level = opts.scope === 'school' ? 'school' : 'county'
  const own = opts.snapshots.filter((s) => s.kind === level).sort((a, b) => a.month.localeCompare(b.month))
  const latest = own[own.length - 1]
  const first = own[0]
  const asOf = latest ? monthOf(`${latest.month}-01`).label : ''
  const sections: ReportSection[] = []

  // 一、基本情况
  const t1 = latest?.values.T1
  if (!latest) {
    sections.push({ key: 'overview', title: '一、基本情况', body: `${year.label}尚无统计数据。每月 1 日凌晨系统自动统计上月数据，也可在统计页面点“立即刷新”。` })
  } else if (opts.scope === 'school') {
    const classes = latest.classes?.length ?? 0
    sections.push({ key: 'overview', title: '一、基本情况', body: `截至${asOf}，${opts.name}共有 ${classes} 个班级、在籍学生 ${t1?.denominator ?? 0} 人。本报告根据系统每月统计快照自动生成，数据截至 ${formatDateTime(latest.computedAt)}。` })
  } else {
    const schools = opts.snapshots.filter((s) => s.kind === 'school' && s.month === latest.month).length
    sections.push({ key: 'overview', title: '一、基本情况', body: `截至${asOf}，${opts.name}共有 ${schools} 所学校纳入统计，在籍学生 ${t1?.denominator ?? 0} 人。本报告根据系统每月统计快照自动生成，数据截至 ${formatDateTime(latest.computedAt)}。` })
  }

  // 二、目标达成情况
  const lines: string[] = []
  const missed: string[] = []
  for (const def of targetsAt(level)) {
    const v = latest?.values[def.id]
    if (!v || v.value === null) continue
    const verdict = v.met ? '达标' : '未达标'
    lines.push(`${def.id} ${def.name}：${formatTargetValue(def, v.value)}（目标：${def.threshold.label}），${verdict}。`)
    if (!v.met) missed.push(`${def.name}为 ${formatTargetValue(def, v.value)}，未达到目标（${def.threshold.label}）`)
  }
  sections.push({ key: 'targets', title: '二、目标达成情况', body: lines.length ? lines.join('\n') : '本学年尚无可统计的指标数据。' })

  // 三、家长注册（T1）的变化
  if (first && latest && first.values.T1?.value != null && latest.values.T1?.value != null) {
    const a = first.values.T1.value
    const b = latest.values.T1.value
    // from the figures as printed, so a reader's subtraction gives the same number
    const diff = Math.round((Math.round(b * 1000) - Math.round(a * 1000))) / 10
    const move = diff > 0 ? `提高 ${diff.toFixed(1)} 个百分点` : diff < 0 ? `下降 ${Math.abs(diff).toFixed(1)} 个百分点` : '保持不变'
    sections.push({
      key: 'registration',
      title: '三、数字家长学校注册情况',
      body: `${monthOf(`${first.month}-01`).label}家长注册率为 ${pct(a)}，截至${asOf}为 ${pct(b)}（${latest.values.T1.numerator} / ${latest.values.T1.denominator} 名学生已有家长绑定），${move}。`
    })
  }

  // 四、示范校创建（全县）
  if (opts.scope === 'county') {
    const t17 = latest?.values.T17
    const def = targetById('T17')
    if (def && latest) {
      const pace = def.pace ? def.pace(windowOf(def, latest.month, opts.now).at.getTime()) : null
      sections.push({
        key: 'programme',
        title: '四、示范校创建',
        body: `已认定协同育人示范学校 ${t17?.value ?? 0} 所（三年建设目标 100 所${pace !== null ? `，按进度截至${asOf}应达 ${pace} 所` : ''}）。`
      })
    }
  }

  sections.push({ key: 'cases', title: `${opts.scope === 'county' ? '五' : '四'}、典型案例与经验`, body: '（请填写本学年协同育人的典型案例、特色做法与成效。）' })
  sections.push({
    key: 'next',
    title: `${opts.scope === 'county' ? '六' : '五'}、存在问题与下一步计划`,
    body: missed.length ? `${missed.join('；')}。\n（请补充原因分析与改进措施。）` : '（请填写存在的问题与下一学年的工作计划。）'
  })
  return { title: `${opts.name}${year.label}家校社协同育人年度报告（白皮书）`, sections, generatedAt: opts.now }
}

const CHINESE_NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六', '十七', '十八', '十九', '二十']
const NUMBERED = /^[一二三四五六七八九十]+、/

/** A prompt of the draft ("（请填写…）") that nobody replaced: not printed. */
const isPrompt = (line: string) => /^（请[^）]*）$/.test(line.trim())

export async function reportDocx(report: Pick<ReportDoc, 'title' | 'sections' | 'updatedAt' | 'generatedAt'>): Promise<Buffer> {
  const children: Paragraph[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [new TextRun({ text: report.title, font: '宋体' })] }),
    new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: `${report.updatedAt ? '修改于' : '生成于'} ${formatDateTime(report.updatedAt ?? report.generatedAt)}`, size: 20, color: '666666' })] })
  ]
  let printed = 0
  for (const s of report.sections) {
    const lines = s.body.split('\n').filter((line) => line.trim() && !isPrompt(line))
    if (lines.length === 0) continue
    // a section left out must not leave a gap in the numbering (一、二、四): number what is printed
    const title = NUMBERED.test(s.title) ? `${CHINESE_NUMERALS[printed]}、${s.title.replace(NUMBERED, '')}` : s.title
    printed++
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun({ text: title, font: '黑体' })] }))
    for (const line of lines) children.push(new Paragraph({ children: [new TextRun({ text: line, font: '宋体', size: 24 })], spacing: { after: 120 } }))
  }
  const doc = new Document({ creator: '共育', title: report.title, sections: [{ children }] })
  return Packer.toBuffer(doc)
}
