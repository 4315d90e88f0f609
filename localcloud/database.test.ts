/**
 * The TCB database API of the local cloud, exercised by throwaway cloud functions that use the genuine
 * wx-server-sdk exactly as production code does.
 */
import path from 'path'
import { startLocalCloud, LocalCloud } from './index'
import { httpRequest, rmrf, tempDir, writeCollections, writeFunctions } from './test-helpers'

jest.setTimeout(30_000)

let root: string
let cloud: LocalCloud

const ITEMS = [
  { _id: 'i1', sku: 'A1', name: 'Apple', price: 5, qty: 10, tags: ['fruit', 'red'], meta: { origin: 'CN', grade: 1 }, at: new Date('2024-01-01T00:00:00Z') },
  { _id: 'i2', sku: 'B1', name: 'banana', price: 2, qty: 0, tags: ['fruit'], meta: { origin: 'EC', grade: 2 }, at: new Date('2024-02-01T00:00:00Z') },
  { _id: 'i3', sku: 'C1', name: 'Carrot', price: 1, qty: 50, tags: ['veg'], meta: { origin: 'CN', grade: 3 }, at: new Date('2024-03-01T00:00:00Z') },
  { _id: 'i4', sku: 'A2', name: 'apricot', price: 8, qty: 5, tags: ['fruit'], meta: { origin: 'TR', grade: 1 }, at: new Date('2024-04-01T00:00:00Z') },
  { _id: 'i5', sku: 'D1', name: 'Durian', price: 30, qty: 2, tags: ['fruit', 'smelly'], meta: { origin: 'TH', grade: 2 }, at: new Date('2024-05-01T00:00:00Z') }
]

