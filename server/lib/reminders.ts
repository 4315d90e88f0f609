/**
 * WeChat subscribe messages (src/shared/subscriptions.ts). A user's "allow" permits one message of a template; the
 * permissions are counted per user and topic in `subscriptions`, and a message is sent only when one is taken.
 * Every message sent — or owed but not sendable — is recorded in `notifications` under a key made from what it is
 * about, so a reminder job that runs again (or twice at once) never sends the same reminder twice.
 */
import { _, cloud, isDuplicateKey, one } from './cloud'
import type { ActionContext } from './router'
import { MAX_SUBSCRIBE_CREDITS, SUBSCRIBE_TOPICS, type SubscribeTopic } from '@/shared/subscriptions'

type Db = Pick<ActionContext, 'db'>
const subscriptionId = (openid: string, topic: SubscribeTopic) => `${openid}_${topic}`

interface SubscriptionDoc {
  _id: string
  openid: string
  topic: SubscribeTopic
  credits: number
  updatedAt: Date
}

/** Records the user's answer to wx.requestSubscribeMessage: one more permission when accepted. */
export async function allowReminder(ctx: ActionContext, topic: SubscribeTopic, accepted: boolean): Promise<number> {
  const _id = subscriptionId(ctx.openid, topic)
  const coll = ctx.db.collection('subscriptions')
  const existing = await one<SubscriptionDoc>(coll.where({ _id }).limit(1))
  if (!accepted) return existing?.credits ?? 0
  if (!existing) {
    try {
      await coll.add({ data: { _id, openid: ctx.openid, topic, credits: 1, createdAt: ctx.now, updatedAt: ctx.now } })
      return 1
    } catch (e) {
      if (!isDuplicateKey(e)) throw e
    }
  }
  await coll.where({ _id, credits: _.lt(MAX_SUBSCRIBE_CREDITS) }).update({ data: { credits: _.inc(1), updatedAt: ctx.now } })
  return (await one<SubscriptionDoc>(coll.where({ _id }).limit(1)))?.credits ?? 0
}

/** Takes one permission (a conditional decrement: two senders cannot both use the last one). */
async function takeCredit(ctx: Db, openid: string, topic: SubscribeTopic, now: Date): Promise<boolean> {
  const res = (await ctx.db
    .collection('subscriptions')
    .where({ _id: subscriptionId(openid, topic), credits: _.gt(0) })
    .update({ data: { credits: _.inc(-1), updatedAt: now } })) as { stats: { updated: number } }
  return res.stats.updated === 1
}

export interface Reminder {
  /** what it is about, unique per occasion (e.g. the registry entry and its due day) */
  key: string
  openid: string
  topic: SubscribeTopic
  /** the mini-program page it opens */
  page: string
  /** template keyword → value (already shortened to WeChat's limits) */
  data: Record<string, string>
}

export type ReminderOutcome = 'sent' | 'noPermission' | 'already' | 'failed'

/**
 * Sends a reminder once: claims its key in `notifications` first (a second job finds it taken), then sends when
 * the user has a permission left. Without one the claim stays as 'noPermission' — the in-app to-do list shows it
 * anyway — so a later run does not retry it.
 */
export async function sendReminder(ctx: Db, r: Reminder, now: Date): Promise<ReminderOutcome> {
  const _id = `${r.topic}_${r.key}`
  try {
    await ctx.db.collection('notifications').add({ data: { _id, openid: r.openid, topic: r.topic, page: r.page, status: 'claimed', createdAt: now } })
  } catch (e) {
    if (isDuplicateKey(e)) return 'already'
    throw e
  }
  const mark = (status: ReminderOutcome, extra: Record<string, unknown> = {}) =>
    ctx.db.collection('notifications').doc(_id).update({ data: { status, ...extra, updatedAt: new Date() } })
  if (!(await takeCredit(ctx, r.openid, r.topic, now))) {
    await mark('noPermission')
    return 'noPermission'
  }
  const template = SUBSCRIBE_TOPICS[r.topic]
  try {
    const data: Record<string, { value: string }> = {}
    for (const [k, v] of Object.entries(r.data)) data[k] = { value: v }
    await cloud.openapi.subscribeMessage.send({ touser: r.openid, templateId: template.templateId, page: r.page, data, miniprogramState: 'formal' } as never)
    await mark('sent', { sentAt: new Date() })
    return 'sent'
  } catch (e) {
    // WeChat refused (e.g. 43101: the user's permission is gone): the to-do list still shows the item
    await mark('failed', { error: String((e as { errMsg?: string })?.errMsg ?? e).slice(0, 200) })
    return 'failed'
  }
}
