/**
 * The function runner and the HTTP routes: per-invocation WX context and stats, concurrency, timeouts,
 * failures, nested callFunction, the H5 preview gateway, demo sign-in and static files.
 */
import fs from 'fs'
import path from 'path'
import { startLocalCloud, LocalCloud, InvocationStats } from './index'
import { httpRequest, rmrf, tempDir, writeCollections, writeFunctions } from './test-helpers'

jest.setTimeout(30_000)

let root: string
let cloud: LocalCloud
let dataDir: string
let functionsDir: string
let collectionsFile: string
let staticDir: string
let demoUsersFile: string

const DEMO_USERS = [
  { openid: 'o-parent-1', name: '王妈妈', roleLabel: '家长', description: '一年级（1）班 王小明的母亲' },
  { openid: 'o-teacher-1', name: '李老师', roleLabel: '班主任', description: '一年级（1）班' }
]

function options(): Parameters<typeof startLocalCloud>[0] {
  return { dataDir, functionsDir, collectionsFile, staticDir, demoUsersFile }
}

beforeAll(async () => {
  root = tempDir('rt')
  dataDir = path.join(root, 'data')
  functionsDir = writeFunctions(path.join(root, 'functions'), {
    whoami: `exports.main = async (event, context) => {
      const first = cloud.getWXContext()
      await sleep(event.ms)
      for (let i = 0; i < event.gets; i++) await db.collection('items').where({ k: _.gte(0) }).get()
      const second = cloud.getWXContext()
      return { first, second, requestId: context.request_id, envOpenid: process.env.WX_OPENID }
    }`,
    statsFn: `exports.main = async () => {
      await db.collection('items').where({ k: _.gte(1) }).get()
      await db.collection('items').doc('k0').get()
      await db.collection('items').count()
      await db.collection('items').add({ data: { k: 100 } })
      return 'done'
    }`,
    slow: { code: `exports.main = async () => { await sleep(5000); return 'late' }`, config: { timeout: 1 } },
    slowDefault: `exports.main = async () => { await sleep(3600); return 'late' }`,
    withinLimit: { code: `exports.main = async () => { await sleep(1200); return 'in time' }`, config: { timeout: 2 } },
    slowTx: { code: `exports.main = async () => {
      const t = await db.startTransaction()
      await t.collection('items').doc('k0').update({ data: { k: -1 } })
      await db.collection('items').add({ data: { _id: 'txid', id: t._transaction._id } })
      await sleep(5000)
      await t.commit()
    }`, config: { timeout: 1 } },
    thrower: `exports.main = async () => { throw new Error('boom: 出错了') }`,
    crasher: `exports.main = async () => { setTimeout(() => { throw new Error('async crash') }, 10); await sleep(1000); return 'never' }`,
    broken: { code: `exports.main = async () => { return 1 ` },
    returnsDate: `exports.main = async () => ({ at: new Date('2024-01-02T03:04:05Z'), nothing: undefined, list: [1, 'a'] })`,
    inner: `exports.main = async (event) => {
      await db.collection('items').doc('k1').get()
      return { x: event.x, openid: cloud.getWXContext().OPENID }
    }`,
    outer: `exports.main = async () => {
      const r = await cloud.callFunction({ name: 'inner', data: { x: 42 } })
      const missing = await caught(cloud.callFunction({ name: 'noSuchFunction', data: {} }))
      return { inner: r.result, missing }
    }`,
    echo: `exports.main = async (event) => ({ ok: true, data: { event, openid: cloud.getWXContext().OPENID, n: (await db.collection('items').count()).total } })`
  })
  collectionsFile = writeCollections(path.join(root, 'collections.json'), [{ name: 'items', indexes: [] }])
  staticDir = path.join(root, 'static')
  fs.mkdirSync(path.join(staticDir, 'js'), { recursive: true })
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>共育</title>')
  fs.writeFileSync(path.join(staticDir, 'js', 'app.js'), 'console.log(1)')
  fs.writeFileSync(path.join(root, 'secret.txt'), 'secret')
  demoUsersFile = path.join(root, 'demo-users.json')
  fs.writeFileSync(demoUsersFile, JSON.stringify(DEMO_USERS))
  cloud = await startLocalCloud(options())
  cloud.store.insertMany('items', Array.from({ length: 5 }, (_, k) => ({ _id: `k${k}`, k })))
})

afterAll(async () => {
  await cloud?.close()
  rmrf(root)
})

