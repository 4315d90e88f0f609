import { Image, Picker, Text, Textarea, View } from '@tarojs/components'
import Taro, { useDidHide, useRouter, useUnload } from '@tarojs/taro'
import { Button, Dialog, Input, Switch } from '@nutui/nutui-react-taro'
import { useEffect, useRef, useState } from 'react'
import { pickAndUploadPhotos, uploadedPhotoUrls } from '@/api/files'
import { visitsApi } from '@/api/visits'
import { contract } from '@/shared/contract'
import { PageShell } from '@/components/PageShell'
import { EmptyState, Flash, Glyph, Hero, Loading, Notice, Section } from '@/components/ui'
import { dayKey, formatDateTime } from '@/shared/calendar'
import { contentProblem, type VisitRecordView } from '@/shared/contract-visits'
import { AppError } from '@/shared/errors'
import type { FieldProblem } from '@/shared/validate'
import {
  CONTACT_TYPES,
  DAY_MS,
  SITUATION_ASPECTS,
  VISIT_LIMITS,
  photoFolder,
  contactDateRefusal,
  dayStart,
  followUpRefusal,
  type SituationKey
} from '@/shared/visits'
import { PAGES } from '@/store/route'
import { useAsync } from '@/store/useAsync'
import { useMe } from '@/store/useMe'
import { errorText, type Outcome } from '@/store/useOutcome'
import {
  blankDraft,
  draftFromRecord,
  draftKey,
  hasContent,
  loadDraft,
  sweepDrafts,
  newClientKey,
  recordFields,
  removeDraft,
  storeDraft,
  type DraftPhoto,
  type DraftTarget,
  type LogDraft
} from '../../components/logDraft'
import { canCorrect, previewPhotos } from '../../components/VisitRecordCard'
import { dayText, leave } from '../../components/VisitNav'
import { TYPE_GLYPHS } from '../../components/VisitType'
import { VisitDenied } from '../../components/VisitDenied'
import './index.scss'

/** The draft is written to the phone this long after the last keystroke (and at once on leaving, on a photo). */
const DRAFT_DELAY = 500
/** After a successful submission the page says so this long before going back. */
const LEAVE_DELAY = 1500

const NETWORK_TEXT = '网络不稳定，尚未提交：填写的内容已作为草稿保存在手机上，请稍后重试'
const BUSY_TEXT = '系统繁忙，记录已保存在手机上，请稍后重试'

const asAppError = (e: unknown) => (e instanceof AppError ? e : new AppError('INTERNAL_ERROR'))
const hhmm = (t: number) => formatDateTime(t).slice(11)
const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/**
 * What the server would refuse in the draft, found on the phone: the contract's own schema (the same rules the
 * gateway and the cloud apply), then the date rules of src/shared/visits (they depend on today).
 */
function localProblems(d: LogDraft, now: number, correcting: boolean): FieldProblem[] {
  const fields = recordFields(d)
  const checked = correcting ? contract.visits.correctVisit.input.safeParse({ recordId: 'draft', ...fields }) : contract.visits.submitVisit.input.safeParse({ clientKey: d.clientKey, studentId: 'draft', ...fields })
  const out: FieldProblem[] = checked.success ? [] : checked.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
  // (the schema checks the content only once every field has the right shape: say it at once)
  const content = contentProblem(fields)
  if (content && !out.some((p) => p.path === 'situation')) out.push({ path: 'situation', message: content })
  const dateProblem = contactDateRefusal(d.date, now)
  if (dateProblem && !out.some((p) => p.path === 'date')) out.push({ path: 'date', message: dateProblem })
  if (d.followUp.needed && d.followUp.by) {
    const p = followUpRefusal(d.followUp.by, d.date)
    if (p) out.push({ path: 'followUp.by', message: p })
  }
  return out
}

