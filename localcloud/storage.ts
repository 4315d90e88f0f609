/**
 * Cloud storage of the local cloud: files on disk under `<dataDir>/storage/files/<cloudPath>`, reached through
 * the same TCB actions and follow-up HTTP requests the genuine SDK (wx-server-sdk 4.0.2 → @cloudbase/node-sdk
 * 3.17 `dist/storage/index.js`) makes:
 *
 * - uploadFile      → `storage.getUploadMetadata {path, method:'put'}` → {data: {url, authorization, token, fileId, cosFileId}},
 *                     then `PUT <url>` of the raw bytes (chunked) with headers `authorization`, `x-cos-security-token`,
 *                     `x-cos-meta-fileid`; success = 200 with an empty body, failure = COS XML `<Error><Code>…`.
 * - getTempFileURL  → `storage.batchGetDownloadUrl {file_list: [{fileid, max_age?}]}`
 *                     → {data: {download_list: [{fileID, tempFileURL, code: 'SUCCESS' | 'STORAGE_FILE_NONEXIST' | …, maxAge}]}}
 * - downloadFile    → batchGetDownloadUrl (max_age 600), then `GET <encodeURI(tempFileURL)>` (must answer 200)
 * - deleteFile      → `storage.batchDeleteFile {fileid_list}` → {data: {delete_list: [{fileID, code}]}}
 *
 * fileID: `cloud://<env>.<bucket>/<cloudPath>`, bucket = `<hex of env's first 2 chars>-<env>-1300000000` (the shape of
 * WeChat's, e.g. `cloud://local.6c6f-local-1300000000/rosters/template.xlsx`).
 *
 * URLs (absolute, on the local cloud's own origin):
 * - `GET|HEAD /storage/file/<base64url(cloudPath)>?t=<expiry, unix s>&sign=<HMAC>` — temporary download URL; 403 for an
 *   unknown/forged/expired signature, 404 when the file is gone. The signing key lives in `<dataDir>/storage/signing-key`,
 *   so URLs outlive a restart until they expire.
 * - `PUT /storage/cos/<base64url(cloudPath)>` — the SDK's upload; needs the signed `authorization` from getUploadMetadata.
 */
import crypto from 'crypto'
import fs from 'fs'
import path from 'path'
import type { Readable } from 'stream'
import { CODES, LocalCloudError } from './errors'

/** Per-file / per-request codes (wx-server-sdk maps them: STORAGE_FILE_NONEXIST → -503003, STORAGE_EXCEED_AUTHORITY → -503002, …). */
export const STORAGE_CODES = {
  SUCCESS: 'SUCCESS',
  FILE_NONEXIST: 'STORAGE_FILE_NONEXIST',
  EXCEED_AUTHORITY: 'STORAGE_EXCEED_AUTHORITY',
  REQUEST_FAIL: 'STORAGE_REQUEST_FAIL',
  INVALID_PARAM: 'INVALID_PARAM'
} as const

/** wx-server-sdk's numeric status for the per-file codes above (what a function sees as `status`). */
export const STORAGE_STATUS: Record<string, { status: number; errMsg: string }> = {
  SUCCESS: { status: 0, errMsg: 'ok' },
  STORAGE_FILE_NONEXIST: { status: -503003, errMsg: 'storage file not exists' },
  STORAGE_EXCEED_AUTHORITY: { status: -503002, errMsg: 'storage permission denied' },
  STORAGE_REQUEST_FAIL: { status: -503001, errMsg: 'storage request fail' },
  INVALID_PARAM: { status: -501007, errMsg: 'invalid parameters' }
}

export const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.bmp': 'image/bmp',
  '.heic': 'image/heic',
  '.heif': 'image/heif',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.pdf': 'application/pdf',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.xls': 'application/vnd.ms-excel',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.doc': 'application/msword',
  '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  '.ppt': 'application/vnd.ms-powerpoint',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.zip': 'application/zip',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.aac': 'audio/aac',
  '.wav': 'audio/wav',
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime'
}