beforeAll(async () => {
  root = tempDir('db')
  const functionsDir = writeFunctions(path.join(root, 'functions'), {
    queries: `exports.main = async () => {
      const c = db.collection('items')
      const pick = (r) => r.data.map((d) => d._id)
      return {
        gt: pick(await c.where({ price: _.gt(4) }).get()),
        in: pick(await c.where({ sku: _.in(['A1', 'C1', 'ZZ']) }).get()),
        nin: pick(await c.where({ sku: _.nin(['A1', 'A2']) }).get()),
        or: pick(await c.where(_.or([{ price: _.lt(2) }, { qty: 0 }])).get()),
        andRange: pick(await c.where({ price: _.gte(2).and(_.lte(8)) }).get()),
        regexp: pick(await c.where({ name: db.RegExp({ regexp: '^a', options: 'i' }) }).get()),
        jsRegexp: pick(await c.where({ name: /an/ }).get()),
        nestedObject: pick(await c.where({ meta: { origin: 'CN' } }).get()),
        nestedPath: pick(await c.where({ 'meta.grade': _.lte(1) }).get()),
        date: pick(await c.where({ at: _.gte(new Date('2024-03-01T00:00:00Z')) }).get()),
        arrayContains: pick(await c.where({ tags: 'red' }).get()),
        all: pick(await c.where({ tags: _.all(['fruit', 'smelly']) }).get()),
        exists: await c.where({ discount: _.exists(false) }).count(),
        page: pick(await c.orderBy('price', 'desc').skip(1).limit(2).get()),
        multiOrder: pick(await c.orderBy('meta.origin', 'asc').orderBy('price', 'desc').get()),
        field: (await c.where({ _id: 'i1' }).field({ name: true, 'meta.origin': true }).get()).data,
        docField: (await c.doc('i3').field({ price: true }).get()).data,
        countFruit: (await c.where({ tags: 'fruit' }).count()).total,
        doc: await c.doc('i2').get().then((r) => ({ name: r.data.name, isDate: r.data.at instanceof Date, at: r.data.at.toISOString() })),
        missing: await caught(c.doc('nope').get()),
        emptyWhere: pick(await c.where({ price: _.gt(1000) }).get())
      }
    }`,
    updates: `
    const ops = {
      set: { s: _.set({ x: 1 }) },
      unset: { gone: _.remove() },
      inc: { n: _.inc(5) },
      mul: { n: _.mul(3) },
      push: { arr: _.push({ each: [9, 8], position: 1, slice: 4 }) },
      pushSimple: { arr: _.push(7) },
      pull: { arr: _.pull(_.gt(2)) },
      pullAll: { arr: _.pullAll([1, 3]) },
      addToSetExisting: { arr: _.addToSet(2) },
      addToSetEach: { arr: _.addToSet({ $each: [2, 5] }) },
      pop: { arr: _.pop() },
      shift: { arr: _.shift() },
      unshift: { arr: _.unshift([0]) },
      min: { n: _.min(1), d: _.min(new Date('2020-01-01T00:00:00Z')) },
      max: { n: _.max(100), d: _.max(new Date('2020-01-01T00:00:00Z')) },
      rename: { old: _.rename('renamed') },
      nestedMerge: { o: { p: 2 } },
      dotted: { 'o.q': _.inc(1) }
    }
    exports.main = async () => {
      const out = {}
      for (const [k, data] of Object.entries(ops)) {
        const id = 'u-' + k
        await db.collection('docs').doc(id).set({ data: { n: 2, arr: [1, 2, 3], gone: 'x', old: 'o', o: { p: 1, q: 1 }, d: new Date('2021-01-01T00:00:00Z') } })
        const r = await db.collection('docs').doc(id).update({ data })
        const got = await db.collection('docs').doc(id).get()
        out[k] = { updated: r.stats.updated, doc: got.data }
      }
      out.incOnString = await caught(db.collection('docs').doc('u-inc').update({ data: { old: _.inc(1) } }))
      return out
    }`,
    setVsUpdate: `exports.main = async () => {
      const c = db.collection('docs')
      const created = await c.doc('m1').set({ data: { a: 1, b: { x: 1, y: 1 } } })
      const merged = await c.doc('m1').update({ data: { b: { x: 2 } } })
      const afterMerge = (await c.doc('m1').get()).data
      const replaced = await c.doc('m1').set({ data: { c: 3 } })
      const afterSet = (await c.doc('m1').get()).data
      const sameAgain = await c.doc('m1').update({ data: { c: 3 } })
      const missingUpdate = await c.doc('m-none').update({ data: { c: 1 } })
      return { created: created.stats, merged: merged.stats, afterMerge, replaced: replaced.stats, afterSet, sameAgain: sameAgain.stats, missingUpdate: missingUpdate.stats }
    }`,
    multi: `exports.main = async () => {
      const c = db.collection('items')
      const upd = await c.where({ tags: 'fruit' }).update({ data: { onSale: true } })
      const sale = (await c.where({ onSale: true }).count()).total
      const rem = await c.where({ qty: 0 }).remove()
      const left = (await c.count()).total
      const one = await c.doc('i5').remove()
      const none = await c.doc('i5').remove()
      return { updated: upd.stats.updated, sale, removed: rem.stats.removed, left, one: one.stats.removed, none: none.stats.removed }
    }`,
    aggregate: `exports.main = async () => {
      const byOrigin = await db.collection('items').aggregate()
        .match({ tags: 'fruit' })
        .group({ _id: '$meta.origin', n: $.sum(1), total: $.sum('$price') })
        .sort({ total: -1 })
        .limit(3)
        .end()
      const lookup = await db.collection('items').aggregate()
        .match({ sku: _.in(['A1', 'C1']) })
        .lookup({ from: 'orders', localField: 'sku', foreignField: 'sku', as: 'orders' })
        .project({ _id: 0, sku: 1, cnt: $.size('$orders'), qty: $.sum('$orders.n') })
        .sort({ sku: 1 })
        .limit(10)
        .end()
      const noLimit = await db.collection('bulk').aggregate().match({}).end()
      const withLimit = await db.collection('bulk').aggregate().match({}).limit(100).end()
      const count = (await db.collection('bulk').where({ k: _.gte(10) }).count()).total
      return { byOrigin: byOrigin.list, lookup: lookup.list, noLimit: noLimit.list.length, withLimit: withLimit.list.length, count }
    }`,
    serverDate: `exports.main = async () => {
      const r = await db.collection('docs').add({ data: { _id: 'sd', at: db.serverDate(), later: db.serverDate({ offset: 60000 }), nested: { at: db.serverDate() } } })
      const got = (await db.collection('docs').doc('sd').get()).data
      await db.collection('docs').doc('sd').update({ data: { touched: db.serverDate() } })
      return { id: r._id, isDate: got.at instanceof Date, diff: got.later.getTime() - got.at.getTime() }
    }`,
    unique: `exports.main = async () => {
      const c = db.collection('items')
      const dupAdd = await caught(c.add({ data: { sku: 'A1', name: 'dup' } }))
      const dupBatch = await caught(c.add({ data: [{ sku: 'N1' }, { sku: 'A1' }] }))
      const dupUpdate = await caught(c.doc('i2').update({ data: { sku: 'A1' } }))
      const dupMulti = await caught(c.where({ tags: 'fruit' }).update({ data: { sku: 'SAME' } }))
      const dupId = await caught(c.add({ data: { _id: 'i1', sku: 'ZZ' } }))
      const missing1 = await caught(c.add({ data: { name: 'no-sku-1' } }))
      const missing2 = await caught(c.add({ data: { name: 'no-sku-2' } }))
      const dupSet = await caught(c.doc('i3').set({ data: { sku: 'D1' } }))
      return { dupAdd, dupBatch, dupUpdate, dupMulti, dupId, missing1, missing2, dupSet }
    }`,
    collections: `exports.main = async () => {
      const missing = await caught(db.collection('notThere').get())
      const missingAdd = await caught(db.collection('notThere').add({ data: { a: 1 } }))
      const created = await caught(db.createCollection('madeAtRuntime'))
      const again = await caught(db.createCollection('madeAtRuntime'))
      const add = await db.collection('madeAtRuntime').add({ data: { a: 1 } })
      return { missing, missingAdd, created, again, added: typeof add._id }
    }`,
    txSnapshot: `exports.main = async () => {
      const acc = db.collection('acc')
      const t = await db.startTransaction()
      const before = (await t.collection('acc').doc('a').get()).data.bal
      await acc.doc('a').update({ data: { bal: 50 } })
      const snapshot = (await t.collection('acc').doc('a').get()).data.bal
      await t.collection('acc').doc('b').update({ data: { bal: _.inc(10) } })
      const own = (await t.collection('acc').doc('b').get()).data.bal
      await t.collection('acc').add({ data: { _id: 'new1', bal: 1 } })
      const outsideB = (await acc.doc('b').get()).data.bal
      const outsideNew = (await acc.where({ _id: 'new1' }).get()).data.length
      await t.commit()
      const afterB = (await acc.doc('b').get()).data.bal
      const afterNew = (await acc.where({ _id: 'new1' }).get()).data.length
      const opAfterCommit = await caught(t.collection('acc').doc('a').get())
      const commitAgain = await caught(t.commit())
      return { before, snapshot, own, outsideB, outsideNew, afterB, afterNew, opAfterCommit, commitAgain }
    }`,
    txConflict: `exports.main = async () => {
      const t1 = await db.startTransaction()
      const t2 = await db.startTransaction()
      await t1.collection('acc').doc('c').update({ data: { bal: _.inc(1) } })
      await t2.collection('acc').doc('c').update({ data: { bal: _.inc(100) } })
      const c1 = await caught(t1.commit())
      const c2 = await caught(t2.commit())
      const t2After = await caught(t2.collection('acc').doc('c').get())
      // a transaction writing a document changed (by a plain write) after it started
      const t3 = await db.startTransaction()
      await t3.collection('acc').doc('d').get()
      await db.collection('acc').doc('d').update({ data: { bal: 7 } })
      await t3.collection('acc').doc('d').update({ data: { bal: 999 } })
      const c3 = await caught(t3.commit())
      // rollback discards
      const t4 = await db.startTransaction()
      await t4.collection('acc').doc('d').update({ data: { bal: 12345 } })
      await t4.rollback()
      // unique index inside a transaction: against its own view, and at commit against later commits
      const t5 = await db.startTransaction()
      const dupInTx = await caught(t5.collection('items').add({ data: { sku: 'A1' } }))
      await t5.collection('items').add({ data: { _id: 'tx-n', sku: 'TXN' } })
      await db.collection('items').add({ data: { sku: 'TXN' } })
      const c5 = await caught(t5.commit())
      return { c1, c2, t2After, c3, c5, dupInTx, c: (await db.collection('acc').doc('c').get()).data.bal, d: (await db.collection('acc').doc('d').get()).data.bal, txn: (await db.collection('items').where({ _id: 'tx-n' }).count()).total }
    }`,
    txRetry: `exports.main = async () => {
      let attempts = 0
      const value = await db.runTransaction(async (t) => {
        attempts++
        const cur = (await t.collection('acc').doc('e').get()).data.bal
        if (attempts === 1) await db.collection('acc').doc('e').update({ data: { bal: _.inc(1000) } })
        await t.collection('acc').doc('e').update({ data: { bal: cur + 1 } })
        return cur + 1
      })
      const rolledBack = await db.runTransaction(async (t) => {
        await t.collection('acc').doc('e').update({ data: { bal: -1 } })
        await t.rollback('nope')
      }).then(() => 'committed', (e) => e)
      return { attempts, value, bal: (await db.collection('acc').doc('e').get()).data.bal, rolledBack }
    }`,
    txIncrement: `exports.main = async (event) => {
      let attempts = 0
      await db.runTransaction(async (t) => {
        attempts++
        const cur = (await t.collection('acc').doc('counter').get()).data.bal
        await sleep(event.pause)
        await t.collection('acc').doc('counter').update({ data: { bal: cur + 1 } })
      }, 50)
      return attempts
    }`,
    nap: `exports.main = async (event) => { await sleep(event.ms); return 1 }`,
    txWhere: `exports.main = async () => {
      const t = await db.startTransaction()
      const r = await caught(t.collection('acc').where({ bal: _.gt(0) }).get())
      await t.rollback()
      return r
    }`
  })
  const collectionsFile = writeCollections(path.join(root, 'collections.json'), [
    { name: 'items', indexes: [{ name: 'sku_unique', keys: { sku: 1 }, unique: true }, { name: 'price', keys: { price: 1 } }] },
    { name: 'docs', indexes: [] },
    { name: 'orders', indexes: [] },
    { name: 'bulk', indexes: [] },
    { name: 'acc', indexes: [] }
  ])
  cloud = await startLocalCloud({ dataDir: path.join(root, 'data'), functionsDir, collectionsFile })
})

