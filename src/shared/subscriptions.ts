/**
 * WeChat subscribe messages (订阅消息): each topic is one template of the mini-program's account. A user's "allow"
 * in `wx.requestSubscribeMessage` permits ONE message of that template; the `account.allowReminder` action counts
 * those permissions and a function sends a message only while one is left. The template IDs come from the
 * mini-program's console (功能 → 订阅消息); replace the placeholders below when deploying (see README).
 */
export const SUBSCRIBE_TOPICS = {
  followUpDue: {
    title: '随访到期提醒',
    templateId: 'GY_TEMPLATE_FOLLOW_UP_DUE',
    /** the template's keywords, as chosen in the console (学生姓名 / 事项 / 到期日期 / 备注) */
    fields: { name: 'thing1', task: 'thing2', due: 'date3', note: 'thing4' }
  },
  counselReminder: {
    title: '咨询预约提醒',
    templateId: 'GY_TEMPLATE_COUNSEL_REMINDER',
    /** 咨询主题 / 咨询时间 / 咨询方式 / 地点 */
    fields: { topic: 'thing1', time: 'time2', mode: 'thing3', place: 'thing4' }
  }
} as const
export type SubscribeTopic = keyof typeof SUBSCRIBE_TOPICS
export const SUBSCRIBE_TOPIC_KEYS = Object.keys(SUBSCRIBE_TOPICS) as SubscribeTopic[]
/** permissions kept per user and topic (WeChat lets a user allow many in a row) */
export const MAX_SUBSCRIBE_CREDITS = 30

/** A subscribe message's `thing` value: at most 20 characters (WeChat refuses longer ones). */
export function thingValue(s: string): string {
  const chars = Array.from(s.trim() || '—')
  return chars.length > 20 ? `${chars.slice(0, 19).join('')}…` : chars.join('')
}
