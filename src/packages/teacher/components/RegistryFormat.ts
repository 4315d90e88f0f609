/** The special-student registry as the teacher's page shows it (pure, unit-tested). */
import type { RegistryView } from '@/shared/contract-visits'

/** Overdue first, then the soonest due, then by class and name (the order of one class's list from the cloud). */
export function compareRegistry(a: RegistryView, b: RegistryView): number {
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1
  if (a.dueAt !== b.dueAt) return a.dueAt - b.dueAt
  return a.className.localeCompare(b.className, 'zh') || a.name.localeCompare(b.name, 'zh')
}

/** The registries of several classes (one answer each) as one list, overdue first; an entry listed twice once. */
export function mergeRegistries(lists: ReadonlyArray<readonly RegistryView[]>): RegistryView[] {
  const seen = new Set<string>()
  const all: RegistryView[] = []
  for (const list of lists) {
    for (const e of list) {
      if (seen.has(e.studentId)) continue
      seen.add(e.studentId)
      all.push(e)
    }
  }
  return all.sort(compareRegistry)
}

/** "每 30 天随访一次" */
export function intervalText(days: number): string {
  return `每 ${days} 天随访一次`
}
