import { Text, Textarea, View } from '@tarojs/components'
import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Button, Dialog } from '@nutui/nutui-react-taro'
import { useRef, useState } from 'react'
import { counsellingApi } from '@/api/counselling'
import { PageShell } from '@/components/PageShell'
import { EmptyState, Flash, Hero, Loading, Notice, Section } from '@/components/ui'
import type { BookingView, OpenSlotView } from '@/shared/contract-counselling'
import { COUNSEL_LIMITS, MINUTE_MS } from '@/shared/counselling'
import { AppError } from '@/shared/errors'
import { PAGES } from '@/store/route'
import { useAsync } from '@/store/useAsync'
import { errorText, useOutcome } from '@/store/useOutcome'
import { momentText, slotWhen, TAKEN_TEXT } from '../../components/CounselFormat'
import { CounselSlotList } from '../../components/CounselSlotList'
import './index.scss'

const STARS = [1, 2, 3, 4, 5]

/** Still to come: booked and not over yet. */
const upcoming = (b: BookingView, now: number) => b.status === 'booked' && b.start + b.minutes * MINUTE_MS > now

function statusOf(b: BookingView): { text: string; tone: string } {
  if (b.status === 'cancelled') return { text: '已取消', tone: 'grey' }
  if (b.status === 'done') return { text: '已完成', tone: 'blue' }
  return { text: '已预约', tone: 'green' }
}

interface Moving {
  booking: BookingView
  slots: OpenSlotView[]
  page: number
  hasMore: boolean
  loading: boolean
  error: string | null
}

/**
 * 我的预约 (guardian): my counselling bookings, upcoming first; cancel or move one up to 24 hours before, rate one
 * after the session. Case notes are the counsellor's alone and never reach this page.
 */
