import { Text, Textarea, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { Button, Input } from '@nutui/nutui-react-taro'
import { useEffect, useRef, useState } from 'react'
import { visitsApi } from '@/api/visits'
import { PageShell } from '@/components/PageShell'
import { Flash, Hero, Loading, Notice, Section } from '@/components/ui'
import { formatDate } from '@/shared/calendar'
import type { StudentFile } from '@/shared/contract-visits'
import { AppError } from '@/shared/errors'
import { SPECIAL_CATEGORIES, VISIT_LIMITS, registryDueAt, type SpecialCategory } from '@/shared/visits'
import { PAGES } from '@/store/route'
import { useAsync } from '@/store/useAsync'
import { errorText, useOutcome } from '@/store/useOutcome'
import { askReminder } from '@/api/reminders'
import { leave } from '../../components/VisitNav'
import { VisitDenied } from '../../components/VisitDenied'
import './index.scss'

const QUICK_INTERVALS = [14, 30, 60]

/** Why the interval typed cannot be used, or null. */
function intervalProblem(raw: string): string | null {
  const n = Number(raw.trim())
  if (!raw.trim()) return '请填写随访间隔天数'
  if (!Number.isInteger(n)) return '随访间隔应为整数天'
  if (n < VISIT_LIMITS.intervalMin) return `随访间隔至少 ${VISIT_LIMITS.intervalMin} 天`
  if (n > VISIT_LIMITS.intervalMax) return `随访间隔不能超过 ${VISIT_LIMITS.intervalMax} 天`
  return null
}

/**
 * The special-student registry entry of one student (?studentId=): 留守儿童 and other categories, the follow-up
 * interval and what to watch for; prefilled when the student is already on the registry.
 */
export default function TeacherSpecialPage() {
  const { params } = useRouter()
  const studentId = params.studentId ?? ''
  const file = useAsync<StudentFile>(
    () => (studentId ? visitsApi.studentFile(studentId) : Promise.reject(new AppError('NOT_FOUND', '缺少学生，请从学生档案进入'))),
    [studentId]
  )
  const f = file.data
  const [categories, setCategories] = useState<SpecialCategory[]>([])
  const [intervalDays, setIntervalDays] = useState(String(VISIT_LIMITS.intervalDefault))
  const [note, setNote] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [saved, setSaved] = useState(false)
  const { message, setMessage, run } = useOutcome()
  const leaveTimer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const cancelLeave = () => {
    if (leaveTimer.current) clearTimeout(leaveTimer.current)
    leaveTimer.current = null
  }
  useEffect(() => cancelLeave, [])

  // Prefilled once from the registry entry the student already has.
  const [filledFor, setFilledFor] = useState<string | null>(null)
  useEffect(() => {
    if (!f || filledFor === f.student.studentId) return
    setFilledFor(f.student.studentId)
    if (f.registry) {
      setCategories(f.registry.categories)
      setIntervalDays(String(f.registry.intervalDays))
      setNote(f.registry.note)
    }
  }, [f]) // eslint-disable-line react-hooks/exhaustive-deps

  function toggle(c: SpecialCategory) {
    setProblem(null)
    setCategories(categories.includes(c) ? categories.filter((x) => x !== c) : SPECIAL_CATEGORIES.filter((x) => x === c || categories.includes(x)))
  }

  async function save() {
    if (!f || busy) return
    if (!categories.length) return setProblem('请至少选择一个类别')
    const bad = intervalProblem(intervalDays)
    if (bad) return setProblem(bad)
    setProblem(null)
    setBusy(true)
    const ok = await run(
      () => visitsApi.markSpecial({ studentId: f.student.studentId, categories, intervalDays: Number(intervalDays.trim()), note }),
      f.registry ? '名册信息已更新' : '已登记到特殊学生名册'
    )
    setBusy(false)
    if (ok) {
      setSaved(true)
      leaveTimer.current = setTimeout(() => {
        leaveTimer.current = null
        leave(`${PAGES.teacherFile}?studentId=${f.student.studentId}`)
      }, 1500)
    }
  }

  async function remind() {
    try {
      const answer = await askReminder('followUpDue')
      if (answer === 'accepted') setMessage({ tone: 'info', text: '已开启：下一次随访到期时会收到微信提醒' })
      else if (answer === 'simulated') setMessage({ tone: 'info', text: '预览环境：已模拟同意，随访到期时会发送一条提醒' })
      else setMessage({ tone: 'warn', text: '未开启微信提醒，逾期随访仍会显示在「待办事项」中' })
    } catch (e) {
      setMessage({ tone: 'warn', text: errorText(e) })
    }
  }

  if (file.loading && !f) return <PageShell><Loading /></PageShell>
  if (file.error?.code === 'PERMISSION_DENIED') {
    return <VisitDenied page='vs' title='您没有权限登记该学生' description='特殊学生名册由本班教师、家访教师和本校管理员维护。' />
  }
  if (!f) {
    return (
      <PageShell className='vs'>
        <Notice tone='warn'>{file.error?.message ?? '加载失败'}</Notice>
        <View className='gy-actions'>
          <Button type='primary' size='large' block onClick={() => void file.reload()}>
            重试
          </Button>
          <Button size='large' block onClick={() => leave()}>
            返回
          </Button>
        </View>
      </PageShell>
    )
  }

  const reg = f.registry
  const days = intervalProblem(intervalDays) ? null : Number(intervalDays.trim())
  const nextDue = days ? registryDueAt(reg?.registeredAt ?? Date.now(), f.summary.lastContactAt, days) : null

  return (
    <PageShell className='vs'>
      <Hero badge={reg ? '已在名册中' : '登记名册'} title={f.student.name} subtitle={`${f.student.schoolName} · ${f.student.className}`} />
      <Flash message={message} />
      {!f.canEdit ? <Notice tone='warn'>只有本班教师和学校管理员可以登记或修改该学生的名册信息。</Notice> : null}

      <Section title='类别（可多选）'>
        <View className='vs__cats'>
          {SPECIAL_CATEGORIES.map((c) => (
            <View key={c} className={`vs__cat${categories.includes(c) ? ' vs__cat--on' : ''}`} onClick={() => toggle(c)}>
              <Text>{categories.includes(c) ? `✓ ${c}` : c}</Text>
            </View>
          ))}
        </View>
      </Section>

      <Section title='随访间隔'>
        <View className='vs__fields'>
          <View className='vs__quick'>
            {QUICK_INTERVALS.map((n) => (
              <View
                key={n}
                className={`vs__chip${intervalDays.trim() === String(n) ? ' vs__chip--on' : ''}`}
                onClick={() => {
                  setProblem(null)
                  setIntervalDays(String(n))
                }}
              >
                <Text>{n} 天</Text>
              </View>
            ))}
          </View>
          <View className='vs__custom'>
            <Text>每</Text>
            <Input
              className='vs__days'
              type='number'
              value={intervalDays}
              maxLength={3}
              onChange={(v) => {
                setProblem(null)
                setIntervalDays(String(v).replace(/\D/g, ''))
              }}
            />
            <Text>天随访一次（{VISIT_LIMITS.intervalMin}–{VISIT_LIMITS.intervalMax} 天）</Text>
          </View>
          {nextDue ? (
            <Text className='vs__due'>
              按此间隔，下次随访应在 {formatDate(nextDue)} 前（从{f.summary.lastContactAt && f.summary.lastContactAt > (reg?.registeredAt ?? 0) ? '最近一次联系' : reg ? '登记之日' : '今天'}算起）
            </Text>
          ) : null}
        </View>
      </Section>

      <Section title='关注要点'>
        <View className='vs__fields'>
          <Textarea
            className='vs__textarea vs__note'
            autoHeight
            placeholder='如：父母在外务工，由祖母照看；注意情绪变化和作业完成情况'
            value={note}
            maxlength={VISIT_LIMITS.note}
            onInput={(e) => setNote(e.detail.value)}
          />
          <Text className='vs__count'>
            {note.length}/{VISIT_LIMITS.note}
          </Text>
        </View>
      </Section>

      <Notice tone='info'>
        <View className='vs__explain'>
          <Text>
            登记后按随访间隔计算下次随访日期（从最近一次联系算起）。随访快到期或已逾期时，会出现在您的「待办事项」中；如您允许，还会收到微信订阅消息提醒。
          </Text>
          <Text>名册信息属于敏感信息，仅本班教师、家访教师和本校管理员可见，每次查看都会留下记录。</Text>
          <Text className='vs__link' onClick={() => void remind()}>
            接收微信随访提醒 ›
          </Text>
        </View>
      </Notice>

      <View className='vs__actions'>
        {problem ? <Text className='vs__problem'>{problem}</Text> : null}
        <Button type='primary' size='large' block loading={busy} disabled={busy || saved || !f.canEdit} onClick={() => void save()}>
          {reg ? '保存修改' : '登记到名册'}
        </Button>
        <Button
          size='large'
          block
          disabled={busy}
          onClick={() => {
            cancelLeave()
            leave(`${PAGES.teacherFile}?studentId=${f.student.studentId}`)
          }}
        >
          取消
        </Button>
      </View>
    </PageShell>
  )
}
