import { Text, View } from '@tarojs/components'
import { Button } from '@nutui/nutui-react-taro'
import { useState } from 'react'
import { openFile, pickAndUploadExcel } from '@/api/files'
import { rosterApi } from '@/api/roster'
import { PageShell } from '@/components/PageShell'
import { Flash, Section } from '@/components/ui'
import type { ImportProblem, ImportSummary } from '@/shared/contract'
import { ROSTER_HEADERS } from '@/shared/contract'
import { AppError } from '@/shared/errors'
import './index.scss'

/** School admin: import classes and students from the Excel template (all rows or none), and export the roster. */
export default function RosterPage() {
  const [busy, setBusy] = useState<'template' | 'import' | 'export' | null>(null)
  const [summary, setSummary] = useState<(ImportSummary & { file: string }) | null>(null)
  const [problems, setProblems] = useState<ImportProblem[] | null>(null)
  const [message, setMessage] = useState<{ tone: 'info' | 'warn'; text: string } | null>(null)

  async function step<T>(kind: 'template' | 'import' | 'export', fn: () => Promise<T>): Promise<T | null> {
    setBusy(kind)
    setMessage(null)
    try {
      return await fn()
    } catch (e) {
      const err = e instanceof AppError ? e : new AppError('INTERNAL_ERROR')
      const rows = (err.details as { rows?: ImportProblem[] } | undefined)?.rows
      if (rows?.length) setProblems(rows)
      setMessage({ tone: 'warn', text: err.message })
      return null
    } finally {
      setBusy(null)
    }
  }

  async function importFile() {
    setSummary(null)
    setProblems(null)
    await step('import', async () => {
      const { fileID, name } = await pickAndUploadExcel('rosters')
      const result = await rosterApi.importRoster(fileID)
      setSummary({ ...result, file: name })
    })
  }

  return (
    <PageShell className='roster'>
      <Flash message={message} />
      <Section title='导入花名册'>
        <View className='roster__body'>
          <Text className='roster__text'>按模板填写后上传（表头：{ROSTER_HEADERS.join('、')}）。系统逐行检查，全部无误才会导入；重复导入同一文件不会产生重复数据；学生换班会保留原有记录。</Text>
          <View className='roster__buttons'>
            <Button size='large' block disabled={busy !== null} loading={busy === 'template'} onClick={() => void step('template', async () => openFile(await rosterApi.rosterTemplate()))}>
              下载模板
            </Button>
            <Button type='primary' size='large' block disabled={busy !== null} loading={busy === 'import'} onClick={() => void importFile()}>
              上传并导入
            </Button>
          </View>
        </View>
      </Section>
      {summary ? (
        <Section title='导入完成'>
          <View className='roster__body'>
            <Text className='roster__text'>
              {summary.file}：共 {summary.rows} 行；新建班级 {summary.classesCreated} 个，新增学生 {summary.studentsAdded} 人，更新 {summary.studentsUpdated} 人，换班 {summary.studentsMoved} 人，无变化 {summary.unchanged} 人。
            </Text>
          </View>
        </Section>
      ) : null}
      {problems?.length ? (
        <Section title={`需要修改的行（${problems.length}）`}>
          {problems.slice(0, 200).map((p) => (
            <View key={`${p.row}-${p.field}-${p.message}`} className='roster__problem'>
              <Text className='roster__row'>第 {p.row} 行</Text>
              <Text>
                {p.field ? `${p.field}：` : ''}
                {p.message}
              </Text>
            </View>
          ))}
          <Text className='roster__text roster__hint'>请修改后重新上传；本次没有导入任何数据。</Text>
        </Section>
      ) : null}
      <Section title='导出'>
        <View className='roster__body'>
          <Button size='large' block disabled={busy !== null} loading={busy === 'export'} onClick={() => void step('export', async () => openFile(await rosterApi.exportRoster()))}>
            导出全校花名册（Excel）
          </Button>
        </View>
      </Section>
    </PageShell>
  )
}
