import { callCloud } from './gateway'
import { CONSENT_VERSION } from '@/shared/consent'

export const accountApi = {
  whoami: () => callCloud('account', 'whoami', {}),
  acceptConsent: () => callCloud('account', 'acceptConsent', { version: CONSENT_VERSION }),
  withdrawConsent: () => callCloud('account', 'withdrawConsent', {}),
  setPreferences: (largeText: boolean) => callCloud('account', 'setPreferences', { largeText })
}