/** Served as downloads, never rendered on the local cloud's origin (the H5 preview lives there). */
const NEVER_INLINE = new Set(['.html', '.htm', '.xhtml', '.xml', '.js', '.mjs'])

export function contentTypeFor(cloudPath: string): string {
  return CONTENT_TYPES[path.extname(cloudPath).toLowerCase()] ?? 'application/octet-stream'
}

/** Default lifetime of a temporary URL (seconds) when getTempFileURL gives no maxAge. */
export const DEFAULT_MAX_AGE = 86400
/** Upper bound of a temporary URL's lifetime (seconds). */
export const MAX_MAX_AGE = 7 * 86400
/** Lifetime of an upload authorization from getUploadMetadata (seconds). */
const UPLOAD_AUTH_SECONDS = 600
/** Largest file a function may upload. */
export const MAX_FUNCTION_UPLOAD_BYTES = 100 * 1024 * 1024

const MAX_CLOUD_PATH_BYTES = 1024
const MAX_SEGMENT_BYTES = 255

function b64url(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64url')
}

function unb64url(s: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(s)) return undefined
  const text = Buffer.from(s, 'base64url').toString('utf8')
  return b64url(text) === s ? text : undefined
}

/**
 * Checks a cloudPath and returns it unchanged: 1–1024 bytes, `/`-separated segments, no leading `/`, no empty,
 * `.` or `..` segment, no backslash or control characters, segments of at most 255 bytes.
 */
export function checkCloudPath(cloudPath: unknown): string {
  const bad = (why: string): never => {
    throw new LocalCloudError(CODES.INVALID_PARAM, `invalid cloudPath ${JSON.stringify(cloudPath)}: ${why}`)
  }
  if (typeof cloudPath !== 'string' || !cloudPath) return bad('must be a non-empty string')
  if (Buffer.byteLength(cloudPath) > MAX_CLOUD_PATH_BYTES) bad(`longer than ${MAX_CLOUD_PATH_BYTES} bytes`)
  if (cloudPath.startsWith('/')) bad('must not start with /')
  if (cloudPath.includes('\\')) bad('must not contain \\')
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(cloudPath)) bad('must not contain control characters')
  for (const seg of cloudPath.split('/')) {
    if (seg === '') bad('must not contain empty segments (// or a trailing /)')
    if (seg === '.' || seg === '..') bad('must not contain . or .. segments')
    if (Buffer.byteLength(seg) > MAX_SEGMENT_BYTES) bad(`a segment is longer than ${MAX_SEGMENT_BYTES} bytes`)
  }
  return cloudPath
}

export interface TempUrlItem {
  fileID: string
  tempFileURL: string
  /** SUCCESS or a STORAGE_CODES value */
  code: string
  maxAge?: number
  message?: string
}

export class LocalStorage {
  /** <dataDir>/storage */
  readonly root: string
  /** the files, as a folder tree of cloudPaths */
  readonly filesDir: string
  private readonly tmpDir: string
  private readonly key: Buffer
  readonly envId: string
  readonly bucket: string
  /** http://127.0.0.1:PORT — set once the server listens */
  baseUrl = ''

