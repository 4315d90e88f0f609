/**
 * Durability: the bundled CLI (as `esbuild localcloud/cli.ts --bundle` builds it) is killed with SIGKILL in
 * the middle of a stream of writes; after a restart on the same data folder every acknowledged write is there.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process'
import http from 'http'
import path from 'path'
import { findRepoRoot } from './paths'
import { rmrf, tempDir, writeCollections, writeFunctions } from './test-helpers'

jest.setTimeout(60_000)

const repo = findRepoRoot()
let root: string
let bundle: string
let dataDir: string
let collectionsFile: string
let functionsDir: string

beforeAll(() => {
  root = tempDir('dur')
  bundle = path.join(root, 'localcloud.js')
  execFileSync(path.join(repo, 'node_modules', '.bin', 'esbuild'), [path.join(repo, 'localcloud', 'cli.ts'), '--bundle', '--platform=node', '--packages=external', `--outfile=${bundle}`, '--log-level=warning'], { cwd: repo })
  dataDir = path.join(root, 'data')
  collectionsFile = writeCollections(path.join(root, 'collections.json'), [{ name: 'writes', indexes: [{ name: 'seq_unique', keys: { seq: 1 }, unique: true }] }, { name: 'counters', indexes: [] }])
  functionsDir = writeFunctions(path.join(root, 'functions'), { noop: 'exports.main = async () => 1' })
})

afterAll(() => rmrf(root))

interface Running {
  child: ChildProcess
  url: string
  exited: Promise<number | null>
}

function startCli(): Promise<Running> {
  const child = spawn(process.execPath, [bundle, '--data', dataDir, '--port', '0', '--collections', collectionsFile, '--functions', functionsDir], {
    cwd: repo,
    env: { ...process.env, NODE_PATH: path.join(repo, 'node_modules') },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    const timer = setTimeout(() => reject(new Error(`CLI did not start: ${out} ${err}`)), 15_000)
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString()
    })
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /local cloud listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve({ child, url: m[1], exited })
      }
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`CLI exited with ${code} before listening: ${out} ${err}`))
    })
  })
}

function post(agent: http.Agent, url: string, body: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body)
    const req = http.request(`${url}/admin?env=local`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>)
        } catch (e) {
          reject(e)
        }
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(payload)
  })
}

it('keeps every acknowledged write after kill -9 and a restart', async () => {
  const first = await startCli()
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 })
  const seeded = await post(agent, first.url, { action: 'database.insertDocument', collectionName: 'counters', data: ['{"_id":"c","n":{"$numberInt":"0"}}'] })
  expect(seeded.code).toBeUndefined()

  const acked: string[] = []
  let ackedIncs = 0
  let sentIncs = 0
  let stop = false
  let killed = false
  const streams = Array.from({ length: 8 }, async (_, s) => {
    for (let i = 0; !stop; i++) {
      try {
        if (i % 3 === 2) {
          sentIncs++
          const r = await post(agent, first.url, { action: 'database.modifyDocument', collectionName: 'counters', queryType: 'DOC', query: '{"_id":"c"}', data: '{"$inc":{"n":{"$numberInt":"1"}}}', merge: true, multi: false, upsert: false })
          if (r.code === undefined && (r.data as { updated: number }).updated === 1) ackedIncs++
        } else {
          const id = `w-${s}-${i}`
          const doc = { _id: id, seq: s * 1_000_000 + i, at: { $date: { $numberLong: String(Date.now()) } }, payload: 'x'.repeat(200) }
          const r = await post(agent, first.url, { action: 'database.insertDocument', collectionName: 'writes', data: [JSON.stringify(doc)] })
          if (r.code === undefined) acked.push(id)
          else throw new Error(`write refused: ${JSON.stringify(r)}`)
        }
      } catch (e) {
        if (killed) return // connection reset / refused after the kill
        throw e
      }
    }
  })
  // kill -9 in the middle of the stream
  await new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (acked.length >= 600) {
        clearInterval(check)
        resolve()
      }
    }, 5)
  })
  killed = true
  first.child.kill('SIGKILL')
  expect(await first.exited).toBeNull()
  stop = true
  await Promise.all(streams)
  agent.destroy()
  expect(acked.length).toBeGreaterThanOrEqual(600)

  const second = await startCli()
  const agent2 = new http.Agent({ keepAlive: false })
  try {
    const missing: string[] = []
    for (let i = 0; i < acked.length; i += 500) {
      const chunk = acked.slice(i, i + 500)
      const r = await post(agent2, second.url, { action: 'database.getDocument', collectionName: 'writes', queryType: 'WHERE', query: JSON.stringify({ _id: { $in: chunk } }), limit: 1000 })
      const found = new Set((r.data as { list: string[] }).list.map((t) => (JSON.parse(t) as { _id: string })._id))
      for (const id of chunk) if (!found.has(id)) missing.push(id)
      // stored dates stay dates
      expect((r.data as { list: string[] }).list[0]).toContain('"at":{"$date"')
    }
    expect(missing).toEqual([])
    const counter = await post(agent2, second.url, { action: 'database.getDocument', collectionName: 'counters', queryType: 'DOC', query: '{"_id":"c"}' })
    const n = (JSON.parse((counter.data as { list: string[] }).list[0]) as { n: { $numberInt: string } }).n.$numberInt
    expect(Number(n)).toBeGreaterThanOrEqual(ackedIncs)
    expect(Number(n)).toBeLessThanOrEqual(sentIncs)
    // the unique index still holds after recovery
    const dup = await post(agent2, second.url, { action: 'database.insertDocument', collectionName: 'writes', data: [JSON.stringify({ seq: 0 })] })
    expect(dup.code).toBe('DATABASE_REQUEST_FAILED')
    expect(String(dup.message)).toContain('E11000')
  } finally {
    second.child.kill('SIGTERM')
  }
  // SIGTERM stops it cleanly
  expect(await second.exited).toBe(0)
})
