import { Text, Textarea, View } from '@tarojs/components'
import Taro, { useUnload } from '@tarojs/taro'
import { Button } from '@nutui/nutui-react-taro'
import { useEffect, useRef, useState } from 'react'
import { counsellingApi } from '@/api/counselling'
import { askReminder } from '@/api/reminders'
import { PageShell } from '@/components/PageShell'
import { EmptyState, Flash, Hero, Loading, Notice, Section } from '@/components/ui'
import type { BookingView, OpenSlotView } from '@/shared/contract-counselling'
import { COUNSEL_LIMITS, COUNSEL_TOPICS, MINUTE_MS, type CounselTopic } from '@/shared/counselling'
import { AppError } from '@/shared/errors'
import { PAGES } from '@/store/route'
import { errorText, useOutcome } from '@/store/useOutcome'
import { CounselChildPicker, useCounselChildren } from '../../components/CounselChildPicker'
import { clock, EXPIRED_TEXT, isExpiredHold, isGone, isTaken, SCOPE_LABELS, slotWhen, TAKEN_TEXT } from '../../components/CounselFormat'
import { CounselSlotList } from '../../components/CounselSlotList'
import './index.scss'

interface SlotList {
  studentId: string
  slots: OpenSlotView[]
  page: number
  hasMore: boolean
}

interface Hold {
  slot: OpenSlotView
  studentId: string
  heldUntil: number
  /** the server said the hold ran out */
  lapsed: boolean
}

/**
 * 预约咨询 (guardian): choose the child, then an open slot of the child's school or the county's 讲师团; the slot is
 * held for 10 minutes while the guardian picks a topic and writes a short description, then confirmed (or let go).
 */
