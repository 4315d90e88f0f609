/**
 * Files in the weapp: pick an Excel file from a WeChat chat and upload it to cloud storage; open a file the cloud
 * made (a template, an export) in WeChat's document viewer. The H5 preview has its own version (files.h5.ts).
 */
import Taro from '@tarojs/taro'
import type { FileLink } from '@/shared/contract'
import { AppError } from '@/shared/errors'
import { DOCUMENT_EXTENSIONS, evidenceDisplayName, evidenceRefusal, evidenceUploadName } from '@/shared/programme'

export async function pickAndUploadExcel(folder: string): Promise<{ fileID: string; name: string }> {
  let picked: Taro.chooseMessageFile.SuccessCallbackResult
  try {
    picked = await Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['xlsx'] })
  } catch {
    throw new AppError('INVALID_INPUT', '没有选择文件')
  }
  const file = picked.tempFiles[0]
  if (!file) throw new AppError('INVALID_INPUT', '没有选择文件')
  if (!/\.xlsx$/i.test(file.name)) throw new AppError('INVALID_INPUT', '请选择 .xlsx 格式的 Excel 文件')
  try {
    const res = await Taro.cloud.uploadFile({ cloudPath: `${folder}/${Date.now()}-${file.name}`, filePath: file.path })
    return { fileID: res.fileID, name: file.name }
  } catch {
    throw new AppError('NETWORK_ERROR', '上传失败，请检查网络后重试')
  }
}

export async function openFile(link: FileLink, fileType: 'xlsx' | 'docx' = 'xlsx'): Promise<void> {
  try {
    const { tempFilePath } = await Taro.downloadFile({ url: link.tempFileURL })
    await Taro.openDocument({ filePath: tempFilePath, fileType, showMenu: true })
  } catch {
    throw new AppError('NETWORK_ERROR', '打开文件失败，请重试')
  }
}

// ---- evidence files (示范校 self-assessment): photos, or documents from a WeChat chat ----
export type PickKind = 'image' | 'document'
const MAX_EVIDENCE_BYTES = 20 * 1024 * 1024

/**
 * Picks up to `max` photos (album or camera) or documents and uploads each into `folder`. Every file is checked
 * first with the server's rule (an image or a document, src/shared/programme.ts): a file that would be refused is
 * never uploaded, and nothing is uploaded when one of the picked files is refused.
 */
export async function pickAndUploadFiles(folder: string, kind: PickKind, max: number): Promise<Array<{ fileID: string; name: string }>> {
  let files: Array<{ path: string; name: string; size: number }>
  try {
    if (kind === 'image') {
      const res = await Taro.chooseMedia({ count: max, mediaType: ['image'], sizeType: ['compressed'] })
      files = res.tempFiles.map((f, i) => ({ path: f.tempFilePath, name: `照片${i + 1}.${/\.(\w+)$/.exec(f.tempFilePath)?.[1] ?? 'jpg'}`, size: f.size }))
    } else {
      const res = await Taro.chooseMessageFile({ count: max, type: 'file', extension: [...DOCUMENT_EXTENSIONS] })
      files = res.tempFiles.map((f) => ({ path: f.path, name: f.name, size: f.size }))
    }
  } catch {
    throw new AppError('INVALID_INPUT', '没有选择文件')
  }
  if (!files.length) throw new AppError('INVALID_INPUT', '没有选择文件')
  for (const f of files) {
    const refused = evidenceRefusal(f.name)
    if (refused) throw new AppError('INVALID_INPUT', refused)
  }
  if (files.some((f) => f.size > MAX_EVIDENCE_BYTES)) throw new AppError('INVALID_INPUT', '单个文件不能超过 20 MB')
  const uploaded: Array<{ fileID: string; name: string }> = []
  const stamp = Date.now()
  for (const [i, f] of files.entries()) {
    try {
      const res = await Taro.cloud.uploadFile({ cloudPath: `${folder}/${evidenceUploadName(f.name, stamp, i)}`, filePath: f.path })
      uploaded.push({ fileID: res.fileID, name: evidenceDisplayName(f.name) })
    } catch {
      throw new AppError('NETWORK_ERROR', '上传失败，请检查网络后重试')
    }
  }
  return uploaded
}

