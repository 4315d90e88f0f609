import { callCloud } from './gateway'
import { CONSENT_VERSION } from '@/shared/consent'
import type { SubscribeTopic } from '@/shared/subscriptions'

export const accountApi = {
  whoami: () => callCloud('account', 'whoami', {}),
  acceptConsent: () => callCloud('account', 'acceptConsent', { version: CONSENT_VERSION }),
  withdrawConsent: () => callCloud('account', 'withdrawConsent', {}),
  setPreferences: (largeText: boolean) => callCloud('account', 'setPreferences', { largeText }),
  /** The answer to wx.requestSubscribeMessage for a topic: an accepted one lets the cloud send one reminder. */
  allowReminder: (topic: SubscribeTopic, accepted: boolean) => callCloud('account', 'allowReminder', { topic, accepted })
}
