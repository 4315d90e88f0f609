import { Input, Text, Textarea, View } from '@tarojs/components'
import Taro, { useRouter, useUnload } from '@tarojs/taro'
import { Button, Dialog } from '@nutui/nutui-react-taro'
import { useEffect, useState } from 'react'
import { openFile } from '@/api/files'
import { statsApi } from '@/api/stats'
import { PageShell } from '@/components/PageShell'
import { Flash, Loading, Notice, Section } from '@/components/ui'
import { formatDateTime, schoolYearOf } from '@/shared/calendar'
import type { AnnualReport, ReportSection } from '@/shared/contract-stats'
import { PAGES } from '@/store/route'
import { useAsync } from '@/store/useAsync'
import { errorText, useOutcome } from '@/store/useOutcome'
import { LoadFailed } from '../../components/parts'
import './index.scss'

const BODY_MAX = 5000
const TITLE_MAX = 40
const REPORT_TITLE_MAX = 60

/** WeChat asks before leaving a page with unsaved edits (not every platform has it: then nothing happens). */
function alertBeforeLeaving(on: boolean) {
  if (process.env.TARO_ENV !== 'weapp') return
  try {
    if (on && typeof Taro.enableAlertBeforeUnload === 'function') Taro.enableAlertBeforeUnload({ message: '报告有未保存的修改，确定离开吗？' })
    if (!on && typeof Taro.disableAlertBeforeUnload === 'function') Taro.disableAlertBeforeUnload()
  } catch {
    // not supported here
  }
}

