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

/**
 * Calls to one function for a test file: `call` answers the envelope and the cost, `ok` the data (failing the test
 * on a refusal), `fails` the refusal (failing the test when the action went through). `cloud` is read at call time
 * (the test cloud starts in beforeAll).
 */
export function callsTo(cloud: () => TestCloud, fn: string) {
  const call = <T>(openid: string, action: string, data: unknown) => cloud().call<T>(fn, openid, { action, data })
  const ok = async <T>(openid: string, action: string, data: unknown = {}): Promise<T> => {
    const { reply } = await call<T>(openid, action, data)
    if (!reply.ok) throw new Error(`${action}: ${reply.code} ${reply.message}`)
    return reply.data
  }
  const fails = async (openid: string, action: string, data: unknown) => {
    const { reply } = await call(openid, action, data)
    if (reply.ok) throw new Error(`${action} should have failed`)
    return reply
  }
  return { call, ok, fails }
}
