/**
 * cloud.openapi.subscribeMessage.send through the genuine wx-server-sdk: WeChat's validation errors, the
 * outbox (API, HTTP route, persistence across a restart) and the per-invocation stats.
 */
import path from 'path'
import { startLocalCloud, type InvocationStats, type LocalCloud, type LocalCloudOptions, type SentMessage } from './index'
import { decodeCommApiData, encodeCommOpenApiResp } from './openapi'
import { parseMultipart } from './server'
import { httpRequest, rmrf, tempDir, writeFunctions } from './test-helpers'

jest.setTimeout(60_000)

let root: string
let cloud: LocalCloud
let options: LocalCloudOptions

const TPL = 'TPL-work-reminder-0001'
const PAGE = 'packages/teacher/pages/work/index'
const DATA = { thing1: { value: '三年级二班：阅读打卡' }, date2: { value: '2026-11-23' } }

interface SendReply {
  ok: boolean
  r?: Record<string, unknown>
  errCode?: number
  errMsg?: string
}

beforeAll(async () => {
  root = tempDir('openapi')
  const functionsDir = writeFunctions(path.join(root, 'functions'), {
    notify: `exports.main = async (event) => {
  try {
    const r = await cloud.openapi.subscribeMessage.send(event.msg)
    return { ok: true, r }
  } catch (e) {
    return { ok: false, errCode: e.errCode, errMsg: String(e.errMsg || e.message) }
  }
}`,
    otherApi: `exports.main = async () => {
  try {
    const r = await cloud.openapi.security.msgSecCheck({ content: 'hello' })
    return { ok: true, r }
  } catch (e) {
    return { ok: false, errCode: e.errCode, errMsg: String(e.errMsg || e.message) }
  }
}`,
    relay: `exports.main = async (event) => {
  const r = await cloud.callFunction({ name: 'notify', data: event })
  return r.result
}`
  })
  options = { dataDir: path.join(root, 'data'), functionsDir, collectionsFile: path.join(root, 'none.json') }
  cloud = await startLocalCloud(options)
})

afterAll(async () => {
  await cloud?.close()
  rmrf(root)
})

beforeEach(() => cloud.clearOutbox())

const send = async (msg: unknown, openid = 'o-teacher-1'): Promise<{ reply: SendReply; stats: InvocationStats }> => {
  const { result, stats } = await cloud.invoke('notify', { msg }, { openid })
  return { reply: result as SendReply, stats }
}

