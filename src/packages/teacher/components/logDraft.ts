/**
 * The contact/visit form's draft on the phone (Taro storage, so it survives closing the mini-program): kept per
 * teacher and per student for a new record, per record for a correction. A new record's draft holds the
 * `clientKey` made when the draft starts: every submission of that draft — a retry after a timeout included —
 * carries it, and the `visits` function creates at most one record per key.
 */
import Taro from '@tarojs/taro'
import { dayKey } from '@/shared/calendar'
import type { VisitRecordView } from '@/shared/contract-visits'
import { CONTACT_TYPES, DAY_MS, SITUATION_ASPECTS, VISIT_LIMITS, type ContactType, type SituationKey } from '@/shared/visits'

export interface DraftPhoto {
  fileID: string
  /** where the phone can show it from now (a temp path, a temporary link or the fileID itself) */
  url: string
}

export interface LogDraft {
  v: 1
  /** a new record's idempotency key ('' when correcting) */
  clientKey: string
  /** correcting: the record's updatedAt when the draft started (to notice a change made meanwhile) */
  baseUpdatedAt: number | null
  startedAt: number
  savedAt: number | null
  type: ContactType | ''
  date: string
  participants: string
  situation: Record<SituationKey, string>
  suggestions: string
  followUp: { needed: boolean; by: string; note: string }
  photos: DraftPhoto[]
}

export type DraftTarget = { kind: 'student'; studentId: string } | { kind: 'record'; recordId: string }

const PREFIX = 'gy.visitDraft'

/** The storage key: per teacher, and per student (new record) or per record (correction), which never collide. */
export function draftKey(userId: string, target: DraftTarget): string {
  return target.kind === 'student' ? `${PREFIX}.${userId}.student.${target.studentId}` : `${PREFIX}.${userId}.record.${target.recordId}`
}

/** A key the server takes as a submission's identity: [A-Za-z0-9_-]{8,40}, unique enough per phone and draft. */
export function newClientKey(now = Date.now()): string {
  let rand = ''
  while (rand.length < 16) rand += Math.random().toString(36).slice(2)
  return `v${now.toString(36)}-${rand.slice(0, 16)}`
}

export const CLIENT_KEY_PATTERN = /^[A-Za-z0-9_-]{8,40}$/

const emptySituation = (): Record<SituationKey, string> => ({ study: '', health: '', mood: '', family: '' })

export function blankDraft(now = Date.now()): LogDraft {
  return {
    v: 1,
    clientKey: newClientKey(now),
    baseUpdatedAt: null,
    startedAt: now,
    savedAt: null,
    type: '',
    date: dayKey(now),
    participants: '',
    situation: emptySituation(),
    suggestions: '',
    followUp: { needed: false, by: '', note: '' },
    photos: []
  }
}

/** A correction starts from the record as it is. */
export function draftFromRecord(r: VisitRecordView, now = Date.now()): LogDraft {
  return {
    v: 1,
    clientKey: '',
    baseUpdatedAt: r.updatedAt,
    startedAt: now,
    savedAt: null,
    type: r.type,
    date: r.date,
    participants: r.participants,
    situation: { ...emptySituation(), ...r.situation },
    suggestions: r.suggestions,
    followUp: { needed: r.followUp.needed, by: r.followUp.by ?? '', note: r.followUp.note },
    photos: r.photos.map((p) => ({ fileID: p.fileID, url: p.tempFileURL || p.fileID }))
  }
}

const str = (v: unknown, max = 2000): string => (typeof v === 'string' ? v.slice(0, max) : '')
const isDay = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)

