/** The SQLite store and the transaction manager on their own (no functions, no HTTP). */
import fs from 'fs'
import path from 'path'
import { CollectionSpec, Store } from './store'
import { TransactionManager } from './transactions'
import { rmrf, tempDir } from './test-helpers'

let root: string

beforeEach(() => {
  root = tempDir('store')
})

afterEach(() => rmrf(root))

const specs: CollectionSpec[] = [{ name: 'users', indexes: [{ name: 'openid_unique', keys: { openid: 1 }, unique: true }, { name: 'pair_unique', keys: { a: 1, b: 1 }, unique: true }] }]

describe('Store', () => {
  it('persists documents (Dates included) and collections across reopen', () => {
    const s1 = new Store(path.join(root, 'data'), specs)
    const [id] = s1.insertMany('users', [{ openid: 'o1', at: new Date('2024-05-06T07:08:09Z'), n: 1.5, big: 2 ** 40 }])
    expect(id).toMatch(/^[0-9a-f]{32}$/)
    s1.insertMany('extra', [{ _id: 'x' }]) // insertMany creates unknown collections
    s1.close()
    const s2 = new Store(path.join(root, 'data'), specs)
    const [doc] = s2.find('users', { openid: 'o1' })
    expect(doc).toEqual({ _id: id, openid: 'o1', at: new Date('2024-05-06T07:08:09Z'), n: 1.5, big: 2 ** 40 })
    expect(doc.at).toBeInstanceOf(Date)
    expect(s2.hasCollection('extra')).toBe(true)
    expect(s2.count('extra')).toBe(1)
    // unique indexes are rebuilt from the stored data
    expect(() => s2.insertMany('users', [{ openid: 'o1' }])).toThrow(/E11000 .* openid_unique/)
    s2.close()
  })

  it('returns copies from find(), never the stored objects', () => {
    const s = new Store(path.join(root, 'data'), specs)
    s.insertMany('users', [{ _id: 'u', openid: 'o', tags: ['a'] }])
    const [d] = s.find('users', {})
    ;(d.tags as string[]).push('b')
    expect(s.find('users', {})[0].tags).toEqual(['a'])
    s.close()
  })

  it('enforces compound unique indexes with missing fields as null', () => {
    const s = new Store(path.join(root, 'data'), specs)
    s.insertMany('users', [{ openid: '1', a: 1 }])
    expect(() => s.insertMany('users', [{ openid: '2', a: 1 }])).toThrow(/pair_unique dup key: \{ a: 1, b: null \}/)
    s.insertMany('users', [{ openid: '3', a: 1, b: 2 }])
    expect(s.count('users')).toBe(2)
    s.clear()
    expect(s.count('users')).toBe(0)
    s.insertMany('users', [{ openid: '2', a: 1 }]) // the index was cleared too
    s.close()
  })

  it('refuses a data folder another live process owns, and takes over a dead owner\'s lock', () => {
    const dir = path.join(root, 'data')
    fs.mkdirSync(dir, { recursive: true })
    fs.writeFileSync(path.join(dir, 'localcloud.lock'), String(process.ppid))
    expect(() => new Store(dir, specs)).toThrow(/in use by process/)
    fs.writeFileSync(path.join(dir, 'localcloud.lock'), '999999999')
    const s = new Store(dir, specs)
    expect(fs.readFileSync(path.join(dir, 'localcloud.lock'), 'utf8')).toBe(String(process.pid))
    s.close()
    expect(fs.existsSync(path.join(dir, 'localcloud.lock'))).toBe(false)
  })
})

describe('TransactionManager', () => {
  it('aborts a transaction idle for longer than the limit', async () => {
    const s = new Store(path.join(root, 'data'), specs)
    const txns = new TransactionManager(s, { idleMs: 150 })
    const t = txns.start()
    txns.write(t, 'users', 'k', { _id: 'k', openid: 'x' })
    await new Promise((r) => setTimeout(r, 450))
    expect(() => txns.commit(t.id)).toThrow(/aborted \(expired after/)
    expect(s.count('users')).toBe(0)
    const t2 = txns.start()
    txns.commit(t2.id) // an empty transaction commits
    expect(() => txns.abort(t2.id)).toThrow(/already been committed/)
    expect(() => txns.get('unknown')).toThrow(/does not exist/)
    txns.close()
    s.close()
  })

  it('keeps the snapshot of documents deleted or inserted after the start', () => {
    const s = new Store(path.join(root, 'data'), specs)
    const txns = new TransactionManager(s)
    s.insertMany('users', [{ _id: 'a', openid: 'a', a: 1 }])
    const t = txns.start()
    s.commit([{ coll: 'users', key: 'a', after: null }])
    s.insertMany('users', [{ _id: 'b', openid: 'b', a: 2 }])
    expect(txns.read(t, 'users', 'a')).toEqual({ _id: 'a', openid: 'a', a: 1 })
    expect(txns.read(t, 'users', 'b')).toBeNull()
    // inserting an id someone else inserted after our start conflicts at commit
    txns.write(t, 'users', 'b', { _id: 'b', openid: 'bb', a: 3 })
    // …and the view's unique check sees the snapshot: 'a' still holds openid 'a' there
    expect(() => txns.write(t, 'users', 'c', { _id: 'c', openid: 'a', a: 4 })).toThrow(/openid_unique/)
    expect(() => txns.commit(t.id)).toThrow(/WriteConflict/)
    expect(s.find('users', { _id: 'b' })[0].openid).toBe('b')
    txns.close()
    s.close()
  })
})