describe('subscribeMessage.send', () => {
  it('sends a message through the genuine SDK into the outbox, counted as one openapi request', async () => {
    const before = Date.now()
    const { reply, stats } = await send({ touser: 'o-parent-1', templateId: TPL, page: PAGE, data: DATA, miniprogramState: 'developer', lang: 'zh_CN' })
    expect(reply).toEqual({ ok: true, r: { msgid: expect.any(Number), errCode: 0, errMsg: 'openapi.subscribeMessage.send:ok' } })
    const out = cloud.outbox()
    expect(out).toEqual<SentMessage[]>([
      {
        msgid: reply.r?.msgid as number,
        touser: 'o-parent-1',
        templateId: TPL,
        page: PAGE,
        data: DATA,
        miniprogramState: 'developer',
        lang: 'zh_CN',
        sentAt: expect.any(String),
        invocation: { fn: 'notify', openid: 'o-teacher-1' }
      }
    ])
    expect(Date.parse(out[0].sentAt)).toBeGreaterThanOrEqual(before - 1000)
    expect(out[0].sentAt).toBe(new Date(out[0].sentAt).toISOString())
    expect(stats).toEqual<InvocationStats>({ dbRequests: 0, docsReturned: 0, maxDocsPerRequest: 0, storageRequests: 0, openapiRequests: 1, actions: ['wx.openApi'] })
  })

  it("records WeChat's defaults for page, miniprogramState and lang, and filters the outbox by touser and templateId", async () => {
    const a = await send({ touser: 'o-parent-1', templateId: TPL, data: { thing1: { value: 'a' } } })
    const b = await send({ touser: 'o-parent-2', templateId: TPL, data: { thing1: { value: 'b' } } })
    const c = await send({ touser: 'o-parent-1', templateId: 'TPL-other', data: { phrase3: { value: '已完成' } } })
    expect([a, b, c].map((x) => x.reply.ok)).toEqual([true, true, true])
    const all = cloud.outbox()
    expect(all.map((m) => m.data)).toEqual([{ thing1: { value: 'a' } }, { thing1: { value: 'b' } }, { phrase3: { value: '已完成' } }])
    expect(all[0]).toMatchObject({ page: null, miniprogramState: 'formal', lang: 'zh_CN' })
    expect(all[0].msgid).toBeLessThan(all[1].msgid)
    expect(all[1].msgid).toBeLessThan(all[2].msgid)
    expect(cloud.outbox({ touser: 'o-parent-1' }).map((m) => m.data)).toEqual([{ thing1: { value: 'a' } }, { phrase3: { value: '已完成' } }])
    expect(cloud.outbox({ templateId: TPL }).map((m) => m.touser)).toEqual(['o-parent-1', 'o-parent-2'])
    expect(cloud.outbox({ touser: 'o-parent-1', templateId: TPL })).toHaveLength(1)
    expect(cloud.outbox({ touser: 'nobody' })).toEqual([])
    cloud.clearOutbox()
    expect(cloud.outbox()).toEqual([])
  })

  it.each([
    ['touser missing', { templateId: TPL, data: DATA }, 40003, /invalid openid/],
    ['touser empty', { touser: '', templateId: TPL, data: DATA }, 40003, /invalid openid/],
    ['templateId missing', { touser: 'o-parent-1', data: DATA }, 40037, /invalid template_id/],
    ['templateId empty', { touser: 'o-parent-1', templateId: '', data: DATA }, 40037, /invalid template_id/],
    ['data missing', { touser: 'o-parent-1', templateId: TPL }, 47003, /argument invalid! data/],
    ['a value that is not a string', { touser: 'o-parent-1', templateId: TPL, data: { thing1: { value: '好' }, number2: { value: 3 } } }, 47003, /argument invalid! data\.number2\.value invalid/],
    ['a keyword without {value}', { touser: 'o-parent-1', templateId: TPL, data: { thing1: '好' } }, 47003, /argument invalid! data\.thing1\.value invalid/]
  ])("refuses %s with WeChat's errcode, thrown by the SDK, and sends nothing", async (_what, msg, errCode, errMsg) => {
    const { reply, stats } = await send(msg)
    expect(reply.ok).toBe(false)
    expect(reply.errCode).toBe(errCode)
    expect(reply.errMsg).toMatch(/^openapi\.subscribeMessage\.send:fail /)
    expect(reply.errMsg).toMatch(errMsg)
    expect(cloud.outbox()).toEqual([])
    expect(stats).toMatchObject({ dbRequests: 0, openapiRequests: 1 })
  })

  it('attributes a message sent by a function called with cloud.callFunction to that function (stats reach the caller)', async () => {
    const { result, stats } = await cloud.invoke('relay', { msg: { touser: 'o-parent-3', templateId: TPL, data: DATA } }, { openid: 'o-teacher-2' })
    expect(result).toMatchObject({ ok: true })
    expect(cloud.outbox()).toMatchObject([{ touser: 'o-parent-3', invocation: { fn: 'notify', openid: 'o-teacher-2' } }])
    expect(stats).toMatchObject({ dbRequests: 0, openapiRequests: 1, actions: ['wx.openApi', 'functions.invokeFunction'] })
  })

  it('answers any other cloud.openapi API with a clear error naming it', async () => {
    const { result, stats } = await cloud.invoke('otherApi', {}, { openid: 'o-teacher-1' })
    expect(result).toMatchObject({ ok: false, errCode: -501001 })
    expect((result as SendReply).errMsg).toContain('local cloud does not support cloud.openapi.security.msgSecCheck')
    expect((result as SendReply).errMsg).toContain('openapi.subscribeMessage.send')
    expect(stats).toMatchObject({ dbRequests: 0, openapiRequests: 1, actions: ['wx.openApi'] })
    expect(cloud.outbox()).toEqual([])
  })
})

