/**
 * The local cloud's HTTP server (127.0.0.1 only).
 *
 * - POST /admin, /admin/w/<worker>/i/<invocation>  — TCB API (see tcb.ts); the path attributes the request
 * - POST /fn/<name>              — H5 preview gateway: body = event, `Authorization: Bearer <token>`
 * - GET  /preview/demo-users     — the demo users written by the seed
 * - POST /preview/signin {openid} → {token}
 * - GET  /__localcloud/health    → {ok: true}
 * - GET  anything else           — static files from staticDir (when set), '/' → index.html
 */
import fs from 'fs'
import http from 'http'
import path from 'path'
import crypto from 'crypto'
import { AddressInfo } from 'net'
import { CODES, LocalCloudError } from './errors'
import { Store } from './store'
import type { DemoUser } from '../src/shared/preview'

export type { DemoUser }

export interface ServerDeps {
  store: Store
  /** TCB API request; `invocationId` from the URL path when the caller is a function invocation */
  tcb(body: Record<string, unknown>, invocationId: string | undefined): Promise<Record<string, unknown>>
  /** runs a function for an H5 preview user */
  invokeForPreview(name: string, event: unknown, openid: string): Promise<{ result: unknown; stats: unknown }>
  staticDir?: string
  demoUsersFile?: string
}

const MAX_BODY = 32 * 1024 * 1024

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
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
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
      const text = await readBody(req)
      let body: Record<string, unknown>
      try {
        body = JSON.parse(text || '{}') as Record<string, unknown>
      } catch {
        sendJson(res, 200, { code: CODES.INVALID_PARAM, message: 'request body is not JSON', requestId: 'lc-badjson' })
        return
      }
      const reply = await deps.tcb(body, admin[2])
      sendJson(res, 200, reply)
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

    if ((method === 'GET' || method === 'HEAD') && deps.staticDir) {
      serveStatic(deps.staticDir, req, res, pathname)
      return
    }

    sendJson(res, 404, { ok: false, code: 'NOT_FOUND', message: `no route for ${method} ${pathname}` })
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
