/** Function-test support: a fresh local cloud (on a temp data folder) running the freshly bundled functions. */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startLocalCloud, type LocalCloud } from '../localcloud'
import type { Envelope } from '@/shared/errors'

const root = path.resolve(__dirname, '..')
let built = false

export function buildFunctionsOnce() {
  if (built) return
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build-functions.mjs')], { stdio: 'pipe' })
  built = true
}

export interface TestCloud {
  cloud: LocalCloud
  /** Calls `fn` as the user `openid` (the OPENID WeChat would vouch for) and returns the envelope and the cost. */
  call<T = unknown>(fn: string, openid: string, event: unknown): Promise<{ reply: Envelope<T>; stats: { dbRequests: number; docsReturned: number } }>
  close(): Promise<void>
}

export async function startTestCloud(): Promise<TestCloud> {
  buildFunctionsOnce()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gy-fn-test-'))
  const cloud = await startLocalCloud({ dataDir, functionsDir: path.join(root, 'cloudfunctions') })
  return {
    cloud,
    async call<T>(fn: string, openid: string, event: unknown) {
      const { result, stats } = await cloud.invoke(fn, event, { openid })
      return { reply: result as Envelope<T>, stats }
    },
    async close() {
      await cloud.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  }
}
