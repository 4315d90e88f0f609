import { Text, Textarea, View } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro'
import { Button, Dialog, Input } from '@nutui/nutui-react-taro'
import { useRef, useState } from 'react'
import { visitsApi } from '@/api/visits'
import { PageShell } from '@/components/PageShell'
import { EmptyState, Flash, Loading, Notice, Section, Stat } from '@/components/ui'
import { formatDate, formatDateTime } from '@/shared/calendar'
import type { AuditEntry, StudentFile } from '@/shared/contract-visits'
import { AppError } from '@/shared/errors'
import { VISIT_LIMITS, dayStart, dueText, isOverdue } from '@/shared/visits'
import { PAGES } from '@/store/route'
import { scopesOf } from '@/store/session'
import { useAsync } from '@/store/useAsync'
import { useMe } from '@/store/useMe'
import { errorText, useOutcome } from '@/store/useOutcome'
import { VisitRecordCard } from '../../components/VisitRecordCard'
import { VisitDenied } from '../../components/VisitDenied'
import { dayText, leave } from '../../components/VisitNav'
import './index.scss'

const day = (t: number | null) => (t === null ? '无' : formatDate(t))

/**
 * 一人一档 (?studentId=): the student, the visiting teachers, the family's basic situation, the special registry
 * entry, the open follow-up, a summary, and every contact and visit newest first. Reading it is audited on the server.
 */
