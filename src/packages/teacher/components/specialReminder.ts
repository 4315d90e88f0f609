/**
 * A WeChat subscribe message for follow-ups that fall due (src/shared/subscriptions.ts): WeChat asks the teacher
 * (only from a tap), and the answer is told to the account function, which counts one permission per "allow".
 */
import Taro from '@tarojs/taro'
import { accountApi } from '@/api/account'
import { SUBSCRIBE_TOPICS } from '@/shared/subscriptions'

export type ReminderAnswer = 'accepted' | 'rejected' | 'unsupported'

/** Must run inside a tap handler (WeChat refuses otherwise). */
export async function askFollowUpReminder(): Promise<ReminderAnswer> {
  if (process.env.TARO_ENV !== 'weapp' || typeof Taro.requestSubscribeMessage !== 'function') return 'unsupported'
  const tmplId = SUBSCRIBE_TOPICS.followUpDue.templateId
  let res: Record<string, unknown>
  try {
    res = (await Taro.requestSubscribeMessage({ tmplIds: [tmplId] } as unknown as Taro.requestSubscribeMessage.Option)) as unknown as Record<string, unknown>
  } catch {
    return 'unsupported'
  }
  const accepted = res[tmplId] === 'accept'
  await accountApi.allowReminder('followUpDue', accepted)
  return accepted ? 'accepted' : 'rejected'
}
