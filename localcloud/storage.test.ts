/**
 * Cloud storage of the local cloud, exercised through the genuine wx-server-sdk inside throwaway functions
 * (uploadFile / getTempFileURL / downloadFile / deleteFile), plus the H5 preview routes /storage/upload and
 * /storage/temp-url.
 */
import crypto from 'crypto'
import fs from 'fs'
import path from 'path'
import { startLocalCloud, LocalCloud, InvocationStats } from './index'
import { MAX_PREVIEW_UPLOAD_BYTES } from './server'
import { tempDir, writeFunctions } from './test-helpers'

jest.setTimeout(60_000)

let root: string
let dataDir: string
let cloud: LocalCloud

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

beforeAll(async () => {
  root = tempDir('storage')
  dataDir = path.join(root, 'data')
  const functionsDir = writeFunctions(path.join(root, 'functions'), {
    files: `const fs = require('fs')
const os = require('os')
const path = require('path')
const fail = (e) => ({ ok: false, errCode: e.errCode, code: e.code, errMsg: String(e.errMsg || e.message) })
exports.main = async (event) => {
  try {
    switch (event.op) {
      case 'upload': {
        const r = await cloud.uploadFile({ cloudPath: event.cloudPath, fileContent: Buffer.from(event.b64, 'base64') })
        return { ok: true, fileID: r.fileID, errMsg: r.errMsg }
      }
      case 'uploadStream': {
        const tmp = path.join(os.tmpdir(), 'lc-upload-' + process.pid + '-' + Date.now())
        fs.writeFileSync(tmp, Buffer.from(event.b64, 'base64'))
        try {
          const r = await cloud.uploadFile({ cloudPath: event.cloudPath, fileContent: fs.createReadStream(tmp) })
          return { ok: true, fileID: r.fileID }
        } finally {
          fs.unlinkSync(tmp)
        }
      }
      case 'temp': {
        const r = await cloud.getTempFileURL({ fileList: event.fileList })
        return { ok: true, fileList: r.fileList, errMsg: r.errMsg }
      }
      case 'download': {
        const r = await cloud.downloadFile({ fileID: event.fileID })
        return { ok: true, b64: r.fileContent.toString('base64'), errMsg: r.errMsg }
      }
      case 'delete': {
        const r = await cloud.deleteFile({ fileList: event.fileList })
        return { ok: true, fileList: r.fileList, errMsg: r.errMsg }
      }
    }
  } catch (e) {
    return fail(e)
  }
}`
  })
  const demoUsersFile = path.join(root, 'demo-users.json')
  fs.writeFileSync(
    demoUsersFile,
    JSON.stringify([
      { openid: 'o-teacher-a', name: '李老师', roleLabel: '班主任', description: '' },
      { openid: 'o-parent-b', name: '王妈妈', roleLabel: '家长', description: '' }
    ])
  )
  cloud = await startLocalCloud({ dataDir, functionsDir, demoUsersFile, collectionsFile: path.join(root, 'none.json') })
})

afterAll(async () => {
  await cloud?.close()
  fs.rmSync(root, { recursive: true, force: true })
})

interface FnReply {
  ok: boolean
  fileID?: string
  fileList?: Array<{ fileID: string; status: number; errMsg: string; tempFileURL?: string; maxAge?: number }>
  b64?: string
  errCode?: number
  code?: string
  errMsg?: string
}

async function files(event: Record<string, unknown>): Promise<{ reply: FnReply; stats: InvocationStats }> {
  const { result, stats } = await cloud.invoke('files', event, { openid: 'o-fn-user' })
  return { reply: result as FnReply, stats }
}

const upload = (cloudPath: string, content: Buffer, op = 'upload') => files({ op, cloudPath, b64: content.toString('base64') })

async function get(url: string, method = 'GET'): Promise<{ status: number; type: string | null; body: Buffer; headers: Headers }> {
  const res = await fetch(url, { method })
  return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()), headers: res.headers }
}

