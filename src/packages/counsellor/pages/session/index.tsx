import { Text, Textarea, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { useEffect, useState } from 'react'
import { counsellingApi } from '@/api/counselling'
import { PageShell } from '@/components/PageShell'
import { EmptyState, Flash, Hero, Loading, Notice, Section } from '@/components/ui'
import { formatDateTime } from '@/shared/calendar'
import { COUNSEL_LIMITS, COUNSEL_OUTCOMES, OUTCOME_LABELS, type CounselOutcome } from '@/shared/counselling'
import { PAGES } from '@/store/route'
import { useAsync } from '@/store/useAsync'
import { errorText, useOutcome } from '@/store/useOutcome'
import { momentText, slotWhen, STATUS_LABELS } from '../../components/CounselFormat'
import './index.scss'

const OUTCOME_NOTES: Record<CounselOutcome, string> = {
  resolved: '问题已基本解决',
  followUp: '还需要再次咨询或跟进',
  referred: '已建议转介到专业机构'
}

/**
 * 咨询记录 (counsellor, ?slotId=): one session — the booking, and once it has started, the outcome and the confidential
 * case notes, which only this counsellor can read (not the school admin, not the bureau, never in an export).
 */
export default function CounsellorSessionPage() {
  const { params } = useRouter()
  const slotId = params.slotId ?? ''
  const slots = useAsync(async () => (slotId ? (await counsellingApi.mySlots()).slots : []), [slotId])
  const slot = slots.data?.find((s) => s.slotId === slotId) ?? null
  const started = Boolean(slot && slot.start <= Date.now())
  const writable = Boolean(slot && slot.booking && slot.status === 'booked' && started)
  // (the notes are read only where they are shown: each read is written to the audit log)
  const notes = useAsync(async () => (writable ? await counsellingApi.caseNotes(slotId) : null), [slotId, writable])
  const [result, setResult] = useState<CounselOutcome | null>(null)
  const [text, setText] = useState('')
  const [loaded, setLoaded] = useState(false)
  const [formError, setFormError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const [savedAt, setSavedAt] = useState<number | null>(null)
  const { message, setMessage } = useOutcome()

  // The form starts from what was saved before.
  useEffect(() => {
    if (!slot || loaded || (writable && !notes.data)) return
    setResult(slot.outcome?.result ?? null)
    setText(notes.data?.notes ?? '')
    setSavedAt(notes.data?.updatedAt ?? null)
    setLoaded(true)
  }, [slot, notes.data, writable, loaded])

  async function save() {
    if (!slot || saving) return
    if (!result) return setFormError('请选择咨询结果（已解决、需跟进或已转介）')
    if (text.trim().length > COUNSEL_LIMITS.notes) return setFormError(`个案记录不能超过 ${COUNSEL_LIMITS.notes} 个字`)
    setFormError(null)
    setMessage(null)
    setSaving(true)
    try {
      const res = await counsellingApi.recordOutcome({ slotId: slot.slotId, result, notes: text.trim() })
      slots.setData((cur) => (cur ? cur.map((s) => (s.slotId === res.slot.slotId ? res.slot : s)) : cur))
      setSavedAt(Date.now())
      setMessage({ tone: 'info', text: `已保存：${OUTCOME_LABELS[result]}` })
    } catch (e) {
      setFormError(errorText(e))
    } finally {
      setSaving(false)
    }
  }

  const back = (
    <Button size='large' block onClick={() => void Taro.redirectTo({ url: PAGES.counsellorSlots })}>
      返回我的咨询时段
    </Button>
  )
  if (slots.loading && !slots.data) return <PageShell><Loading /></PageShell>
  if (!slots.data) {
    return (
      <PageShell className='kx'>
        <Notice tone='warn'>{slots.error?.message ?? '无法加载咨询时段'}</Notice>
        <Button type='primary' size='large' block onClick={() => void slots.reload()}>
          重试
        </Button>
      </PageShell>
    )
  }
  if (!slot) {
    return (
      <PageShell className='kx'>
        <EmptyState icon='时' title='找不到这个咨询时段' description='它可能已超过一周，或不是您发布的时段。' />
        {back}
      </PageShell>
    )
  }

  const b = slot.booking
  return (
    <PageShell className='kx'>
      <Hero badge={STATUS_LABELS[slot.status]} title={slotWhen(slot.start, slot.minutes)} subtitle={`${slot.mode}${slot.place ? ` · ${slot.place}` : ''}`} />
      <Flash message={message} />

      {b ? (
        <Section title='预约信息'>
          <View className='kx__facts'>
            <Text className='kx__child'>{b.childName}</Text>
            <Text className='kx__fact'>
              {b.schoolName} · {b.className}
            </Text>
            <Text className='kx__fact'>主题：{b.topic}</Text>
            <Text className='kx__label'>家长的描述</Text>
            <Text className='kx__desc'>{b.description}</Text>
            <Text className='kx__when'>预约于 {formatDateTime(b.bookedAt)}</Text>
          </View>
        </Section>
      ) : (
        <Notice>{slot.status === 'cancelled' ? '这个时段已取消。' : '这个时段还没有家长预约。'}</Notice>
      )}

      {b && slot.status === 'booked' && !started ? <Notice>咨询开始后（{momentText(slot.start)}），可以在这里记录咨询结果和个案记录。</Notice> : null}

      {writable ? (
        <>
          <Section title='咨询结果'>
            <View className='kx__outcomes'>
              {COUNSEL_OUTCOMES.map((o) => (
                <View
                  key={o}
                  className={`kx__outcome kx__outcome--${o}${result === o ? ' kx__outcome--on' : ''}`}
                  hoverClass='kx__outcome--pressed'
                  onClick={() => {
                    setResult(o)
                    setFormError(null)
                  }}
                >
                  <Text className='kx__outcome-label'>{OUTCOME_LABELS[o]}</Text>
                  <Text className='kx__outcome-note'>{OUTCOME_NOTES[o]}</Text>
                </View>
              ))}
            </View>
          </Section>

          <Section title='个案记录'>
            <View className='kx__fields'>
              <View className='kx__secret'>
                <Text className='kx__secret-title'>保密</Text>
                <Text>个案记录仅您本人可见，学校管理员和教育局均无法查看，也不会出现在任何导出中。</Text>
              </View>
              {notes.error ? (
                <View className='kx__failed'>
                  <Text className='kx__error'>个案记录没有加载出来：{notes.error.message}</Text>
                  <Button size='small' onClick={() => void notes.reload()}>
                    重试
                  </Button>
                </View>
              ) : !loaded ? (
                <Text className='gy-muted'>正在加载个案记录…</Text>
              ) : (
                <>
                  <Textarea
                    className='kx__textarea kx__notes'
                    autoHeight
                    placeholder='咨询要点、建议、后续安排（仅您本人可见）'
                    value={text}
                    maxlength={COUNSEL_LIMITS.notes}
                    onInput={(e) => {
                      setText(e.detail.value)
                      setFormError(null)
                    }}
                  />
                  <Text className='kx__count'>
                    {text.length}/{COUNSEL_LIMITS.notes}
                    {savedAt ? ` · 上次保存 ${formatDateTime(savedAt)}` : ''}
                  </Text>
                </>
              )}
            </View>
          </Section>
          <View className='gy-actions'>
            {formError ? <Text className='kx__error'>{formError}</Text> : null}
            <Button type='primary' size='large' block loading={saving} disabled={saving || !loaded} onClick={() => void save()}>
              保存咨询结果
            </Button>
          </View>
        </>
      ) : slot.outcome ? (
        <Notice>咨询结果：{OUTCOME_LABELS[slot.outcome.result]}</Notice>
      ) : null}

      {slot.rating ? (
        <Section title='家长评价'>
          <View className='kx__facts'>
            <Text className='kx__stars'>
              {[1, 2, 3, 4, 5].map((n) => (n <= slot.rating!.score ? '★' : '☆')).join('')} {slot.rating.score} 分
            </Text>
            {slot.rating.comment ? <Text className='kx__fact'>{slot.rating.comment}</Text> : null}
          </View>
        </Section>
      ) : null}

      <View className='gy-actions'>{back}</View>
    </PageShell>
  )
}
