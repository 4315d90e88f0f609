/**
 * `cloud.openapi` of wx-server-sdk 4.0.2 against the local cloud: only `subscribeMessage.send`, whose messages
 * go to an outbox (SQLite table `outbox`, see store.ts) instead of WeChat.
 *
 * Wire format (read from the SDK source, verified against the genuine SDK in openapi.test.ts):
 * - wx-server-sdk `openapi.<a>.<b>(params)` converts camelCase keys to snake_case (recursively), encodes each
 *   top-level key as a protobuf `KeyValuePair {key = 1, value = 2: JSON bytes}` inside
 *   `CommApiData {apiType = 1: OPEN_API (0), openapiData = 2: OpenApiData {pairs = 1 (repeated)}, appid = 6}`
 *   and calls @cloudbase/node-sdk `callCompatibleWxOpenApi`.
 * - node-sdk POSTs multipart/form-data to the TCB endpoint with the text fields `action = wx.openApi`,
 *   `apiName = subscribeMessage.send` (the proxy path without `openapi.`), envName, … and the binary field
 *   `requestData` (Content-Type application/octet-stream, no filename) holding the CommApiData bytes.
 * - The answer is read raw: a body with exactly `content-type: application/json; charset=utf-8` is parsed as a
 *   TCB error `{code, message}`; any other body must be a protobuf
 *   `CommOpenApiResp {respData = 1: bytes, contentType = 2: string, errorCode = 3: int32}` whose respData is
 *   WeChat's JSON reply. wx-server-sdk throws a CloudSDKError with `errCode = errcode` when `errcode` ≠ 0,
 *   else returns the reply camelCased, minus errcode/errmsg, plus `{errCode: 0, errMsg}`.
 *
 * The codec below covers just these three messages (varints and length-delimited fields).
 */
import crypto from 'crypto'
import { CODES, LocalCloudError } from './errors'
import type { SentMessage, Store } from './store'

// ------------------------------------------------------------------ protobuf (just enough)

class PbReader {
  pos = 0
  constructor(private readonly buf: Buffer) {}

  get done(): boolean {
    return this.pos >= this.buf.length
  }

  varint(): number {
    let result = 0
    let mul = 1
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint')
      const b = this.buf[this.pos++]
      result += (b & 0x7f) * mul
      if (b < 0x80) return result
      mul *= 128
    }
    throw new Error('varint too long')
  }

  bytes(): Buffer {
    const len = this.varint()
    const end = this.pos + len
    if (end > this.buf.length) throw new Error('length-delimited field runs past the end')
    const out = this.buf.subarray(this.pos, end)
    this.pos = end
    return out
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint()
    else if (wireType === 1) this.advance(8)
    else if (wireType === 2) this.bytes()
    else if (wireType === 5) this.advance(4)
    else throw new Error(`unsupported wire type ${wireType}`)
  }

  private advance(n: number): void {
    if (this.pos + n > this.buf.length) throw new Error('truncated field')
    this.pos += n
  }
}

/** Calls `field(number, wireType, reader)` for every field of a message; the callback must consume the field or return false to skip it. */
function eachField(buf: Buffer, field: (no: number, wireType: number, r: PbReader) => boolean): void {
  const r = new PbReader(buf)
  while (!r.done) {
    const tag = r.varint()
    const no = Math.floor(tag / 8)
    const wireType = tag & 7
    if (no === 0) throw new Error('field number 0')
    if (!field(no, wireType, r)) r.skip(wireType)
  }
}

function varintBytes(n: number): Buffer {
  const out: number[] = []
  let v = n
  while (v >= 0x80) {
    out.push((v % 128) | 0x80)
    v = Math.floor(v / 128)
  }
  out.push(v)
  return Buffer.from(out)
}

function lengthDelimited(fieldNo: number, value: Buffer): Buffer {
  return Buffer.concat([varintBytes(fieldNo * 8 + 2), varintBytes(value.length), value])
}

export interface OpenApiRequest {
  /** CommApiData.apiType: 0 = OPEN_API (what `cloud.openapi.*` sends), 1 INNER, 2 SVRKIT, 3 TOKEN */
  apiType: number
  appid?: string
  /** the top-level parameters, snake_case keys, values as the SDK's JSON bytes */
  pairs: Array<{ key: string; value: Buffer }>
}

/** Decodes the protobuf `CommApiData` of a `wx.openApi` request. Throws on malformed input. */
export function decodeCommApiData(buf: Buffer): OpenApiRequest {
  const out: OpenApiRequest = { apiType: 0, pairs: [] }
  eachField(buf, (no, wt, r) => {
    if (no === 1 && wt === 0) out.apiType = r.varint()
    else if (no === 6 && wt === 2) out.appid = r.bytes().toString('utf8')
    else if (no === 2 && wt === 2) {
      eachField(r.bytes(), (pno, pwt, pr) => {
        if (pno !== 1 || pwt !== 2) return false
        const pair = { key: '', value: Buffer.alloc(0) }
        eachField(pr.bytes(), (kno, kwt, kr) => {
          if (kno === 1 && kwt === 2) pair.key = kr.bytes().toString('utf8')
          else if (kno === 2 && kwt === 2) pair.value = Buffer.from(kr.bytes())
          else return false
          return true
        })
        out.pairs.push(pair)
        return true
      })
    } else return false
    return true
  })
  return out
}