describe('through the genuine SDK inside a function', () => {
  it('uploads a Buffer, hands out a signed URL serving the bytes with the right type, downloads, deletes', async () => {
    const bytes = Buffer.concat([Buffer.from('PK\u0003\u0004'), crypto.randomBytes(50_000), Buffer.from([0, 255, 0])])
    const cloudPath = 'rosters/2024 秋季/花名册模板.xlsx'

    const up = await upload(cloudPath, bytes)
    expect(up.reply).toEqual({ ok: true, fileID: `cloud://local.6c6f-local-1300000000/${cloudPath}`, errMsg: 'uploadFile:ok' })
    expect(up.stats).toEqual({ dbRequests: 0, docsReturned: 0, maxDocsPerRequest: 0, storageRequests: 1, openapiRequests: 0, actions: ['storage.getUploadMetadata'] })
    const fileID = up.reply.fileID!
    expect(fs.readFileSync(path.join(dataDir, 'storage', 'files', ...cloudPath.split('/')))).toEqual(bytes)
    expect(cloud.storage.read(fileID)).toEqual(bytes)

    const temp = await files({ op: 'temp', fileList: [fileID, { fileID, maxAge: 120 }] })
    expect(temp.stats).toMatchObject({ dbRequests: 0, storageRequests: 1, actions: ['storage.batchGetDownloadUrl'] })
    expect(temp.reply.errMsg).toBe('getTempFileURL:ok')
    const [a, b] = temp.reply.fileList!
    expect(a).toMatchObject({ fileID, status: 0, errMsg: 'ok', maxAge: 86400 })
    expect(b).toMatchObject({ fileID, status: 0, errMsg: 'ok', maxAge: 120 })
    expect(a.tempFileURL!.startsWith(`${cloud.url}/storage/file/`)).toBe(true)

    const fetched = await get(a.tempFileURL!)
    expect(fetched.status).toBe(200)
    expect(fetched.type).toBe(XLSX)
    expect(fetched.body.equals(bytes)).toBe(true)
    expect(fetched.headers.get('content-disposition')).toBe(`inline; filename*=UTF-8''${encodeURIComponent('花名册模板.xlsx')}`)
    const head = await get(b.tempFileURL!, 'HEAD')
    expect(head.status).toBe(200)
    expect(head.headers.get('content-length')).toBe(String(bytes.length))

    const down = await files({ op: 'download', fileID })
    expect(down.reply).toMatchObject({ ok: true, errMsg: 'downloadFile:ok' })
    expect(Buffer.from(down.reply.b64!, 'base64').equals(bytes)).toBe(true)
    expect(down.stats).toMatchObject({ storageRequests: 1, actions: ['storage.batchGetDownloadUrl'] })

    const missingID = 'cloud://local.6c6f-local-1300000000/rosters/nope.xlsx'
    const del = await files({ op: 'delete', fileList: [fileID, missingID] })
    expect(del.reply.fileList).toEqual([
      { fileID, status: 0, errMsg: 'ok' },
      { fileID: missingID, status: -503003, errMsg: 'storage file not exists' }
    ])
    expect(del.stats).toMatchObject({ dbRequests: 0, storageRequests: 1, actions: ['storage.batchDeleteFile'] })
    // the folders it emptied are gone too
    expect(fs.existsSync(path.join(dataDir, 'storage', 'files', 'rosters'))).toBe(false)

    // the signature is still valid, the file is not
    expect((await get(a.tempFileURL!)).status).toBe(404)
    const after = await files({ op: 'temp', fileList: [fileID] })
    expect(after.reply.fileList).toEqual([{ fileID, status: -503003, errMsg: 'storage file not exists', tempFileURL: '' }])
    const downMissing = await files({ op: 'download', fileID })
    // wx-server-sdk 4.0.2 rethrows node-sdk's TcbError as errCode -1, keeping the TCB code in .code (production does the same)
    expect(downMissing.reply).toMatchObject({ ok: false, errCode: -1, code: 'STORAGE_FILE_NONEXIST' })
    expect(downMissing.reply.errMsg).toBe(`downloadFile:fail storage file not exists: ${fileID}`)
  })

  it('uploads a stream and serves each type by its extension', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), crypto.randomBytes(3000)])
    const up = await upload('visits/v1/photo.png', png, 'uploadStream')
    expect(up.reply).toMatchObject({ ok: true, fileID: 'cloud://local.6c6f-local-1300000000/visits/v1/photo.png' })
    const temp = await files({ op: 'temp', fileList: [up.reply.fileID] })
    const res = await get(temp.reply.fileList![0].tempFileURL!)
    expect(res.type).toBe('image/png')
    expect(res.body.equals(png)).toBe(true)

    const types: Record<string, string> = { 'a.jpg': 'image/jpeg', 'a.JPEG': 'image/jpeg', 'a.pdf': 'application/pdf', 'a.xlsx': XLSX, 'a.csv': 'text/csv; charset=utf-8', 'a.bin': 'application/octet-stream' }
    for (const [name, type] of Object.entries(types)) {
      cloud.storage.put(`types/${name}`, 'x')
      expect((await get(cloud.storage.tempUrl(`types/${name}`, 60), 'HEAD')).type).toBe(type)
    }
    // never rendered on the preview's origin
    cloud.storage.put('types/page.html', '<script>alert(1)</script>')
    const html = await get(cloud.storage.tempUrl('types/page.html', 60))
    expect(html.type).toBe('application/octet-stream')
    expect(html.headers.get('content-disposition')).toMatch(/^attachment;/)
    cloud.storage.put('types/pic.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    const svg = await get(cloud.storage.tempUrl('types/pic.svg', 60))
    expect(svg.type).toBe('image/svg+xml')
    expect(svg.headers.get('content-security-policy')).toContain('sandbox')
  })

  it('overwrites an existing file at the same cloudPath, as COS does', async () => {
    await upload('drafts/report.pdf', Buffer.from('v1'))
    const again = await upload('drafts/report.pdf', Buffer.from('version 2'))
    expect(cloud.storage.read(again.reply.fileID!)?.toString()).toBe('version 2')
  })

  it('reports fileIDs of another environment and malformed ones per file', async () => {
    const temp = await files({ op: 'temp', fileList: ['cloud://prod-1x.7072-prod-1x-1301/a.png', 'not-a-file-id'] })
    expect(temp.reply.fileList!.map((f) => f.status)).toEqual([-503002, -501007])
  })

  it('refuses forged, altered and expired URLs with 403', async () => {
    cloud.storage.put('secret/report.pdf', '%PDF-1.4 secret')
    cloud.storage.put('secret/other.pdf', '%PDF-1.4 other')
    const good = cloud.storage.tempUrl('secret/report.pdf', 600)
    expect((await get(good)).status).toBe(200)
    const u = new URL(good)

    const forged = new URL(u)
    const sig = forged.searchParams.get('sign')!
    forged.searchParams.set('sign', (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1))
    expect((await get(forged.href)).status).toBe(403)

    const longer = new URL(u)
    longer.searchParams.set('t', String(Number(u.searchParams.get('t')) + 86400))
    expect((await get(longer.href)).status).toBe(403)

    const otherFile = new URL(cloud.storage.tempUrl('secret/other.pdf', 600))
    otherFile.searchParams.set('sign', sig)
    otherFile.searchParams.set('t', u.searchParams.get('t')!)
    expect((await get(otherFile.href)).status).toBe(403)

    const unsigned = new URL(u)
    unsigned.search = ''
    expect((await get(unsigned.href)).status).toBe(403)

    const expired = await get(cloud.storage.tempUrl('secret/report.pdf', -1))
    expect(expired.status).toBe(403)
    expect(expired.body.toString()).toContain('expired')
  })

  it('refuses path traversal and other bad cloudPaths, writing nothing', async () => {
    const bad = ['../escape.txt', 'a/../../escape.txt', '/etc/escape.txt', 'a//b.txt', 'a/./b.txt', 'a\\..\\b.txt', 'dir/', 'a/\u0000b.txt']
    for (const cloudPath of bad) {
      const r = await upload(cloudPath, Buffer.from('x'))
      expect({ cloudPath, ...r.reply }).toMatchObject({ cloudPath, ok: false, errCode: -1, code: 'INVALID_PARAM' })
      expect(r.reply.errMsg).toContain('uploadFile:fail invalid cloudPath')
    }
    expect(fs.existsSync(path.join(dataDir, 'storage', 'escape.txt'))).toBe(false)
    expect(fs.existsSync(path.join(dataDir, 'escape.txt'))).toBe(false)
    // a file and a folder cannot share a name here
    await upload('clash/a.txt', Buffer.from('x'))
    expect((await upload('clash/a.txt/b.txt', Buffer.from('y'))).reply).toMatchObject({ ok: false, code: 'INVALID_PARAM' })
    expect((await upload('clash', Buffer.from('y'))).reply).toMatchObject({ ok: false, code: 'INVALID_PARAM' })
  })

  it('accepts uploads only with a signature from getUploadMetadata, never from a web page', async () => {
    const token = Buffer.from('forged/x.txt').toString('base64url')
    const noAuth = await fetch(`${cloud.url}/storage/cos/${token}`, { method: 'PUT', body: 'x' })
    expect(noAuth.status).toBe(403)
    const badSig = await fetch(`${cloud.url}/storage/cos/${token}`, { method: 'PUT', body: 'x', headers: { authorization: 'q-sign-time=1;99999999999&q-signature=abc' } })
    expect(badSig.status).toBe(403)
    expect(await badSig.text()).toContain('<Code>SignatureDoesNotMatch</Code>')
    expect(cloud.storage.exists('forged/x.txt')).toBe(false)
  })
})

