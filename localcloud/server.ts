/**
 * The local cloud's HTTP server (127.0.0.1 only).
 *
 * - POST /admin, /admin/w/<worker>/i/<invocation>  — TCB API (see tcb.ts); the path attributes the request.
 *                                JSON, except wx.openApi: multipart/form-data in, protobuf (or JSON error) out
 * - POST /fn/<name>              — H5 preview gateway: body = event, `Authorization: Bearer <token>`
 * - GET  /preview/demo-users     — the demo users written by the seed
 * - POST /preview/signin {openid} → {token}
 * - GET  /__localcloud/health    → {ok: true}
 * - GET  /__localcloud/outbox[?touser=&templateId=] → the subscribe messages sent (JSON array, oldest first)
 * - PUT  /storage/cos/<token>    — the SDK's upload of a file (signed by storage.getUploadMetadata; see storage.ts)
 * - GET  /storage/file/<token>?t=&sign= — signed temporary download URL (getTempFileURL)
 * - POST /storage/upload         — H5 preview upload (multipart: file + cloudPath), Bearer session, own folder only
 * - POST /storage/temp-url {fileList} — H5 preview: temporary URLs of the caller's own uploads
 * - GET  anything else           — static files from staticDir (when set), '/' → index.html
 */
import fs from 'fs'
import http from 'http'
import path from 'path'
import crypto from 'crypto'
import { AddressInfo } from 'net'
import { CODES, LocalCloudError } from './errors'
import { Store } from './store'
import { cosErrorXml, LocalStorage, MAX_FUNCTION_UPLOAD_BYTES, STORAGE_STATUS, checkCloudPath } from './storage'
import { newRequestId } from './tcb'
import type { DemoUser } from '../src/shared/preview'

export type { DemoUser }

export interface ServerDeps {
  store: Store
  storage: LocalStorage
  /**
   * TCB API request; `invocationId` from the URL path when the caller is a function invocation. A Buffer reply
   * (wx.openApi) is sent as application/octet-stream, anything else as JSON.
   */
  tcb(body: Record<string, unknown>, invocationId: string | undefined): Promise<Record<string, unknown> | Buffer>
  /** runs a function for an H5 preview user */
  invokeForPreview(name: string, event: unknown, openid: string): Promise<{ result: unknown; stats: unknown }>
  staticDir?: string
  demoUsersFile?: string
}

const MAX_BODY = 32 * 1024 * 1024
/** Largest file an H5 preview user may upload through POST /storage/upload. */
export const MAX_PREVIEW_UPLOAD_BYTES = 10 * 1024 * 1024
/** Multipart framing allowance on top of MAX_PREVIEW_UPLOAD_BYTES. */
const MULTIPART_OVERHEAD = 64 * 1024
/** How far past a size limit a body is still read (and discarded) so that the client gets the error reply. */
const DRAIN_SLACK_BYTES = 16 * 1024 * 1024

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.mp3': 'audio/mpeg',
  '.mp4': 'video/mp4',
  '.wasm': 'application/wasm',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return readBodyBuffer(req).then((b) => b.toString('utf8'))
}

function readBodyBuffer(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY) {
        reject(new LocalCloudError(CODES.INVALID_PARAM, 'request body too large'))
        req.destroy()
        return
      }
      chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/**
 * Parses a multipart/form-data body byte-exactly (the WHATWG `Response.formData()` would decode a binary part
 * without a filename as UTF-8 text — and node-sdk sends wx.openApi's protobuf `requestData` exactly so).
 * Parts with a Content-Type header or a filename stay Buffers; the others become UTF-8 strings.
 * Returns undefined when the body is not well-formed multipart.
 */
