/** Loads the demo county into a local cloud's store (once: an existing data folder is left as it is). */
import fs from 'node:fs'
import path from 'node:path'
import { buildDemoData, type DemoUser } from './demo-data'

export interface SeedableStore {
  insertMany(coll: string, docs: Array<Record<string, unknown>>): unknown
  count(coll: string, query?: Record<string, unknown>): number
}

export function seedDemo(store: SeedableStore, demoUsersFile: string, now?: Date): { seeded: boolean; demoUsers: DemoUser[] } {
  const data = buildDemoData(now)
  fs.mkdirSync(path.dirname(demoUsersFile), { recursive: true })
  fs.writeFileSync(demoUsersFile, JSON.stringify(data.demoUsers, null, 2))
  if (store.count('schools') > 0) return { seeded: false, demoUsers: data.demoUsers }
  for (const [coll, docs] of Object.entries(data.collections)) store.insertMany(coll, docs)
  return { seeded: true, demoUsers: data.demoUsers }
}