describe('invocations', () => {
  it('counts database requests, returned documents and actions per invocation', async () => {
    const { result, stats } = await cloud.invoke('statsFn', {}, { openid: 'o-stats' })
    expect(result).toBe('done')
    expect(stats).toEqual<InvocationStats>({
      dbRequests: 4,
      docsReturned: 5, // 4 from the where().get(), 1 from doc().get(); count and add return no documents
      maxDocsPerRequest: 4,
      storageRequests: 0,
      openapiRequests: 0,
      actions: ['database.getDocument', 'database.getDocument', 'database.calculateDocument', 'database.insertDocument']
    })
    cloud.store.clear()
    cloud.store.insertMany('items', Array.from({ length: 5 }, (_, k) => ({ _id: `k${k}`, k })))
  })

  it('gives each of 20 concurrent invocations its own OPENID and attributes requests correctly', async () => {
    const n = 20
    const runs = await Promise.all(
      Array.from({ length: n }, (_, k) => cloud.invoke('whoami', { ms: 20 + ((k * 37) % 60), gets: k % 3 }, { openid: `o-user-${k}`, appid: `wxapp${k}` }))
    )
    runs.forEach(({ result, stats }, k) => {
      const r = result as { first: Record<string, unknown>; second: Record<string, unknown>; envOpenid: string; requestId: string }
      expect(r.first).toEqual({ OPENID: `o-user-${k}`, APPID: `wxapp${k}`, ENV: 'local', SOURCE: 'wx_client' })
      expect(r.second).toEqual(r.first)
      expect(r.envOpenid).toBe(`o-user-${k}`)
      expect(stats.dbRequests).toBe(k % 3)
      expect(stats.docsReturned).toBe((k % 3) * 5)
    })
    expect(new Set(runs.map((r) => (r.result as { requestId: string }).requestId)).size).toBe(n)
  })

  it('honours the timeout of config.json and keeps serving afterwards', async () => {
    const t0 = Date.now()
    await expect(cloud.invoke('slow', {}, { openid: 'o-1' })).rejects.toMatchObject({ code: 'FUNCTIONS_TIME_LIMIT_EXCEEDED', errCode: -504003, message: 'Invoking task timed out after 1 seconds' })
    const elapsed = Date.now() - t0
    expect(elapsed).toBeGreaterThanOrEqual(950)
    expect(elapsed).toBeLessThan(4000)
    await expect(cloud.invoke('withinLimit', {}, { openid: 'o-1' })).resolves.toMatchObject({ result: 'in time' })
  })

  it('aborts the open transactions of an invocation killed by its timeout', async () => {
    await expect(cloud.invoke('slowTx', {}, { openid: 'o-1' })).rejects.toMatchObject({ code: 'FUNCTIONS_TIME_LIMIT_EXCEEDED' })
    const [{ id }] = cloud.store.find('items', { _id: 'txid' }) as Array<{ id: string }>
    const res = await httpRequest(`${cloud.url}/admin`, { body: { action: 'database.commitTransaction', transactionId: id } })
    expect(res.json()).toMatchObject({ code: 'DATABASE_TRANSACTION_FAIL', message: expect.stringContaining('was killed') })
    expect(cloud.store.find('items', { _id: 'k0' })[0].k).toBe(0)
    cloud.store.commit([{ coll: 'items', key: 'txid', after: null }])
  })

  it('times out after 3 s by default', async () => {
    const t0 = Date.now()
    await expect(cloud.invoke('slowDefault', {}, { openid: 'o-1' })).rejects.toMatchObject({ code: 'FUNCTIONS_TIME_LIMIT_EXCEEDED', message: 'Invoking task timed out after 3 seconds' })
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2950)
  })

  it('answers errors for throwing, crashing, broken and unknown functions without going down', async () => {
    await expect(cloud.invoke('thrower', {}, { openid: 'o-1' })).rejects.toMatchObject({ code: 'FUNCTIONS_EXECUTE_FAIL', errCode: -504002, message: 'Error: boom: 出错了' })
    await expect(cloud.invoke('crasher', {}, { openid: 'o-1' })).rejects.toMatchObject({ code: 'FUNCTIONS_EXECUTE_FAIL', message: expect.stringContaining('async crash') })
    await expect(cloud.invoke('broken', {}, { openid: 'o-1' })).rejects.toMatchObject({ code: 'FUNCTIONS_EXECUTE_FAIL', message: expect.stringContaining('failed to load') })
    await expect(cloud.invoke('nope', {}, { openid: 'o-1' })).rejects.toMatchObject({ code: 'FUNCTION_NOT_FOUND' })
    await expect(cloud.invoke('../etc', {}, { openid: 'o-1' })).rejects.toMatchObject({ code: 'FUNCTION_NOT_FOUND' })
    await expect(cloud.invoke('echo', { action: 'ping' }, { openid: 'o-1' })).resolves.toMatchObject({ result: { ok: true, data: { openid: 'o-1', n: 5 } } })
  })

  it('returns the result as JSON, as WeChat Cloud does', async () => {
    const { result } = await cloud.invoke('returnsDate', {}, { openid: 'o-1' })
    expect(result).toEqual({ at: '2024-01-02T03:04:05.000Z', list: [1, 'a'] })
  })

  it('supports cloud.callFunction between functions, counting the callee in the caller', async () => {
    const { result, stats } = await cloud.invoke('outer', {}, { openid: 'o-nested' })
    expect(result).toMatchObject({ inner: { x: 42, openid: 'o-nested' }, missing: { ok: false } })
    expect(stats.actions).toEqual(['database.getDocument', 'functions.invokeFunction', 'functions.invokeFunction'])
    expect(stats.dbRequests).toBe(1)
    expect(stats.docsReturned).toBe(1)
  })
})

