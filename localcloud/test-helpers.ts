/** Helpers for the local cloud's own tests: temp dirs with throwaway cloud functions and collections. */
import fs from 'fs'
import os from 'os'
import path from 'path'
import http from 'http'
import type { CollectionSpec } from './store'

/** Common head of a throwaway function: the real wx-server-sdk, initialised as in production. */
export const PRELUDE = `'use strict'
const cloud = require('wx-server-sdk')
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })
const db = cloud.database()
const _ = db.command
const $ = _.aggregate
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const caught = async (p) => { try { await p; return { ok: true } } catch (e) { return { ok: false, errCode: e.errCode, errMsg: String(e.errMsg || e.message), code: e.code } } }
`

export interface FnDef {
  /** body after PRELUDE; must set exports.main */
  code: string
  /** written as config.json */
  config?: Record<string, unknown>
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `localcloud-${prefix}-`))
}

export function writeFunctions(dir: string, fns: Record<string, FnDef | string>): string {
  for (const [name, def] of Object.entries(fns)) {
    const d = typeof def === 'string' ? { code: def } : def
    fs.mkdirSync(path.join(dir, name), { recursive: true })
    fs.writeFileSync(path.join(dir, name, 'index.js'), PRELUDE + d.code)
    if (d.config) fs.writeFileSync(path.join(dir, name, 'config.json'), JSON.stringify(d.config))
  }
  return dir
}

export function writeCollections(file: string, collections: CollectionSpec[]): string {
  fs.writeFileSync(file, JSON.stringify({ collections }, null, 2))
  return file
}

export function rmrf(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true })
}

export interface HttpReply {
  status: number
  headers: http.IncomingHttpHeaders
  text: string
  json(): unknown
}

export function httpRequest(url: string, opts: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const payload = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body)
    const req = http.request(url, { method: opts.method ?? (payload ? 'POST' : 'GET'), headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...opts.headers }, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as unknown })
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    if (payload) req.write(payload)
    req.end()
  })
}
