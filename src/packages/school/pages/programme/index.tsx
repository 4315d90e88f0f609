import { Text, Textarea, View } from '@tarojs/components'
import Taro, { useDidHide, usePullDownRefresh, useUnload } from '@tarojs/taro'
import { Button, Dialog, Input } from '@nutui/nutui-react-taro'
import { useEffect, useRef, useState } from 'react'
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
  selfAssessmentTooEarly,
  unscoredItems,
  unscoredRefusal,
  vetoFailures,
  type ApplicationStatus
} from '@/shared/programme'
import { PAGES } from '@/store/route'
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
type DraftItem = { score: string; note: string; evidence: EvidenceView[] }
type Draft = Record<string, DraftItem>
const EMPTY_ITEM: DraftItem = { score: '', note: '', evidence: [] }

/** The draft is saved this long after the last edit (an upload or a removal is saved at once). */
const AUTOSAVE_DELAY = 1500

/** Where the draft stands against the cloud, shown next to what is being edited. */
type SaveState =
  | { kind: 'idle' }
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: number }
  /** the draft cannot be saved as it is (a score out of range): nothing is sent until it is corrected */
  | { kind: 'invalid'; text: string }
  | { kind: 'failed'; text: string }

/** How a save ended: `check` failures are the phone's own (nothing was sent), `server` ones the cloud's. */
type SaveResult = { ok: true } | { ok: false; stage: 'check' | 'server'; error: AppError }

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

/** Back to where the user came from; opened by a link with nothing to go back to: the launch page. */
function leave() {
  if (Taro.getCurrentPages().length > 1) void Taro.navigateBack().catch(() => Taro.reLaunch({ url: PAGES.launch }))
  else void Taro.reLaunch({ url: PAGES.launch })
}

/** WeChat asks before leaving while edits cannot be saved (not every platform has it: then nothing happens). */
function alertBeforeLeaving(on: boolean) {
  if (process.env.TARO_ENV !== 'weapp') return
  try {
    if (on && typeof Taro.enableAlertBeforeUnload === 'function') Taro.enableAlertBeforeUnload({ message: '自查自评有修改还没有保存，离开后将丢失。确定离开吗？' })
    if (!on && typeof Taro.disableAlertBeforeUnload === 'function') Taro.disableAlertBeforeUnload()
  } catch {
    // not supported here
  }
}

const draftOf = (app: ApplicationDetail | null): Draft => {
  const d: Draft = {}
  for (const i of app?.selfAssessment?.items ?? []) d[i.key] = { score: i.score === null ? '' : String(i.score), note: i.note, evidence: i.evidence }
  return d
}

