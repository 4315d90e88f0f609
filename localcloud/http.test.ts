/** The local cloud's HTTP surface: only the functions' SDK reaches the database; only demo users sign in. */
import fs from 'fs'
import path from 'path'
import { startLocalCloud, type LocalCloud } from './index'
import { tempDir, writeFunctions } from './test-helpers'

let cloud: LocalCloud
let dir: string

beforeAll(async () => {
  dir = tempDir('http')
  writeFunctions(path.join(dir, 'fns'), {
    me: `exports.main = async () => ({ ok: true, data: cloud.getWXContext().OPENID })`
  })
  const demoUsersFile = path.join(dir, 'demo-users.json')
  fs.writeFileSync(demoUsersFile, JSON.stringify([{ openid: 'demo-a', name: '甲', roleLabel: '家长', description: '' }]))
  cloud = await startLocalCloud({ dataDir: path.join(dir, 'data'), functionsDir: path.join(dir, 'fns'), demoUsersFile })
})
afterAll(async () => {
  await cloud.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

const post = (p: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${cloud.url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })

it('refuses the database API to a web page (any request with an Origin), so no page can write the data', async () => {
  const res = await post('/admin', { action: 'database.getDocument', collectionName: 'users' }, { origin: 'http://evil.example' })
  expect(res.status).toBe(403)
})

it('answers /fn only with a preview session, and then as that demo user', async () => {
  const anonymous = await post('/fn/me', { action: 'x' })
  expect(anonymous.status).toBe(401)
  expect(await anonymous.json()).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' })

  const stranger = await post('/preview/signin', { openid: 'not-a-demo-user' })
  expect(stranger.status).toBe(403)

  const { token } = (await (await post('/preview/signin', { openid: 'demo-a' })).json()) as { token: string }
  const me = await post('/fn/me', { action: 'x' }, { authorization: `Bearer ${token}` })
  expect(await me.json()).toEqual({ ok: true, data: 'demo-a' })
  expect(JSON.parse(me.headers.get('x-localcloud-stats') ?? '{}')).toMatchObject({ dbRequests: 0 })
})

it('grants no cross-origin access to the preview routes', async () => {
  const res = await fetch(`${cloud.url}/preview/demo-users`, { headers: { origin: 'http://evil.example' } })
  expect(res.headers.get('access-control-allow-origin')).toBeNull()
})
