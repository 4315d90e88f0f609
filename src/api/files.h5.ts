/** Files in the H5 preview: a browser file input uploads to the local cloud; files open as downloads. */
import Taro from '@tarojs/taro'
import type { FileLink } from '@/shared/contract'
import { AppError } from '@/shared/errors'
import { DOCUMENT_EXTENSIONS, evidenceDisplayName, evidenceKind, evidenceRefusal, evidenceUploadName, extensionOf } from '@/shared/programme'
import { PREVIEW_TOKEN_KEY } from './gateway'

function chooseFile(accept: string): Promise<File> {
  return new Promise((resolve, reject) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = accept
    input.style.display = 'none'
    input.addEventListener('cancel', () => {
      input.remove()
      reject(new AppError('INVALID_INPUT', '没有选择文件'))
    })
    input.addEventListener('change', () => {
      const file = input.files?.[0]
      input.remove()
      if (file) resolve(file)
      else reject(new AppError('INVALID_INPUT', '没有选择文件'))
    })
    document.body.appendChild(input)
    input.click()
  })
}

export async function pickAndUploadExcel(folder: string): Promise<{ fileID: string; name: string }> {
  const file = await chooseFile('.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  if (!/\.xlsx$/i.test(file.name)) throw new AppError('INVALID_INPUT', '请选择 .xlsx 格式的 Excel 文件')
  const form = new FormData()
  form.append('file', file)
  form.append('cloudPath', `${folder}/${Date.now()}-${file.name}`)
  const token = Taro.getStorageSync(PREVIEW_TOKEN_KEY) as string
  const res = await fetch('/storage/upload', { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form }).catch(() => null)
  const body = (await res?.json().catch(() => null)) as { ok?: boolean; data?: { fileID: string }; message?: string } | null
  if (!res || !body?.ok || !body.data) throw new AppError('NETWORK_ERROR', body?.message ?? '上传失败，请重试')
  return { fileID: body.data.fileID, name: file.name }
}

export async function openFile(link: FileLink, _fileType: 'xlsx' | 'docx' = 'xlsx'): Promise<void> {
  const a = document.createElement('a')
  a.href = link.tempFileURL
  a.download = ''
  document.body.appendChild(a)
  a.click()
  a.remove()
}

// ---- evidence files (示范校 self-assessment): photos or documents ----
export type PickKind = 'image' | 'document'
const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

/**
 * Picks one photo or document (the browser's file dialog) and uploads it into `folder`. The dialog's `accept` is
 * only a hint (any file can be chosen), so the file is checked first with the server's rule (an image or a
 * document, src/shared/programme.ts): a file that would be refused is never uploaded.
 */
export async function pickAndUploadFiles(folder: string, kind: PickKind, _max: number): Promise<Array<{ fileID: string; name: string }>> {
  const file = await chooseFile(kind === 'image' ? 'image/*' : DOCUMENT_EXTENSIONS.map((e) => `.${e}`).join(','))
  const refused = evidenceRefusal(file.name)
  if (refused) throw new AppError('INVALID_INPUT', refused)
  if (file.size > MAX_EVIDENCE_BYTES) throw new AppError('INVALID_INPUT', '单个文件不能超过 10 MB')
  const form = new FormData()
  form.append('file', file)
  form.append('cloudPath', `${folder}/${evidenceUploadName(file.name, Date.now(), 0)}`)
  const token = Taro.getStorageSync(PREVIEW_TOKEN_KEY) as string
  const res = await fetch('/storage/upload', { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form }).catch(() => null)
  const body = (await res?.json().catch(() => null)) as { ok?: boolean; data?: { fileID: string }; message?: string } | null
  if (!res || !body?.ok || !body.data) throw new AppError('NETWORK_ERROR', body?.message ?? '上传失败，请重试')
  return [{ fileID: body.data.fileID, name: evidenceDisplayName(file.name) }]
}

/** Opens an uploaded photo or document in a new tab. */
export async function openUploaded(file: { tempFileURL: string; name: string; kind: PickKind }): Promise<void> {
  if (!file.tempFileURL) throw new AppError('NOT_FOUND', '文件已不存在，请重新上传')
  window.open(file.tempFileURL, '_blank')
}

// ---- photos of a contact or home visit (全员家访) ----
/** An uploaded photo: its cloud fileID (what is sent) and a URL the page can show it from right now. */
export interface UploadedPhoto {
  fileID: string
  url: string
}
const MAX_PHOTO_BYTES = 10 * 1024 * 1024

function choosePhotos(): Promise<File[]> {
  return new Promise((resolve, reject) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = 'image/*'
    input.multiple = true
    input.style.display = 'none'
    input.addEventListener('cancel', () => {
      input.remove()
      reject(new AppError('INVALID_INPUT', '没有选择照片'))
    })
    input.addEventListener('change', () => {
      const files = Array.from(input.files ?? [])
      input.remove()
      if (files.length) resolve(files)
      else reject(new AppError('INVALID_INPUT', '没有选择照片'))
    })
    document.body.appendChild(input)
    input.click()
  })
}

/**
 * Picks up to `max` photos (the browser's file dialog) and uploads each into `folder` at once (POST
 * /storage/upload of the local cloud). Photos uploaded before a failure are returned, with how many failed.
 */
export async function pickAndUploadPhotos(folder: string, max: number): Promise<{ photos: UploadedPhoto[]; failed: number }> {
  if (max <= 0) throw new AppError('INVALID_INPUT', '照片已达上限')
  const files = (await choosePhotos()).slice(0, max)
  const notImage = files.find((f) => evidenceKind(f.name) !== 'image')
  if (notImage) throw new AppError('INVALID_INPUT', `「${notImage.name}」不是照片，请选择 jpg、png 等图片`)
  if (files.some((f) => f.size > MAX_PHOTO_BYTES)) throw new AppError('INVALID_INPUT', '单张照片不能超过 10 MB')
  const token = Taro.getStorageSync(PREVIEW_TOKEN_KEY) as string
  const stamp = Date.now()
  const rand = Math.random().toString(36).slice(2, 8)
  const photos: UploadedPhoto[] = []
  for (const [i, file] of files.entries()) {
    const ext = extensionOf(file.name) || 'jpg'
    const form = new FormData()
    form.append('file', file)
    form.append('cloudPath', `${folder}/${stamp}-${i}-${rand}.${ext}`)
    const res = await fetch('/storage/upload', { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form }).catch(() => null)
    const body = (await res?.json().catch(() => null)) as { ok?: boolean; data?: { fileID: string } } | null
    if (res && body?.ok && body.data) photos.push({ fileID: body.data.fileID, url: URL.createObjectURL(file) })
  }
  if (!photos.length) throw new AppError('NETWORK_ERROR', '照片上传失败，请检查网络后重试')
  return { photos, failed: files.length - photos.length }
}

/** Temporary URLs of my own uploaded photos (e.g. those of a draft restored after a reload), by fileID. */
export async function uploadedPhotoUrls(fileIDs: string[]): Promise<Record<string, string>> {
  if (!fileIDs.length) return {}
  const token = Taro.getStorageSync(PREVIEW_TOKEN_KEY) as string
  const res = await fetch('/storage/temp-url', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ fileList: fileIDs })
  }).catch(() => null)
  const body = (await res?.json().catch(() => null)) as { ok?: boolean; data?: { fileList: Array<{ fileID: string; tempFileURL: string }> } } | null
  if (!body?.ok || !body.data) return {}
  return Object.fromEntries(body.data.fileList.filter((f) => f.tempFileURL).map((f) => [f.fileID, f.tempFileURL]))
}