  constructor(dataDir: string, envId: string) {
    this.root = path.join(dataDir, 'storage')
    this.filesDir = path.join(this.root, 'files')
    this.tmpDir = path.join(this.root, 'tmp')
    fs.mkdirSync(this.filesDir, { recursive: true })
    fs.mkdirSync(this.tmpDir, { recursive: true })
    // leftovers of uploads interrupted by a crash
    for (const f of fs.readdirSync(this.tmpDir)) fs.rmSync(path.join(this.tmpDir, f), { force: true, recursive: true })
    const keyFile = path.join(this.root, 'signing-key')
    let key: Buffer | undefined
    try {
      key = Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'hex')
    } catch {
      key = undefined
    }
    if (!key || key.length < 32) {
      key = crypto.randomBytes(32)
      fs.writeFileSync(keyFile, key.toString('hex') + '\n', { mode: 0o600 })
    }
    this.key = key
    this.envId = envId
    this.bucket = `${Buffer.from(envId.slice(0, 2), 'utf8').toString('hex')}-${envId}-1300000000`
  }

  // ---------------------------------------------------------------- ids and paths

  fileIdFor(cloudPath: string): string {
    return `cloud://${this.envId}.${this.bucket}/${cloudPath}`
  }

  /** cloudPath of a fileID of this environment, or a per-file error code. */
  parseFileId(fileID: unknown): { cloudPath: string } | { code: string; message: string } {
    if (typeof fileID !== 'string' || !fileID) return { code: STORAGE_CODES.INVALID_PARAM, message: 'fileID must be a non-empty string' }
    const m = /^cloud:\/\/([^./]+)\.([^/]+)\/(.+)$/.exec(fileID)
    if (!m) return { code: STORAGE_CODES.INVALID_PARAM, message: `not a fileID: ${fileID}` }
    if (m[1] !== this.envId || m[2] !== this.bucket) return { code: STORAGE_CODES.EXCEED_AUTHORITY, message: `fileID of another environment: ${fileID}` }
    try {
      return { cloudPath: checkCloudPath(m[3]) }
    } catch (e) {
      return { code: STORAGE_CODES.INVALID_PARAM, message: (e as Error).message }
    }
  }

  /** Absolute path of a (checked) cloudPath on disk. */
  diskPath(cloudPath: string): string {
    const file = path.resolve(this.filesDir, ...checkCloudPath(cloudPath).split('/'))
    if (!file.startsWith(this.filesDir + path.sep)) throw new LocalCloudError(CODES.INVALID_PARAM, `invalid cloudPath ${JSON.stringify(cloudPath)}`)
    return file
  }

  exists(cloudPath: string): boolean {
    try {
      return fs.statSync(this.diskPath(cloudPath)).isFile()
    } catch {
      return false
    }
  }

  /** A file and a folder cannot share a name on disk (COS has no folders): refuse such a cloudPath up front. */
  private checkNoClash(cloudPath: string): void {
    const segs = cloudPath.split('/')
    for (let i = 1; i < segs.length; i++) {
      const prefix = segs.slice(0, i).join('/')
      if (this.exists(prefix)) throw new LocalCloudError(CODES.INVALID_PARAM, `invalid cloudPath ${JSON.stringify(cloudPath)}: ${prefix} is a file here (the local cloud keeps files as a folder tree)`)
    }
    try {
      if (fs.statSync(this.diskPath(cloudPath)).isDirectory()) {
        throw new LocalCloudError(CODES.INVALID_PARAM, `invalid cloudPath ${JSON.stringify(cloudPath)}: other files live under ${cloudPath}/ (the local cloud keeps files as a folder tree)`)
      }
    } catch (e) {
      if (e instanceof LocalCloudError) throw e
    }
  }

  // ---------------------------------------------------------------- file operations

  /**
   * Writes a file atomically (temp file, fsync, rename); overwrites an existing one, as COS does.
   * Resolves `{size}`, or `{tooLarge: true}` when the content exceeds `maxBytes` (nothing is written then; a stream
   * is still read to its end, so that an HTTP client gets the error reply).
   */
  async write(cloudPath: string, content: Buffer | Readable | AsyncIterable<Buffer>, maxBytes = MAX_FUNCTION_UPLOAD_BYTES): Promise<{ size: number; tooLarge?: boolean }> {
    checkCloudPath(cloudPath)
    this.checkNoClash(cloudPath)
    const dest = this.diskPath(cloudPath)
    const tmp = path.join(this.tmpDir, `${Date.now()}-${crypto.randomBytes(6).toString('hex')}`)
    const fh = await fs.promises.open(tmp, 'wx', 0o644)
    let size = 0
    let tooLarge = false
    let ok = false
    try {
      const chunks: AsyncIterable<Buffer> | Buffer[] = Buffer.isBuffer(content) ? [content] : content
      for await (const chunk of chunks) {
        const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array)
        size += b.length
        if (size > maxBytes) tooLarge = true
        if (!tooLarge) await fh.write(b)
      }
      if (!tooLarge) await fh.sync()
      ok = !tooLarge
    } finally {
      await fh.close()
      if (!ok) await fs.promises.rm(tmp, { force: true })
    }
    if (tooLarge) return { size, tooLarge }
    try {
      await fs.promises.mkdir(path.dirname(dest), { recursive: true })
      await fs.promises.rename(tmp, dest)
    } catch (e) {
      await fs.promises.rm(tmp, { force: true })
      const code = (e as NodeJS.ErrnoException).code
      if (code === 'ENOTDIR' || code === 'EEXIST' || code === 'EISDIR' || code === 'ENOTEMPTY') {
        throw new LocalCloudError(CODES.INVALID_PARAM, `invalid cloudPath ${JSON.stringify(cloudPath)}: clashes with an existing file or folder`)
      }
      throw e
    }
    return { size }
  }

  /** Synchronous write for seeds and tests (e.g. Excel templates): returns the fileID. */
  put(cloudPath: string, content: Buffer | string): string {
    checkCloudPath(cloudPath)
    this.checkNoClash(cloudPath)
    const dest = this.diskPath(cloudPath)
    const tmp = path.join(this.tmpDir, `${Date.now()}-${crypto.randomBytes(6).toString('hex')}`)
    fs.writeFileSync(tmp, content)
    fs.mkdirSync(path.dirname(dest), { recursive: true })
    fs.renameSync(tmp, dest)
    return this.fileIdFor(cloudPath)
  }

  /** Content of a fileID (or cloudPath), undefined when missing. */
  read(fileIdOrPath: string): Buffer | undefined {
    const cloudPath = fileIdOrPath.startsWith('cloud://') ? (this.parseFileId(fileIdOrPath) as { cloudPath?: string }).cloudPath : fileIdOrPath
    if (!cloudPath) return undefined
    try {
      return fs.readFileSync(this.diskPath(cloudPath))
    } catch {
      return undefined
    }
  }

  /** Deletes a file (and the folders it leaves empty); false when it did not exist. */
  remove(cloudPath: string): boolean {
    const file = this.diskPath(cloudPath)
    try {
      if (!fs.statSync(file).isFile()) return false
      fs.unlinkSync(file)
    } catch {
      return false
    }
    for (let dir = path.dirname(file); dir.startsWith(this.filesDir + path.sep); dir = path.dirname(dir)) {
      try {
        fs.rmdirSync(dir)
      } catch {
        break
      }
    }
    return true
  }

  /** Deletes every file (tests). */
  clear(): void {
    fs.rmSync(this.filesDir, { recursive: true, force: true })
    fs.mkdirSync(this.filesDir, { recursive: true })
  }

  // ---------------------------------------------------------------- signed URLs

  private sign(kind: 'GET' | 'PUT', cloudPath: string, exp: number): string {
    return crypto.createHmac('sha256', this.key).update(`${kind}\n${cloudPath}\n${exp}`).digest('base64url')
  }

  private signatureOk(kind: 'GET' | 'PUT', cloudPath: string, exp: number, sig: string): boolean {
    const want = Buffer.from(this.sign(kind, cloudPath, exp))
    const got = Buffer.from(sig)
    return want.length === got.length && crypto.timingSafeEqual(want, got)
  }

  /** A temporary download URL valid for `maxAgeSeconds` (no existence check). */
  tempUrl(cloudPath: string, maxAgeSeconds: number): string {
    const exp = Math.floor(Date.now() / 1000) + Math.floor(maxAgeSeconds)
    return `${this.baseUrl}/storage/file/${b64url(cloudPath)}?t=${exp}&sign=${this.sign('GET', cloudPath, exp)}`
  }

  /** The cloudPath a download URL grants, or why not. */
  checkDownload(token: string, t: string | null, sig: string | null): { cloudPath: string } | { status: 403; why: string } {
    const cloudPath = unb64url(token)
    const exp = t && /^\d{1,12}$/.test(t) ? Number(t) : NaN
    if (!cloudPath || !sig || !Number.isFinite(exp) || !this.signatureOk('GET', cloudPath, exp, sig)) return { status: 403, why: 'Request has invalid signature' }
    if (exp * 1000 < Date.now()) return { status: 403, why: 'Request has expired' }
    return { cloudPath }
  }

  private uploadAuthorization(cloudPath: string): string {
    const now = Math.floor(Date.now() / 1000)
    const exp = now + UPLOAD_AUTH_SECONDS
    return `q-sign-algorithm=hmac-sha256&q-ak=localcloud&q-sign-time=${now};${exp}&q-key-time=${now};${exp}&q-signature=${this.sign('PUT', cloudPath, exp)}`
  }

  /** The cloudPath an upload request (`PUT /storage/cos/<token>`) may write, or why not. */
  checkUpload(token: string, authorization: string | undefined): { cloudPath: string } | { why: string; code: string } {
    const cloudPath = unb64url(token)
    if (!cloudPath) return { code: 'InvalidURI', why: 'Could not parse the specified URI' }
    const fields = new URLSearchParams(authorization ?? '')
    const time = /^\d+;(\d{1,12})$/.exec(fields.get('q-sign-time') ?? '')
    const sig = fields.get('q-signature')
    if (!time || !sig) return { code: 'AccessDenied', why: 'Access Denied.' }
    const exp = Number(time[1])
    if (!this.signatureOk('PUT', cloudPath, exp, sig)) return { code: 'SignatureDoesNotMatch', why: 'The Signature you specified does not match what we calculated.' }
    if (exp * 1000 < Date.now()) return { code: 'AccessDenied', why: 'Request has expired' }
    return { cloudPath }
  }

  // ---------------------------------------------------------------- TCB actions

  /** getTempFileURL for a list of `{fileid, max_age}` / fileID strings; `allow` may refuse individual files. */
  tempUrls(list: unknown[], allow?: (cloudPath: string) => boolean): TempUrlItem[] {
    return list.map((item) => {
      const obj = item && typeof item === 'object' ? (item as Record<string, unknown>) : undefined
      const fileID = obj ? (obj.fileid ?? obj.fileID) : item
      const rawAge = obj ? (obj.max_age ?? obj.maxAge) : undefined
      const id = typeof fileID === 'string' ? fileID : ''
      let maxAge = DEFAULT_MAX_AGE
      if (rawAge !== undefined && rawAge !== null) {
        const n = Number(rawAge)
        if (!Number.isFinite(n) || n <= 0) return { fileID: id, tempFileURL: '', code: STORAGE_CODES.INVALID_PARAM, message: `invalid max_age ${String(rawAge)}` }
        maxAge = Math.min(Math.floor(n) || 1, MAX_MAX_AGE)
      }
      const parsed = this.parseFileId(fileID)
      if ('code' in parsed) return { fileID: id, tempFileURL: '', code: parsed.code, message: parsed.message }
      if (allow && !allow(parsed.cloudPath)) return { fileID: id, tempFileURL: '', code: STORAGE_CODES.EXCEED_AUTHORITY, message: 'not your file' }
      if (!this.exists(parsed.cloudPath)) return { fileID: id, tempFileURL: '', code: STORAGE_CODES.FILE_NONEXIST, message: `storage file not exists: ${id}` }
      return { fileID: id, tempFileURL: this.tempUrl(parsed.cloudPath, maxAge), code: STORAGE_CODES.SUCCESS, maxAge }
    })
  }

  /** Handles a `storage.*` TCB action; returns the reply without requestId. */
  handleAction(action: string, body: Record<string, unknown>): Record<string, unknown> {
    switch (action) {
      case 'storage.getUploadMetadata': {
        const cloudPath = checkCloudPath(body.path)
        this.checkNoClash(cloudPath)
        return {
          data: {
            url: `${this.baseUrl}/storage/cos/${b64url(cloudPath)}`,
            token: crypto.randomBytes(16).toString('hex'),
            authorization: this.uploadAuthorization(cloudPath),
            fileId: this.fileIdFor(cloudPath),
            cosFileId: crypto.randomBytes(12).toString('hex')
          }
        }
      }
      case 'storage.batchGetDownloadUrl': {
        const list = body.file_list
        if (!Array.isArray(list) || list.length === 0) throw new LocalCloudError(CODES.INVALID_PARAM, 'file_list must be a non-empty array')
        if (list.length > 50) throw new LocalCloudError(CODES.INVALID_PARAM, 'file_list may hold at most 50 files')
        return { data: { download_list: this.tempUrls(list) } }
      }
      case 'storage.batchDeleteFile': {
        const list = body.fileid_list
        if (!Array.isArray(list) || list.length === 0) throw new LocalCloudError(CODES.INVALID_PARAM, 'fileid_list must be a non-empty array')
        if (list.length > 50) throw new LocalCloudError(CODES.INVALID_PARAM, 'fileid_list may hold at most 50 files')
        const out = list.map((fileID: unknown) => {
          const parsed = this.parseFileId(fileID)
          const id = typeof fileID === 'string' ? fileID : ''
          if ('code' in parsed) return { fileID: id, code: parsed.code, message: parsed.message }
          return this.remove(parsed.cloudPath) ? { fileID: id, code: STORAGE_CODES.SUCCESS } : { fileID: id, code: STORAGE_CODES.FILE_NONEXIST, message: `storage file not exists: ${id}` }
        })
        return { data: { delete_list: out } }
      }
      default:
        throw new LocalCloudError(CODES.UNSUPPORTED_ACTION, `local cloud does not support the TCB action '${action}'`)
    }
  }

  // ---------------------------------------------------------------- H5 preview uploads

  /** Folder of a preview user's own uploads: `user-uploads/<first 16 hex of sha256(openid)>`. */
  userPrefix(openid: string): string {
    return `user-uploads/${crypto.createHash('sha256').update(openid).digest('hex').slice(0, 16)}`
  }

  /** Headers for serving a stored file. */
  fileHeaders(cloudPath: string, size: number): Record<string, string | number> {
    const ext = path.extname(cloudPath).toLowerCase()
    const inline = !NEVER_INLINE.has(ext)
    const name = path.basename(cloudPath)
    return {
      'content-type': inline ? contentTypeFor(cloudPath) : 'application/octet-stream',
      'content-length': size,
      'content-disposition': `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(name)}`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, max-age=60',
      // an SVG opened directly must not run script on the preview's origin (not applied to PDFs: browsers' viewers refuse sandboxed PDFs)
      ...(ext === '.svg' ? { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox" } : {})
    }
  }
}

/** COS-style XML error body (what the SDK's uploadFile parses). */
export function cosErrorXml(code: string, message: string, resource: string, requestId: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  return `<?xml version='1.0' encoding='utf-8' ?>\n<Error>\n  <Code>${esc(code)}</Code>\n  <Message>${esc(message)}</Message>\n  <Resource>${esc(resource)}</Resource>\n  <RequestId>${esc(requestId)}</RequestId>\n  <TraceId>${esc(requestId)}</TraceId>\n</Error>\n`
}
