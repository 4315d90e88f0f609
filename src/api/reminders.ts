/**
 * WeChat subscribe messages (src/shared/subscriptions.ts): WeChat asks the user — only in answer to a tap — and the
 * answer is told to the account function, which counts one permission per "allow". The H5 preview has no subscribe
 * messages: there the answer is a simulated "allow", so the reminder flow can be tried.
 */
import Taro from '@tarojs/taro'
import { SUBSCRIBE_TOPICS, type SubscribeTopic } from '@/shared/subscriptions'
import { accountApi } from './account'

export type ReminderAnswer = 'accepted' | 'rejected' | 'simulated'

/** Must be called first thing in a tap handler (WeChat shows the dialog only then). */
export async function askReminder(topic: SubscribeTopic): Promise<ReminderAnswer> {
  const templateId = SUBSCRIBE_TOPICS[topic].templateId
  let accepted = false
  const simulated = process.env.TARO_ENV === 'h5'
  if (simulated) {
    accepted = true
  } else {
    try {
      const res = (await Taro.requestSubscribeMessage({ tmplIds: [templateId] } as Parameters<typeof Taro.requestSubscribeMessage>[0])) as unknown as Record<string, unknown>
      accepted = res[templateId] === 'accept'
    } catch {
      accepted = false
    }
  }
  await accountApi.allowReminder(topic, accepted)
  return simulated ? 'simulated' : accepted ? 'accepted' : 'rejected'
}
