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

/** getTempFileURL takes at most 50 files per call */
const URL_CHUNK = 50

/**
 * Temporary URLs (one hour) of stored files: one storage request per 50 files. A file that cannot be reached is
 * left out (the caller shows it as unavailable) rather than failing the whole answer.
 */
export async function tempUrls(fileIDs: string[], tag: string): Promise<Map<string, string>> {
  const ids = [...new Set(fileIDs.filter(Boolean))]
  const urls = new Map<string, string>()
  for (let i = 0; i < ids.length; i += URL_CHUNK) {
    try {
      const res = (await cloud.getTempFileURL({ fileList: ids.slice(i, i + URL_CHUNK).map((fileID) => ({ fileID, maxAge: 3600 })) })) as {
        fileList: Array<{ fileID: string; tempFileURL?: string; status?: number }>
      }
      for (const f of res.fileList) if (f.tempFileURL && !f.status) urls.set(f.fileID, f.tempFileURL)
    } catch (e) {
      console.error(`[${tag}] getTempFileURL`, e)
    }
  }
  return urls
}