/** The problems of a refused submission: every field the server (or the gateway's check) named, else its message. */
function problemsOf(e: AppError): FieldProblem[] {
  const listed = (e.details as { problems?: unknown } | undefined)?.problems
  if (Array.isArray(listed) && listed.length) {
    return listed
      .filter((p): p is FieldProblem => Boolean(p) && typeof (p as FieldProblem).message === 'string')
      .map((p) => ({ path: typeof p.path === 'string' ? p.path : '', message: p.message }))
  }
  return [{ path: '', message: e.message }]
}

interface Done {
  text: string
  studentId: string
}

/**
 * Teacher: log a contact or home visit (?studentId=, optional &name= for the header) or correct one of mine within
 * 7 days (?recordId=). Everything typed is kept on the phone as a draft (per teacher and student, or per record) and
 * comes back when the page is opened again, even after WeChat was closed; a new record's draft carries the key that
 * makes a retried submission create nothing twice.
 */
export default function TeacherLogPage() {
  const { params } = useRouter()
  const recordId = params.recordId ?? ''
  const correcting = Boolean(recordId)
  const studentParam = params.studentId ?? ''
  const nameParam = params.name ? safeDecode(params.name) : ''
  const { me, loading: meLoading, error: meError, reload: reloadMe } = useMe()

  const record = useAsync<VisitRecordView | null>(async () => (correcting ? (await visitsApi.visitRecord(recordId)).record : null), [recordId])
  const studentId = correcting ? (record.data?.studentId ?? '') : studentParam
  const target: DraftTarget | null = correcting ? { kind: 'record', recordId } : studentParam ? { kind: 'student', studentId: studentParam } : null
  const key = me && target ? draftKey(me.userId, target) : null

  // The student's name and class for the header: from the link, else the file (best effort, never blocks typing).
  const [student, setStudent] = useState<{ name: string; className: string } | null>(nameParam ? { name: nameParam, className: '' } : null)
  useEffect(() => {
    if (nameParam || !studentId || !me) return
    let live = true
    visitsApi
      .studentFile(studentId)
      .then((f) => live && setStudent({ name: f.student.name, className: f.student.className }))
      .catch(() => undefined)
    return () => {
      live = false
    }
  }, [studentId, me?.userId]) // eslint-disable-line react-hooks/exhaustive-deps

  const [draft, setDraftState] = useState<LogDraft | null>(null)
  const draftRef = useRef<LogDraft | null>(null)
  const keyRef = useRef<string | null>(null)
  keyRef.current = key
  const dirty = useRef(false)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const finished = useRef(false)
  const sending = useRef(false)
  const [refused, setRefused] = useState(false)
  const [savedAt, setSavedAt] = useState<number | null>(null)
  const [storageFailed, setStorageFailed] = useState(false)
  const [restored, setRestored] = useState<{ savedAt: number | null; changedSince: boolean } | null>(null)
  const [problems, setProblems] = useState<FieldProblem[]>([])
  const [submitError, setSubmitError] = useState<string | null>(null)
  const [message, setMessage] = useState<Outcome>(null)
  const [busy, setBusy] = useState(false)
  const [uploading, setUploading] = useState(false)
  const [confirmClear, setConfirmClear] = useState(false)
  const [done, setDone] = useState<Done | null>(null)

  const setDraft = (d: LogDraft) => {
    draftRef.current = d
    setDraftState(d)
  }

  // The draft starts once we know who is typing (and, for a correction, the record): the stored one, else a new one.
  useEffect(() => {
    if (!key || !target || draftRef.current) return
    if (correcting && !record.data) return
    sweepDrafts()
    const stored = loadDraft(key, target.kind)
    if (stored && (correcting || hasContent(stored))) {
      setDraft(stored)
      setSavedAt(stored.savedAt)
      setRestored({ savedAt: stored.savedAt, changedSince: Boolean(record.data && stored.baseUpdatedAt !== null && record.data.updatedAt !== stored.baseUpdatedAt) })
      // Photos of a restored draft: links that work now (a temp path from before WeChat was closed does not).
      if (stored.photos.length) {
        uploadedPhotoUrls(stored.photos.map((p) => p.fileID))
          .then((urls) => {
            const cur = draftRef.current
            if (cur) setDraft({ ...cur, photos: cur.photos.map((p) => ({ ...p, url: urls[p.fileID] || p.url })) })
          })
          .catch(() => undefined)
      }
    } else {
      setDraft(correcting && record.data ? draftFromRecord(record.data) : blankDraft())
    }
  }, [key, record.data]) // eslint-disable-line react-hooks/exhaustive-deps

  /** Writes the draft to the phone now if it changed (a form with nothing filled in is not kept). */
  function flush() {
    if (timer.current) {
      clearTimeout(timer.current)
      timer.current = null
    }
    const k = keyRef.current
    const d = draftRef.current
    if (!dirty.current || !k || !d || finished.current) return
    dirty.current = false
    if (!correcting && !hasContent(d)) {
      removeDraft(k)
      setSavedAt(null)
      return
    }
    const now = Date.now()
    const saved = { ...d, savedAt: now }
    draftRef.current = saved
    const ok = storeDraft(k, saved)
    setStorageFailed(!ok)
    if (ok) setSavedAt(now)
  }

  function edit(patch: Partial<LogDraft>) {
    const cur = draftRef.current
    if (!cur || busy || done) return
    setDraft({ ...cur, ...patch })
    // a field's message goes once the field is changed (content: any situation aspect or the suggestions)
    const changed = Object.keys(patch).map((k) => (k === 'suggestions' ? 'situation' : k))
    setProblems((ps) => (ps.length ? ps.filter((p) => !changed.some((k) => p.path === k || p.path.startsWith(`${k}.`) || (k === 'situation' && p.path === 'suggestions'))) : ps))
    dirty.current = true
    if (timer.current) clearTimeout(timer.current)
    timer.current = setTimeout(() => {
      timer.current = null
      flush()
    }, DRAFT_DELAY)
  }
  const editSituation = (k: SituationKey, value: string) => {
    const cur = draftRef.current
    if (cur) edit({ situation: { ...cur.situation, [k]: value } })
  }
  const editFollowUp = (patch: Partial<LogDraft['followUp']>) => {
    const cur = draftRef.current
    if (cur) edit({ followUp: { ...cur.followUp, ...patch } })
  }

  // Leaving the page or WeChat keeps what was typed at once.
  useDidHide(() => flush())
  useUnload(() => flush())
  const flushRef = useRef(flush)
  flushRef.current = flush
  const leaveTimer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const cancelLeave = () => {
    if (leaveTimer.current) clearTimeout(leaveTimer.current)
    leaveTimer.current = null
  }
  useEffect(() => {
    // H5 preview: a reload or a closed tab keeps what was typed too
    const onPageHide = () => flushRef.current()
    if (process.env.TARO_ENV === 'h5') window.addEventListener('pagehide', onPageHide)
    return () => {
      if (process.env.TARO_ENV === 'h5') window.removeEventListener('pagehide', onPageHide)
      if (timer.current) clearTimeout(timer.current)
      cancelLeave() // the page is gone: its "go back" must not move another page
    }
  }, [])

  async function addPhotos() {
    const cur = draftRef.current
    if (!cur || uploading) return
    const room = VISIT_LIMITS.photos - cur.photos.length
    if (room <= 0) {
      setMessage({ tone: 'warn', text: `照片最多 ${VISIT_LIMITS.photos} 张` })
      return
    }
    setUploading(true)
    setMessage(null)
    try {
      // into the student's own folder: the cloud accepts a record's photos only from there
      const { photos, failed } = await pickAndUploadPhotos(photoFolder(studentId), room)
      const now = draftRef.current
      if (!now) return
      edit({ photos: [...now.photos, ...photos].slice(0, VISIT_LIMITS.photos) })
      flush() // an uploaded photo is in the draft at once
      setMessage(
        failed
          ? { tone: 'warn', text: `已上传 ${photos.length} 张，${failed} 张上传失败，请检查网络后重新添加` }
          : { tone: 'info', text: `已上传 ${photos.length} 张照片` }
      )
    } catch (e) {
      const err = asAppError(e)
      if (err.message !== '没有选择照片') setMessage({ tone: 'warn', text: err.message })
    } finally {
      setUploading(false)
    }
  }

  function removePhoto(p: DraftPhoto) {
    const cur = draftRef.current
    if (!cur) return
    edit({ photos: cur.photos.filter((x) => x.fileID !== p.fileID) })
    flush()
  }

  function clearDraft() {
    setConfirmClear(false)
    if (timer.current) clearTimeout(timer.current)
    timer.current = null
    dirty.current = false
    if (key) removeDraft(key)
    setDraft(correcting && record.data ? draftFromRecord(record.data) : blankDraft())
    setSavedAt(null)
    setRestored(null)
    setProblems([])
    setSubmitError(null)
    setMessage({ tone: 'info', text: '草稿已清空' })
  }

  async function submit() {
    const d = draftRef.current
    const k = keyRef.current
    // (a second tap before the button shows it is busy must not send the draft twice)
    if (!d || !k || busy || done || sending.current) return
    flush()
    setMessage(null)
    setSubmitError(null)
    const local = localProblems(d, Date.now(), correcting)
    setProblems(local)
    if (local.length) {
      void Taro.showToast({ title: local[0].message, icon: 'none', duration: 2500 }).catch(() => undefined)
      return
    }
    setBusy(true)
    sending.current = true
    try {
      let text: string
      if (correcting) {
        await visitsApi.correctVisit({ recordId, ...(d.baseUpdatedAt !== null ? { baseUpdatedAt: d.baseUpdatedAt } : {}), ...recordFields(d) })
        text = '修改已保存，原记录已保留'
      } else {
        const res = await visitsApi.submitVisit({ clientKey: d.clientKey, studentId, ...recordFields(d) })
        text = res.created ? '记录已提交' : '这条记录之前已提交成功，没有重复保存'
      }
      finished.current = true
      removeDraft(k)
      setDone({ text, studentId })
      leaveTimer.current = setTimeout(() => {
        leaveTimer.current = null
        leave(`${PAGES.teacherFile}?studentId=${studentId}`)
      }, LEAVE_DELAY)
    } catch (e) {
      const err = asAppError(e)
      // Whatever went wrong, what was typed stays on the phone.
      if (correcting || hasContent(d)) {
        const now = Date.now()
        if (storeDraft(k, { ...d, savedAt: now })) setSavedAt(now)
      }
      if (err.code === 'DUPLICATE' && !correcting) {
        // The key is another submission's (not this draft's): the draft gets a new one, so sending again is safe.
        const fresh = { ...d, clientKey: newClientKey(), savedAt: Date.now() }
        draftRef.current = fresh
        setDraftState(fresh)
        storeDraft(k, fresh)
        // (the server explains when this draft itself was submitted before and changed since)
        setSubmitError((err.details as { recordId?: string } | undefined)?.recordId ? err.message : '提交编号与其他记录冲突，已为这份草稿更换编号，请再次提交')
        return
      }
      if (err.code === 'PERMISSION_DENIED') {
        // not a teacher of this student (another class, or no longer their visiting teacher): the draft can never be sent
        removeDraft(k)
        setRefused(true)
        return
      }
      if (err.code === 'NETWORK_ERROR') setSubmitError(NETWORK_TEXT)
      else if (err.code === 'INTERNAL_ERROR') setSubmitError(BUSY_TEXT)
      else if (err.code === 'INVALID_INPUT') setProblems(problemsOf(err))
      else setSubmitError(errorText(err))
      const shown = err.code === 'NETWORK_ERROR' ? NETWORK_TEXT : err.code === 'INTERNAL_ERROR' ? BUSY_TEXT : err.code === 'INVALID_INPUT' ? problemsOf(err)[0].message : errorText(err)
      void Taro.showToast({ title: shown, icon: 'none', duration: 2500 }).catch(() => undefined)
    } finally {
      sending.current = false
      setBusy(false)
    }
  }

  // ---------------------------------------------------------------- states before the form
  const denied = (title: string, description: string) => <VisitDenied page='vl' title={title} description={description} />
  if (!target) return denied('没有选择学生', '请从「我的家访」或学生档案进入，再记录联系或家访。')
  if (meLoading || (correcting && record.loading && !record.data)) return <PageShell><Loading /></PageShell>
  if (!me) {
    return (
      <PageShell className='vl'>
        <Notice tone='warn'>{meError?.message ?? '无法确认您的身份'}。已填写的草稿仍保存在手机上，联网后即可继续。</Notice>
        <Button type='primary' size='large' block onClick={() => void reloadMe()}>
          重试
        </Button>
      </PageShell>
    )
  }
  if (refused) return denied('不能为这名学生记录', '只有学生的任课教师、本学期的家访教师和本校管理员可以记录。这份草稿已从手机上删除。')
  if (record.error?.code === 'PERMISSION_DENIED') return denied('您不能查看或修改这条记录', '联系记录仅对学生的任课教师、家访教师和学校管理员开放。')
  if (record.error) {
    return (
      <PageShell className='vl'>
        <Notice tone='warn'>{record.error.message}</Notice>
        <Button type='primary' size='large' block onClick={() => void record.reload()}>
          重试
        </Button>
      </PageShell>
    )
  }
  if (correcting && record.data && !canCorrect(record.data)) {
    const r = record.data
    return (
      <PageShell className='vl'>
        <View className='vl__denied'>
          <EmptyState
            icon='限'
            title='这条记录不能再修改'
            description={
              !r.isMine
                ? `只有记录人（${r.authorName}）可以修改这条记录。`
                : `记录提交后 ${VISIT_LIMITS.correctionDays} 天内可以修改${r.editableUntil ? `，修改期限已于 ${formatDateTime(r.editableUntil)} 截止` : '，修改期限已过'}。`
            }
          />
          <Button type='primary' size='large' block onClick={() => void Taro.redirectTo({ url: `${PAGES.teacherRecord}?recordId=${r.recordId}` })}>
            查看这条记录
          </Button>
          <Button size='large' block onClick={() => leave()}>
            返回
          </Button>
        </View>
      </PageShell>
    )
  }
  if (!draft) return <PageShell><Loading /></PageShell>

  if (done) {
    return (
      <PageShell className='vl'>
        <View className='vl__done'>
          <EmptyState icon='好' title={done.text} description='手机上的草稿已清除，正在返回…' />
          <Button
            type='primary'
            size='large'
            block
            onClick={() => {
              cancelLeave()
              void Taro.redirectTo({ url: `${PAGES.teacherFile}?studentId=${done.studentId}` })
            }}
          >
            查看学生档案
          </Button>
        </View>
      </PageShell>
    )
  }

  // ---------------------------------------------------------------- the form
  const now = Date.now()
  const today = dayKey(now)
  const earliest = dayKey(now - VISIT_LIMITS.backdateDays * DAY_MS)
  const followUpLatest = dayKey(dayStart(draft.date) + VISIT_LIMITS.followUpMaxDays * DAY_MS)
  const fieldError = (path: string) => problems.find((p) => p.path === path || p.path.startsWith(`${path}.`))?.message
  const fieldErrorView = (path: string) => {
    const m = fieldError(path)
    return m ? <Text className={`vl__error vl__error--${path.replace('.', '-')}`}>{m}</Text> : null
  }
  const saveLine = storageFailed ? (
    <Text className='vl__saved vl__saved--failed'>手机存储空间不足，草稿未能保存，请尽快提交</Text>
  ) : savedAt ? (
    <Text className='vl__saved'>草稿已保存 {hhmm(savedAt)}</Text>
  ) : (
    <Text className='vl__saved vl__saved--idle'>填写的内容会自动保存在手机上</Text>
  )
  const r = record.data
  const who = student ? `${student.name}${student.className ? ` · ${student.className}` : ''}` : ''

  return (
    <PageShell className='vl'>
      <Hero badge={correcting ? '修改记录' : '新记录'} title={correcting ? '修改联系记录' : '记录联系/家访'} subtitle={who || undefined} />
      <Flash message={message} />
      {restored ? (
        <Notice tone='info'>
          <View className='vl__restored'>
            <Text className='vl__restored-title'>恢复的草稿</Text>
            <Text>
              上次填写的内容还没有提交{restored.savedAt ? `（保存于 ${formatDateTime(restored.savedAt)}）` : ''}，已为您恢复。核对后提交，或清空草稿重新填写。
            </Text>
          </View>
        </Notice>
      ) : null}
      {restored?.changedSince ? <Notice tone='warn'>这条记录在草稿保存后被修改过，请核对后再提交。</Notice> : null}
      {correcting && r ? (
        <Notice tone='warn'>
          <View className='vl__correct'>
            <Text>修改将保留原记录，每次修改都会留下记录。</Text>
            <Text className='vl__deadline'>可修改至 {formatDateTime(r.editableUntil as number)}</Text>
          </View>
        </Notice>
      ) : null}

      <Section title='联系方式'>
        <View className='vl__types'>
          {CONTACT_TYPES.map((t) => (
            <View key={t} className={`vl__type${draft.type === t ? ' vl__type--on' : ''}`} hoverClass='vl__type--pressed' onClick={() => edit({ type: t })}>
              <Glyph text={TYPE_GLYPHS[t].text} tone={draft.type === t ? TYPE_GLYPHS[t].tone : 'grey'} />
              <Text className='vl__type-label'>{t}</Text>
            </View>
          ))}
        </View>
        {fieldErrorView('type')}
      </Section>

      <Section title='联系日期与参与人员'>
        <View className='vl__fields'>
          <Text className='vl__label'>联系日期</Text>
          <Picker mode='date' value={draft.date} start={earliest} end={today} onChange={(e) => edit({ date: String(e.detail.value) })}>
            <View className='vl__picker vl__picker--date'>
              <Text>{dayText(draft.date)}</Text>
              <Text className='vl__picker-hint'>{draft.date === today ? '今天 ' : ''}修改 ›</Text>
            </View>
          </Picker>
          {fieldErrorView('date')}
          <Text className='vl__label'>参与人员</Text>
          <Input
            className='vl__input vl__participants'
            placeholder='如：林老师、母亲、祖母'
            value={draft.participants}
            maxLength={VISIT_LIMITS.participants}
            onChange={(v) => edit({ participants: String(v) })}
          />
          {fieldErrorView('participants')}
        </View>
      </Section>

      <Section title='学生情况'>
        <View className='vl__fields'>
          {SITUATION_ASPECTS.map((a) => (
            <View key={a.key} className='vl__field'>
              <Text className='vl__label'>{a.label}</Text>
              <Textarea
                className={`vl__textarea vl__situation--${a.key}`}
                autoHeight
                placeholder={`孩子的${a.label}`}
                value={draft.situation[a.key]}
                maxlength={VISIT_LIMITS.situation}
                onInput={(e) => editSituation(a.key, e.detail.value)}
              />
              {draft.situation[a.key].length > VISIT_LIMITS.situation * 0.8 ? (
                <Text className='vl__count'>
                  {draft.situation[a.key].length}/{VISIT_LIMITS.situation}
                </Text>
              ) : null}
            </View>
          ))}
          {fieldErrorView('situation')}
        </View>
      </Section>

      <Section title='家长意见建议'>
        <View className='vl__fields'>
          <Textarea
            className='vl__textarea vl__suggestions'
            autoHeight
            placeholder='家长对学校、老师的意见和建议'
            value={draft.suggestions}
            maxlength={VISIT_LIMITS.suggestions}
            onInput={(e) => edit({ suggestions: e.detail.value })}
          />
          {fieldErrorView('suggestions')}
        </View>
      </Section>

      <Section title='后续跟进'>
        <View className='vl__fields'>
          <View className='vl__switch-row'>
            <View className='vl__switch-text'>
              <Text className='vl__switch-title'>需要后续跟进</Text>
              <Text className='gy-muted'>到期未跟进会出现在「待办事项」中</Text>
            </View>
            <Switch className='vl__switch' checked={draft.followUp.needed} onChange={(v) => editFollowUp({ needed: v })} />
          </View>
          {draft.followUp.needed ? (
            <>
              <Text className='vl__label'>在此日期前跟进</Text>
              <Picker mode='date' value={draft.followUp.by || draft.date} start={draft.date} end={followUpLatest} onChange={(e) => editFollowUp({ by: String(e.detail.value) })}>
                <View className={`vl__picker vl__picker--by${draft.followUp.by ? '' : ' vl__picker--empty'}`}>
                  <Text>{draft.followUp.by ? dayText(draft.followUp.by) : '请选择日期'}</Text>
                  <Text className='vl__picker-hint'>选择 ›</Text>
                </View>
              </Picker>
              {fieldErrorView('followUp.by')}
              <Text className='vl__label'>跟进事项</Text>
              <Textarea
                className='vl__textarea vl__textarea--small vl__follow-note'
                autoHeight
                placeholder='需要跟进什么，如：两周后电话了解作业完成情况'
                value={draft.followUp.note}
                maxlength={VISIT_LIMITS.note}
                onInput={(e) => editFollowUp({ note: e.detail.value })}
              />
              {fieldErrorView('followUp.note')}
            </>
          ) : null}
        </View>
      </Section>

      <Section title={`照片（${draft.photos.length}/${VISIT_LIMITS.photos}）`}>
        <View className='vl__photos'>
          {draft.photos.map((p) => (
            <View key={p.fileID} className='vl__photo'>
              <Image
                className='vl__photo-img'
                src={p.url}
                mode='aspectFill'
                onClick={() =>
                  previewPhotos(
                    draft.photos.map((x) => x.url),
                    p.url
                  )
                }
              />
              <Text className='vl__photo-remove' onClick={() => removePhoto(p)}>
                删除
              </Text>
            </View>
          ))}
          {draft.photos.length < VISIT_LIMITS.photos ? (
            <View className={`vl__photo vl__photo--add${uploading ? ' vl__photo--busy' : ''}`} onClick={() => void addPhotos()}>
              <Text className='vl__photo-plus'>{uploading ? '…' : '+'}</Text>
              <Text className='vl__photo-add-text'>{uploading ? '上传中' : '添加照片'}</Text>
            </View>
          ) : null}
        </View>
        <Text className='vl__photo-hint gy-muted'>照片选好后立即上传，仅本校相关教师和管理员可见。</Text>
        {fieldErrorView('photos')}
      </Section>

      <View className='vl__actions'>
        {problems.length ? (
          <View className='vl__problems'>
            <Text className='vl__problems-title'>请修改以下内容后再提交：</Text>
            {problems.map((p, i) => (
              <Text key={`${p.path}-${i}`} className='vl__problem'>
                · {p.message}
              </Text>
            ))}
          </View>
        ) : null}
        {submitError ? <Text className='vl__submit-error'>{submitError}</Text> : null}
        {saveLine}
        <Button type='primary' size='large' block loading={busy} disabled={busy || uploading} onClick={() => void submit()}>
          {busy ? '正在提交…' : correcting ? '保存修改' : submitError ? '重新提交' : '提交记录'}
        </Button>
        {savedAt || restored ? (
          <Button className='vl__clear' size='large' block disabled={busy} onClick={() => setConfirmClear(true)}>
            清空草稿
          </Button>
        ) : null}
      </View>

      <Dialog
        visible={confirmClear}
        title='清空草稿？'
        content={<Text>{correcting ? '这次的修改将被放弃，记录保持原样。' : '已填写的内容和已添加的照片将从草稿中删除，不能恢复。'}</Text>}
        confirmText='清空'
        cancelText='继续填写'
        onCancel={() => setConfirmClear(false)}
        onConfirm={clearDraft}
      />
    </PageShell>
  )
}