export default function TeacherFilePage() {
  const { params } = useRouter()
  const studentId = params.studentId ?? ''
  const { me } = useMe()
  const file = useAsync<StudentFile>(
    () => (studentId ? visitsApi.studentFile(studentId) : Promise.reject(new AppError('NOT_FOUND', '缺少学生，请从「我的家访」或名册进入'))),
    [studentId]
  )
  const f = file.data
  const { message, run } = useOutcome()
  const [editingFamily, setEditingFamily] = useState(false)
  const [family, setFamily] = useState('')
  const [busy, setBusy] = useState<string | null>(null)
  const [ending, setEnding] = useState(false)
  const [reason, setReason] = useState('')
  const [reasonMissing, setReasonMissing] = useState(false)
  const [showHistory, setShowHistory] = useState(false)
  // who read this student's records and registry entry (loaded when the admin asks for it)
  const [trail, setTrail] = useState<AuditEntry[] | null>(null)
  const [trailState, setTrailState] = useState<{ loading: boolean; error: string | null }>({ loading: false, error: null })
  async function loadTrail() {
    setTrailState({ loading: true, error: null })
    try {
      setTrail((await visitsApi.auditTrail(studentId)).entries)
      setTrailState({ loading: false, error: null })
    } catch (e) {
      setTrailState({ loading: false, error: errorText(e) })
    }
  }
  usePullDownRefresh(() => void file.reload().finally(() => Taro.stopPullDownRefresh()))

  // Back from logging a visit or the registry form: show what changed.
  const shown = useRef(false)
  useDidShow(() => {
    if (shown.current) void file.reload()
    shown.current = true
  })

  const isTeacher = scopesOf(me, 'teacher').length > 0

  async function saveFamily() {
    setBusy('family')
    const ok = await run(async () => {
      const res = await visitsApi.saveFamily({ studentId, family })
      if (f) file.setData({ ...f, family: res.family, familyUpdatedAt: res.familyUpdatedAt })
    }, '家庭基本情况已保存')
    setBusy(null)
    if (ok) setEditingFamily(false)
  }

  async function endSpecial() {
    const why = reason.trim()
    if (why.length < 2) {
      setReasonMissing(true) // keep the dialog open: the reason is kept with the registry history
      return
    }
    setEnding(false)
    setBusy('end')
    await run(() => visitsApi.endSpecial({ studentId, reason: why }), '已移出特殊学生名册，原因已记录', file.reload)
    setBusy(null)
  }

  if (file.loading && !f) return <PageShell><Loading /></PageShell>
  if (file.error?.code === 'PERMISSION_DENIED') {
    return <VisitDenied page='vf' title='您没有权限查看该学生的档案' description='学生档案仅对本班教师、家访教师和本校管理员开放。' />
  }
  if (file.error && !f) {
    return (
      <PageShell className='vf'>
        <Notice tone='warn'>{file.error.message}</Notice>
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
  if (!f) return <PageShell><Loading /></PageShell>

  const now = Date.now()
  const reg = f.registry
  const logUrl = `${PAGES.teacherLog}?studentId=${f.student.studentId}&name=${encodeURIComponent(f.student.name)}`
  const specialUrl = `${PAGES.teacherSpecial}?studentId=${f.student.studentId}`

  return (
    <PageShell className='vf'>
      <View className='vf__head'>
        <View className='vf__head-main'>
          <Text className='vf__name'>{f.student.name}</Text>
          {f.student.status === 'left' ? <Text className='vf__badge vf__badge--grey'>已离校</Text> : null}
          {reg ? <Text className={`vf__badge ${reg.overdue ? 'vf__badge--red' : 'vf__badge--orange'}`}>{reg.overdue ? '随访逾期' : '特殊学生'}</Text> : null}
        </View>
        <Text className='vf__head-line'>
          {f.student.schoolName} · {f.student.className}
          {f.student.gender ? ` · ${f.student.gender}` : ''}
        </Text>
        <Text className='vf__head-line'>已绑定家长 {f.guardiansBound} 人</Text>
      </View>
      <Flash message={message} />
      {file.error ? <Notice tone='warn'>{file.error.message}</Notice> : null}

      {isTeacher && f.student.status === 'enrolled' ? (
        <View className='vf__log'>
          <Button type='primary' size='large' block onClick={() => void Taro.navigateTo({ url: logUrl })}>
            记录联系/家访
          </Button>
        </View>
      ) : null}

      {f.followUp ? (
        <View className={`vf__follow${isOverdue(dayStart(f.followUp.by), now) ? ' vf__follow--overdue' : ''}`}>
          <Text className='vf__follow-title'>
            待跟进：{dayText(f.followUp.by)}前（{dueText(dayStart(f.followUp.by), now)}）
          </Text>
          {f.followUp.note ? <Text>{f.followUp.note}</Text> : null}
        </View>
      ) : null}

      <Section title='联系概况'>
        <View className='gy-stats'>
          <Stat label='联系次数' value={f.summary.contacts} unit='次' />
          <Stat label='入户家访' value={f.summary.homeVisits} unit='次' />
        </View>
        <View className='vf__facts'>
          <Text>最近联系：{day(f.summary.lastContactAt)}</Text>
          <Text>最近入户家访：{day(f.summary.lastHomeVisitAt)}</Text>
        </View>
      </Section>

      <Section title='家访教师'>
        <View className='vf__visitors'>
          {f.visitors.length ? (
            f.visitors.map((v) => (
              <Text key={v.openid} className='vf__visitor'>
                {v.name}
                {v.headTeacher ? '（班主任）' : ''}
              </Text>
            ))
          ) : (
            <Text className='gy-muted'>本学期还没有安排家访教师</Text>
          )}
        </View>
      </Section>

      <Section
        title='家庭基本情况'
        extra={
          f.canEdit && !editingFamily ? (
            <Text
              className='vf__link vf__family-edit'
              onClick={() => {
                setFamily(f.family)
                setEditingFamily(true)
              }}
            >
              编辑
            </Text>
          ) : null
        }
      >
        {editingFamily ? (
          <View className='vf__form'>
            <Textarea
              className='vf__textarea vf__family-input'
              autoHeight
              placeholder='家庭成员、监护人、居住情况、家庭教育情况等'
              value={family}
              maxlength={VISIT_LIMITS.family}
              onInput={(e) => setFamily(e.detail.value)}
            />
            <Text className='vf__count'>
              {family.length}/{VISIT_LIMITS.family}
            </Text>
            <View className='vf__buttons'>
              <Button type='primary' loading={busy === 'family'} disabled={busy !== null} onClick={() => void saveFamily()}>
                保存
              </Button>
              <Button disabled={busy !== null} onClick={() => setEditingFamily(false)}>
                取消
              </Button>
            </View>
          </View>
        ) : (
          <View className='vf__family'>
            <Text className={f.family ? 'vf__text' : 'gy-muted'}>{f.family || '还没有填写家庭基本情况'}</Text>
            {f.familyUpdatedAt ? <Text className='gy-muted'>更新于 {formatDateTime(f.familyUpdatedAt)}</Text> : null}
          </View>
        )}
      </Section>

      <Section title='特殊学生名册'>
        {reg ? (
          <View className='vf__registry'>
            <View className='vf__cats'>
              {reg.categories.map((c) => (
                <Text key={c} className='vf__cat'>
                  {c}
                </Text>
              ))}
            </View>
            <Text>每 {reg.intervalDays} 天随访一次</Text>
            <Text className={reg.overdue ? 'vf__overdue' : ''}>
              下次随访：{formatDate(reg.dueAt)}（{dueText(reg.dueAt, now)}）
            </Text>
            {reg.note ? <Text className='vf__text'>关注要点：{reg.note}</Text> : null}
            <Text className='gy-muted'>
              {reg.registeredByName} 于 {formatDate(reg.registeredAt)} 登记
            </Text>
            {reg.history.length ? (
              <Text className='vf__link' onClick={() => setShowHistory(!showHistory)}>
                {showHistory ? '收起名册变更记录' : `名册变更记录（${reg.history.length}）`}
              </Text>
            ) : null}
            {showHistory ? (
              <View className='vf__history'>
                {reg.history.map((h, i) => (
                  <Text key={`${h.at}-${i}`} className='vf__history-item'>
                    {formatDateTime(h.at)} · {h.byName}：{h.change}
                  </Text>
                ))}
              </View>
            ) : null}
            {f.canEdit ? (
              <View className='vf__buttons'>
                <Button type='primary' onClick={() => void Taro.navigateTo({ url: specialUrl })}>
                  修改特殊学生名册
                </Button>
                <Button
                  className='vf__end'
                  loading={busy === 'end'}
                  disabled={busy !== null}
                  onClick={() => {
                    setReason('')
                    setReasonMissing(false)
                    setEnding(true)
                  }}
                >
                  移出名册
                </Button>
              </View>
            ) : null}
          </View>
        ) : (
          <View className='vf__registry'>
            {f.registryEnded ? (
              <View className='vf__ended'>
                <Text>
                  已于 {formatDate(f.registryEnded.endedAt)} 移出名册{f.registryEnded.reason ? `：${f.registryEnded.reason}` : ''}
                </Text>
                <Text className='vf__link' onClick={() => setShowHistory(!showHistory)}>
                  {showHistory ? '收起名册记录' : '查看名册记录'}
                </Text>
                {showHistory ? (
                  <View className='vf__history'>
                    {f.registryEnded.history.map((h, i) => (
                      <Text key={`${h.at}-${i}`} className='vf__history-item'>
                        {formatDateTime(h.at)} · {h.byName}：{h.change}
                      </Text>
                    ))}
                  </View>
                ) : null}
              </View>
            ) : null}
            <Text className='gy-muted'>未列入特殊学生名册。留守儿童、单亲家庭、困难家庭等学生登记后，会按随访间隔提醒跟进。</Text>
            {f.canEdit ? (
              <Button onClick={() => void Taro.navigateTo({ url: specialUrl })}>登记特殊学生名册</Button>
            ) : null}
          </View>
        )}
      </Section>

      {f.viewerRole === 'schoolAdmin' ? (
        <Section title='访问留痕'>
          <View className='vf__audit'>
            {trail ? (
              trail.length ? (
                trail.map((e, i) => (
                  <Text key={`${e.at}-${i}`} className='vf__history-item'>
                    {formatDateTime(e.at)} · {e.who}（{e.role}）{e.what}
                  </Text>
                ))
              ) : (
                <Text className='gy-muted'>还没有访问记录</Text>
              )
            ) : (
              <Text className='vf__link' onClick={() => void loadTrail()}>
                {trailState.loading ? '正在加载…' : trailState.error ? `${trailState.error}，点此重试` : '查看谁在何时查看过该学生的档案与名册 ›'}
              </Text>
            )}
          </View>
        </Section>
      ) : null}

      <Section title={`联系与家访记录（${f.records.length}）`}>
        {f.records.length === 0 ? (
          <EmptyState icon='访' title='还没有联系或家访记录' description={isTeacher ? '点上方「记录联系/家访」添加第一条。' : undefined} />
        ) : (
          <View className='vf__timeline'>
            {f.records.map((r) => (
              <VisitRecordCard key={r.recordId} record={r} />
            ))}
          </View>
        )}
        {f.records.length >= VISIT_LIMITS.fileRecords ? <Text className='vf__more gy-muted'>只显示最近 {VISIT_LIMITS.fileRecords} 条记录</Text> : null}
      </Section>

      <Dialog
        visible={ending}
        title='移出特殊学生名册'
        content={
          <View>
            <Text className='gy-muted'>请写明原因（如：父母已返乡陪伴），原因会保留在名册记录中。</Text>
            <Input
              className='vf__reason'
              placeholder='移出原因'
              value={reason}
              maxLength={VISIT_LIMITS.note}
              onChange={(v) => {
                setReason(String(v))
                setReasonMissing(false)
              }}
            />
            {reasonMissing ? <Text className='vf__missing'>请填写移出原因（至少 2 个字）</Text> : null}
          </View>
        }
        confirmText='确定移出'
        cancelText='取消'
        onCancel={() => setEnding(false)}
        onConfirm={() => void endSpecial()}
      />
    </PageShell>
  )
}