afterAll(async () => {
  await cloud?.close()
  rmrf(root)
})

beforeEach(() => {
  cloud.store.clear()
  cloud.store.insertMany('items', ITEMS)
  cloud.store.insertMany('orders', [
    { _id: 'o1', sku: 'A1', n: 2 },
    { _id: 'o2', sku: 'A1', n: 1 },
    { _id: 'o3', sku: 'C1', n: 5 }
  ])
  cloud.store.insertMany('bulk', Array.from({ length: 25 }, (_, k) => ({ k })))
  cloud.store.insertMany('acc', ['a', 'b', 'c', 'd', 'e', 'counter'].map((id) => ({ _id: id, bal: 100 })))
})

const run = async (name: string, event: unknown = {}): Promise<Record<string, unknown>> => (await cloud.invoke(name, event, { openid: 'o-test' })).result as Record<string, unknown>

describe('queries', () => {
  it('evaluates where/orderBy/skip/limit/field like WeChat Cloud', async () => {
    const r = await run('queries')
    expect(r.gt).toEqual(['i1', 'i4', 'i5'])
    expect(r.in).toEqual(['i1', 'i3'])
    expect(r.nin).toEqual(['i2', 'i3', 'i5'])
    expect(r.or).toEqual(['i2', 'i3'])
    expect(r.andRange).toEqual(['i1', 'i2', 'i4'])
    expect(r.regexp).toEqual(['i1', 'i4'])
    expect(r.jsRegexp).toEqual(['i2', 'i5'])
    expect(r.nestedObject).toEqual(['i1', 'i3'])
    expect(r.nestedPath).toEqual(['i1', 'i4'])
    expect(r.date).toEqual(['i3', 'i4', 'i5'])
    expect(r.arrayContains).toEqual(['i1'])
    expect(r.all).toEqual(['i5'])
    expect(r.exists).toMatchObject({ total: 5 })
    expect(r.page).toEqual(['i4', 'i1'])
    expect(r.multiOrder).toEqual(['i1', 'i3', 'i2', 'i5', 'i4'])
    expect(r.field).toEqual([{ _id: 'i1', name: 'Apple', meta: { origin: 'CN' } }])
    expect(r.docField).toEqual({ _id: 'i3', price: 1 })
    expect(r.countFruit).toBe(4)
    expect(r.doc).toEqual({ name: 'banana', isDate: true, at: '2024-02-01T00:00:00.000Z' })
    expect(r.missing).toMatchObject({ ok: false })
    expect(String((r.missing as { errMsg: string }).errMsg)).toContain('does not exist')
    expect(r.emptyWhere).toEqual([])
  })
})

