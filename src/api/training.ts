/** The semester's 家访培训 material (a document or a link): opened the same way by the principal and the teachers. */
import Taro from '@tarojs/taro'
import type { TrainingView } from '@/shared/contract-visits'
import { AppError } from '@/shared/errors'
import { openUploaded } from './files'

/**
 * Opens the material: an uploaded document in WeChat's viewer; a link is copied (a mini-program cannot open an
 * outside web page), or opened in a new tab in the H5 preview. Resolves with what to tell the user.
 */
export async function openTraining(t: Pick<TrainingView, 'link' | 'tempFileURL' | 'fileName'>): Promise<string | null> {
  if (t.tempFileURL) {
    await openUploaded({ tempFileURL: t.tempFileURL, name: t.fileName || '培训材料.pdf', kind: 'document' })
    return null
  }
  if (!t.link) throw new AppError('NOT_FOUND', '培训材料已不存在，请联系学校')
  if (process.env.TARO_ENV === 'h5') {
    window.open(t.link, '_blank')
    return null
  }
  try {
    await Taro.setClipboardData({ data: t.link })
  } catch {
    throw new AppError('INTERNAL_ERROR', '复制链接失败，请重试')
  }
  return '链接已复制，请粘贴到浏览器中打开'
}