export function parseMultipart(buf: Buffer, contentType: string): Record<string, string | Buffer> | undefined {
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType)
  const boundary = m ? m[1] ?? m[2] : undefined
  if (!boundary) return undefined
  const delim = Buffer.from(`--${boundary}`)
  const out: Record<string, string | Buffer> = {}
  let pos = buf.indexOf(delim)
  if (pos < 0) return undefined
  for (;;) {
    pos += delim.length
    if (buf[pos] === 0x2d && buf[pos + 1] === 0x2d) return out // closing delimiter
    if (buf[pos] !== 0x0d || buf[pos + 1] !== 0x0a) return undefined
    const headerEnd = buf.indexOf('\r\n\r\n', pos)
    if (headerEnd < 0) return undefined
    const headers = buf.subarray(pos + 2, headerEnd).toString('utf8')
    const next = buf.indexOf(Buffer.concat([Buffer.from('\r\n'), delim]), headerEnd + 4)
    if (next < 0) return undefined
    const content = buf.subarray(headerEnd + 4, next)
    const disposition = /^content-disposition:\s*form-data(.*)$/im.exec(headers)
    const name = disposition && /;\s*name="([^"]*)"/i.exec(disposition[1])
    if (name) {
      const binary = /^content-type:/im.test(headers) || /;\s*filename\*?=/i.test(disposition[1])
      out[name[1]] = binary ? Buffer.from(content) : content.toString('utf8')
    }
    pos = next + 2
  }
}

/** Reads a body up to `limit` bytes; beyond that it is read on (discarded, up to a slack) so the client sees the reply. */
function readRaw(req: http.IncomingMessage, limit: number): Promise<{ buf: Buffer; tooLarge: boolean; gaveUp: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = false
    let done = false
    req.on('data', (c: Buffer) => {
      if (done) return
      size += c.length
      if (size > limit) {
        tooLarge = true
        chunks.length = 0
        if (size > limit + DRAIN_SLACK_BYTES) {
          done = true
          req.pause()
          resolve({ buf: Buffer.alloc(0), tooLarge, gaveUp: true })
        }
        return
      }
      chunks.push(c)
    })
    req.on('end', () => {
      if (!done) resolve({ buf: Buffer.concat(chunks), tooLarge, gaveUp: false })
    })
    req.on('error', reject)
  })
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers
  })
  res.end(text)
}

/**
 * No cross-origin access: the H5 preview is served from this same origin, and no other web page may sign in as a
 * demo user or call the functions. (Kept as a function so every route states its headers the same way.)
 */
function corsHeaders(): Record<string, string> {
  return {}
}

function readDemoUsers(file: string | undefined): DemoUser[] {
  if (!file || !fs.existsSync(file)) return []
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown
    return Array.isArray(parsed) ? (parsed as DemoUser[]).filter((u) => u && typeof u.openid === 'string') : []
  } catch {
    return []
  }
}

function sessionOpenid(deps: ServerDeps, req: http.IncomingMessage): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')
  return m ? deps.store.getSession(m[1]) : undefined
}

function sendCosError(res: http.ServerResponse, status: number, code: string, message: string, resource: string, close = false): void {
  const xml = cosErrorXml(code, message, resource, newRequestId())
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml), ...(close ? { connection: 'close' } : {}) })
  res.end(xml)
}

function statusFor(e: LocalCloudError): number {
  if (e.httpStatus) return e.httpStatus
  if (e.code === CODES.FUNCTION_NOT_FOUND) return 404
  if (e.code === CODES.FUNCTION_TIMEOUT) return 504
  if (e.code === CODES.INVALID_PARAM) return 400
  return 500
}

function serveStatic(root: string, req: http.IncomingMessage, res: http.ServerResponse, pathname: string): void {
  let rel: string
  try {
    rel = decodeURIComponent(pathname)
  } catch {
    sendJson(res, 400, { ok: false, code: 'BAD_PATH', message: 'bad path' })
    return
  }
  const base = path.resolve(root)
  let file = path.resolve(base, '.' + rel)
  if (file !== base && !file.startsWith(base + path.sep)) {
    sendJson(res, 403, { ok: false, code: 'FORBIDDEN', message: 'forbidden' })
    return
  }
  try {
    if (fs.statSync(file).isDirectory()) file = path.join(file, 'index.html')
  } catch {
    // SPA fallback: extension-less paths get index.html
    if (!path.extname(file)) file = path.join(base, 'index.html')
  }
  fs.stat(file, (err, st) => {
    if (err || !st.isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
      res.end('not found')
      return
    }
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream'
    const isHtml = type.startsWith('text/html')
    res.writeHead(200, { 'content-type': type, 'content-length': st.size, 'cache-control': isHtml ? 'no-cache' : 'public, max-age=300' })
    if (req.method === 'HEAD') {
      res.end()
      return
    }
    fs.createReadStream(file).pipe(res)
  })
}