describe('updates', () => {
  it('applies every update operator', async () => {
    const r = (await run('updates')) as Record<string, { updated: number; doc: Record<string, unknown> }>
    expect(r.set.doc.s).toEqual({ x: 1 })
    expect(r.unset.doc).not.toHaveProperty('gone')
    expect(r.inc.doc.n).toBe(7)
    expect(r.mul.doc.n).toBe(6)
    expect(r.push.doc.arr).toEqual([1, 9, 8, 2])
    expect(r.pushSimple.doc.arr).toEqual([1, 2, 3, 7])
    expect(r.pull.doc.arr).toEqual([1, 2])
    expect(r.pullAll.doc.arr).toEqual([2])
    expect(r.addToSetExisting).toMatchObject({ updated: 0, doc: { arr: [1, 2, 3] } })
    expect(r.addToSetEach.doc.arr).toEqual([1, 2, 3, 5])
    expect(r.pop.doc.arr).toEqual([1, 2])
    expect(r.shift.doc.arr).toEqual([2, 3])
    expect(r.unshift.doc.arr).toEqual([0, 1, 2, 3])
    expect(r.min.doc).toMatchObject({ n: 1, d: '2020-01-01T00:00:00.000Z' })
    expect(r.max.doc).toMatchObject({ n: 100, d: '2021-01-01T00:00:00.000Z' })
    expect(r.rename.doc).toMatchObject({ renamed: 'o' })
    expect(r.rename.doc).not.toHaveProperty('old')
    expect(r.nestedMerge.doc.o).toEqual({ p: 2, q: 1 })
    expect(r.dotted.doc.o).toEqual({ p: 1, q: 2 })
    for (const k of ['set', 'unset', 'inc', 'mul', 'push', 'pull', 'rename', 'nestedMerge']) expect(r[k].updated).toBe(1)
    expect(r.incOnString).toMatchObject({ ok: false, errCode: -502001 })
    // stored Dates stay Dates
    expect(cloud.store.find('docs', { _id: 'u-min' })[0].d).toBeInstanceOf(Date)
  })

  it('set() replaces the whole document, update() merges', async () => {
    const r = await run('setVsUpdate')
    expect(r.created).toEqual({ updated: 0, created: 1 })
    expect(r.afterMerge).toEqual({ _id: 'm1', a: 1, b: { x: 2, y: 1 } })
    expect(r.replaced).toEqual({ updated: 1, created: 0 })
    expect(r.afterSet).toEqual({ _id: 'm1', c: 3 })
    expect(r.sameAgain).toEqual({ updated: 0 })
    expect(r.missingUpdate).toEqual({ updated: 0 })
    expect(cloud.store.count('docs', { _id: 'm-none' })).toBe(0)
  })

  it('updates and removes many documents', async () => {
    const r = await run('multi')
    expect(r).toEqual({ updated: 4, sale: 4, removed: 1, left: 4, one: 1, none: 0 })
  })

  it('resolves serverDate to a Date on the server', async () => {
    const t0 = Date.now()
    const r = await run('serverDate')
    const t1 = Date.now()
    expect(r).toEqual({ id: 'sd', isDate: true, diff: 60000 })
    const [doc] = cloud.store.find('docs', { _id: 'sd' })
    expect(doc.at).toBeInstanceOf(Date)
    expect((doc.at as Date).getTime()).toBeGreaterThanOrEqual(t0)
    expect((doc.at as Date).getTime()).toBeLessThanOrEqual(t1)
    expect((doc.nested as { at: unknown }).at).toBeInstanceOf(Date)
    expect(doc.touched).toBeInstanceOf(Date)
  })
})

