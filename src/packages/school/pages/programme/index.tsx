import { Text, Textarea, View } from '@tarojs/components'
import Taro, { usePullDownRefresh } from '@tarojs/taro'
import { Button, Dialog, Input } from '@nutui/nutui-react-taro'
import { useEffect, useState } from 'react'
import { openUploaded, pickAndUploadFiles, type PickKind } from '@/api/files'
import { programmeApi } from '@/api/programme'
import { PageShell } from '@/components/PageShell'
import { EmptyState, Flash, Loading, Notice, Section } from '@/components/ui'
import { formatDate, formatDateTime } from '@/shared/calendar'
import type { ApplicationDetail, ApplicationSummary, EvidenceView, HistoryEntry, RoundView } from '@/shared/contract-programme'
import { AppError } from '@/shared/errors'
import {
  HOLDS_TITLE,
  IN_PROGRESS,
  LIMITS,
  STANDARD_ITEMS,
  STANDARD_SECTIONS,
  STANDARD_TOTAL,
  STATUS_HINTS,
  STATUS_LABELS,
  STATUS_TONES,
  TRANSITIONS,
  evidenceFolder,
  evidenceKind,
  type ApplicationStatus
} from '@/shared/programme'
import { errorText, useOutcome } from '@/store/useOutcome'
import { useAsync } from '@/store/useAsync'
import './index.scss'

interface Form {
  roundId: string
  roundName: string
  /** editing the submitted application rather than applying */
  editing: boolean
  leaderName: string
  phone: string
  basis: string
  goals: string
  plan: string
}
type Draft = Record<string, { score: string; note: string; evidence: EvidenceView[] }>

function StatusBadge({ status }: { status: ApplicationStatus }) {
  return <Text className={`sp__badge sp__badge--${STATUS_TONES[status]}`}>{STATUS_LABELS[status]}</Text>
}

function History({ entries }: { entries: HistoryEntry[] }) {
  return (
    <View className='sp__history'>
      {[...entries].reverse().map((h, i) => (
        <View key={`${h.at}-${i}`} className='sp__event'>
          <Text className='sp__event-title'>{TRANSITIONS[h.step].label}</Text>
          <Text className='gy-muted'>
            {formatDateTime(h.at)} · {h.byRole === 'bureau' ? `县教育局 · ${h.byName}` : h.byName}
          </Text>
          {h.note ? <Text className='sp__event-note'>{h.note}</Text> : null}
        </View>
      ))}
    </View>
  )
}

const draftOf = (app: ApplicationDetail | null): Draft => {
  const d: Draft = {}
  for (const i of app?.selfAssessment?.items ?? []) d[i.key] = { score: i.score === null ? '' : String(i.score), note: i.note, evidence: i.evidence }
  return d
}

/** The draft as the server takes it; a score that is not a whole number within the item's points is refused here. */
function itemsOf(draft: Draft) {
  const items: Array<{ key: string; score: number | null; note: string; evidence: Array<{ fileID: string; name: string }> }> = []
  for (const def of STANDARD_ITEMS) {
    const d = draft[def.key]
    if (!d) continue
    const raw = d.score.trim()
    const score = raw === '' ? null : Number(raw)
    if (score !== null && (!Number.isInteger(score) || score < 0 || score > def.points)) {
      throw new AppError('INVALID_INPUT', `「${def.title}」的得分应为 0–${def.points} 的整数`)
    }
    if (score === null && !d.note.trim() && !d.evidence.length) continue
    items.push({ key: def.key, score, note: d.note.trim(), evidence: d.evidence.map((e) => ({ fileID: e.fileID, name: e.name })) })
  }
  return items
}

const draftTotal = (draft: Draft) => Object.values(draft).reduce((n, d) => n + (d.score.trim() && Number.isFinite(Number(d.score)) ? Number(d.score) : 0), 0)