const ADMIN_RE = /^\/admin(?:\/w\/([A-Za-z0-9_-]+)(?:\/i\/([A-Za-z0-9_-]+))?)?\/?$/
const FN_RE = /^\/fn\/([A-Za-z0-9_-]+)\/?$/
const COS_PUT_RE = /^\/storage\/cos\/([A-Za-z0-9_-]+)$/
const FILE_RE = /^\/storage\/file\/([A-Za-z0-9_-]+)$/

export function createLocalCloudServer(deps: ServerDeps): http.Server {
  const server = http.createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      console.error('[localcloud] request failed', req.method, req.url, e)
      if (!res.headersSent) sendJson(res, 500, { ok: false, code: 'INTERNAL', message: (e as Error).message })
      else res.destroy()
    })
  })
  server.keepAliveTimeout = 5000

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const pathname = url.pathname
    const method = req.method ?? 'GET'

    if (method === 'OPTIONS') {
      res.writeHead(204, corsHeaders())
      res.end()
      return
    }

    const admin = ADMIN_RE.exec(pathname)
    if (admin && req.headers.origin !== undefined) {
      // The database API is for the functions' SDK only; a browser (which always sends Origin on a POST) is refused.
      sendJson(res, 403, { code: CODES.INVALID_PARAM, message: 'the database API is not reachable from a web page', requestId: 'lc-origin' })
      return
    }
    if (admin && method === 'POST') {
      const raw = await readBodyBuffer(req)
      const type = req.headers['content-type'] ?? ''
      let body: Record<string, unknown>
      if (/^multipart\/form-data\s*;/i.test(type)) {
        // wx.openApi (callCompatibleWxOpenApi) sends a form with a binary protobuf field
        const form = parseMultipart(raw, type)
        if (!form) {
          sendJson(res, 200, { code: CODES.INVALID_PARAM, message: 'request body is not well-formed multipart/form-data', requestId: 'lc-badform' })
          return
        }
        body = form
      } else {
        try {
          body = JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>
        } catch {
          sendJson(res, 200, { code: CODES.INVALID_PARAM, message: 'request body is not JSON', requestId: 'lc-badjson' })
          return
        }
      }
      const reply = await deps.tcb(body, admin[2])
      if (Buffer.isBuffer(reply)) {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': reply.length, 'cache-control': 'no-store' })
        res.end(reply)
      } else {
        sendJson(res, 200, reply)
      }
      return
    }

    const fn = FN_RE.exec(pathname)
    if (fn && method === 'POST') {
      const cors = corsHeaders()
      const auth = req.headers.authorization ?? ''
      const m = /^Bearer\s+(\S+)$/i.exec(auth)
      const openid = m ? deps.store.getSession(m[1]) : undefined
      const text = await readBody(req)
      if (!openid) {
        sendJson(res, 401, { ok: false, code: 'UNAUTHENTICATED', message: '请先登录预览账号' }, cors)
        return
      }
      let event: unknown
      try {
        event = text ? JSON.parse(text) : {}
      } catch {
        sendJson(res, 400, { ok: false, code: 'BAD_REQUEST', message: '请求格式错误（不是 JSON）' }, cors)
        return
      }
      try {
        const { result, stats } = await deps.invokeForPreview(fn[1], event, openid)
        sendJson(res, 200, result === undefined ? null : result, { ...cors, 'x-localcloud-stats': JSON.stringify(stats) })
      } catch (e) {
        const err = e instanceof LocalCloudError ? e : new LocalCloudError(CODES.FUNCTION_EXECUTE_FAIL, (e as Error).message)
        const stats = (err as LocalCloudError & { stats?: unknown }).stats
        sendJson(res, statusFor(err), { ok: false, code: err.code, errCode: err.errCode, message: err.message }, { ...cors, ...(stats ? { 'x-localcloud-stats': JSON.stringify(stats) } : {}) })
      }
      return
    }

    const cosPut = COS_PUT_RE.exec(pathname)
    if (cosPut && method === 'PUT') {
      await handleCosPut(req, res, cosPut[1])
      return
    }

    const file = FILE_RE.exec(pathname)
    if (file && (method === 'GET' || method === 'HEAD')) {
      serveStoredFile(req, res, file[1], url)
      return
    }

    if (pathname === '/storage/upload' && method === 'POST') {
      await handlePreviewUpload(req, res)
      return
    }

    if (pathname === '/storage/temp-url' && method === 'POST') {
      const openid = sessionOpenid(deps, req)
      const text = await readBody(req)
      if (!openid) {
        sendJson(res, 401, { ok: false, code: 'UNAUTHENTICATED', message: '请先登录预览账号' })
        return
      }
      let fileList: unknown
      try {
        fileList = (JSON.parse(text || '{}') as { fileList?: unknown }).fileList
      } catch {
        fileList = undefined
      }
      if (!Array.isArray(fileList) || fileList.length === 0 || fileList.length > 50) {
        sendJson(res, 400, { ok: false, code: 'BAD_REQUEST', message: 'fileList 必须是 1–50 个 fileID（或 {fileID, maxAge}）的数组' })
        return
      }
      const prefix = deps.storage.userPrefix(openid) + '/'
      const items = deps.storage.tempUrls(fileList, (cloudPath) => cloudPath.startsWith(prefix))
      sendJson(res, 200, {
        ok: true,
        data: {
          fileList: items.map((it) => {
            const st = STORAGE_STATUS[it.code] ?? STORAGE_STATUS.STORAGE_REQUEST_FAIL
            return { fileID: it.fileID, tempFileURL: it.tempFileURL, status: st.status, errMsg: st.errMsg, ...(it.maxAge ? { maxAge: it.maxAge } : {}) }
          })
        }
      })
      return
    }

    if (pathname === '/preview/demo-users' && method === 'GET') {
      sendJson(res, 200, readDemoUsers(deps.demoUsersFile), corsHeaders())
      return
    }

    if (pathname === '/preview/signin' && method === 'POST') {
      const text = await readBody(req)
      let openid: unknown
      try {
        openid = (JSON.parse(text || '{}') as { openid?: unknown }).openid
      } catch {
        openid = undefined
      }
      const user = readDemoUsers(deps.demoUsersFile).find((u) => u.openid === openid)
      if (typeof openid !== 'string' || !user) {
        sendJson(res, 403, { ok: false, code: 'UNKNOWN_DEMO_USER', message: '没有这个预览账号' }, corsHeaders())
        return
      }
      const token = crypto.randomBytes(24).toString('hex')
      deps.store.putSession(token, openid)
      sendJson(res, 200, { token, openid }, corsHeaders())
      return
    }

    if (pathname === '/__localcloud/health') {
      sendJson(res, 200, { ok: true })
      return
    }

    if (pathname === '/__localcloud/outbox' && (method === 'GET' || method === 'HEAD')) {
      const touser = url.searchParams.get('touser')
      const templateId = url.searchParams.get('templateId')
      sendJson(res, 200, deps.store.outbox({ ...(touser !== null ? { touser } : {}), ...(templateId !== null ? { templateId } : {}) }))
      return
    }

    if ((method === 'GET' || method === 'HEAD') && deps.staticDir) {
      serveStatic(deps.staticDir, req, res, pathname)
      return
    }

    sendJson(res, 404, { ok: false, code: 'NOT_FOUND', message: `no route for ${method} ${pathname}` })
  }

  /** The SDK's PUT of an upload's bytes, authorised by the signature getUploadMetadata handed out. */
  async function handleCosPut(req: http.IncomingMessage, res: http.ServerResponse, token: string): Promise<void> {
    const resource = `/storage/cos/${token}`
    if (req.headers.origin !== undefined) {
      req.resume()
      sendCosError(res, 403, 'AccessDenied', 'uploads through the SDK only (a web page uses POST /storage/upload)', resource)
      return
    }
    const auth = deps.storage.checkUpload(token, req.headers.authorization)
    if (!('cloudPath' in auth)) {
      req.resume()
      sendCosError(res, 403, auth.code, auth.why, resource)
      return
    }
    let out: { size: number; tooLarge?: boolean }
    try {
      out = await deps.storage.write(auth.cloudPath, req, MAX_FUNCTION_UPLOAD_BYTES)
    } catch (e) {
      req.resume()
      if (e instanceof LocalCloudError) {
        sendCosError(res, 400, 'InvalidArgument', e.message, resource)
        return
      }
      throw e
    }
    if (out.tooLarge) {
      sendCosError(res, 400, 'EntityTooLarge', `Your proposed upload exceeds the maximum allowed object size (local cloud: ${MAX_FUNCTION_UPLOAD_BYTES} bytes).`, resource, true)
      return
    }
    res.writeHead(200, { 'content-length': 0, etag: `"${crypto.randomBytes(16).toString('hex')}"` })
    res.end()
  }

  function serveStoredFile(req: http.IncomingMessage, res: http.ServerResponse, token: string, url: URL): void {
    const grant = deps.storage.checkDownload(token, url.searchParams.get('t'), url.searchParams.get('sign'))
    if (!('cloudPath' in grant)) {
      sendCosError(res, 403, 'AccessDenied', grant.why, url.pathname)
      return
    }
    let file: string
    let st: fs.Stats
    try {
      file = deps.storage.diskPath(grant.cloudPath)
      st = fs.statSync(file)
      if (!st.isFile()) throw new Error('not a file')
    } catch {
      sendCosError(res, 404, 'NoSuchKey', 'The specified key does not exist.', url.pathname)
      return
    }
    res.writeHead(200, deps.storage.fileHeaders(grant.cloudPath, st.size))
    if (req.method === 'HEAD') {
      res.end()
      return
    }
    const stream = fs.createReadStream(file)
    stream.on('error', () => res.destroy())
    stream.pipe(res)
  }

  /**
   * H5 preview upload: multipart/form-data with a `file` field and an optional `cloudPath` field. The file is
   * stored at `user-uploads/<hash of the caller's openid>/<cloudPath>` (cloudPath default: `<time>-<random><ext of the file name>`).
   */
  async function handlePreviewUpload(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const openid = sessionOpenid(deps, req)
    const body = await readRaw(req, MAX_PREVIEW_UPLOAD_BYTES + MULTIPART_OVERHEAD)
    const closeIfGaveUp: Record<string, string> = body.gaveUp ? { connection: 'close' } : {}
    if (!openid) {
      sendJson(res, 401, { ok: false, code: 'UNAUTHENTICATED', message: '请先登录预览账号' }, closeIfGaveUp)
      return
    }
    const tooLarge = (): void => sendJson(res, 413, { ok: false, code: 'FILE_TOO_LARGE', message: `文件不能超过 ${MAX_PREVIEW_UPLOAD_BYTES / 1024 / 1024} MB` }, closeIfGaveUp)
    if (body.tooLarge) {
      tooLarge()
      return
    }
    const type = req.headers['content-type'] ?? ''
    if (!/^multipart\/form-data;/i.test(type)) {
      sendJson(res, 400, { ok: false, code: 'BAD_REQUEST', message: '请用 multipart/form-data 上传（字段 file 与 cloudPath）' })
      return
    }
    let form: FormData
    try {
      form = await new Response(new Uint8Array(body.buf), { headers: { 'content-type': type } }).formData()
    } catch {
      sendJson(res, 400, { ok: false, code: 'BAD_REQUEST', message: '无法解析上传的表单' })
      return
    }
    const part = form.get('file')
    if (!part || typeof part === 'string') {
      sendJson(res, 400, { ok: false, code: 'BAD_REQUEST', message: '缺少文件字段 file' })
      return
    }
    const content = Buffer.from(await part.arrayBuffer())
    if (content.length > MAX_PREVIEW_UPLOAD_BYTES) {
      tooLarge()
      return
    }
    const given = form.get('cloudPath')
    let rel: string
    try {
      if (typeof given === 'string' && given !== '') rel = checkCloudPath(given)
      else rel = `${Date.now()}-${crypto.randomBytes(4).toString('hex')}${path.extname(part.name || '').toLowerCase().replace(/[^.a-z0-9]/g, '')}`
    } catch (e) {
      sendJson(res, 400, { ok: false, code: 'INVALID_CLOUD_PATH', message: `cloudPath 不合法：${(e as Error).message}` })
      return
    }
    const cloudPath = `${deps.storage.userPrefix(openid)}/${rel}`
    try {
      await deps.storage.write(cloudPath, content, MAX_PREVIEW_UPLOAD_BYTES)
    } catch (e) {
      if (e instanceof LocalCloudError) {
        sendJson(res, 400, { ok: false, code: 'INVALID_CLOUD_PATH', message: `cloudPath 不合法：${e.message}` })
        return
      }
      throw e
    }
    sendJson(res, 200, { ok: true, data: { fileID: deps.storage.fileIdFor(cloudPath) } })
  }

  return server
}

export function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}
