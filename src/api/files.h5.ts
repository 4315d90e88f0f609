/** Files in the H5 preview: a browser file input uploads to the local cloud; files open as downloads. */
import Taro from '@tarojs/taro'
import type { FileLink } from '@/shared/contract'
import { AppError } from '@/shared/errors'
import { PREVIEW_TOKEN_KEY } from './gateway'

function chooseFile(accept: string): Promise<File> {
  return new Promise((resolve, reject) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = accept
    input.style.display = 'none'
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

export async function openFile(link: FileLink): Promise<void> {
  const a = document.createElement('a')
  a.href = link.tempFileURL
  a.download = ''
  document.body.appendChild(a)
  a.click()
  a.remove()
}