describe('count and aggregate', () => {
  it('runs match/group/sort/limit/lookup/project pipelines', async () => {
    const r = await run('aggregate')
    expect(r.byOrigin).toEqual([
      { _id: 'TH', n: 1, total: 30 },
      { _id: 'TR', n: 1, total: 8 },
      { _id: 'CN', n: 1, total: 5 }
    ])
    expect(r.lookup).toEqual([
      { sku: 'A1', cnt: 2, qty: 3 },
      { sku: 'C1', cnt: 1, qty: 5 }
    ])
    expect(r.noLimit).toBe(20) // WeChat Cloud's default when the pipeline has no $limit
    expect(r.withLimit).toBe(25)
    expect(r.count).toBe(15)
  })
})

describe('collections and unique indexes', () => {
  it('rejects duplicates of a unique index without partial writes', async () => {
    const r = (await run('unique')) as Record<string, { ok: boolean; errCode?: number; errMsg?: string }>
    for (const k of ['dupAdd', 'dupBatch', 'dupUpdate', 'dupMulti', 'dupId', 'missing2', 'dupSet']) {
      expect({ k, ok: r[k].ok, errCode: r[k].errCode }).toEqual({ k, ok: false, errCode: -502001 })
      expect(r[k].errMsg).toContain('E11000 duplicate key error collection: items')
    }
    expect(r.dupAdd.errMsg).toContain('index: sku_unique dup key: { sku: "A1" }')
    expect(r.dupId.errMsg).toContain('index: _id_')
    expect(r.missing1.ok).toBe(true) // a missing field indexes as null (MongoDB semantics) …
    expect(r.missing2.errMsg).toContain('dup key: { sku: null }') // … so a second document without it collides
    // nothing partial
    expect(cloud.store.count('items', { sku: 'N1' })).toBe(0)
    expect(cloud.store.find('items', { _id: 'i2' })[0].sku).toBe('B1')
    expect(cloud.store.count('items', { sku: 'SAME' })).toBe(0)
    expect(cloud.store.find('items', { _id: 'i3' })[0]).toMatchObject({ sku: 'C1', name: 'Carrot' })
    expect(cloud.store.count('items', {})).toBe(6)
    // the store's own insertMany enforces them too, all-or-nothing
    expect(() => cloud.store.insertMany('items', [{ sku: 'Q1' }, { sku: 'A1' }])).toThrow(/E11000/)
    expect(cloud.store.count('items', { sku: 'Q1' })).toBe(0)
  })

  it('answers DATABASE_COLLECTION_NOT_EXIST for unknown collections; createCollection creates one', async () => {
    const r = (await run('collections')) as Record<string, { ok: boolean; errCode?: number; errMsg?: string }>
    expect(r.missing).toMatchObject({ ok: false, errCode: -502005 })
    expect(r.missing.errMsg).toContain('notThere')
    expect(r.missingAdd).toMatchObject({ ok: false, errCode: -502005 })
    expect(r.created.ok).toBe(true)
    expect(r.again.ok).toBe(false)
    expect(r.added).toBe('string')
  })
})

