import { Picker, Text, Textarea, View } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Button, Dialog, Input } from '@nutui/nutui-react-taro'
import { useRef, useState } from 'react'
import { counsellingApi } from '@/api/counselling'
import { PageShell } from '@/components/PageShell'
import { EmptyState, Flash, Hero, Loading, Notice, Section } from '@/components/ui'
import { dayKey, shanghaiMidnight } from '@/shared/calendar'
import type { CounsellorSlotView } from '@/shared/contract-counselling'
import { COUNSEL_LIMITS, COUNSEL_MODES, MINUTE_MS, OUTCOME_LABELS, overlaps, slotRefusal, slotStart, type CounselMode } from '@/shared/counselling'
import { PAGES } from '@/store/route'
import { useAsync } from '@/store/useAsync'
import { errorText, useOutcome } from '@/store/useOutcome'
import { dayLabel, slotWhen, STATUS_LABELS } from '../../components/CounselFormat'
import './index.scss'

const DAY_MS = 86_400_000
const QUICK_MINUTES = [30, 45, 60]
/** the times offered as chips: 08:00 … 20:30, every half hour (any other time through 其他时间) */
const TIMES = Array.from({ length: 26 }, (_, i) => `${String(8 + Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`)
/** the days offered as chips: today and the next 13 (later ones through 其他日期) */
const QUICK_DAYS = 14

const todayKey = (now: number) => dayKey(now)
const dayAt = (key: string) => {
  const [y, m, d] = key.split('-').map(Number)
  return shanghaiMidnight(y, m, d)
}
const chipDay = (key: string, now: number) => {
  const diff = Math.round((dayAt(key) - dayAt(todayKey(now))) / DAY_MS)
  const [date, weekday] = dayLabel(dayAt(key)).split(' ')
  return { name: diff === 0 ? '今天' : diff === 1 ? '明天' : weekday, date }
}

/** What is wrong with the publish form, or null. */
function formProblem(f: { mode: CounselMode | null; minutes: number; place: string; starts: string[] }, now: number): string | null {
  if (!f.mode) return '请选择咨询方式（面谈、电话或视频）'
  if (!Number.isInteger(f.minutes) || f.minutes < COUNSEL_LIMITS.minutesMin) return `每次咨询至少 ${COUNSEL_LIMITS.minutesMin} 分钟`
  if (f.minutes > COUNSEL_LIMITS.minutesMax) return `每次咨询不能超过 ${COUNSEL_LIMITS.minutesMax} 分钟`
  if (f.mode === '面谈' && f.place.trim().length < 2) return '面谈请填写地点'
  if (f.place.trim().length > COUNSEL_LIMITS.place) return `地点不能超过 ${COUNSEL_LIMITS.place} 个字`
  if (f.starts.length === 0) return '请至少选择一个时段'
  if (f.starts.length > COUNSEL_LIMITS.batch) return `一次最多发布 ${COUNSEL_LIMITS.batch} 个时段`
  const times = f.starts.map((s) => slotStart(s) ?? NaN)
  for (const t of times) {
    const why = Number.isNaN(t) ? '时段格式不正确' : slotRefusal(t, now)
    if (why) return why
  }
  for (let i = 0; i < times.length; i++) for (let j = i + 1; j < times.length; j++) if (overlaps(times[i], f.minutes, times[j], f.minutes)) return `按每次 ${f.minutes} 分钟，所选的时段有重叠，请去掉其中一个`
  return null
}

/**
 * 我的咨询时段 (counsellor): publish slots — a mode, a length, a place, and several start times picked by tapping a day
 * and times — then my slots by day with their bookings; a tap opens the session (outcome and case notes).
 */