/** The annual report (白皮书) of a school or of the county: a draft generated from the snapshots, edited and saved, downloaded as Word. */
export default function StatsReportPage() {
  const { params } = useRouter()
  const scope = params.scope === 'county' ? 'county' : 'school'
  const schoolId = scope === 'school' && params.schoolId ? params.schoolId : undefined
  const schoolYear = params.schoolYear && /^\d{4}$/.test(params.schoolYear) ? Number(params.schoolYear) : undefined
  const ref = { scope, ...(schoolId ? { schoolId } : {}), ...(schoolYear ? { schoolYear } : {}) } as const
  const { data, error, loading, reload, setData } = useAsync(() => statsApi.annualReport(ref), [scope, schoolId, schoolYear])
  const [sections, setSections] = useState<ReportSection[]>([])
  const [title, setTitle] = useState('')
  /** the report the editable fields were filled from (until then they are not shown, so nothing typed is overwritten) */
  const [filledFrom, setFilledFrom] = useState<AnnualReport | null>(null)
  const [dirty, setDirty] = useState(false)
  const [busy, setBusy] = useState<'save' | 'download' | 'reset' | null>(null)
  const [confirmReset, setConfirmReset] = useState(false)
  const { message, setMessage } = useOutcome()
  // The bureau reads a school's report but cannot save it (a school's report is saved by its principal).
  const readOnly = Boolean(schoolId)

  useEffect(() => {
    if (data) {
      setSections(data.sections.map((s) => ({ ...s })))
      setTitle(data.title)
      setFilledFrom(data)
      setDirty(false)
    }
  }, [data])
  useEffect(() => alertBeforeLeaving(dirty), [dirty])
  useUnload(() => alertBeforeLeaving(false))

  function edit(i: number, patch: Partial<ReportSection>) {
    setSections((all) => all.map((s, j) => (j === i ? { ...s, ...patch } : s)))
    setDirty(true)
  }

  async function save(report: AnnualReport): Promise<boolean> {
    const saved = await statsApi.saveAnnualReport({ scope, schoolYear: report.schoolYearStart, title, sections })
    setData(saved)
    return true
  }

  async function onSave(report: AnnualReport) {
    setBusy('save')
    setMessage(null)
    try {
      await save(report)
      setMessage({ tone: 'info', text: '已保存' })
    } catch (e) {
      setMessage({ tone: 'warn', text: errorText(e) })
    } finally {
      setBusy(null)
    }
  }

  async function onReset() {
    setBusy('reset')
    setMessage(null)
    try {
      setData(await statsApi.resetAnnualReport(ref))
      setMessage({ tone: 'info', text: '已按最新统计数据重新生成草稿' })
    } catch (e) {
      setMessage({ tone: 'warn', text: errorText(e) })
    } finally {
      setBusy(null)
    }
  }

  async function onDownload(report: AnnualReport) {
    setBusy('download')
    setMessage(null)
    try {
      // Word is made from the saved report: save the edits first so the document is what is on the screen.
      if (dirty && !readOnly) await save(report)
      const file = await statsApi.downloadAnnualReport({ ...ref, schoolYear: report.schoolYearStart })
      await openFile(file, 'docx')
      setMessage({ tone: 'info', text: dirty && !readOnly ? '已保存修改并生成 Word 文档' : '已生成 Word 文档' })
    } catch (e) {
      setMessage({ tone: 'warn', text: errorText(e) })
    } finally {
      setBusy(null)
    }
  }

  /** Another school year's report (the same page; unsaved edits of this one are asked about by WeChat). */
  function openYear(startYear: number) {
    const query = [`scope=${scope}`, schoolId ? `schoolId=${encodeURIComponent(schoolId)}` : '', `schoolYear=${startYear}`].filter(Boolean).join('&')
    void Taro.redirectTo({ url: `${PAGES.statsReport}?${query}` })
  }

  if (loading && !data) return <PageShell><Loading text='正在生成报告草稿…' /></PageShell>
  if (!data) return <LoadFailed error={error} onRetry={() => void reload()} />
  if (filledFrom !== data) return <PageShell><Loading text='正在生成报告草稿…' /></PageShell>

  return (
    <PageShell className='sr'>
      <View className='sr__head'>
        {readOnly ? (
          <Text className='sr__title'>{data.title}</Text>
        ) : (
          <Textarea
            className='sr__title sr__title--edit'
            value={title}
            maxlength={REPORT_TITLE_MAX}
            autoHeight
            placeholder='报告标题'
            onInput={(e) => {
              setTitle(e.detail.value)
              setDirty(true)
            }}
          />
        )}
        <Text className='gy-muted'>
          {data.schoolYearStart}–{data.schoolYearStart + 1}学年 ·{' '}
          {data.updatedAt ? `${formatDateTime(data.updatedAt)} 保存的修改稿` : `根据统计数据自动生成的草稿（${formatDateTime(data.generatedAt)}）`}
        </Text>
        <View className='sr__years'>
          <Text className='sr__year-link' onClick={() => openYear(data.schoolYearStart - 1)}>
            ‹ {data.schoolYearStart - 1}–{data.schoolYearStart}学年
          </Text>
          {data.schoolYearStart < schoolYearOf(Date.now()).startYear ? (
            <Text className='sr__year-link' onClick={() => openYear(data.schoolYearStart + 1)}>
              {data.schoolYearStart + 1}–{data.schoolYearStart + 2}学年 ›
            </Text>
          ) : null}
        </View>
      </View>
      {error ? <Notice tone='warn'>{error.message}</Notice> : null}
      <Flash message={message} />
      {readOnly ? (
        <Notice>学校的年度报告由学校修改和保存，这里只能阅读和下载。</Notice>
      ) : (
        <Notice>草稿根据每月统计自动生成，可逐节修改标题和内容，保存后下载的 Word 文档即为修改后的版本。</Notice>
      )}
      {sections.map((s, i) => (
        <Section key={s.key}>
          <View className='sr__section'>
            {readOnly ? (
              <Text className='sr__section-title'>{s.title}</Text>
            ) : (
              <Input
                className={`sr__section-title sr__section-title--edit sr__title-${s.key}`}
                value={s.title}
                maxlength={TITLE_MAX}
                placeholder='章节标题'
                onInput={(e) => edit(i, { title: e.detail.value })}
              />
            )}
            {readOnly ? (
              <Text className='sr__text'>{s.body}</Text>
            ) : (
              <Textarea
                className={`sr__body sr__body-${s.key}`}
                value={s.body}
                maxlength={BODY_MAX}
                autoHeight
                placeholder='本节内容'
                onInput={(e) => edit(i, { body: e.detail.value })}
              />
            )}
            {readOnly ? null : (
              <Text className={`sr__count${s.body.length > BODY_MAX * 0.9 ? ' sr__count--near' : ''}`}>
                {s.body.length} / {BODY_MAX} 字
              </Text>
            )}
          </View>
        </Section>
      ))}
      <View className='sr__bar'>
        {dirty ? <Text className='sr__dirty'>有未保存的修改</Text> : null}
        <View className='st-actions'>
          {readOnly ? null : (
            <Button type='primary' size='large' disabled={busy !== null} loading={busy === 'save'} onClick={() => void onSave(data)}>
              保存
            </Button>
          )}
          <Button size='large' disabled={busy !== null} loading={busy === 'download'} onClick={() => void onDownload(data)}>
            下载 Word
          </Button>
        </View>
        {!readOnly && data.updatedAt ? (
          <Button className='sr__reset' fill='none' size='large' block disabled={busy !== null} loading={busy === 'reset'} onClick={() => setConfirmReset(true)}>
            按最新统计数据重新生成
          </Button>
        ) : null}
      </View>
      <Dialog
        visible={confirmReset}
        title='重新生成报告草稿'
        content='将按最新的统计数据重新生成草稿，已保存的修改（包括您填写的案例和计划）会被丢弃，且无法恢复。确定吗？'
        confirmText='重新生成'
        cancelText='取消'
        onCancel={() => setConfirmReset(false)}
        onConfirm={() => {
          setConfirmReset(false)
          void onReset()
        }}
      />
    </PageShell>
  )
}