/** School admin: the 示范校 programme — rounds, the 申报表, the application's status and history, the self-assessment. */
export default function SchoolProgrammePage() {
  const rounds = useAsync(() => programmeApi.listRounds())
  const [picked, setPicked] = useState<string | null>(null)
  const mine = (rounds.data?.rounds ?? []).map((r) => r.mine).filter((a): a is ApplicationSummary => a !== null)
  const current = picked ?? (mine.find((a) => IN_PROGRESS.includes(a.status) || HOLDS_TITLE.includes(a.status)) ?? mine[0])?.applicationId ?? null
  const detail = useAsync(async () => (current ? programmeApi.getApplication(current) : null), [current])
  const [form, setForm] = useState<Form | null>(null)
  const [draft, setDraft] = useState<Draft>({})
  const [open, setOpen] = useState<string | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const [confirmSubmit, setConfirmSubmit] = useState(false)
  const [showHistory, setShowHistory] = useState(false)
  const { message, setMessage, run } = useOutcome()
  usePullDownRefresh(() => void Promise.all([rounds.reload(), detail.reload()]).finally(() => Taro.stopPullDownRefresh()))

  const app = detail.data
  useEffect(() => setDraft(draftOf(app)), [app])
  const school = rounds.data?.school ?? null
  const show = (a: ApplicationDetail) => {
    setPicked(a.applicationId)
    detail.setData(a)
  }

  function openForm(value: Form) {
    setForm(value)
    void Taro.pageScrollTo({ scrollTop: 0, duration: 200 }).catch(() => undefined)
  }

  async function submitForm() {
    if (!form) return
    const f = form
    setBusy('form')
    const ok = await run(
      async () => show(await programmeApi.apply({ roundId: f.roundId, leaderName: f.leaderName, phone: f.phone, basis: f.basis, goals: f.goals, plan: f.plan })),
      f.editing ? '申报表已修改' : '申报表已提交，等待县教育局受理',
      rounds.reload
    )
    setBusy(null)
    if (ok) setForm(null)
  }

  async function saveDraft(next: Draft, done: string) {
    if (!app) return false
    return run(async () => show(await programmeApi.saveSelfAssessment({ applicationId: app.applicationId, items: itemsOf(next) })), done)
  }

  async function addEvidence(key: string, kind: PickKind) {
    if (!app || !school) return
    const d = draft[key] ?? { score: '', note: '', evidence: [] }
    const room = LIMITS.evidencePerItem - d.evidence.length
    if (room <= 0) {
      setMessage({ tone: 'warn', text: `每项最多上传 ${LIMITS.evidencePerItem} 个佐证材料` })
      return
    }
    setBusy(key)
    try {
      const files = await pickAndUploadFiles(evidenceFolder(school.schoolId), kind, room)
      const added = files.map((f) => ({ ...f, kind: evidenceKind(f.name) ?? 'document', tempFileURL: '' }))
      const next = { ...draft, [key]: { ...d, evidence: [...d.evidence, ...added] } }
      setDraft(next)
      // Saved at once: an upload is never lost when the page is left before saving.
      await saveDraft(next, `已上传 ${files.length} 个材料并保存到草稿`)
    } catch (e) {
      setMessage({ tone: 'warn', text: errorText(e) })
    } finally {
      setBusy(null)
    }
  }

  function removeEvidence(key: string, fileID: string) {
    const d = draft[key]
    if (!d) return
    const next = { ...draft, [key]: { ...d, evidence: d.evidence.filter((e) => e.fileID !== fileID) } }
    setDraft(next)
    void saveDraft(next, '已删除该材料')
  }

  function openEvidence(e: EvidenceView) {
    openUploaded(e).catch((err: unknown) => setMessage({ tone: 'warn', text: errorText(err) }))
  }

  async function submitSelf() {
    if (!app) return
    setConfirmSubmit(false)
    setBusy('submit')
    await run(
      async () => show(await programmeApi.submitSelfAssessment({ applicationId: app.applicationId, items: itemsOf(draft) })),
      '自查自评已提交，等待县教育局组织专家评估',
      rounds.reload
    )
    setBusy(null)
  }

  const setItem = (key: string, patch: Partial<Draft[string]>) => setDraft({ ...draft, [key]: { ...(draft[key] ?? { score: '', note: '', evidence: [] }), ...patch } })

  if (rounds.loading && !rounds.data) return <PageShell><Loading /></PageShell>
  if (rounds.error && !rounds.data) {
    return (
      <PageShell className='sp'>
        <Notice tone='warn'>{rounds.error.message}</Notice>
        <Button type='primary' size='large' block onClick={() => void rounds.reload()}>
          重试
        </Button>
      </PageShell>
    )
  }
  const roundList: RoundView[] = rounds.data?.rounds ?? []
  const editable = app?.status === 'creating'
  const scoredCount = Object.values(draft).filter((d) => d.score.trim() !== '').length

  return (
    <PageShell className='sp'>
      <Flash message={message} />
      {detail.error ? <Notice tone='warn'>{detail.error.message}</Notice> : null}

      {form ? (
        <Section title={form.editing ? '修改申报表' : '示范学校建设申报表'}>
          <View className='sp__form'>
            <Text className='gy-muted'>{form.roundName}</Text>
            <View className='sp__readonly'>
              <Text>学校名称：{school?.name ?? ''}</Text>
              <Text>所属学区：{school?.district ?? ''}</Text>
              <Text>学校类型：{school?.type ?? ''}</Text>
            </View>
            <Text className='sp__label'>负责人姓名</Text>
            <Input className='sp__input sp__input--leader' placeholder='校长或分管副校长' value={form.leaderName} maxLength={LIMITS.leaderName} onChange={(v) => setForm({ ...form, leaderName: String(v) })} />
            <Text className='sp__label'>联系电话</Text>
            <Input className='sp__input sp__input--phone' type='tel' placeholder='手机号或带区号的固定电话' value={form.phone} maxLength={13} onChange={(v) => setForm({ ...form, phone: String(v) })} />
            <Text className='sp__label'>创建基础（现有工作基础）</Text>
            <Textarea className='sp__textarea sp__textarea--basis' placeholder='家长学校、家委会、家访、开放办学等方面已有的工作基础' value={form.basis} maxlength={LIMITS.basis} onInput={(e) => setForm({ ...form, basis: e.detail.value })} />
            <Text className='sp__count'>{form.basis.length}/{LIMITS.basis}</Text>
            <Text className='sp__label'>创建目标</Text>
            <Textarea className='sp__textarea sp__textarea--goals' placeholder='一年创建期内要达到的目标' value={form.goals} maxlength={LIMITS.goals} onInput={(e) => setForm({ ...form, goals: e.detail.value })} />
            <Text className='sp__count'>{form.goals.length}/{LIMITS.goals}</Text>
            <Text className='sp__label'>一校一案：特色做法与实施路径</Text>
            <Textarea className='sp__textarea sp__textarea--plan' placeholder='本校的特色做法、实施路径与措施' value={form.plan} maxlength={LIMITS.plan} onInput={(e) => setForm({ ...form, plan: e.detail.value })} />
            <Text className='sp__count'>{form.plan.length}/{LIMITS.plan}</Text>
            <Button type='primary' size='large' block loading={busy === 'form'} disabled={busy === 'form'} onClick={() => void submitForm()}>
              {form.editing ? '保存修改' : '提交申报'}
            </Button>
            <Button size='large' block disabled={busy === 'form'} onClick={() => setForm(null)}>
              取消
            </Button>
          </View>
        </Section>
      ) : null}

      {current ? (
        <Section title='本校申报'>
          {detail.loading && !app ? <Loading /> : null}
          {app ? (
            <View className='sp__card'>
              <View className='sp__head'>
                <Text className='sp__title'>{app.roundName}</Text>
                <StatusBadge status={app.status} />
              </View>
              <Text className='sp__hint'>{STATUS_HINTS[app.status]}</Text>
              <View className='sp__facts'>
                <Text>申报时间：{formatDate(app.submittedAt)}</Text>
                {app.acceptedAt ? <Text>受理时间：{formatDate(app.acceptedAt)}</Text> : null}
                {app.creationEndsAt && app.status === 'creating' ? <Text>创建期满：{formatDate(app.creationEndsAt)}</Text> : null}
                {app.selfTotal !== null ? <Text>自评总分：{app.selfTotal} 分</Text> : null}
                {app.expertTotal !== null ? <Text>专家评分：{app.expertTotal} 分</Text> : null}
                {app.certifiedAt ? <Text>认定时间：{formatDate(app.certifiedAt)}</Text> : null}
                {app.rectifyDeadline ? <Text className='sp__warn'>整改期限：{app.rectifyDeadline}</Text> : null}
                {app.revokedAt ? <Text>撤销时间：{formatDate(app.revokedAt)}</Text> : null}
              </View>
              {app.declineReason ? <Notice tone='warn'>不予受理的原因：{app.declineReason}</Notice> : null}
              {app.evaluation ? <Notice tone={app.evaluation.result === 'pass' ? 'info' : 'warn'}>专家评估意见：{app.evaluation.comment}</Notice> : null}
              {app.rechecks[0] ? <Notice tone={app.rechecks[0].result === 'pass' ? 'info' : 'warn'}>最近复查（{formatDate(app.rechecks[0].at)}）：{app.rechecks[0].comment}</Notice> : null}
              {app.status === 'submitted' ? (
                <Button
                  block
                  onClick={() => openForm({ roundId: app.roundId, roundName: app.roundName, editing: true, leaderName: app.leaderName, phone: app.phone, basis: app.basis, goals: app.goals, plan: app.plan })}
                >
                  修改申报表
                </Button>
              ) : null}
              <Text className='sp__toggle' onClick={() => setShowHistory(!showHistory)}>
                {showHistory ? '收起办理记录' : `办理记录（${app.history.length}）`}
              </Text>
              {showHistory ? <History entries={app.history} /> : null}
            </View>
          ) : null}
        </Section>
      ) : null}

      {app && (editable || app.selfAssessment) ? (
        <Section title={editable ? '自查自评（对照认定标准）' : '自查自评'} extra={<Text className='sp__total'>{editable ? draftTotal(draft) : (app.selfTotal ?? app.selfAssessment?.total ?? 0)}/{STANDARD_TOTAL} 分</Text>}>
          {editable ? (
            <View className='sp__intro'>
              <Text>
                一年创建期满{app.creationEndsAt ? `（${formatDate(app.creationEndsAt)}）` : ''}后，逐项自评打分、写明情况并上传佐证材料（图片或文档），全部评分后提交。草稿随时保存在云端。
              </Text>
              <Text className='gy-muted'>已评分 {scoredCount}/{STANDARD_ITEMS.length} 项</Text>
            </View>
          ) : null}
          {STANDARD_SECTIONS.map((sec) => (
            <View key={sec.key} className='sp__section'>
              <Text className='sp__section-title'>{sec.title}</Text>
              {STANDARD_ITEMS.filter((i) => i.section === sec.key).map((def) => {
                const d = draft[def.key]
                const saved = app.selfAssessment?.items.find((i) => i.key === def.key)
                const expert = app.evaluation?.items.find((i) => i.key === def.key)
                const expanded = open === def.key
                const evidence = editable ? (d?.evidence ?? []) : (saved?.evidence ?? [])
                const shown = editable ? (d?.score.trim() ? d.score.trim() : null) : (saved?.score ?? null)
                return (
                  <View key={def.key} className={`sp__item sp__item--${def.key}`}>
                    <View className='sp__item-row' onClick={() => setOpen(expanded ? null : def.key)}>
                      <View className='sp__item-name'>
                        <Text className='sp__item-title'>
                          {def.title}
                          {def.veto ? <Text className='sp__veto'>一票否决</Text> : null}
                        </Text>
                        <Text className='gy-muted'>
                          满分 {def.points} 分 · 材料 {evidence.length} 个{expert ? ` · 专家 ${expert.score} 分` : ''}
                        </Text>
                      </View>
                      <Text className={`sp__item-score${shown === null ? ' sp__item-score--none' : ''}`}>{shown === null ? '未评' : `${shown} 分`}</Text>
                    </View>
                    {expanded ? (
                      <View className='sp__item-body'>
                        <Text className='sp__requirement'>{def.requirement}</Text>
                        <Text className='gy-muted'>佐证材料：{def.evidence}</Text>
                        {editable ? (
                          <>
                            <Text className='sp__label'>自评得分（0–{def.points}）</Text>
                            <Input className={`sp__input sp__score sp__score--${def.key}`} type='number' placeholder={`0–${def.points}`} value={d?.score ?? ''} maxLength={3} onChange={(v) => setItem(def.key, { score: String(v) })} />
                            <Text className='sp__label'>情况说明</Text>
                            <Textarea className={`sp__textarea sp__textarea--small sp__note--${def.key}`} placeholder='做了什么、效果如何' value={d?.note ?? ''} maxlength={LIMITS.itemNote} onInput={(e) => setItem(def.key, { note: e.detail.value })} />
                          </>
                        ) : saved?.note ? (
                          <Text className='sp__note'>情况说明：{saved.note}</Text>
                        ) : null}
                        {evidence.map((e) => (
                          <View key={e.fileID} className='sp__file'>
                            <Text className='sp__file-name' onClick={() => openEvidence(e)}>
                              {e.kind === 'image' ? '【图片】' : '【文档】'}
                              {e.name}
                            </Text>
                            {editable ? (
                              <Text className='sp__file-remove' onClick={() => removeEvidence(def.key, e.fileID)}>
                                删除
                              </Text>
                            ) : null}
                          </View>
                        ))}
                        {editable ? (
                          <View className='sp__buttons'>
                            <Button size='small' loading={busy === def.key} disabled={busy !== null} onClick={() => void addEvidence(def.key, 'image')}>
                              上传图片
                            </Button>
                            <Button size='small' disabled={busy !== null} onClick={() => void addEvidence(def.key, 'document')}>
                              上传文档
                            </Button>
                          </View>
                        ) : null}
                      </View>
                    ) : null}
                  </View>
                )
              })}
            </View>
          ))}
          {editable ? (
            <View className='sp__form'>
              <Button size='large' block disabled={busy !== null} onClick={() => void saveDraft(draft, '草稿已保存')}>
                保存草稿
              </Button>
              <Button type='primary' size='large' block loading={busy === 'submit'} disabled={busy !== null} onClick={() => setConfirmSubmit(true)}>
                提交自查自评
              </Button>
            </View>
          ) : null}
        </Section>
      ) : null}

      <Section title='创建批次'>
        {roundList.length === 0 ? <EmptyState icon='示' title='县教育局还没有开启创建批次' description='开启后可在这里填写申报表。' /> : null}
        {roundList.map((r) => (
          <View key={r.roundId} className='sp__round'>
            <View className='sp__head'>
              <Text className='sp__title'>{r.name}</Text>
              <Text className={`sp__badge sp__badge--${r.open ? 'green' : 'grey'}`}>{r.open ? '申报中' : '已截止'}</Text>
            </View>
            <Text className='gy-muted'>
              {r.year} 年度 · 申报截止 {r.deadline}
            </Text>
            {r.notes ? <Text className='sp__notes'>{r.notes}</Text> : null}
            {r.mine ? (
              <View className='sp__mine' onClick={() => setPicked(r.mine?.applicationId ?? null)}>
                <Text>本校已申报：</Text>
                <StatusBadge status={r.mine.status} />
                {r.mine.applicationId !== current ? <Text className='sp__link'>查看</Text> : null}
              </View>
            ) : r.canApply ? (
              <Button
                type='primary'
                block
                onClick={() => openForm({ roundId: r.roundId, roundName: r.name, editing: false, leaderName: '', phone: '', basis: '', goals: '', plan: '' })}
              >
                填写申报表
              </Button>
            ) : r.blockedReason ? (
              <Text className='gy-muted'>{r.blockedReason}</Text>
            ) : null}
          </View>
        ))}
      </Section>

      <Dialog
        visible={confirmSubmit}
        title='提交自查自评？'
        content={
          <Text>
            自评总分 {draftTotal(draft)} 分（已评 {scoredCount}/{STANDARD_ITEMS.length} 项）。提交后不能再修改，县教育局将组织专家实地评估认定。
          </Text>
        }
        confirmText='确定提交'
        cancelText='再检查一下'
        onCancel={() => setConfirmSubmit(false)}
        onConfirm={() => void submitSelf()}
      />
    </PageShell>
  )
}
