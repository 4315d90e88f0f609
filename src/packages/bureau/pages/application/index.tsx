import { Text, Textarea, View } from '@tarojs/components'
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro'
import { Button, Dialog, Input } from '@nutui/nutui-react-taro'
import { useEffect, useState } from 'react'
import { openUploaded } from '@/api/files'
import { programmeApi } from '@/api/programme'
import { PageShell } from '@/components/PageShell'
import { EmptyState, Flash, Loading, Notice, Section } from '@/components/ui'
import { formatDate, formatDateTime } from '@/shared/calendar'
import type { ApplicationDetail, EvidenceView } from '@/shared/contract-programme'
import { AppError } from '@/shared/errors'
import {
  BUREAU_STATUS_HINTS,
  LIMITS,
  STANDARD_ITEMS,
  STANDARD_SECTIONS,
  STANDARD_TOTAL,
  STATUS_LABELS,
  STATUS_TONES,
  SUGGESTED_PASS_SCORE,
  TRANSITIONS,
  canTake,
  deadlineProblem
} from '@/shared/programme'
import { PAGES } from '@/store/route'
import { errorText, useOutcome } from '@/store/useOutcome'
import { useAsync } from '@/store/useAsync'
import './index.scss'

type Confirm =
  | { kind: 'accept' }
  | { kind: 'decline' }
  | { kind: 'evaluate'; result: 'pass' | 'fail' }
  | { kind: 'recheck'; result: 'pass' | 'rectify' | 'revoke' }
  | null

const CONFIRM_TEXT: Record<string, { title: string; body: string; ok: string }> = {
  accept: { title: '受理该校的申报？', body: '受理后该校进入一年创建期，创建期满后提交自查自评。', ok: '确定受理' },
  'evaluate-pass': { title: '认定通过并授予称号？', body: '该校将被认定为协同育人示范学校，计入全县示范校数量。', ok: '认定通过' },
  'evaluate-fail': { title: '确定不予认定？', body: '该校本次评估未通过，可在下一批次重新申报。', ok: '不予认定' },
  'recheck-pass': { title: '复查合格？', body: '该校继续保留示范校称号。', ok: '复查合格' },
  'recheck-rectify': { title: '责成限时整改？', body: '整改期间该校仍保留称号，期限届满后请再次复查。', ok: '限时整改' },
  'recheck-revoke': { title: '撤销示范校称号？', body: '撤销后该校不再计入全县示范校数量，此操作不能撤回。', ok: '撤销称号' }
}

/** Back to where the user came from; opened by a link with nothing to go back to: the launch page. */
function leave() {
  if (Taro.getCurrentPages().length > 1) void Taro.navigateBack().catch(() => Taro.reLaunch({ url: PAGES.launch }))
  else void Taro.reLaunch({ url: PAGES.launch })
}