describe('outbox', () => {
  it('is served as JSON by GET /__localcloud/outbox, with the same filters', async () => {
    await send({ touser: 'o-parent-1', templateId: TPL, page: PAGE, data: DATA })
    await send({ touser: 'o-parent-2', templateId: TPL, data: DATA })
    const all = await httpRequest(`${cloud.url}/__localcloud/outbox`)
    expect(all.status).toBe(200)
    expect(all.headers['content-type']).toMatch(/^application\/json/)
    expect(all.json()).toEqual(cloud.outbox())
    const one = await httpRequest(`${cloud.url}/__localcloud/outbox?touser=o-parent-2&templateId=${TPL}`)
    expect(one.json()).toMatchObject([{ touser: 'o-parent-2', templateId: TPL, page: null }])
  })

  it('is not a collection: functions cannot query it', async () => {
    await send({ touser: 'o-parent-1', templateId: TPL, data: DATA })
    expect(cloud.store.hasCollection('outbox')).toBe(false)
    cloud.store.clear()
    expect(cloud.outbox()).toHaveLength(1)
  })

  it('survives closing and restarting the local cloud on the same data folder', async () => {
    await send({ touser: 'o-parent-1', templateId: TPL, page: PAGE, data: DATA, miniprogramState: 'trial' })
    const before = cloud.outbox()
    expect(before).toHaveLength(1)
    await cloud.close()
    cloud = await startLocalCloud(options)
    expect(cloud.outbox()).toEqual(before)
    const { reply } = await send({ touser: 'o-parent-2', templateId: TPL, data: DATA })
    expect(reply.r?.msgid).toBeGreaterThan(before[0].msgid)
    expect(cloud.outbox().map((m) => m.touser)).toEqual(['o-parent-1', 'o-parent-2'])
  })
})

describe('wire format', () => {
  it('parses multipart bodies byte-exactly (a binary part without filename stays bytes)', () => {
    const bin = Buffer.from([0x08, 0x00, 0x12, 0x8a, 0x03, 0xff, 0x0d, 0x0a, 0x2d, 0x2d])
    const boundary = '--------------------------123abc'
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="action"\r\n\r\nwx.openApi\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="requestData"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      bin,
      Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="envName"\r\n\r\n\r\n--${boundary}--\r\n`)
    ])
    const form = parseMultipart(body, `multipart/form-data; boundary=${boundary}`)
    expect(form).toEqual({ action: 'wx.openApi', requestData: bin, envName: '' })
    expect(parseMultipart(Buffer.from('not multipart'), `multipart/form-data; boundary=${boundary}`)).toBeUndefined()
  })

  it('decodes CommApiData and encodes CommOpenApiResp as the SDK does', () => {
    // CommApiData {apiType: 0, openapiData: {pairs: [{key: 'touser', value: '"o1"'}]}, appid: 'wx1'}, as protobufjs writes it
    const pair = Buffer.concat([Buffer.from([0x0a, 6]), Buffer.from('touser'), Buffer.from([0x12, 4]), Buffer.from('"o1"')])
    const openapiData = Buffer.concat([Buffer.from([0x0a, pair.length]), pair])
    const msg = Buffer.concat([Buffer.from([0x08, 0x00, 0x12, openapiData.length]), openapiData, Buffer.from([0x32, 3]), Buffer.from('wx1')])
    expect(decodeCommApiData(msg)).toEqual({ apiType: 0, appid: 'wx1', pairs: [{ key: 'touser', value: Buffer.from('"o1"') }] })
    expect(() => decodeCommApiData(Buffer.from([0x12, 0x05, 0x00]))).toThrow()
    const long = Buffer.alloc(300, 0x61)
    const resp = encodeCommOpenApiResp(long)
    expect(resp.subarray(0, 3)).toEqual(Buffer.from([0x0a, 0xac, 0x02])) // field 1, length 300 as a varint
    expect(resp.subarray(3 + 300)).toEqual(Buffer.concat([Buffer.from([0x12, 16]), Buffer.from('application/json')]))
  })

  it('answers a malformed wx.openApi request with a TCB error', async () => {
    const boundary = 'b0undary'
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="action"\r\n\r\nwx.openApi\r\n--${boundary}\r\nContent-Disposition: form-data; name="apiName"\r\n\r\nsubscribeMessage.send\r\n--${boundary}--\r\n`
    const res = await httpRequest(`${cloud.url}/admin`, { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } })
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(res.json()).toMatchObject({ code: 'INVALID_PARAM', message: expect.stringContaining('requestData') })
  })
})