/** The draft with the links of files the cloud now knows (a fresh upload has none until it is saved). */
function withLinks(draft: Draft, app: ApplicationDetail): Draft {
  const urls = new Map((app.selfAssessment?.items ?? []).flatMap((i) => i.evidence.map((e) => [e.fileID, e.tempFileURL] as const)))
  const out: Draft = {}
  for (const [key, d] of Object.entries(draft)) out[key] = { ...d, evidence: d.evidence.map((e) => (e.tempFileURL ? e : { ...e, tempFileURL: urls.get(e.fileID) ?? '' })) }
  return out
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

/** A veto item scored 0 rules certification out: said before submitting. */
function vetoWarning(draft: Draft): string {
  const zero = vetoFailures(STANDARD_ITEMS.map((d) => ({ key: d.key, score: draft[d.key]?.score.trim() === '0' ? 0 : null })))
  return zero.length ? `注意：${zero.map((d) => `「${d.title}」`).join('、')}是一票否决项，自评 0 分将不能通过认定。` : ''
}

const draftTotal = (draft: Draft) => Object.values(draft).reduce((n, d) => n + (d.score.trim() && Number.isFinite(Number(d.score)) ? Number(d.score) : 0), 0)
const sameForm = (a: Form, b: Form) => a.leaderName === b.leaderName && a.phone === b.phone && a.basis === b.basis && a.goals === b.goals && a.plan === b.plan
const asAppError = (e: unknown) => (e instanceof AppError ? e : new AppError('INTERNAL_ERROR'))

function saveStateText(s: SaveState, savedAt: number | null): string {
  switch (s.kind) {
    case 'pending':
      return '有修改，稍后自动保存…'
    case 'saving':
      return '保存中…'
    case 'saved':
      return `已自动保存（${formatDateTime(s.at).slice(11)}）`
    case 'invalid':
      return `未保存：${s.text}`
    case 'failed':
      return `自动保存失败：${s.text}`
    default:
      return savedAt ? `草稿已保存于 ${formatDateTime(savedAt)}` : '填写的内容会自动保存为草稿'
  }
}

/** School admin: the 示范校 programme — rounds, the 申报表, the application's status and history, the self-assessment. */
export default function SchoolProgrammePage() {
  const rounds = useAsync(() => programmeApi.listRounds())
  const [picked, setPicked] = useState<string | null>(null)
  const mine = (rounds.data?.rounds ?? []).map((r) => r.mine).filter((a): a is ApplicationSummary => a !== null)
  const current = picked ?? (mine.find((a) => IN_PROGRESS.includes(a.status) || HOLDS_TITLE.includes(a.status)) ?? mine[0])?.applicationId ?? null
  const detail = useAsync(async () => (current ? programmeApi.getApplication(current) : null), [current])
  const [form, setForm] = useState<Form | null>(null)
  const [formStart, setFormStart] = useState<Form | null>(null)
  const [confirmDiscard, setConfirmDiscard] = useState(false)
  const [draft, setDraftState] = useState<Draft>({})
  const [open, setOpen] = useState<string | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const [confirmSubmit, setConfirmSubmit] = useState(false)
  const [showHistory, setShowHistory] = useState(false)
  const [saveState, setSaveState] = useState<SaveState>({ kind: 'idle' })
  const { message, setMessage, run } = useOutcome()
  usePullDownRefresh(() => void Promise.all([rounds.reload(), detail.reload()]).finally(() => Taro.stopPullDownRefresh()))

  // The draft as typed (the source of truth for saving), and how far the cloud has it: `edits` counts changes made
  // on the phone, `savedEdits` how many of them the last successful save included.
  const draftRef = useRef<Draft>({})
  const edits = useRef(0)
  const savedEdits = useRef(0)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const inFlight = useRef<Promise<unknown> | null>(null)
  /** savedAt of the application our own last save answered with: reloading it must not replace what is typed */
  const ownSave = useRef<number | null>(null)
  const unsaved = () => edits.current !== savedEdits.current

  const app = detail.data
  const appRef = useRef(app)
  appRef.current = app
  /** the application the draft belongs to */
  const draftFor = useRef<string | null>(null)
  const setDraft = (next: Draft) => {
    draftRef.current = next
    setDraftState(next)
  }
  useEffect(() => {
    if (!app) return
    if (app.applicationId !== draftFor.current) {
      draftFor.current = app.applicationId
      savedEdits.current = edits.current
      setDraft(draftOf(app))
      return
    }
    const fromOwnSave = ownSave.current !== null && app.selfAssessment?.savedAt === ownSave.current
    // Edits not yet in the cloud are never overwritten by what the cloud sends back; only links are filled in.
    setDraft(fromOwnSave || unsaved() ? withLinks(draftRef.current, app) : draftOf(app))
  }, [app]) // eslint-disable-line react-hooks/exhaustive-deps
  const school = rounds.data?.school ?? null
  const show = (a: ApplicationDetail) => {
    setPicked(a.applicationId)
    detail.setData(a)
  }
  /** Another application of the school: what is typed in this one is saved first. */
  const pick = (applicationId: string) => void saveNow().then(() => setPicked(applicationId))

  /** Saves the draft now if it has edits the cloud does not have yet (after any save in flight). */
  async function saveNow(): Promise<SaveResult> {
    if (timer.current) {
      clearTimeout(timer.current)
      timer.current = null
    }
    while (inFlight.current) await inFlight.current.catch(() => undefined)
    const target = appRef.current
    if (!target || target.applicationId !== draftFor.current || target.status !== 'creating' || !unsaved()) return { ok: true }
    const upTo = edits.current
    let items: ReturnType<typeof itemsOf>
    try {
      items = itemsOf(draftRef.current)
    } catch (e) {
      const error = asAppError(e)
      setSaveState({ kind: 'invalid', text: error.message })
      return { ok: false, stage: 'check', error }
    }
    setSaveState({ kind: 'saving' })
    const call = programmeApi.saveSelfAssessment({ applicationId: target.applicationId, items })
    inFlight.current = call
    try {
      const saved = await call
      savedEdits.current = Math.max(savedEdits.current, upTo)
      ownSave.current = saved.selfAssessment?.savedAt ?? null
      detail.setData(saved)
      setSaveState(unsaved() ? { kind: 'pending' } : { kind: 'saved', at: saved.selfAssessment?.savedAt ?? Date.now() })
      if (unsaved()) scheduleSave()
      return { ok: true }
    } catch (e) {
      const error = asAppError(e)
      setSaveState({ kind: 'failed', text: error.message })
      return { ok: false, stage: 'server', error }
    } finally {
      inFlight.current = null
    }
  }

  function scheduleSave() {
    if (timer.current) clearTimeout(timer.current)
    setSaveState({ kind: 'pending' })
    timer.current = setTimeout(() => {
      timer.current = null
      void saveNow()
    }, AUTOSAVE_DELAY)
  }

  /** A change typed on the phone: kept in the draft and saved shortly after the last one. */
  function edit(next: Draft) {
    setDraft(next)
    edits.current += 1
    scheduleSave()
  }

  // Leaving the page (back, another page, the app to the background) saves what is typed at once.
  useDidHide(() => void saveNow())
  useUnload(() => {
    void saveNow()
    alertBeforeLeaving(false)
  })
  // What cannot be saved automatically (a wrong score, no network) is not lost without a question.
  const stuck = saveState.kind === 'invalid' || saveState.kind === 'failed'
  useEffect(() => alertBeforeLeaving(stuck), [stuck])
  useEffect(() => {
    if (process.env.TARO_ENV !== 'h5') return
    const warn = (e: BeforeUnloadEvent) => {
      if (!unsaved()) return
      e.preventDefault()
      e.returnValue = ''
    }
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, []) // eslint-disable-line react-hooks/exhaustive-deps

  function openForm(value: Form) {
    setForm(value)
    setFormStart(value)
    void Taro.pageScrollTo({ scrollTop: 0, duration: 200 }).catch(() => undefined)
  }

  /** 取消: typed text is dropped only after the user says so. */
  function cancelForm() {
    if (form && formStart && !sameForm(form, formStart)) setConfirmDiscard(true)
    else setForm(null)
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

  async function saveDraftNow() {
    setBusy('save')
    setMessage(null)
    const res = await saveNow()
    setBusy(null)
    setMessage(res.ok ? { tone: 'info', text: '草稿已保存' } : { tone: 'warn', text: res.error.message })
  }

  async function addEvidence(key: string, kind: PickKind) {
    if (!app || !school) return
    const room = LIMITS.evidencePerItem - (draftRef.current[key] ?? EMPTY_ITEM).evidence.length
    if (room <= 0) {
      setMessage({ tone: 'warn', text: `每项最多上传 ${LIMITS.evidencePerItem} 个佐证材料` })
      return
    }
    setBusy(key)
    setMessage(null)
    try {
      // A file that is not an image or a document is refused before it is uploaded (never added to the draft).
      const files = await pickAndUploadFiles(evidenceFolder(school.schoolId), kind, room)
      const added: EvidenceView[] = files.map((f) => ({ ...f, kind: evidenceKind(f.name) ?? 'document', tempFileURL: '' }))
      const d = draftRef.current[key] ?? EMPTY_ITEM
      setDraft({ ...draftRef.current, [key]: { ...d, evidence: [...d.evidence, ...added] } })
      edits.current += 1
      // Saved at once: an upload is never lost when the page is left before saving.
      const res = await saveNow()
      if (res.ok) {
        setMessage({ tone: 'info', text: `已上传 ${files.length} 个材料并保存到草稿` })
      } else if (res.stage === 'server' && res.error.code === 'INVALID_INPUT') {
        // The cloud refused the files: they leave the draft, so they cannot block every later save.
        const refused = new Set(added.map((f) => f.fileID))
        const now = draftRef.current[key] ?? EMPTY_ITEM
        edit({ ...draftRef.current, [key]: { ...now, evidence: now.evidence.filter((e) => !refused.has(e.fileID)) } })
        setMessage({ tone: 'warn', text: `${res.error.message}（该材料未保存）` })
      } else {
        setMessage({ tone: 'warn', text: `材料已上传，但草稿暂未保存：${res.error.message}` })
      }
    } catch (e) {
      setMessage({ tone: 'warn', text: errorText(e) })
    } finally {
      setBusy(null)
    }
  }

  async function removeEvidence(key: string, fileID: string) {
    const d = draftRef.current[key]
    if (!d) return
    setDraft({ ...draftRef.current, [key]: { ...d, evidence: d.evidence.filter((e) => e.fileID !== fileID) } })
    edits.current += 1
    const res = await saveNow()
    setMessage(res.ok ? { tone: 'info', text: '已删除该材料' } : { tone: 'warn', text: res.error.message })
  }

  function openEvidence(e: EvidenceView) {
    openUploaded(e).catch((err: unknown) => setMessage({ tone: 'warn', text: errorText(err) }))
  }

  /** Everything that can be checked on the phone is checked before the confirmation is asked for. */
  function askSubmit() {
    if (!app) return
    const early = selfAssessmentTooEarly(app.acceptedAt, Date.now())
    if (early) return setMessage({ tone: 'warn', text: early })
    let items: ReturnType<typeof itemsOf>
    try {
      items = itemsOf(draftRef.current)
    } catch (e) {
      return setMessage({ tone: 'warn', text: errorText(e) })
    }
    const missing = unscoredRefusal(items)
    if (missing) {
      setOpen(unscoredItems(items)[0]?.key ?? null)
      return setMessage({ tone: 'warn', text: missing })
    }
    setMessage(null)
    setConfirmSubmit(true)
  }

  async function submitSelf() {
    if (!app) return
    setConfirmSubmit(false)
    setBusy('submit')
    if (timer.current) {
      clearTimeout(timer.current)
      timer.current = null
    }
    while (inFlight.current) await inFlight.current.catch(() => undefined)
    const upTo = edits.current
    const ok = await run(
      async () => {
        const submitted = await programmeApi.submitSelfAssessment({ applicationId: app.applicationId, items: itemsOf(draftRef.current) })
        savedEdits.current = Math.max(savedEdits.current, upTo)
        setSaveState({ kind: 'idle' })
        show(submitted)
      },
      '自查自评已提交，等待县教育局组织专家评估',
      rounds.reload
    )
    if (!ok && unsaved()) scheduleSave()
    setBusy(null)
  }

  const setItem = (key: string, patch: Partial<DraftItem>) => edit({ ...draftRef.current, [key]: { ...(draftRef.current[key] ?? EMPTY_ITEM), ...patch } })

  /** A score is a whole number within the item's points: more is capped (and said), so the draft always saves. */
  function setScore(def: { key: string; title: string; points: number }, typed: string) {
    const digits = typed.replace(/\D/g, '').slice(0, 3)
    if (digits !== '' && Number(digits) > def.points) {
      setItem(def.key, { score: String(def.points) })
      setMessage({ tone: 'warn', text: `「${def.title}」满分 ${def.points} 分，已按 ${def.points} 分记` })
      return
    }
    setItem(def.key, { score: digits === '' ? '' : String(Number(digits)) })
  }

  if (rounds.loading && !rounds.data) return <PageShell><Loading /></PageShell>
  if (rounds.error?.code === 'PERMISSION_DENIED' || (rounds.data && rounds.data.viewer !== 'school')) {
    return (
      <PageShell className='sp'>
        <View className='sp__denied'>
          <EmptyState icon='限' title='仅学校管理员可以申报示范校创建' />
          <Button type='primary' size='large' block onClick={leave}>
            返回
          </Button>
        </View>
      </PageShell>
    )
  }
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
  const tooEarly = app && editable ? selfAssessmentTooEarly(app.acceptedAt, Date.now()) : null
  const saveText = saveStateText(saveState, app?.selfAssessment?.savedAt ?? null)
  const saveLine = (
    <Text className={`sp__autosave sp__autosave--${saveState.kind}`}>
      {saveText}
      {saveState.kind === 'failed' ? (
        <Text className='sp__link' onClick={() => void saveNow()}>
          {' '}重试
        </Text>
      ) : null}
    </Text>
  )

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
            <Textarea className='sp__textarea sp__textarea--basis' autoHeight placeholder='家长学校、家委会、家访、开放办学等方面已有的工作基础' value={form.basis} maxlength={LIMITS.basis} onInput={(e) => setForm({ ...form, basis: e.detail.value })} />
            <Text className='sp__count'>{form.basis.length}/{LIMITS.basis}</Text>
            <Text className='sp__label'>创建目标</Text>
            <Textarea className='sp__textarea sp__textarea--goals' autoHeight placeholder='一年创建期内要达到的目标' value={form.goals} maxlength={LIMITS.goals} onInput={(e) => setForm({ ...form, goals: e.detail.value })} />
            <Text className='sp__count'>{form.goals.length}/{LIMITS.goals}</Text>
            <Text className='sp__label'>一校一案：特色做法与实施路径</Text>
            <Textarea className='sp__textarea sp__textarea--plan' autoHeight placeholder='本校的特色做法、实施路径与措施' value={form.plan} maxlength={LIMITS.plan} onInput={(e) => setForm({ ...form, plan: e.detail.value })} />
            <Text className='sp__count'>{form.plan.length}/{LIMITS.plan}</Text>
            <Button type='primary' size='large' block loading={busy === 'form'} disabled={busy === 'form'} onClick={() => void submitForm()}>
              {form.editing ? '保存修改' : '提交申报'}
            </Button>
            <Button className='sp__cancel' size='large' block disabled={busy === 'form'} onClick={cancelForm}>
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
                一年创建期满{app.creationEndsAt ? `（${formatDate(app.creationEndsAt)}）` : ''}后，逐项自评打分、写明情况并上传佐证材料（图片或文档），全部评分后提交。创建期内可以随时填写，修改会自动保存为草稿。
              </Text>
              <Text className='gy-muted'>已评分 {scoredCount}/{STANDARD_ITEMS.length} 项</Text>
              {saveLine}
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
                            <Input className={`sp__input sp__score sp__score--${def.key}`} type='number' placeholder={`0–${def.points}`} value={d?.score ?? ''} maxLength={3} onChange={(v) => setScore(def, String(v))} />
                            <Text className='sp__label'>情况说明</Text>
                            <Textarea className={`sp__textarea sp__textarea--small sp__note--${def.key}`} autoHeight placeholder='做了什么、效果如何' value={d?.note ?? ''} maxlength={LIMITS.itemNote} onInput={(e) => setItem(def.key, { note: e.detail.value })} />
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
                              <Text className='sp__file-remove' onClick={() => void removeEvidence(def.key, e.fileID)}>
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
                        {editable ? saveLine : null}
                      </View>
                    ) : null}
                  </View>
                )
              })}
            </View>
          ))}
          {editable ? (
            <View className='sp__form'>
              {tooEarly ? <Text className='sp__early'>{tooEarly}</Text> : null}
              <Button size='large' block loading={busy === 'save'} disabled={busy !== null} onClick={() => void saveDraftNow()}>
                保存草稿
              </Button>
              <Button type='primary' size='large' block loading={busy === 'submit'} disabled={busy !== null} onClick={askSubmit}>
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
              <View className='sp__mine' onClick={() => r.mine && pick(r.mine.applicationId)}>
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
            自评总分 {draftTotal(draft)} 分（{STANDARD_ITEMS.length} 项已全部评分）。提交后不能再修改，县教育局将组织专家实地评估认定。
            {vetoWarning(draft)}
          </Text>
        }
        confirmText='确定提交'
        cancelText='再检查一下'
        onCancel={() => setConfirmSubmit(false)}
        onConfirm={() => void submitSelf()}
      />
      <Dialog
        visible={confirmDiscard}
        title='放弃填写的内容？'
        content={<Text>申报表还没有{form?.editing ? '保存' : '提交'}，刚才填写的内容将不会保留。</Text>}
        confirmText='放弃'
        cancelText='继续填写'
        onCancel={() => setConfirmDiscard(false)}
        onConfirm={() => {
          setConfirmDiscard(false)
          setForm(null)
        }}
      />
    </PageShell>
  )
}
