/** Files in the H5 preview: a browser file input uploads to the local cloud; files open as downloads. */
import Taro from '@tarojs/taro'
import type { FileLink } from '@/shared/contract'
import { AppError } from '@/shared/errors'
import { DOCUMENT_EXTENSIONS, evidenceDisplayName, evidenceRefusal, evidenceUploadName } from '@/shared/programme'
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