describe('HTTP routes', () => {
  it('serves the demo users and signs in only listed openids', async () => {
    const users = await httpRequest(`${cloud.url}/preview/demo-users`)
    expect(users.status).toBe(200)
    expect(users.json()).toEqual(DEMO_USERS)
    const bad = await httpRequest(`${cloud.url}/preview/signin`, { body: { openid: 'o-stranger' } })
    expect(bad.status).toBe(403)
    const ok = await httpRequest(`${cloud.url}/preview/signin`, { body: { openid: 'o-parent-1' } })
    expect(ok.status).toBe(200)
    expect((ok.json() as { token: string }).token).toMatch(/^[0-9a-f]{48}$/)
  })

  it('runs functions for a signed-in preview user at POST /fn/:name, with stats in a header', async () => {
    const { token } = (await httpRequest(`${cloud.url}/preview/signin`, { body: { openid: 'o-teacher-1' } })).json() as { token: string }
    const res = await httpRequest(`${cloud.url}/fn/echo`, { body: { action: 'hello', data: { a: 1 } }, headers: { authorization: `Bearer ${token}` } })
    expect(res.status).toBe(200)
    expect(res.json()).toEqual({ ok: true, data: { event: { action: 'hello', data: { a: 1 } }, openid: 'o-teacher-1', n: 5 } })
    expect(JSON.parse(String(res.headers['x-localcloud-stats']))).toEqual({ dbRequests: 1, docsReturned: 0, maxDocsPerRequest: 0, storageRequests: 0, openapiRequests: 0, actions: ['database.calculateDocument'] })

    const failing = await httpRequest(`${cloud.url}/fn/thrower`, { body: {}, headers: { authorization: `Bearer ${token}` } })
    expect(failing.status).toBe(500)
    expect(failing.json()).toMatchObject({ ok: false, code: 'FUNCTIONS_EXECUTE_FAIL' })
    const missing = await httpRequest(`${cloud.url}/fn/nope`, { body: {}, headers: { authorization: `Bearer ${token}` } })
    expect(missing.status).toBe(404)
  })

  it('answers 401 UNAUTHENTICATED without a valid token', async () => {
    for (const headers of [{}, { authorization: 'Bearer not-a-token' }, { authorization: 'Basic abc' }] as Array<Record<string, string>>) {
      const res = await httpRequest(`${cloud.url}/fn/echo`, { body: { action: 'x' }, headers })
      expect(res.status).toBe(401)
      expect(res.json()).toEqual({ ok: false, code: 'UNAUTHENTICATED', message: '请先登录预览账号' })
    }
  })

  it('serves static files with content types, index.html for / and nothing outside the folder', async () => {
    const index = await httpRequest(`${cloud.url}/`)
    expect(index.status).toBe(200)
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(index.text).toContain('共育')
    const js = await httpRequest(`${cloud.url}/js/app.js`)
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(js.text).toBe('console.log(1)')
    expect((await httpRequest(`${cloud.url}/js/missing.js`)).status).toBe(404)
    expect((await httpRequest(`${cloud.url}/pages/index/index`)).text).toContain('共育') // SPA fallback
    const outside = await httpRequest(`${cloud.url}/%2e%2e/secret.txt`)
    expect(outside.text).not.toContain('secret')
  })

  it('keeps preview sessions and data across a restart on the same data folder', async () => {
    const { token } = (await httpRequest(`${cloud.url}/preview/signin`, { body: { openid: 'o-parent-1' } })).json() as { token: string }
    await cloud.close()
    cloud = await startLocalCloud(options())
    const res = await httpRequest(`${cloud.url}/fn/echo`, { body: { action: 'again' }, headers: { authorization: `Bearer ${token}` } })
    expect(res.status).toBe(200)
    expect(res.json()).toMatchObject({ ok: true, data: { openid: 'o-parent-1', n: 5 } })
  })
})