export default function GuardianCounselPage() {
  const { me, loading: meLoading, error: meError, reload: reloadMe, limited, children } = useCounselChildren()
  const [picked, setPicked] = useState<string | null>(null)
  const childId = picked && children.some((c) => c.studentId === picked) ? picked : (children[0]?.studentId ?? '')
  const child = children.find((c) => c.studentId === childId)

  const [list, setList] = useState<SlotList | null>(null)
  const [listLoading, setListLoading] = useState(false)
  const [listError, setListError] = useState<string | null>(null)
  const seq = useRef(0)

  const [hold, setHold] = useState<Hold | null>(null)
  const holdRef = useRef<Hold | null>(null)
  holdRef.current = hold
  const [busyId, setBusyId] = useState<string | null>(null)
  const [topic, setTopic] = useState<CounselTopic | null>(null)
  const [description, setDescription] = useState('')
  const [formError, setFormError] = useState<string | null>(null)
  const [sending, setSending] = useState(false)
  const [done, setDone] = useState<BookingView | null>(null)
  const [asking, setAsking] = useState(false)
  const [now, setNow] = useState(() => Date.now())
  const { message, setMessage } = useOutcome()

  async function loadSlots(studentId: string, page = 1) {
    const mine = ++seq.current
    setListLoading(true)
    setListError(null)
    try {
      const res = await counsellingApi.openSlots(studentId, page)
      if (mine !== seq.current) return
      setList((cur) => ({
        studentId,
        slots: page > 1 && cur && cur.studentId === studentId ? [...cur.slots, ...res.slots.filter((s) => !cur.slots.some((c) => c.slotId === s.slotId))] : res.slots,
        page,
        hasMore: res.hasMore
      }))
    } catch (e) {
      if (mine === seq.current) setListError(errorText(e))
    } finally {
      if (mine === seq.current) setListLoading(false)
    }
  }

  useEffect(() => {
    if (childId && !limited) void loadSlots(childId, 1)
  }, [childId, limited]) // eslint-disable-line react-hooks/exhaustive-deps

  // The countdown of a hold (a minute's precision is what is shown; checked often so the end is not missed).
  useEffect(() => {
    if (!hold) return
    setNow(Date.now())
    const t = setInterval(() => setNow(Date.now()), 5000)
    return () => clearInterval(t)
  }, [hold])

  // Leaving with a slot held: let it go, so another family can book it at once.
  useUnload(() => {
    const h = holdRef.current
    if (h) void counsellingApi.releaseHold(h.slot.slotId).catch(() => undefined)
  })

  /** The slot is gone (booked by someone else, or cancelled by its counsellor): back to the list, loaded again. */
  function taken(e?: unknown) {
    setHold(null)
    setMessage({ tone: 'warn', text: e instanceof AppError && e.code === 'NOT_FOUND' ? e.message : TAKEN_TEXT })
    if (childId) void loadSlots(childId, 1)
  }

  async function pick(slot: OpenSlotView) {
    if (busyId || !childId) return
    setMessage(null)
    setBusyId(slot.slotId)
    try {
      const res = await counsellingApi.holdSlot(slot.slotId, childId)
      setFormError(null)
      setHold({ slot, studentId: childId, heldUntil: res.heldUntil, lapsed: false })
    } catch (e) {
      if (isTaken(e) || isGone(e)) taken(e)
      else setMessage({ tone: 'warn', text: errorText(e) })
    } finally {
      setBusyId(null)
    }
  }

  async function holdAgain() {
    const h = holdRef.current
    if (!h || sending) return
    setSending(true)
    setFormError(null)
    try {
      const res = await counsellingApi.holdSlot(h.slot.slotId, h.studentId)
      setHold({ ...h, heldUntil: res.heldUntil, lapsed: false })
      setMessage({ tone: 'info', text: `已重新为您保留至 ${clock(res.heldUntil)}` })
    } catch (e) {
      if (isTaken(e) || isGone(e)) taken(e)
      else setFormError(errorText(e))
    } finally {
      setSending(false)
    }
  }

  async function letGo() {
    const h = holdRef.current
    if (!h || sending) return
    setHold(null)
    setFormError(null)
    // (best effort: an unreleased hold ends by itself after 10 minutes)
    await counsellingApi.releaseHold(h.slot.slotId).catch(() => undefined)
    setMessage({ tone: 'info', text: '已取消，这个时段已释放' })
    void loadSlots(h.studentId, 1)
  }

  async function confirm() {
    const h = holdRef.current
    if (!h || sending) return
    const text = description.trim()
    if (!topic) return setFormError('请选择咨询主题')
    if (text.length < COUNSEL_LIMITS.descriptionMin) return setFormError(`请至少写 ${COUNSEL_LIMITS.descriptionMin} 个字，方便老师提前准备`)
    if (text.length > COUNSEL_LIMITS.description) return setFormError(`描述不能超过 ${COUNSEL_LIMITS.description} 个字`)
    setFormError(null)
    setMessage(null)
    setSending(true)
    try {
      const res = await counsellingApi.confirmBooking({ slotId: h.slot.slotId, studentId: h.studentId, topic, description: text })
      setHold(null)
      setDone(res.booking)
    } catch (e) {
      // (the server books an open slot even after my hold ran out: a refusal means it is really gone)
      if (isExpiredHold(e)) setHold({ ...h, lapsed: true })
      else if (isTaken(e) || isGone(e)) taken(e)
      else setFormError(e instanceof AppError && e.code === 'INVALID_INPUT' ? e.message : errorText(e))
    } finally {
      setSending(false)
    }
  }

  async function allowReminder() {
    setAsking(true)
    try {
      // (first thing in the tap handler: WeChat shows the dialog only in answer to a tap)
      const answer = await askReminder('counselReminder')
      setMessage(
        answer === 'simulated'
          ? { tone: 'info', text: '预览环境：已模拟同意，咨询前一天会发送一条提醒' }
          : answer === 'accepted'
            ? { tone: 'info', text: '已添加：咨询前一天微信会提醒您' }
            : { tone: 'warn', text: '未添加微信提醒。咨询前一天仍会显示在「待办事项」中' }
      )
    } catch (e) {
      setMessage({ tone: 'warn', text: errorText(e) })
    } finally {
      setAsking(false)
    }
  }

  // ---------------------------------------------------------------- states before the list
  if (meLoading) return <PageShell><Loading /></PageShell>
  if (!me) {
    return (
      <PageShell className='gc'>
        <Notice tone='warn'>{meError?.message ?? '无法加载账号信息'}</Notice>
        <Button type='primary' size='large' block onClick={() => void reloadMe()}>
          重试
        </Button>
      </PageShell>
    )
  }
  if (limited) {
    return (
      <PageShell className='gc'>
        <Notice tone='warn'>预约咨询需要先阅读并同意《儿童个人信息保护规则》。</Notice>
        <Button type='primary' size='large' block onClick={() => void Taro.navigateTo({ url: PAGES.consent })}>
          阅读并同意
        </Button>
      </PageShell>
    )
  }
  if (children.length === 0) {
    return (
      <PageShell className='gc'>
        <EmptyState icon='孩' title='还没有绑定孩子' description='绑定孩子后，就可以为孩子预约家庭教育咨询。' />
        <Button type='primary' size='large' block onClick={() => void Taro.navigateTo({ url: PAGES.guardianBind })}>
          绑定孩子
        </Button>
      </PageShell>
    )
  }

  // ---------------------------------------------------------------- booked
  if (done) {
    return (
      <PageShell className='gc'>
        <Flash message={message} />
        <View className='gc__done'>
          <EmptyState icon='好' title='预约成功' description={`${done.childName} · ${slotWhen(done.start, done.minutes)}`} />
          <Section title='预约信息'>
            <View className='gc__facts'>
              <Text className='gc__fact'>方式：{done.mode}</Text>
              {done.place ? <Text className='gc__fact'>地点：{done.place}</Text> : null}
              <Text className='gc__fact'>咨询老师：{done.counsellorName}</Text>
              <Text className='gc__fact'>主题：{done.topic}</Text>
            </View>
          </Section>
          <Text className='gc__hint'>咨询前一天会在「待办事项」中提醒您。也可以添加微信提醒，到时微信会通知您。</Text>
          <Button type='primary' size='large' block loading={asking} disabled={asking} onClick={() => void allowReminder()}>
            添加微信提醒
          </Button>
          <Button size='large' block onClick={() => void Taro.redirectTo({ url: PAGES.guardianBookings })}>
            查看我的预约
          </Button>
        </View>
      </PageShell>
    )
  }

  // ---------------------------------------------------------------- confirming a held slot
  if (hold) {
    const s = hold.slot
    const lapsed = hold.lapsed || now >= hold.heldUntil
    const left = Math.max(0, Math.ceil((hold.heldUntil - now) / MINUTE_MS))
    const forChild = children.find((c) => c.studentId === hold.studentId)
    return (
      <PageShell className='gc'>
        <Hero badge='填写预约信息' title={slotWhen(s.start, s.minutes)} subtitle={`${s.mode}${s.place ? ` · ${s.place}` : ''} · ${s.counsellorName} 老师（${SCOPE_LABELS[s.scope]}）`} />
        <Flash message={message} />
        {lapsed ? (
          <Notice tone='warn'>
            <Text className='gc__lapsed'>{EXPIRED_TEXT}</Text>
          </Notice>
        ) : (
          <View className='gc__countdown'>
            <Text className='gc__until'>为您保留至 {clock(hold.heldUntil)}</Text>
            <Text className='gc__left'>还剩约 {left} 分钟，请在此之前确认</Text>
          </View>
        )}
        {forChild ? <Text className='gc__for'>为 {forChild.name} 预约</Text> : null}

        <Section title='想咨询什么'>
          <View className='gc__topics'>
            {COUNSEL_TOPICS.map((t, i) => (
              <View
                key={t}
                className={`gc__topic gc__topic--${i}${topic === t ? ' gc__topic--on' : ''}`}
                hoverClass='gc__topic--pressed'
                onClick={() => {
                  setTopic(t)
                  setFormError(null)
                }}
              >
                <Text>{t}</Text>
              </View>
            ))}
          </View>
        </Section>

        <Section title='简单说说孩子的情况'>
          <View className='gc__fields'>
            <Textarea
              className='gc__textarea gc__description'
              autoHeight
              placeholder='例如：孩子最近不愿意上学，回家不爱说话'
              value={description}
              maxlength={COUNSEL_LIMITS.description}
              onInput={(e) => {
                setDescription(e.detail.value)
                setFormError(null)
              }}
            />
            <Text className={`gc__count${description.trim().length > 0 && description.trim().length < COUNSEL_LIMITS.descriptionMin ? ' gc__count--short' : ''}`}>
              {description.trim().length}/{COUNSEL_LIMITS.description}（至少 {COUNSEL_LIMITS.descriptionMin} 个字）
            </Text>
            <Text className='gc__private'>这段描述只有咨询老师本人能看到，用于提前了解情况。</Text>
          </View>
        </Section>

        <View className='gy-actions'>
          {formError ? <Text className='gc__error'>{formError}</Text> : null}
          {lapsed ? (
            <Button type='primary' size='large' block loading={sending} disabled={sending} onClick={() => void holdAgain()}>
              重新保留
            </Button>
          ) : (
            <Button type='primary' size='large' block loading={sending} disabled={sending} onClick={() => void confirm()}>
              确认预约
            </Button>
          )}
          <Button size='large' block disabled={sending} onClick={() => void letGo()}>
            取消
          </Button>
        </View>
      </PageShell>
    )
  }

  // ---------------------------------------------------------------- the open slots
  const slots = list && list.studentId === childId ? list : null
  return (
    <PageShell className='gc'>
      <Hero badge='个案咨询' title='预约家庭教育咨询' subtitle={child ? `为 ${child.name} 预约` : undefined} />
      <Flash message={message} />
      <Notice>
        <View className='gc__about'>
          <Text>家庭教育指导师（本校老师或县公益讲师团）一对一为您解答孩子学习、情绪、亲子关系、行为等方面的困惑，免费。可以面谈、电话或视频。</Text>
          <Text>选好时段后写几句孩子的情况，这些内容只有咨询老师本人能看到。</Text>
        </View>
      </Notice>
      <CounselChildPicker items={children} value={childId} onChange={(id) => setPicked(id)} />

      {listError && !slots ? (
        <View className='gc__failed'>
          <Notice tone='warn'>{listError}</Notice>
          <Button type='primary' size='large' block onClick={() => void loadSlots(childId, 1)}>
            重试
          </Button>
        </View>
      ) : !slots ? (
        <Loading text='正在查找可预约的时段…' />
      ) : slots.slots.length === 0 ? (
        <EmptyState icon='约' title='目前没有可预约的时段，请稍后再来看看' description='指导师发布新的时段后会显示在这里。' />
      ) : (
        <Section title='选择一个时段'>
          {listError ? <Text className='gc__error gc__error--list'>{listError}</Text> : null}
          <CounselSlotList
            slots={slots.slots}
            busyId={busyId}
            hasMore={slots.hasMore}
            loadingMore={listLoading && slots.page >= 1}
            action='预约'
            onPick={(s) => void pick(s)}
            onMore={() => void loadSlots(childId, slots.page + 1)}
          />
        </Section>
      )}

      <View className='gy-actions'>
        <Button size='large' block onClick={() => void Taro.navigateTo({ url: PAGES.guardianBookings })}>
          我的预约
        </Button>
      </View>
    </PageShell>
  )
}
