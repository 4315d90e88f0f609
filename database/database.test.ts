/** The checked-in database files agree with each other: every collection is declared once, admin-only, with sane indexes. */
import collections from './collections.json'
import rules from './security-rules.json'

const names = collections.collections.map((c) => c.name)

describe('database files', () => {
  it('declares each collection once', () => {
    expect(new Set(names).size).toBe(names.length)
  })

  it('makes every collection admin-only: no client reads or writes, and nothing else by default', () => {
    expect(rules.default).toEqual({ read: false, write: false })
    expect(Object.keys(rules.collections).sort()).toEqual([...names].sort())
    for (const rule of Object.values(rules.collections)) expect(rule).toEqual({ read: false, write: false })
  })

  it('names indexes uniquely per collection, with ascending/descending keys only', () => {
    for (const c of collections.collections) {
      const idx = c.indexes.map((i) => i.name)
      expect(new Set(idx).size).toBe(idx.length)
      for (const i of c.indexes) {
        expect(Object.keys(i.keys).length).toBeGreaterThan(0)
        for (const dir of Object.values(i.keys)) expect([1, -1]).toContain(dir)
      }
    }
  })

  it('has a unique index on users.openid, which keeps one account per WeChat user', () => {
    const users = collections.collections.find((c) => c.name === 'users')
    expect(users?.indexes).toContainEqual({ name: 'openid_unique', keys: { openid: 1 }, unique: true })
  })
})
