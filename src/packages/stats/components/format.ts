/**
 * Words and numbers of the statistics pages (pure, unit-tested): the parts of a share ("有家长绑定 612 / 在籍 1,000 人"),
 * the 达标 badge, a run's status, the month labels.
 */
import { formatTargetValue, targetById, TARGETS, type TargetDef, type TargetId, type TargetValue } from '@/shared/targets'
import { dayKey, formatDateTime } from '@/shared/calendar'
import type { RunView, TargetTile } from '@/shared/contract-stats'

/** 1234567 → "1,234,567" (no Intl: WeChat's JS engine may not have it). */
export function groupDigits(n: number): string {
  const rounded = Math.round(n * 10) / 10
  const [int, frac] = String(Math.abs(rounded)).split('.')
  return `${rounded < 0 ? '-' : ''}${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac ? `.${frac}` : ''}`
}

/**
 * How the two halves of a share or rate are named, where the registry's definition makes them unambiguous;
 * `{n}` is replaced by the number. Other targets show "numerator / denominator".
 */
const PARTS: Partial<Record<TargetId, { numerator: string; denominator: string }>> = {
  T1: { numerator: '有家长绑定 {n}', denominator: '在籍 {n} 人' },
  T2: { numerator: '学习 {n} 次', denominator: '注册家长 {n} 人' },
  T6: { numerator: '已直接联系 {n}', denominator: '在籍 {n} 人' },
  T7: { numerator: '三年内已入户家访 {n}', denominator: '在籍 {n} 人' },
  T8: { numerator: '按期跟进 {n}', denominator: '登记特殊学生 {n} 人' },
  T11: { numerator: '家庭参训 {n}', denominator: '在籍 {n} 人' },
  T14: { numerator: '参加 ≥ 2 次社区活动 {n}', denominator: '在籍 {n} 人' },
  T16: { numerator: '满意 {n}', denominator: '答卷 {n} 份' }
}

/** "有家长绑定 612 / 在籍 1,000 人" for a share or rate; null for a plain count or when nothing was counted. */
export function partsText(def: Pick<TargetDef, 'id' | 'unit'>, v: TargetValue | undefined | null): string | null {
  if (!v || v.denominator === null || v.denominator === undefined || def.unit === 'count') return null
  const parts = PARTS[def.id]
  if (!parts) return `${groupDigits(v.numerator)} / ${groupDigits(v.denominator)}`
  return `${parts.numerator.replace('{n}', groupDigits(v.numerator))} / ${parts.denominator.replace('{n}', groupDigits(v.denominator))}`
}

/** "按 2024年3月—2027年2月 的三年进度，本月应达 34 所" for a multi-year target's pace; null when there is none. */
export function paceText(def: Pick<TargetDef, 'id' | 'unit' | 'suffix' | 'paceNote'>, pace: number | null | undefined): string | null {
  if (pace === null || pace === undefined || !Number.isFinite(pace)) return null
  return `${def.paceNote ? `按${def.paceNote}，` : '按进度'}本月应达 ${formatTargetValue(def, pace)}`
}

export type BadgeTone = 'met' | 'unmet' | 'none'

/** The 达标 badge of a value: 达标, 未达标, or 暂无数据 when there is no value. */
export function badgeOf(v: TargetValue | undefined | null, def?: Pick<TargetDef, 'metByPace'>): { tone: BadgeTone; text: string } {
  if (!v || v.value === null || v.met === null) return { tone: 'none', text: '暂无数据' }
  // a target judged against its pace (T7) is on or behind the pace, not yet 达标
  if (def?.metByPace) return v.met ? { tone: 'met', text: '达到进度' } : { tone: 'unmet', text: '低于进度' }
  return v.met ? { tone: 'met', text: '达标' } : { tone: 'unmet', text: '未达标' }
}

/** A run still "running" after this long has stopped without finishing (the function's limit is 60 s). */
export const STALE_RUN_MS = 10 * 60_000

export function isStaleRun(run: Pick<RunView, 'status' | 'startedAt'>, now = Date.now()): boolean {
  return run.status === 'running' && now - run.startedAt > STALE_RUN_MS
}

/** 完成 / 失败 / 进行中 / 未完成 (a run that stopped without finishing). */
export function runStatusText(run: Pick<RunView, 'status' | 'startedAt'>, now = Date.now()): { tone: BadgeTone; text: string } {
  if (run.status === 'done') return { tone: 'met', text: '完成' }
  if (run.status === 'failed') return { tone: 'unmet', text: '失败' }
  return isStaleRun(run, now) ? { tone: 'unmet', text: '未完成' } : { tone: 'none', text: '进行中' }
}

/** "2026-11-01 02:00 — 02:01" (the end's date only when it differs), or the start alone. Shanghai time. */
export function timeRange(start: number, end: number | null | undefined): string {
  if (end === null || end === undefined) return formatDateTime(start)
  const to = formatDateTime(end)
  return `${formatDateTime(start)} — ${dayKey(start) === dayKey(end) ? to.slice(11) : to}`
}

/** "2025-03" → "2025年3月" */
export function monthLabel(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month)
  return m ? `${m[1]}年${Number(m[2])}月` : month
}

/** Tiles in registry order (T1, T2, …), for the targets this version of the app knows. */
export function knownTiles(tiles: readonly TargetTile[]): Array<{ def: TargetDef; tile: TargetTile }> {
  const order = (id: string) => TARGETS.findIndex((t) => t.id === id)
  return tiles
    .map((tile) => ({ def: targetById(tile.targetId) as TargetDef, tile }))
    .filter((t) => t.def)
    .sort((a, b) => order(a.def.id) - order(b.def.id))
}

/** The message a head teacher or principal sends to the class's parents' group (as on the binding desk). */
export function inviteMessage(className: string, classCode: string): string {
  return `${className}的家长：请在微信小程序「共育」中选择「我的孩子 → 绑定孩子」，填写班级码 ${classCode}、孩子姓名和学籍号后 4 位，完成家长绑定。`
}

/** PRODUCT.md's targets T1–T17: how many a dashboard shows of them, for the note under the tiles. */
export const ALL_TARGETS = 17
export function coverageNote(shown: number): string {
  return shown >= ALL_TARGETS
    ? `已纳入全部 ${ALL_TARGETS} 项指标。`
    : `目前纳入统计的指标 ${shown} 项（共 ${ALL_TARGETS} 项）；家长学校、家长委员会、开放办学等其余指标将随相应功能上线后自动纳入。`
}
