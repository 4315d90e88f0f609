/**
 * The session on the phone: who the server says I am (whoami), which role I am acting in, and the large-text
 * preference. A tiny external store read with useSyncExternalStore, so every page re-renders when it changes.
 * The large-text preference is kept locally too, so it applies before sign-in and offline.
 */
import Taro from '@tarojs/taro'
import { useSyncExternalStore } from 'react'
import type { WhoAmI } from '@/shared/contract'
import { distinctRoles, type Role, type RoleScope } from '@/shared/roles'

export { distinctRoles }

const LARGE_TEXT_KEY = 'gy.largeText'
const ACTIVE_ROLE_KEY = 'gy.activeRole'
const CONSENT_DECLINED_KEY = 'gy.consentDeclined'
/** Set while a large-text change made on this phone has not reached the server yet. */
const LARGE_TEXT_UNSYNCED_KEY = 'gy.largeTextUnsynced'

export interface SessionState {
  me: WhoAmI | null
  largeText: boolean
  activeRole: Role | null
  consentDeclined: boolean
}

let state: SessionState = { me: null, largeText: false, activeRole: null, consentDeclined: false }
const listeners = new Set<() => void>()

function setState(patch: Partial<SessionState>) {
  state = { ...state, ...patch }
  listeners.forEach((l) => l())
}

export function getSession(): SessionState {
  return state
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function useSession(): SessionState {
  return useSyncExternalStore(subscribe, getSession, getSession)
}

function readStorage<T>(key: string): T | undefined {
  try {
    const v = Taro.getStorageSync(key) as T | '' | undefined
    return v === '' ? undefined : (v as T | undefined)
  } catch {
    return undefined
  }
}

function writeStorage(key: string, value: unknown) {
  try {
    Taro.setStorageSync(key, value)
  } catch {
    // storage full or unavailable: the preference still applies for this session
  }
}

export function loadLocalPreferences() {
  setState({
    largeText: readStorage<boolean>(LARGE_TEXT_KEY) === true,
    activeRole: readStorage<Role>(ACTIVE_ROLE_KEY) ?? null,
    consentDeclined: readStorage<boolean>(CONSENT_DECLINED_KEY) === true
  })
}

export function setMe(me: WhoAmI | null) {
  const patch: Partial<SessionState> = { me }
  if (me) {
    if (readStorage<boolean>(LARGE_TEXT_UNSYNCED_KEY) === true) {
      // The phone's newer choice wins over the server's; enterApp() sends it up.
      me = { ...me, preferences: { ...me.preferences, largeText: state.largeText } }
      patch.me = me
    } else {
      patch.largeText = me.preferences.largeText
      writeStorage(LARGE_TEXT_KEY, me.preferences.largeText)
    }
    const roles = distinctRoles(me.roles)
    if (!state.activeRole || !roles.includes(state.activeRole)) patch.activeRole = roles.length === 1 ? roles[0] : null
    if (me.consent.status === 'accepted' && !me.consent.required) {
      patch.consentDeclined = false
      writeStorage(CONSENT_DECLINED_KEY, false)
    }
  }
  setState(patch)
}

export function setLargeText(largeText: boolean) {
  writeStorage(LARGE_TEXT_KEY, largeText)
  setState({ largeText, me: state.me ? { ...state.me, preferences: { ...state.me.preferences, largeText } } : null })
}

export function largeTextUnsynced(): boolean {
  return readStorage<boolean>(LARGE_TEXT_UNSYNCED_KEY) === true
}

export function markLargeTextSynced(synced: boolean) {
  writeStorage(LARGE_TEXT_UNSYNCED_KEY, !synced)
}

export function setActiveRole(role: Role) {
  writeStorage(ACTIVE_ROLE_KEY, role)
  setState({ activeRole: role })
}

export function setConsentDeclined(declined: boolean) {
  writeStorage(CONSENT_DECLINED_KEY, declined)
  setState({ consentDeclined: declined })
}

/** Forgets who was signed in on this phone (the preview's account switch): role choice and consent refusal too. */
export function resetSession() {
  try {
    for (const key of [ACTIVE_ROLE_KEY, CONSENT_DECLINED_KEY, LARGE_TEXT_KEY, LARGE_TEXT_UNSYNCED_KEY]) Taro.removeStorageSync(key)
  } catch {
    // nothing stored
  }
  setState({ me: null, activeRole: null, consentDeclined: false, largeText: false })
}

export function scopesOf(me: WhoAmI | null, role: Role): RoleScope[] {
  return me ? me.roles.filter((s) => s.role === role) : []
}
