/** Leaving a 家访 page: back to where the user came from, else to `fallback` (opened by a link or a reminder). */
import Taro from '@tarojs/taro'
import { PAGES } from '@/store/route'

export function leave(fallback: string = PAGES.launch) {
  if (Taro.getCurrentPages().length > 1) void Taro.navigateBack().catch(() => Taro.redirectTo({ url: fallback }))
  else void Taro.redirectTo({ url: fallback }).catch(() => Taro.reLaunch({ url: PAGES.launch }))
}

/** A record's day (YYYY-MM-DD) as people write it: 2026年11月20日. */
export function dayText(day: string): string {
  const [y, m, d] = day.split('-').map(Number)
  return y && m && d ? `${y}年${m}月${d}日` : day
}