describe('H5 preview routes', () => {
  const signIn = async (openid: string): Promise<string> => {
    const res = await fetch(`${cloud.url}/preview/signin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid }) })
    return ((await res.json()) as { token: string }).token
  }
  const uploadAs = (token: string | undefined, content: Buffer, cloudPath?: string, fileName = 'photo.jpg') => {
    const form = new FormData()
    form.append('file', new Blob([new Uint8Array(content)], { type: 'image/jpeg' }), fileName)
    if (cloudPath !== undefined) form.append('cloudPath', cloudPath)
    return fetch(`${cloud.url}/storage/upload`, { method: 'POST', body: form, headers: token ? { authorization: `Bearer ${token}` } : {} })
  }
  const tempUrlAs = (token: string | undefined, fileList: unknown[]) =>
    fetch(`${cloud.url}/storage/temp-url`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ fileList }) })

  interface UploadReply {
    ok: boolean
    code?: string
    data?: { fileID: string }
  }
  interface TempReply {
    ok: boolean
    data: { fileList: Array<{ fileID: string; status: number; errMsg: string; tempFileURL: string }> }
  }

  it('need a preview session', async () => {
    const up = await uploadAs(undefined, Buffer.from('x'), 'a.jpg')
    expect(up.status).toBe(401)
    expect(await up.json()).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' })
    expect((await uploadAs('not-a-token', Buffer.from('x'), 'a.jpg')).status).toBe(401)
    expect((await tempUrlAs(undefined, ['cloud://local.6c6f-local-1300000000/x.jpg'])).status).toBe(401)
  })

  it('store each user under their own folder and hand out URLs only for their own files', async () => {
    const tokenA = await signIn('o-teacher-a')
    const tokenB = await signIn('o-parent-b')
    const photoA = crypto.randomBytes(20_000)
    const photoB = crypto.randomBytes(1000)

    const upA = await uploadAs(tokenA, photoA, 'visits/v1.jpg')
    expect(upA.status).toBe(200)
    const { data: dataA } = (await upA.json()) as UploadReply
    expect(dataA!.fileID).toBe(`cloud://local.6c6f-local-1300000000/${cloud.storage.userPrefix('o-teacher-a')}/visits/v1.jpg`)
    expect(dataA!.fileID).toMatch(/\/user-uploads\/[0-9a-f]{16}\/visits\/v1\.jpg$/)

    // the same cloudPath from B lands in B's folder; A's file is untouched
    const { data: dataB } = (await (await uploadAs(tokenB, photoB, 'visits/v1.jpg')).json()) as UploadReply
    expect(dataB!.fileID).not.toBe(dataA!.fileID)
    // naming A's folder only nests it inside B's own
    const prefixA = cloud.storage.userPrefix('o-teacher-a')
    const { data: sneaky } = (await (await uploadAs(tokenB, photoB, `${prefixA}/visits/v1.jpg`)).json()) as UploadReply
    expect(sneaky!.fileID).toContain(`${cloud.storage.userPrefix('o-parent-b')}/user-uploads/`)
    expect(cloud.storage.read(dataA!.fileID)!.equals(photoA)).toBe(true)

    const mine = (await (await tempUrlAs(tokenA, [dataA!.fileID])).json()) as TempReply
    expect(mine.ok).toBe(true)
    expect(mine.data.fileList[0]).toMatchObject({ fileID: dataA!.fileID, status: 0, errMsg: 'ok' })
    const res = await get(mine.data.fileList[0].tempFileURL)
    expect(res.status).toBe(200)
    expect(res.type).toBe('image/jpeg')
    expect(res.body.equals(photoA)).toBe(true)

    const theirs = (await (await tempUrlAs(tokenB, [dataA!.fileID, { fileID: dataB!.fileID, maxAge: 60 }])).json()) as TempReply
    expect(theirs.data.fileList).toEqual([
      { fileID: dataA!.fileID, status: -503002, errMsg: 'storage permission denied', tempFileURL: '' },
      expect.objectContaining({ fileID: dataB!.fileID, status: 0, errMsg: 'ok', maxAge: 60 })
    ])

    // a function can read what the user uploaded (the fileID travels in an event)
    const down = await files({ op: 'download', fileID: dataA!.fileID })
    expect(Buffer.from(down.reply.b64!, 'base64').equals(photoA)).toBe(true)

    // a file the user uploaded and then lost reports as missing
    cloud.storage.remove(new URL(dataB!.fileID.replace('cloud://', 'http://')).pathname.slice(1))
    const gone = (await (await tempUrlAs(tokenB, [dataB!.fileID])).json()) as TempReply
    expect(gone.data.fileList[0]).toMatchObject({ status: -503003 })
  })

  it('name the file when no cloudPath is given, and refuse bad paths, oversized files and non-multipart bodies', async () => {
    const token = await signIn('o-teacher-a')
    const auto = (await (await uploadAs(token, Buffer.from('x'), undefined, '家访.JPG')).json()) as UploadReply
    expect(auto.data!.fileID).toMatch(/\/user-uploads\/[0-9a-f]{16}\/\d+-[0-9a-f]{8}\.jpg$/)

    for (const cloudPath of ['../x.jpg', 'a/../../x.jpg', '/x.jpg', 'a//x.jpg']) {
      const r = await uploadAs(token, Buffer.from('x'), cloudPath)
      expect(r.status).toBe(400)
      expect(await r.json()).toMatchObject({ ok: false, code: 'INVALID_CLOUD_PATH' })
    }

    const big = await uploadAs(token, Buffer.alloc(MAX_PREVIEW_UPLOAD_BYTES + 1), 'big.jpg')
    expect(big.status).toBe(413)
    expect(await big.json()).toMatchObject({ ok: false, code: 'FILE_TOO_LARGE', message: '文件不能超过 10 MB' })
    expect(cloud.storage.exists(`${cloud.storage.userPrefix('o-teacher-a')}/big.jpg`)).toBe(false)
    const justFits = await uploadAs(token, Buffer.alloc(MAX_PREVIEW_UPLOAD_BYTES), 'fits.jpg')
    expect(justFits.status).toBe(200)

    const raw = await fetch(`${cloud.url}/storage/upload?cloudPath=a.jpg`, { method: 'POST', body: 'x', headers: { authorization: `Bearer ${token}`, 'content-type': 'image/jpeg' } })
    expect(raw.status).toBe(400)
    expect(await raw.json()).toMatchObject({ ok: false, code: 'BAD_REQUEST' })
  })
})

describe('restart', () => {
  it('keeps files and URL signatures across a restart of the local cloud', async () => {
    const fileID = cloud.storage.put('persist/keep.txt', 'still here')
    const url = cloud.storage.tempUrl('persist/keep.txt', 600)
    const functionsDir = path.join(root, 'functions')
    await cloud.close()
    cloud = await startLocalCloud({ dataDir, functionsDir, collectionsFile: path.join(root, 'none.json') })
    expect(cloud.storage.read(fileID)?.toString()).toBe('still here')
    // same signing key; only the port may differ
    const res = await get(url.replace(/^http:\/\/127\.0\.0\.1:\d+/, cloud.url))
    expect(res.status).toBe(200)
    expect(res.body.toString()).toBe('still here')
  })
})
