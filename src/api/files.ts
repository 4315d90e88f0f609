/**
 * Files in the weapp: pick an Excel file from a WeChat chat and upload it to cloud storage; open a file the cloud
 * made (a template, an export) in WeChat's document viewer. The H5 preview has its own version (files.h5.ts).
 */
import Taro from '@tarojs/taro'
import type { FileLink } from '@/shared/contract'
import { AppError } from '@/shared/errors'

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

export async function openFile(link: FileLink): Promise<void> {
  try {
    const { tempFilePath } = await Taro.downloadFile({ url: link.tempFileURL })
    await Taro.openDocument({ filePath: tempFilePath, fileType: 'xlsx', showMenu: true })
  } catch {
    throw new AppError('NETWORK_ERROR', '打开文件失败，请重试')
  }
}