export default function CounsellorSlotsPage() {
  const { data, error, loading, reload } = useAsync(async () => (await counsellingApi.mySlots()).slots)
  const { message, setMessage, run } = useOutcome()
  const [mode, setMode] = useState<CounselMode | null>(null)
  const [minutes, setMinutes] = useState(45)
  const [customMinutes, setCustomMinutes] = useState('')
  const [place, setPlace] = useState('')
  const [day, setDay] = useState(() => dayKey(Date.now() + DAY_MS))
  const [starts, setStarts] = useState<string[]>([])
  const [formError, setFormError] = useState<string | null>(null)
  const [publishing, setPublishing] = useState(false)
  const [cancelling, setCancelling] = useState<{ slot: CounsellorSlotView; reason: string; error: string | null } | null>(null)
  const [confirmCancel, setConfirmCancel] = useState(false)
  usePullDownRefresh(() => void reload().finally(() => Taro.stopPullDownRefresh()))
  const shown = useRef(false)
  useDidShow(() => {
    if (shown.current) void reload()
    shown.current = true
  })

  const now = Date.now()
  const quickDays = Array.from({ length: QUICK_DAYS }, (_, i) => dayKey(now + i * DAY_MS))
  const lastDay = dayKey(now + COUNSEL_LIMITS.aheadDays * DAY_MS)

  function toggleTime(time: string) {
    const key = `${day}T${time}`
    setFormError(null)
    if (starts.includes(key)) return setStarts(starts.filter((s) => s !== key))
    const t = slotStart(key)
    const why = t === null ? '时间格式不正确' : slotRefusal(t, Date.now())
    if (why) return setFormError(why)
    const clash = starts.find((s) => overlaps(slotStart(s) ?? 0, minutes, t as number, minutes))
    if (clash) return setFormError(`与已选的 ${slotWhen(slotStart(clash) as number, minutes)} 重叠`)
    if (starts.length >= COUNSEL_LIMITS.batch) return setFormError(`一次最多发布 ${COUNSEL_LIMITS.batch} 个时段`)
    setStarts([...starts, key].sort())
  }

  async function publish() {
    if (publishing) return
    const f = { mode, minutes, place: place.trim(), starts }
    const problem = formProblem(f, Date.now())
    setFormError(problem)
    if (problem || !mode) return
    setPublishing(true)
    setMessage(null)
    try {
      const res = await counsellingApi.publishSlots({ mode, minutes, place: f.place, starts })
      const skipped = starts.length - res.created
      setMessage({ tone: 'info', text: skipped > 0 ? `已发布 ${res.created} 个时段，另有 ${skipped} 个之前已发布过` : `已发布 ${res.created} 个时段，家长现在可以预约了` })
      setStarts([])
      await reload()
    } catch (e) {
      setFormError(errorText(e))
    } finally {
      setPublishing(false)
    }
  }

  function askCancel() {
    if (!cancelling) return
    if (cancelling.reason.trim().length < 2) return setCancelling({ ...cancelling, error: '请填写取消原因' })
    setConfirmCancel(true)
  }

  async function doCancel() {
    setConfirmCancel(false)
    const c = cancelling
    if (!c) return
    const ok = await run(() => counsellingApi.cancelSlot({ slotId: c.slot.slotId, reason: c.reason.trim() }), c.slot.booking ? '时段已取消，家长会看到取消原因' : '时段已取消', reload)
    if (ok) setCancelling(null)
  }

  // ---------------------------------------------------------------- the publish form
  const form = (
    <Section title='发布咨询时段'>
      <View className='ks__form'>
        <Text className='ks__label'>咨询方式</Text>
        <View className='ks__chips'>
          {COUNSEL_MODES.map((m, i) => (
            <View key={m} className={`ks__chip ks__mode ks__mode--${i}${mode === m ? ' ks__chip--on' : ''}`} hoverClass='ks__chip--pressed' onClick={() => {
                setMode(m)
                setFormError(null)
              }}>
              <Text>{m}</Text>
            </View>
          ))}
        </View>

        <Text className='ks__label'>每次时长</Text>
        <View className='ks__chips'>
          {QUICK_MINUTES.map((m) => (
            <View
              key={m}
              className={`ks__chip ks__minutes ks__minutes--${m}${minutes === m && !customMinutes ? ' ks__chip--on' : ''}`}
              hoverClass='ks__chip--pressed'
              onClick={() => {
                setMinutes(m)
                setCustomMinutes('')
                setFormError(null)
              }}
            >
              <Text>{m} 分钟</Text>
            </View>
          ))}
        </View>
        <Input
          className='ks__input ks__input--minutes'
          type='number'
          placeholder={`其他时长（${COUNSEL_LIMITS.minutesMin}–${COUNSEL_LIMITS.minutesMax} 分钟）`}
          value={customMinutes}
          onChange={(v) => {
            const s = String(v).replace(/\D/g, '').slice(0, 3)
            setCustomMinutes(s)
            setMinutes(s ? Number(s) : 45)
            setFormError(null)
          }}
        />

        <Text className='ks__label'>{mode === '面谈' ? '地点（必填）' : '地点或说明（选填）'}</Text>
        <Input
          className='ks__input ks__input--place'
          placeholder={mode === '面谈' ? '如：城关第一小学心理咨询室' : '如：老师会按预约时间打电话给您'}
          value={place}
          maxLength={COUNSEL_LIMITS.place}
          onChange={(v) => {
            setPlace(String(v))
            setFormError(null)
          }}
        />

        <Text className='ks__label'>日期</Text>
        <View className='ks__chips ks__days'>
          {quickDays.map((k) => (
            <View key={k} className={`ks__chip ks__day ks__day--${k}${day === k ? ' ks__chip--on' : ''}`} hoverClass='ks__chip--pressed' onClick={() => setDay(k)}>
              <Text className='ks__day-name'>{chipDay(k, now).name}</Text>
              <Text className='ks__day-date'>{chipDay(k, now).date}</Text>
            </View>
          ))}
        </View>
        <Picker mode='date' value={day} start={quickDays[0]} end={lastDay} onChange={(e) => setDay(String(e.detail.value))}>
          <View className='ks__picker'>
            <Text>{quickDays.includes(day) ? '其他日期' : dayLabel(dayAt(day))}</Text>
            <Text className='ks__picker-hint'>选择 ›</Text>
          </View>
        </Picker>

        <Text className='ks__label'>开始时间（{dayLabel(dayAt(day))}，可多选）</Text>
        <View className='ks__chips ks__times'>
          {TIMES.map((t) => {
            const key = `${day}T${t}`
            const at = slotStart(key)
            const late = at === null || slotRefusal(at, now) !== null
            const on = starts.includes(key)
            return (
              <View
                key={t}
                className={`ks__time ks__time--${t.replace(':', '')}${on ? ' ks__time--on' : ''}${late && !on ? ' ks__time--off' : ''}`}
                hoverClass='ks__chip--pressed'
                onClick={() => toggleTime(t)}
              >
                <Text>{t}</Text>
              </View>
            )
          })}
        </View>
        <Picker mode='time' value='09:00' onChange={(e) => toggleTime(String(e.detail.value))}>
          <View className='ks__picker'>
            <Text>其他时间</Text>
            <Text className='ks__picker-hint'>选择 ›</Text>
          </View>
        </Picker>

        <View className='ks__picked'>
          <Text className='ks__label'>
            已选 {starts.length} 个时段{starts.length ? `（每次 ${minutes} 分钟）` : ''}
          </Text>
          {starts.map((s) => (
            <View key={s} className='ks__pick'>
              <Text className='ks__pick-when'>{slotWhen(slotStart(s) as number, minutes)}</Text>
              <Text className='ks__pick-remove' onClick={() => setStarts(starts.filter((x) => x !== s))}>
                移除
              </Text>
            </View>
          ))}
        </View>
        {formError ? <Text className='ks__error'>{formError}</Text> : null}
        <Button type='primary' size='large' block loading={publishing} disabled={publishing} onClick={() => void publish()}>
          {starts.length ? `发布 ${starts.length} 个时段` : '发布时段'}
        </Button>
      </View>
    </Section>
  )

  if (loading && !data) return <PageShell><Loading /></PageShell>

  const slots = [...(data ?? [])].sort((a, b) => a.start - b.start)
  const days: Array<{ key: string; slots: CounsellorSlotView[] }> = []
  for (const s of slots) {
    const k = dayKey(s.start)
    const last = days[days.length - 1]
    if (last && last.key === k) last.slots.push(s)
    else days.push({ key: k, slots: [s] })
  }
  const open = (s: CounsellorSlotView) => void Taro.navigateTo({ url: `${PAGES.counsellorSession}?slotId=${encodeURIComponent(s.slotId)}` })

  return (
    <PageShell className='ks'>
      <Hero badge='家庭教育指导师' title='我的咨询时段' subtitle='发布时段后，本校（或全县）家长可以为孩子预约' />
      <Flash message={message} />
      {form}

      {!data ? (
        <View className='ks__failed'>
          <Notice tone='warn'>{error?.message ?? '无法加载我的咨询时段'}</Notice>
          <Button type='primary' size='large' block onClick={() => void reload()}>
            重试
          </Button>
        </View>
      ) : slots.length === 0 ? (
        <EmptyState icon='时' title='还没有发布咨询时段' description='在上面选择日期和时间即可发布，家长预约后会显示在这里。' />
      ) : (
        days.map((d) => (
          <Section key={d.key} title={`${dayLabel(dayAt(d.key))}${d.key === todayKey(now) ? '（今天）' : ''}`}>
            {d.slots.map((s) => {
              const over = s.start + s.minutes * MINUTE_MS <= now
              const canCancel = s.status !== 'cancelled' && s.start > now
              const isCancelling = cancelling?.slot.slotId === s.slotId
              return (
                <View key={s.slotId} className={`ks__slot ks__slot--${s.slotId} ks__slot--${s.status}`}>
                  <View className='ks__slot-main' hoverClass='ks__slot-main--pressed' onClick={() => open(s)}>
                    <View className='ks__slot-head'>
                      <Text className='ks__slot-when'>{slotWhen(s.start, s.minutes).replace(/^\S+ \S+ /, '')}</Text>
                      <Text className={`ks__status ks__status--${s.status}`}>{STATUS_LABELS[s.status]}</Text>
                      {s.outcome ? <Text className='ks__outcome'>{OUTCOME_LABELS[s.outcome.result]}</Text> : null}
                    </View>
                    <Text className='ks__slot-line'>
                      {s.mode}
                      {s.place ? ` · ${s.place}` : ''}
                    </Text>
                    {s.booking ? (
                      <View className='ks__booking'>
                        <Text className='ks__child'>
                          {s.booking.childName} · {s.booking.className} · {s.booking.schoolName}
                        </Text>
                        <Text className='ks__topic'>主题：{s.booking.topic}</Text>
                        <Text className='ks__desc'>{s.booking.description}</Text>
                      </View>
                    ) : null}
                    {s.status === 'booked' && over && !s.outcome ? <Text className='ks__todo'>待记录咨询结果 ›</Text> : <Text className='ks__go'>查看 ›</Text>}
                  </View>
                  {canCancel && !isCancelling ? (
                    <View className='ks__slot-actions'>
                      <Button className='ks__cancel' size='small' onClick={() => setCancelling({ slot: s, reason: '', error: null })}>
                        取消时段
                      </Button>
                    </View>
                  ) : null}
                  {isCancelling && cancelling ? (
                    <View className='ks__cancelling'>
                      <Text className='ks__label'>{s.booking ? '取消原因（家长会看到）' : '取消原因'}</Text>
                      <Textarea
                        className='ks__textarea ks__reason'
                        autoHeight
                        placeholder='如：临时外出培训'
                        value={cancelling.reason}
                        maxlength={100}
                        onInput={(e) => setCancelling({ ...cancelling, reason: e.detail.value, error: null })}
                      />
                      {cancelling.error ? <Text className='ks__error'>{cancelling.error}</Text> : null}
                      <View className='ks__buttons'>
                        <Button type='primary' size='large' onClick={askCancel}>
                          确认取消
                        </Button>
                        <Button size='large' onClick={() => setCancelling(null)}>
                          不取消
                        </Button>
                      </View>
                    </View>
                  ) : null}
                </View>
              )
            })}
          </Section>
        ))
      )}

      <Dialog
        visible={confirmCancel}
        title='确定取消这个时段吗？'
        content={<Text>{cancelling?.slot.booking ? `${cancelling.slot.booking.childName}的家长已预约这个时段，取消后预约也会取消，家长会看到您填写的原因。` : '取消后家长将不能再预约这个时段。'}</Text>}
        confirmText='确定取消'
        cancelText='再想想'
        onCancel={() => setConfirmCancel(false)}
        onConfirm={() => void doCancel()}
      />
    </PageShell>
  )
}
