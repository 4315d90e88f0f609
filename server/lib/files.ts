/** Files a function generates (exports, templates, reports): stored in cloud storage, handed out as a 1-hour link. */
import { cloud } from './cloud'
import type { FileLink } from '@/shared/contract'

/** Uploads a generated file and returns it with a temporary URL (valid one hour). */
export async function publish(cloudPath: string, content: Buffer): Promise<FileLink> {
  const { fileID } = (await cloud.uploadFile({ cloudPath, fileContent: content })) as { fileID: string }
  const res = (await cloud.getTempFileURL({ fileList: [{ fileID, maxAge: 3600 }] })) as { fileList: Array<{ tempFileURL: string }> }
  return { fileID, tempFileURL: res.fileList[0]?.tempFileURL ?? '' }
}

/** 20261123142131: a file name's time part, in China time. */
export const stamp = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14)