export default function GuardianBookingsPage() {
  const { data, error, loading, reload } = useAsync(async () => (await counsellingApi.myBookings()).bookings)
  const { message, setMessage, run } = useOutcome()
  const [confirmCancel, setConfirmCancel] = useState<BookingView | null>(null)
  const [moving, setMoving] = useState<Moving | null>(null)
  const [moveTo, setMoveTo] = useState<OpenSlotView | null>(null)
  const [rating, setRating] = useState<{ slotId: string; score: number; comment: string; error: string | null } | null>(null)
  const [busy, setBusy] = useState(false)
  usePullDownRefresh(() => void reload().finally(() => Taro.stopPullDownRefresh()))
  const shown = useRef(false)
  useDidShow(() => {
    if (shown.current) void reload()
    shown.current = true
  })

  async function openMove(b: BookingView, page = 1) {
    setMessage(null)
    setMoving((cur) => ({
      booking: b,
      slots: page > 1 && cur ? cur.slots : [],
      page: page > 1 && cur ? cur.page : 0,
      hasMore: false,
      loading: true,
      error: null
    }))
    try {
      const res = await counsellingApi.openSlots(b.studentId, page)
      setMoving((cur) =>
        cur && cur.booking.slotId === b.slotId
          ? { ...cur, slots: page > 1 ? [...cur.slots, ...res.slots.filter((s) => !cur.slots.some((c) => c.slotId === s.slotId))] : res.slots, page, hasMore: res.hasMore, loading: false }
          : cur
      )
    } catch (e) {
      setMoving((cur) => (cur && cur.booking.slotId === b.slotId ? { ...cur, loading: false, error: errorText(e) } : cur))
    }
  }

  async function move(b: BookingView, to: OpenSlotView) {
    setMoveTo(null)
    setBusy(true)
    setMessage(null)
    try {
      await counsellingApi.rescheduleBooking(b.slotId, to.slotId)
      setMoving(null)
      setMessage({ tone: 'info', text: `已改约到 ${slotWhen(to.start, to.minutes)}` })
      await reload()
    } catch (e) {
      if (e instanceof AppError && e.code === 'CONFLICT') {
        setMessage({ tone: 'warn', text: TAKEN_TEXT })
        void openMove(b, 1)
      } else {
        // (e.g. the cut-off passed meanwhile: the server says so; the list shows what is possible now)
        setMessage({ tone: 'warn', text: errorText(e) })
        setMoving(null)
        void reload()
      }
    } finally {
      setBusy(false)
    }
  }

  async function rate() {
    if (!rating || busy) return
    if (rating.score < 1) return setRating({ ...rating, error: '请点星星选择评分' })
    setBusy(true)
    const ok = await run(() => counsellingApi.rateSession({ slotId: rating.slotId, score: rating.score, comment: rating.comment.trim() }), '谢谢您的评价', reload)
    if (ok) setRating(null)
    setBusy(false)
  }

  if (loading && !data) return <PageShell><Loading /></PageShell>
  if (!data) {
    return (
      <PageShell className='gb'>
        <Notice tone='warn'>{error?.message ?? '无法加载我的预约'}</Notice>
        <Button type='primary' size='large' block onClick={() => void reload()}>
          重试
        </Button>
      </PageShell>
    )
  }

  const now = Date.now()
  const soon = data.filter((b) => upcoming(b, now)).sort((a, b) => a.start - b.start)
  const past = data.filter((b) => !upcoming(b, now)).sort((a, b) => b.start - a.start)

  const card = (b: BookingView) => {
    const st = statusOf(b)
    const changeable = b.status === 'booked' && now <= b.changeableUntil
    const isMoving = moving?.booking.slotId === b.slotId
    const isRating = rating?.slotId === b.slotId
    return (
      <View key={b.slotId} className={`gb__card gb__card--${b.slotId}`}>
        <View className='gb__head'>
          <Text className='gb__when'>{slotWhen(b.start, b.minutes)}</Text>
          <Text className={`gb__status gb__status--${st.tone}`}>{st.text}</Text>
        </View>
        <View className='gb__facts'>
          <Text className='gb__fact'>
            {b.mode}
            {b.place ? ` · ${b.place}` : ''}
          </Text>
          <Text className='gb__fact'>咨询老师：{b.counsellorName}</Text>
          <Text className='gb__fact'>
            孩子：{b.childName} · 主题：{b.topic}
          </Text>
        </View>
        {b.cancelled ? (
          <Text className='gb__cancelled'>
            {b.cancelled.by === 'counsellor' ? `咨询老师取消了这次咨询${b.cancelled.reason ? `，原因：${b.cancelled.reason}` : ''}` : '您已取消这次预约'}
          </Text>
        ) : null}
        {changeable ? (
          <>
            <Text className='gb__until'>
              {momentText(b.changeableUntil)} 前可以取消或改约
            </Text>
            <View className='gb__buttons'>
              <Button className='gb__move' size='large' disabled={busy} onClick={() => (isMoving ? setMoving(null) : void openMove(b))}>
                {isMoving ? '不改约了' : '改约'}
              </Button>
              <Button className='gb__cancel' size='large' disabled={busy} onClick={() => setConfirmCancel(b)}>
                取消预约
              </Button>
            </View>
          </>
        ) : upcoming(b, now) ? (
          <Text className='gb__locked'>离咨询不到 {COUNSEL_LIMITS.cutoffHours} 小时，已不能在线取消或改约。如有变化请联系学校。</Text>
        ) : null}
        {isMoving && moving ? (
          <View className='gb__moving'>
            <Text className='gb__sub'>选择新的时段（为 {b.childName}）</Text>
            {moving.error ? <Text className='gb__error'>{moving.error}</Text> : null}
            {moving.loading && moving.slots.length === 0 ? <Text className='gy-muted'>正在查找可预约的时段…</Text> : null}
            {!moving.loading && !moving.error && moving.slots.length === 0 ? <Text className='gy-muted'>目前没有可预约的时段，请稍后再来看看</Text> : null}
            <CounselSlotList
              slots={moving.slots.filter((s) => s.slotId !== b.slotId)}
              busyId={busy ? (moveTo?.slotId ?? null) : null}
              hasMore={moving.hasMore}
              loadingMore={moving.loading}
              action='改到这里'
              onPick={(s) => setMoveTo(s)}
              onMore={() => void openMove(b, moving.page + 1)}
            />
          </View>
        ) : null}
        {b.rating ? (
          <View className='gb__rated'>
            <Text className='gb__stars gb__stars--shown'>{STARS.map((n) => (n <= b.rating!.score ? '★' : '☆')).join('')}</Text>
            {b.rating.comment ? <Text className='gb__comment'>您的评价：{b.rating.comment}</Text> : <Text className='gb__comment'>您已评价</Text>}
          </View>
        ) : b.canRate ? (
          isRating && rating ? (
            <View className='gb__rate'>
              <Text className='gb__sub'>这次咨询对您有帮助吗？</Text>
              <View className='gb__stars'>
                {STARS.map((n) => (
                  <Text
                    key={n}
                    className={`gb__star gb__star--${n}${n <= rating.score ? ' gb__star--on' : ''}`}
                    onClick={() => setRating({ ...rating, score: n, error: null })}
                  >
                    {n <= rating.score ? '★' : '☆'}
                  </Text>
                ))}
                <Text className='gb__score'>{rating.score ? `${rating.score} 分` : '点星星评分'}</Text>
              </View>
              <Textarea
                className='gb__textarea gb__comment-input'
                autoHeight
                placeholder='说说您的感受（选填）'
                value={rating.comment}
                maxlength={COUNSEL_LIMITS.comment}
                onInput={(e) => setRating({ ...rating, comment: e.detail.value })}
              />
              {rating.error ? <Text className='gb__error'>{rating.error}</Text> : null}
              <View className='gb__buttons'>
                <Button type='primary' size='large' loading={busy} disabled={busy} onClick={() => void rate()}>
                  提交评价
                </Button>
                <Button size='large' disabled={busy} onClick={() => setRating(null)}>
                  以后再说
                </Button>
              </View>
            </View>
          ) : (
            <Button className='gb__rate-open' type='primary' size='large' block onClick={() => setRating({ slotId: b.slotId, score: 0, comment: '', error: null })}>
              评价这次咨询
            </Button>
          )
        ) : null}
      </View>
    )
  }

  return (
    <PageShell className='gb'>
      <Hero badge='个案咨询' title='我的预约' />
      {error ? <Notice tone='warn'>{error.message}</Notice> : null}
      <Flash message={message} />
      {data.length === 0 ? (
        <EmptyState icon='约' title='还没有预约' description='可以在「预约咨询」中为孩子预约家庭教育指导师。' />
      ) : null}
      {soon.length ? <Section title={`即将进行（${soon.length}）`}>{soon.map(card)}</Section> : null}
      {past.length ? <Section title='以往的预约'>{past.map(card)}</Section> : null}
      <View className='gy-actions'>
        <Button type='primary' size='large' block onClick={() => void Taro.navigateTo({ url: PAGES.guardianCounsel })}>
          预约新的咨询
        </Button>
      </View>

      <Dialog
        visible={confirmCancel !== null}
        title='确定取消这次预约吗？'
        content={<Text>{confirmCancel ? `${slotWhen(confirmCancel.start, confirmCancel.minutes)}，${confirmCancel.counsellorName} 老师。取消后这个时段会让给其他家长。` : ''}</Text>}
        confirmText='取消预约'
        cancelText='不取消'
        onCancel={() => setConfirmCancel(null)}
        onConfirm={() => {
          const b = confirmCancel
          setConfirmCancel(null)
          if (b) void run(() => counsellingApi.cancelBooking(b.slotId), '已取消预约', reload)
        }}
      />
      <Dialog
        visible={moveTo !== null}
        title='改约到这个时段？'
        content={<Text>{moveTo ? `${slotWhen(moveTo.start, moveTo.minutes)}，${moveTo.mode}，${moveTo.counsellorName} 老师。原来的时段将被取消。` : ''}</Text>}
        confirmText='确定改约'
        cancelText='再想想'
        onCancel={() => setMoveTo(null)}
        onConfirm={() => {
          const to = moveTo
          const b = moving?.booking
          if (to && b) void move(b, to)
          else setMoveTo(null)
        }}
      />
    </PageShell>
  )
}