describe('transactions', () => {
  it('reads a snapshot plus its own writes; writes are invisible outside until commit', async () => {
    const r = (await run('txSnapshot')) as Record<string, unknown>
    expect(r).toMatchObject({ before: 100, snapshot: 100, own: 110, outsideB: 100, outsideNew: 0, afterB: 110, afterNew: 1 })
    expect(r.opAfterCommit).toMatchObject({ ok: false })
    expect(String((r.opAfterCommit as { errMsg: string }).errMsg)).toMatch(/already been committed/)
    expect(r.commitAgain).toMatchObject({ ok: false, code: 'DATABASE_TRANSACTION_FAIL' })
    expect(cloud.store.find('acc', { _id: 'a' })[0].bal).toBe(50)
  })

  it('fails the second of two conflicting transactions with DATABASE_TRANSACTION_CONFLICT', async () => {
    const r = (await run('txConflict')) as Record<string, { ok: boolean; code?: string; errMsg?: string }> & { c: number; d: number; txn: number }
    expect(r.c1).toEqual({ ok: true })
    expect(r.c2).toMatchObject({ ok: false, code: 'DATABASE_TRANSACTION_CONFLICT' })
    expect(r.t2After.ok).toBe(false) // the conflicting transaction was aborted
    expect(r.c3).toMatchObject({ ok: false, code: 'DATABASE_TRANSACTION_CONFLICT' })
    expect(r.c).toBe(101)
    expect(r.d).toBe(7) // neither the conflicting t3 nor the rolled-back t4 wrote
    expect(r.dupInTx).toMatchObject({ ok: false, errCode: -502001 })
    expect(r.c5).toMatchObject({ ok: false, code: 'DATABASE_TRANSACTION_CONFLICT' })
    expect(r.txn).toBe(0)
  })

  it('runTransaction retries after a conflict and then succeeds; rollback(reason) rejects with the reason', async () => {
    const r = await run('txRetry')
    expect(r).toEqual({ attempts: 2, value: 1101, bal: 1101, rolledBack: 'nope' })
  })

  it('concurrent read-modify-write transactions lose no update', async () => {
    const n = 6
    // warm n workers first so the transactions really overlap
    await Promise.all(Array.from({ length: n }, () => cloud.invoke('nap', { ms: 300 }, { openid: 'o-warm' })))
    const attempts = await Promise.all(Array.from({ length: n }, (_, k) => cloud.invoke('txIncrement', { pause: 150 + k * 5 }, { openid: `o-${k}` })))
    expect(cloud.store.find('acc', { _id: 'counter' })[0].bal).toBe(100 + n)
    expect(attempts.reduce((s, a) => s + (a.result as number), 0)).toBeGreaterThan(n) // some had to retry
  })

  it('refuses where() queries inside a transaction (single-document operations only)', async () => {
    const r = await run('txWhere')
    expect(r).toMatchObject({ ok: false, errCode: -502001 })
    expect(String(r.errMsg)).toContain('single-document')
  })
})

describe('TCB API surface', () => {
  it('answers an unsupported action with LOCALCLOUD_UNSUPPORTED_ACTION naming it', async () => {
    const res = await httpRequest(`${cloud.url}/admin?env=local`, { body: { action: 'database.fooBar', collectionName: 'items' } })
    expect(res.status).toBe(200)
    const body = res.json() as Record<string, unknown>
    expect(body.code).toBe('LOCALCLOUD_UNSUPPORTED_ACTION')
    expect(String(body.message)).toContain('database.fooBar')
    expect(typeof body.requestId).toBe('string')
  })

  it('replies with requestId and EJSON documents', async () => {
    const res = await httpRequest(`${cloud.url}/admin?env=local`, { body: { action: 'database.getDocument', collectionName: 'items', queryType: 'DOC', query: '{"_id":"i1"}' } })
    const body = res.json() as { requestId: string; data: { list: string[] } }
    expect(body.requestId).toMatch(/^lc-/)
    expect(body.data.list).toHaveLength(1)
    expect(body.data.list[0]).toContain('"$date"')
    expect(body.data.list[0]).toContain('"price":{"$numberInt":"5"}')
  })
})