/** Shows an uploaded photo full screen, or opens a document in WeChat's viewer. */
export async function openUploaded(file: { tempFileURL: string; name: string; kind: PickKind }): Promise<void> {
  if (!file.tempFileURL) throw new AppError('NOT_FOUND', '文件已不存在，请重新上传')
  try {
    if (file.kind === 'image') {
      await Taro.previewImage({ urls: [file.tempFileURL], current: file.tempFileURL })
      return
    }
    const { tempFilePath } = await Taro.downloadFile({ url: file.tempFileURL })
    const ext = /\.(\w+)$/.exec(file.name)?.[1]?.toLowerCase() ?? 'pdf'
    await Taro.openDocument({ filePath: tempFilePath, fileType: ext as 'pdf', showMenu: true })
  } catch {
    throw new AppError('NETWORK_ERROR', '打开文件失败，请重试')
  }
}

// ---- photos of a contact or home visit (全员家访) ----
/** An uploaded photo: its cloud fileID (what is sent) and a URL the phone can show it from right now. */
export interface UploadedPhoto {
  fileID: string
  url: string
}
const PHOTO_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp', 'gif', 'heic']
const MAX_PHOTO_BYTES = 10 * 1024 * 1024

/**
 * Picks up to `max` photos (album or camera, compressed) and uploads each into `folder` at once, one after the
 * other. Photos uploaded before a failure are returned (with how many failed); nothing uploaded at all is an error.
 */
export async function pickAndUploadPhotos(folder: string, max: number): Promise<{ photos: UploadedPhoto[]; failed: number }> {
  if (max <= 0) throw new AppError('INVALID_INPUT', '照片已达上限')
  let files: Array<{ path: string; size: number }>
  try {
    const res = await Taro.chooseMedia({ count: max, mediaType: ['image'], sourceType: ['album', 'camera'], sizeType: ['compressed'] })
    files = res.tempFiles.slice(0, max).map((f) => ({ path: f.tempFilePath, size: f.size }))
  } catch {
    throw new AppError('INVALID_INPUT', '没有选择照片')
  }
  if (!files.length) throw new AppError('INVALID_INPUT', '没有选择照片')
  if (files.some((f) => f.size > MAX_PHOTO_BYTES)) throw new AppError('INVALID_INPUT', '单张照片不能超过 10 MB')
  const photos: UploadedPhoto[] = []
  const stamp = Date.now()
  const rand = Math.random().toString(36).slice(2, 8)
  for (const [i, f] of files.entries()) {
    const found = (/\.(\w+)$/.exec(f.path)?.[1] ?? '').toLowerCase()
    const ext = PHOTO_EXTENSIONS.includes(found) ? found : 'jpg'
    try {
      const res = await Taro.cloud.uploadFile({ cloudPath: `${folder}/${stamp}-${i}-${rand}.${ext}`, filePath: f.path })
      photos.push({ fileID: res.fileID, url: f.path })
    } catch {
      // the next one may still go through on a weak network
    }
  }
  if (!photos.length) throw new AppError('NETWORK_ERROR', '照片上传失败，请检查网络后重试')
  return { photos, failed: files.length - photos.length }
}

/**
 * URLs to show uploaded photos from, by fileID (e.g. those of a draft restored after the app was closed). In the
 * weapp an <Image> and previewImage take the cloud fileID itself.
 */
export async function uploadedPhotoUrls(fileIDs: string[]): Promise<Record<string, string>> {
  return Object.fromEntries(fileIDs.map((id) => [id, id]))
}