/** A stored draft, checked field by field (storage may hold anything: an older version, a half write). */
export function parseDraft(raw: unknown, kind: DraftTarget['kind']): LogDraft | null {
  if (!raw || typeof raw !== 'object') return null
  const d = raw as Partial<Record<keyof LogDraft, unknown>>
  if (d.v !== 1) return null
  const clientKey = str(d.clientKey, 40)
  if (kind === 'student' && !CLIENT_KEY_PATTERN.test(clientKey)) return null
  const sit = (d.situation && typeof d.situation === 'object' ? d.situation : {}) as Record<string, unknown>
  const fu = (d.followUp && typeof d.followUp === 'object' ? d.followUp : {}) as Record<string, unknown>
  const photos = Array.isArray(d.photos) ? d.photos : []
  return {
    v: 1,
    clientKey: kind === 'student' ? clientKey : '',
    baseUpdatedAt: typeof d.baseUpdatedAt === 'number' ? d.baseUpdatedAt : null,
    startedAt: typeof d.startedAt === 'number' ? d.startedAt : Date.now(),
    savedAt: typeof d.savedAt === 'number' ? d.savedAt : null,
    type: (CONTACT_TYPES as readonly string[]).includes(d.type as string) ? (d.type as ContactType) : '',
    date: isDay(d.date) ? d.date : dayKey(Date.now()),
    participants: str(d.participants),
    situation: Object.fromEntries(SITUATION_ASPECTS.map((a) => [a.key, str(sit[a.key])])) as Record<SituationKey, string>,
    suggestions: str(d.suggestions),
    followUp: { needed: fu.needed === true, by: isDay(fu.by) ? fu.by : '', note: str(fu.note) },
    photos: photos
      .filter((p): p is DraftPhoto => Boolean(p) && typeof (p as DraftPhoto).fileID === 'string')
      .map((p) => ({ fileID: p.fileID, url: typeof p.url === 'string' && p.url ? p.url : p.fileID }))
  }
}

/**
 * How long a draft is kept: a new record's as long as its contact could still be logged, a correction's as long as
 * a record can be corrected. Older ones are removed (what a teacher wrote about a child does not stay on the phone).
 */
const MAX_AGE: Record<DraftTarget['kind'], number> = { student: VISIT_LIMITS.backdateDays * DAY_MS, record: VISIT_LIMITS.correctionDays * DAY_MS }
const stale = (d: LogDraft, kind: DraftTarget['kind'], now: number) => now - (d.savedAt ?? d.startedAt) > MAX_AGE[kind]

export function loadDraft(key: string, kind: DraftTarget['kind'], now = Date.now()): LogDraft | null {
  try {
    const d = parseDraft(Taro.getStorageSync(key), kind)
    if (d && stale(d, kind, now)) {
      removeDraft(key)
      return null
    }
    return d
  } catch {
    return null
  }
}

/** Removes every stale draft on the phone (of any student or record): run when the form opens. */
export function sweepDrafts(now = Date.now()): void {
  try {
    for (const key of Taro.getStorageInfoSync().keys) {
      if (!key.startsWith(`${PREFIX}.`)) continue
      loadDraft(key, key.includes('.record.') ? 'record' : 'student', now)
    }
  } catch {
    // storage not readable: nothing to sweep
  }
}

/** Writes the draft; false when the phone's storage refused (full). */
export function storeDraft(key: string, draft: LogDraft): boolean {
  try {
    Taro.setStorageSync(key, draft)
    return true
  } catch {
    return false
  }
}

export function removeDraft(key: string): void {
  try {
    Taro.removeStorageSync(key)
  } catch {
    // nothing stored
  }
}

/** Whether anything was filled in (an untouched form is not worth keeping). */
export function hasContent(d: LogDraft): boolean {
  return Boolean(
    d.type ||
      d.participants.trim() ||
      d.suggestions.trim() ||
      Object.values(d.situation).some((s) => s.trim()) ||
      d.followUp.needed ||
      d.followUp.note.trim() ||
      d.photos.length
  )
}

/** The record's fields as the contract takes them. */
export function recordFields(d: LogDraft) {
  return {
    type: d.type as ContactType,
    date: d.date,
    participants: d.participants,
    situation: { ...d.situation },
    suggestions: d.suggestions,
    followUp: { needed: d.followUp.needed, by: d.followUp.needed ? d.followUp.by || null : null, note: d.followUp.needed ? d.followUp.note : '' },
    photos: d.photos.map((p) => p.fileID)
  }
}