/** Encodes the protobuf `CommOpenApiResp` the SDK decodes: respData (1) and contentType (2). */
export function encodeCommOpenApiResp(respData: Buffer, contentType = 'application/json'): Buffer {
  return Buffer.concat([lengthDelimited(1, respData), lengthDelimited(2, Buffer.from(contentType, 'utf8'))])
}

// ------------------------------------------------------------------ subscribeMessage.send

export const SUPPORTED_OPENAPIS = ['subscribeMessage.send'] as const

interface WxReply {
  errcode: number
  errmsg: string
  [k: string]: unknown
}

/** WeChat appends a request id to every error message (`… rid: 6584d1c2-2a3b4c5d-1e2f3a4b`). */
function rid(): string {
  const h = crypto.randomBytes(12).toString('hex')
  return `${Math.floor(Date.now() / 1000).toString(16).padStart(8, '0')}-${h.slice(0, 8)}-${h.slice(8, 16)}`
}

function wxError(errcode: number, errmsg: string): WxReply {
  return { errcode, errmsg: `${errmsg} rid: ${rid()}` }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function subscribeMessageSend(params: Record<string, unknown>, ctx: OpenApiContext): WxReply {
  const { touser, template_id: templateId, page, data, miniprogram_state: state, lang } = params
  if (typeof touser !== 'string' || !touser.trim()) return wxError(40003, 'invalid openid')
  if (typeof templateId !== 'string' || !templateId.trim()) return wxError(40037, 'invalid template_id')
  if (!isPlainObject(data) || !Object.keys(data).length) return wxError(47003, 'argument invalid! data is empty')
  for (const [key, item] of Object.entries(data)) {
    if (!isPlainObject(item) || typeof item.value !== 'string') return wxError(47003, `argument invalid! data.${key}.value invalid`)
  }
  for (const [name, v] of [['page', page], ['miniprogram_state', state], ['lang', lang]] as const) {
    if (v !== undefined && v !== null && typeof v !== 'string') return wxError(47003, `argument invalid! ${name} invalid`)
  }
  const entry: Omit<SentMessage, 'msgid'> = {
    touser,
    templateId,
    page: typeof page === 'string' && page ? page : null,
    data: Object.fromEntries(Object.entries(data).map(([k, item]) => [k, { value: (item as { value: string }).value }])),
    miniprogramState: typeof state === 'string' && state ? state : 'formal',
    lang: typeof lang === 'string' && lang ? lang : 'zh_CN',
    sentAt: new Date().toISOString(),
    invocation: ctx.invocation ?? null
  }
  const msgid = ctx.store.appendOutbox(entry)
  return { errcode: 0, errmsg: 'ok', msgid }
}

export interface OpenApiContext {
  store: Store
  /** the function invocation that sent the request (the innermost one for cloud.callFunction chains) */
  invocation?: { fn: string; openid: string }
}

/**
 * The `wx.openApi` TCB action: `body.apiName` and `body.requestData` (Buffer of protobuf CommApiData).
 * Returns the raw CommOpenApiResp bytes; TCB-level failures (unsupported API, malformed request) throw
 * LocalCloudError, which the dispatcher answers as JSON `{code, message}`.
 */
export function handleOpenApi(body: Record<string, unknown>, ctx: OpenApiContext): Buffer {
  const apiName = typeof body.apiName === 'string' ? body.apiName : ''
  if (!(SUPPORTED_OPENAPIS as readonly string[]).includes(apiName)) {
    throw new LocalCloudError(CODES.UNSUPPORTED_ACTION, `local cloud does not support cloud.openapi.${apiName || '(no apiName)'} (supported: ${SUPPORTED_OPENAPIS.map((n) => `openapi.${n}`).join(', ')})`)
  }
  const raw = body.requestData
  if (!Buffer.isBuffer(raw)) throw new LocalCloudError(CODES.INVALID_PARAM, 'wx.openApi: requestData must be a binary multipart field (protobuf CommApiData)')
  let req: OpenApiRequest
  try {
    req = decodeCommApiData(raw)
  } catch (e) {
    throw new LocalCloudError(CODES.INVALID_PARAM, `wx.openApi: requestData is not a protobuf CommApiData: ${(e as Error).message}`)
  }
  if (req.apiType !== 0) throw new LocalCloudError(CODES.UNSUPPORTED_ACTION, `wx.openApi: apiType ${req.apiType} is not supported (only OPEN_API)`)
  const params: Record<string, unknown> = {}
  for (const { key, value } of req.pairs) {
    try {
      params[key] = JSON.parse(value.toString('utf8'))
    } catch {
      return encodeCommOpenApiResp(Buffer.from(JSON.stringify(wxError(47001, `data format error: ${key} is not JSON`))))
    }
  }
  const reply = subscribeMessageSend(params, ctx)
  return encodeCommOpenApiResp(Buffer.from(JSON.stringify(reply)))
}
