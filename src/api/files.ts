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
