import collections from '../database/collections.json'
import { ROLES } from '@/shared/roles'
import { buildDemoData } from './demo-data'

const data = buildDemoData()
const c = data.collections

describe('demo county', () => {
  it('has 3 schools, 30 classes and about 1,200 students, as the preview promises', () => {
    expect(c.schools).toHaveLength(3)
    expect(c.classes).toHaveLength(30)
    expect(c.students.length).toBeGreaterThan(1100)
    expect(c.students.length).toBeLessThan(1300)
  })

  it('offers a demo user for every role, across more than one school', () => {
    const byOpenid = new Map(c.memberships.map((m) => [m.openid as string, m]))
    const roles = new Set(c.memberships.filter((m) => data.demoUsers.some((u) => u.openid === m.openid)).map((m) => m.role))
    for (const r of ROLES) expect(roles).toContain(r)
    const schools = new Set(data.demoUsers.map((u) => byOpenid.get(u.openid)?.schoolId).filter(Boolean))
    expect(schools.size).toBeGreaterThan(1)
  })

  it('respects every unique index declared in database/collections.json', () => {
    for (const spec of collections.collections) {
      for (const idx of spec.indexes.filter((i) => 'unique' in i && i.unique)) {
        const seen = new Set<string>()
        for (const doc of c[spec.name] ?? []) {
          const key = JSON.stringify(Object.keys(idx.keys).map((k) => doc[k] ?? null))
          expect(seen.has(key)).toBe(false)
          seen.add(key)
        }
      }
    }
  })

  it('is the same on every run', () => {
    expect(JSON.stringify(buildDemoData().collections.students.slice(0, 50))).toBe(JSON.stringify(c.students.slice(0, 50)))
  })

  it('binds at least 60% but not all students to a guardian, so gaps can be shown', () => {
    const bound = new Set(c.memberships.filter((m) => m.role === 'guardian').map((m) => m.studentId))
    const share = bound.size / c.students.length
    expect(share).toBeGreaterThan(0.6)
    expect(share).toBeLessThan(1)
  })
})