/** Bureau: one school's application — the 申报表, accept/decline, the expert evaluation, re-checks, the history. */
export default function BureauApplicationPage() {
  const { params } = useRouter()
  const id = params.id ?? ''
  const detail = useAsync(() => (id ? programmeApi.getApplication(id) : Promise.reject(new AppError('NOT_FOUND', '缺少申报编号，请从列表进入'))), [id])
  const app = detail.data
  const [scores, setScores] = useState<Record<string, string>>({})
  const [comment, setComment] = useState('')
  const [reason, setReason] = useState('')
  const [reasonMissing, setReasonMissing] = useState(false)
  const [recheckComment, setRecheckComment] = useState('')
  const [deadline, setDeadline] = useState('')
  const [confirm, setConfirm] = useState<Confirm>(null)
  const [busy, setBusy] = useState(false)
  const { message, setMessage, run } = useOutcome()
  usePullDownRefresh(() => void detail.reload().finally(() => Taro.stopPullDownRefresh()))

  // The experts start from the school's own scores and correct them item by item.
  useEffect(() => {
    if (app?.status !== 'selfAssessed') return
    const s: Record<string, string> = {}
    for (const i of app.selfAssessment?.items ?? []) if (i.score !== null) s[i.key] = String(i.score)
    setScores(s)
  }, [app?.applicationId, app?.status]) // eslint-disable-line react-hooks/exhaustive-deps

  async function act(fn: () => Promise<ApplicationDetail>, done: string) {
    setBusy(true)
    const ok = await run(async () => detail.setData(await fn()), done)
    setBusy(false)
    return ok
  }

  function expertItems() {
    return STANDARD_ITEMS.map((def) => {
      const raw = (scores[def.key] ?? '').trim()
      const n = Number(raw)
      if (raw === '' || !Number.isInteger(n) || n < 0 || n > def.points) throw new AppError('INVALID_INPUT', `请为「${def.title}」打分（0–${def.points} 的整数）`)
      return { key: def.key, score: n }
    })
  }

  function ask(next: NonNullable<Confirm>) {
    if (next.kind === 'evaluate') {
      try {
        expertItems()
      } catch (e) {
        setMessage({ tone: 'warn', text: errorText(e) })
        return
      }
      if (!comment.trim()) return setMessage({ tone: 'warn', text: '请填写专家评估意见' })
    }
    if (next.kind === 'recheck') {
      if (!recheckComment.trim()) return setMessage({ tone: 'warn', text: '请填写复查意见' })
      if (next.result === 'rectify') {
        // The deadline's format and that it is not in the past are checked before the confirmation, as the server would.
        if (!deadline.trim()) return setMessage({ tone: 'warn', text: '限时整改请填写整改期限' })
        const problem = deadlineProblem('整改期限', deadline, Date.now())
        if (problem) return setMessage({ tone: 'warn', text: problem })
      }
    }
    setConfirm(next)
  }

  async function confirmed() {
    const c = confirm
    if (!c || !app) return
    const applicationId = app.applicationId
    if (c.kind === 'decline') {
      if (!reason.trim()) {
        setReasonMissing(true) // keep the dialog open: the school will read the reason
        return
      }
      setConfirm(null)
      await act(() => programmeApi.decideApplication({ applicationId, accept: false, reason }), '已不予受理，学校会看到原因')
      return
    }
    setConfirm(null)
    if (c.kind === 'accept') await act(() => programmeApi.decideApplication({ applicationId, accept: true }), '已受理，该校进入创建期')
    if (c.kind === 'evaluate') {
      await act(
        () => programmeApi.evaluate({ applicationId, items: expertItems(), comment, result: c.result }),
        c.result === 'pass' ? '已认定通过，授予协同育人示范学校称号' : '已记录：本次未通过认定'
      )
    }
    if (c.kind === 'recheck') {
      const ok = await act(
        () => programmeApi.recheck({ applicationId, result: c.result, comment: recheckComment, ...(c.result === 'rectify' ? { deadline: deadline.trim() } : {}) }),
        c.result === 'pass' ? '已记录复查合格' : c.result === 'rectify' ? '已责成限时整改' : '已撤销示范校称号'
      )
      if (ok) {
        setRecheckComment('')
        setDeadline('')
      }
    }
  }

  function openEvidence(e: EvidenceView) {
    openUploaded(e).catch((err: unknown) => setMessage({ tone: 'warn', text: errorText(err) }))
  }

  if (detail.loading && !app) return <PageShell><Loading /></PageShell>
  // Only the county bureau handles applications here (a school's admin follows theirs on the school's own page).
  if (detail.error?.code === 'PERMISSION_DENIED' || (app && app.viewer !== 'bureau')) {
    return (
      <PageShell className='ba'>
        <View className='ba__denied'>
          <EmptyState icon='限' title='仅县教育局可以管理示范校创建' />
          <Button type='primary' size='large' block onClick={leave}>
            返回
          </Button>
        </View>
      </PageShell>
    )
  }
  if (!app) {
    return (
      <PageShell className='ba'>
        <Notice tone='warn'>{detail.error?.message ?? '找不到这份申报'}</Notice>
        <Button type='primary' size='large' block onClick={() => void detail.reload()}>
          重试
        </Button>
      </PageShell>
    )
  }

  const evaluating = app.status === 'selfAssessed'
  const expertTotal = evaluating ? STANDARD_ITEMS.reduce((n, d) => n + (Number.isFinite(Number(scores[d.key])) ? Number(scores[d.key] || 0) : 0), 0) : (app.expertTotal ?? 0)
  const vetoZero = evaluating ? STANDARD_ITEMS.filter((d) => d.veto && (scores[d.key] ?? '').trim() === '0') : []
  const confirmKey = confirm ? (confirm.kind === 'evaluate' || confirm.kind === 'recheck' ? `${confirm.kind}-${confirm.result}` : confirm.kind) : ''

  return (
    <PageShell className='ba'>
      <Flash message={message} />
      {detail.error ? <Notice tone='warn'>{detail.error.message}</Notice> : null}

      <View className='ba__head'>
        <View className='ba__title-row'>
          <Text className='ba__title'>{app.schoolName}</Text>
          <Text className={`ba__badge ba__badge--${STATUS_TONES[app.status]}`}>{STATUS_LABELS[app.status]}</Text>
        </View>
        <Text className='gy-muted'>
          {app.district} · {app.schoolType} · {app.roundName}
        </Text>
        <Text className='ba__hint'>{BUREAU_STATUS_HINTS[app.status]}</Text>
        <View className='ba__facts'>
          <Text>申报时间：{formatDate(app.submittedAt)}</Text>
          {app.acceptedAt ? <Text>受理时间：{formatDate(app.acceptedAt)}</Text> : null}
          {app.creationEndsAt && app.status === 'creating' ? <Text>创建期满：{formatDate(app.creationEndsAt)}</Text> : null}
          {app.certifiedAt ? <Text>认定时间：{formatDate(app.certifiedAt)}</Text> : null}
          {app.rectifyDeadline ? <Text className='ba__warn'>整改期限：{app.rectifyDeadline}</Text> : null}
          {app.revokedAt ? <Text>撤销时间：{formatDate(app.revokedAt)}</Text> : null}
        </View>
      </View>

      <Section title='申报表'>
        <View className='ba__block'>
          <View className='ba__contact'>
            <Text>
              负责人：{app.leaderName} · {app.phone}
            </Text>
            <Text className='ba__link' onClick={() => void Taro.makePhoneCall({ phoneNumber: app.phone.replace(/-/g, '') }).catch(() => undefined)}>
              拨打
            </Text>
          </View>
          <Text className='ba__label'>创建基础</Text>
          <Text className='ba__text'>{app.basis}</Text>
          <Text className='ba__label'>创建目标</Text>
          <Text className='ba__text'>{app.goals}</Text>
          <Text className='ba__label'>一校一案：特色做法与实施路径</Text>
          <Text className='ba__text'>{app.plan}</Text>
          {app.declineReason ? <Notice tone='warn'>不予受理的原因：{app.declineReason}</Notice> : null}
        </View>
        {canTake(app.status, 'accept') ? (
          <View className='ba__buttons'>
            <Button type='primary' disabled={busy} onClick={() => setConfirm({ kind: 'accept' })}>
              受理申报
            </Button>
            <Button
              disabled={busy}
              onClick={() => {
                setReason('')
                setReasonMissing(false)
                setConfirm({ kind: 'decline' })
              }}
            >
              不予受理
            </Button>
          </View>
        ) : null}
      </Section>

      {app.selfAssessment ? (
        <Section title={evaluating ? '专家评估（逐项核定得分）' : '自查自评与专家评分'} extra={<Text className='ba__total'>自评 {app.selfAssessment.total} 分</Text>}>
          {evaluating ? <Text className='ba__intro'>已按学校自评分预填，请对照实地查看情况逐项核定。建议：总分 {SUGGESTED_PASS_SCORE} 分及以上且一票否决项不为 0 分时认定通过。</Text> : null}
          {STANDARD_SECTIONS.map((sec) => (
            <View key={sec.key}>
              <Text className='ba__section-title'>{sec.title}</Text>
              {STANDARD_ITEMS.filter((d) => d.section === sec.key).map((def) => {
                const self = app.selfAssessment?.items.find((i) => i.key === def.key)
                const expert = app.evaluation?.items.find((i) => i.key === def.key)
                return (
                  <View key={def.key} className={`ba__item ba__item--${def.key}`}>
                    <View className='ba__item-row'>
                      <Text className='ba__item-title'>
                        {def.title}
                        {def.veto ? <Text className='ba__veto'>一票否决</Text> : null}
                      </Text>
                      <Text className='ba__item-points'>满分 {def.points}</Text>
                    </View>
                    <Text className='gy-muted'>{def.requirement}</Text>
                    <Text className='ba__item-self'>
                      学校自评：{self?.score ?? '未评'}
                      {self?.score !== null && self?.score !== undefined ? ' 分' : ''}
                      {expert ? ` · 专家：${expert.score} 分` : ''}
                    </Text>
                    {self?.note ? <Text className='ba__note'>{self.note}</Text> : null}
                    {(self?.evidence ?? []).map((e) => (
                      <Text key={e.fileID} className='ba__file' onClick={() => openEvidence(e)}>
                        {e.kind === 'image' ? '【图片】' : '【文档】'}
                        {e.name}
                      </Text>
                    ))}
                    {evaluating ? (
                      <View className='ba__score-row'>
                        <Text className='ba__label'>专家得分</Text>
                        <Input
                          className={`ba__input ba__score ba__score--${def.key}`}
                          type='number'
                          placeholder={`0–${def.points}`}
                          value={scores[def.key] ?? ''}
                          maxLength={3}
                          onChange={(v) => setScores({ ...scores, [def.key]: String(v) })}
                        />
                      </View>
                    ) : null}
                  </View>
                )
              })}
            </View>
          ))}
          {evaluating ? (
            <View className='ba__block'>
              <Text className='ba__sum'>
                专家评分合计：{expertTotal}/{STANDARD_TOTAL} 分
              </Text>
              <Text className='ba__label'>专家评估意见</Text>
              <Textarea className='ba__textarea ba__textarea--comment' autoHeight placeholder='实地评估的主要发现与结论' value={comment} maxlength={LIMITS.comment} onInput={(e) => setComment(e.detail.value)} />
              <View className='ba__buttons'>
                <Button className='ba__pass' type='primary' disabled={busy || vetoZero.length > 0} onClick={() => ask({ kind: 'evaluate', result: 'pass' })}>
                  认定通过
                </Button>
                <Button disabled={busy} onClick={() => ask({ kind: 'evaluate', result: 'fail' })}>
                  不予认定
                </Button>
              </View>
              {vetoZero.length ? (
                <Text className='ba__why'>
                  一票否决项得 0 分，不能认定通过（{vetoZero.map((d) => `「${d.title}」`).join('、')}）
                </Text>
              ) : null}
            </View>
          ) : null}
          {app.evaluation ? (
            <View className='ba__block'>
              <Text className='ba__sum'>
                专家评分 {app.evaluation.total} 分 · {app.evaluation.result === 'pass' ? '认定通过' : '未通过'}（{formatDate(app.evaluation.at)}，{app.evaluation.byName}）
              </Text>
              <Text className='ba__text'>{app.evaluation.comment}</Text>
            </View>
          ) : null}
        </Section>
      ) : app.status === 'creating' ? (
        <Notice>该校处于创建期，创建期满后提交自查自评，届时可在这里组织专家评估。</Notice>
      ) : null}

      {canTake(app.status, 'recheckPass') ? (
        <Section title='复查'>
          <View className='ba__block'>
            <Text className='ba__label'>复查意见</Text>
            <Textarea className='ba__textarea ba__textarea--recheck' autoHeight placeholder='复查发现的情况' value={recheckComment} maxlength={LIMITS.comment} onInput={(e) => setRecheckComment(e.detail.value)} />
            <Text className='ba__label'>整改期限（限时整改时填写）</Text>
            <Input className='ba__input ba__input--deadline' placeholder='YYYY-MM-DD，例如 2027-06-30' value={deadline} maxLength={10} onChange={(v) => setDeadline(String(v))} />
            <View className='ba__buttons'>
              <Button type='primary' disabled={busy} onClick={() => ask({ kind: 'recheck', result: 'pass' })}>
                复查合格
              </Button>
              <Button disabled={busy} onClick={() => ask({ kind: 'recheck', result: 'rectify' })}>
                限时整改
              </Button>
              <Button className='ba__danger' disabled={busy} onClick={() => ask({ kind: 'recheck', result: 'revoke' })}>
                撤销称号
              </Button>
            </View>
          </View>
        </Section>
      ) : null}

      {app.rechecks.length ? (
        <Section title='复查记录'>
          {app.rechecks.map((r, i) => (
            <View key={`${r.at}-${i}`} className='ba__event'>
              <Text className='ba__event-title'>
                {r.result === 'pass' ? '复查合格' : r.result === 'rectify' ? `限时整改（期限 ${r.deadline ?? ''}）` : '撤销称号'}
              </Text>
              <Text className='gy-muted'>
                {formatDateTime(r.at)} · {r.byName}
              </Text>
              <Text className='ba__note'>{r.comment}</Text>
            </View>
          ))}
        </Section>
      ) : null}

      <Section title={`办理记录（${app.history.length}）`}>
        {[...app.history].reverse().map((h, i) => (
          <View key={`${h.at}-${i}`} className='ba__event'>
            <Text className='ba__event-title'>{TRANSITIONS[h.step].label}</Text>
            <Text className='gy-muted'>
              {formatDateTime(h.at)} · {h.byRole === 'bureau' ? `县教育局 · ${h.byName}` : h.byName}
            </Text>
            {h.note ? <Text className='ba__note'>{h.note}</Text> : null}
          </View>
        ))}
      </Section>

      <Dialog
        visible={confirm !== null && confirm.kind !== 'decline'}
        title={CONFIRM_TEXT[confirmKey]?.title ?? ''}
        content={
          <Text>
            {CONFIRM_TEXT[confirmKey]?.body ?? ''}
            {confirmKey === 'evaluate-pass' && expertTotal < SUGGESTED_PASS_SCORE ? `专家评分合计 ${expertTotal} 分，低于建议的认定分数 ${SUGGESTED_PASS_SCORE} 分，请确认。` : ''}
          </Text>
        }
        confirmText={CONFIRM_TEXT[confirmKey]?.ok ?? '确定'}
        cancelText='取消'
        onCancel={() => setConfirm(null)}
        onConfirm={() => void confirmed()}
      />
      <Dialog
        visible={confirm?.kind === 'decline'}
        title='不予受理该校的申报？'
        content={
          <View>
            <Text className='gy-muted'>原因会显示给学校，例如“创建基础材料不完整，建议下一批次再申报”。</Text>
            <Input
              className='ba__reason'
              placeholder='请填写原因'
              value={reason}
              maxLength={LIMITS.reason}
              onChange={(v) => {
                setReason(String(v))
                setReasonMissing(false)
              }}
            />
            {reasonMissing ? <Text className='ba__missing'>请填写原因，学校会看到</Text> : null}
          </View>
        }
        confirmText='不予受理'
        cancelText='取消'
        onCancel={() => setConfirm(null)}
        onConfirm={() => void confirmed()}
      />
    </PageShell>
  )
}
