/**
 * The past year of monthly statistics for the demo county — what the timer trigger would have stored by now —
 * so the dashboards have trends to show. Used by the H5 preview (fresh data) and the end-to-end journeys.
 */
import type { LocalCloud } from '../localcloud'
import { monthOf, previousMonthOf } from '@/shared/calendar'
import { DEMO_BUREAU } from './demo-data'

export async function snapshotHistory(cloud: LocalCloud, months = 13): Promise<string[]> {
  const list = [monthOf(Date.now()).id]
  while (list.length < months) list.unshift(previousMonthOf(`${list[0]}-01`).id)
  for (const month of list) {
    const { result } = await cloud.invoke('stats', { action: 'recompute', data: { scope: 'county', month } }, { openid: DEMO_BUREAU })
    if (!(result as { ok?: boolean }).ok) throw new Error(`statistics for ${month} failed: ${JSON.stringify(result)}`)
  }
  return list
}
