import { targetById, type TargetValue } from '@/shared/targets'
import { badgeOf, groupDigits, timeRange, inviteMessage, isStaleRun, knownTiles, monthLabel, paceText, partsText, runStatusText, STALE_RUN_MS } from './format'

const T1 = targetById('T1')!
const T17 = targetById('T17')!

test('the parts of a share read as a sentence, with thousands grouped', () => {
  const v: TargetValue = { value: 0.612, numerator: 612, denominator: 1000, met: true }
  expect(partsText(T1, v)).toBe('有家长绑定 612 / 在籍 1,000 人')
  expect(partsText({ id: 'T12', unit: 'percent' }, v)).toBe('612 / 1,000')
  expect(partsText(T17, { value: 12, numerator: 12, denominator: null, met: false })).toBeNull()
  expect(partsText(T1, undefined)).toBeNull()
  expect(groupDigits(1234567)).toBe('1,234,567')
  expect(groupDigits(12.34)).toBe('12.3')
})

test('the badge: 达标, 未达标, or 暂无数据 without a value', () => {
  expect(badgeOf({ value: 0.7, numerator: 7, denominator: 10, met: true })).toEqual({ tone: 'met', text: '达标' })
  expect(badgeOf({ value: 0.5, numerator: 5, denominator: 10, met: false })).toEqual({ tone: 'unmet', text: '未达标' })
  expect(badgeOf({ value: null, numerator: 0, denominator: 0, met: null })).toEqual({ tone: 'none', text: '暂无数据' })
  expect(badgeOf(undefined).text).toBe('暂无数据')
})

test('pace of a multi-year count', () => {
  expect(paceText(T17, 34)).toBe('按2024年3月至2027年2月的三年建设进度，本月应达 34 所')
  expect(paceText(T17, null)).toBeNull()
})

test('runs: done, failed, running, and running for too long', () => {
  const now = 1_000_000_000
  expect(runStatusText({ status: 'done', startedAt: now }, now).text).toBe('完成')
  expect(runStatusText({ status: 'failed', startedAt: now }, now).text).toBe('失败')
  expect(runStatusText({ status: 'running', startedAt: now - 1000 }, now).text).toBe('进行中')
  expect(isStaleRun({ status: 'running', startedAt: now - STALE_RUN_MS - 1 }, now)).toBe(true)
  expect(runStatusText({ status: 'running', startedAt: now - STALE_RUN_MS - 1 }, now).text).toBe('未完成')
})

test('tiles in registry order, unknown targets left out', () => {
  const tile = (targetId: string) => ({ targetId, value: { value: 1, numerator: 1, denominator: null, met: true }, trend: [], pace: null }) as never
  expect(knownTiles([tile('T17'), tile('T99'), tile('T1')]).map((t) => t.def.id)).toEqual(['T1', 'T17'])
})

test('labels', () => {
  expect(monthLabel('2025-03')).toBe('2025年3月')
  expect(inviteMessage('一年级（1）班', 'AB12CD')).toContain('班级码 AB12CD')
})

test('the time span of a run, in Shanghai time', () => {
  const start = Date.parse('2026-11-01T02:00:00+08:00')
  expect(timeRange(start, start + 60_000)).toBe('2026-11-01 02:00 — 02:01')
  expect(timeRange(start, start + 86_400_000)).toBe('2026-11-01 02:00 — 2026-11-02 02:00')
  expect(timeRange(start, null)).toBe('2026-11-01 02:00')
})
