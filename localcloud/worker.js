/* eslint-disable */
'use strict'
/**
 * Function worker (plain CommonJS, loaded by worker_threads — never bundled or transpiled).
 *
 * Runs one invocation at a time: sets this thread's own process.env (worker_threads give each worker its own
 * copy) to the caller's WX context and the TCB endpoint for this invocation, requires the function's
 * index.js (cached per worker) and awaits its genuine `main(event, context)`.
 */
const { parentPort, workerData } = require('worker_threads')
const Module = require('module')
const path = require('path')

// Let functions that live outside the repository (tests' temp dirs) resolve 'wx-server-sdk' from the repo.
if (workerData && workerData.nodeModules) {
  process.env.NODE_PATH = [workerData.nodeModules, process.env.NODE_PATH].filter(Boolean).join(path.delimiter)
  Module._initPaths()
  try {
    // warm up: the function's require('wx-server-sdk') then hits the module cache
    require(require.resolve('wx-server-sdk', { paths: [workerData.nodeModules] }))
  } catch (e) {
    // the function will report the resolution error itself
  }
}

let current = null // invocation id running now
let previousKeys = []

function serializeError(e) {
  if (e instanceof Error) {
    return {
      name: e.name,
      message: String(e.errMsg || e.message || e),
      stack: e.stack,
      errCode: e.errCode,
      code: e.code
    }
  }
  if (e && typeof e === 'object') {
    let text
    try { text = JSON.stringify(e) } catch (_) { text = String(e) }
    return { name: 'Error', message: e.errMsg || e.message || text, errCode: e.errCode, code: e.code }
  }
  return { name: 'Error', message: String(e) }
}

function finish(msg) {
  current = null
  parentPort.postMessage(msg)
}

process.on('unhandledRejection', (reason) => {
  console.error('[localcloud worker] unhandled promise rejection' + (current ? ` during invocation ${current}` : '') + ':', reason)
})

process.on('uncaughtException', (err) => {
  // The thread's state is unknown now: the pool fails the running invocation and replaces this worker.
  const iid = current
  current = null
  if (!iid) console.error('[localcloud worker] uncaught exception outside an invocation:', err)
  parentPort.postMessage({ type: 'done', iid, ok: false, fatal: true, error: serializeError(err) })
})

parentPort.on('message', async (msg) => {
  if (!msg || msg.type !== 'invoke') return
  const { iid, file, event, context, env } = msg
  current = iid
  for (const k of previousKeys) delete process.env[k]
  previousKeys = Object.keys(env)
  for (const k of previousKeys) process.env[k] = env[k]

  let mod
  try {
    mod = require(file)
  } catch (e) {
    finish({ type: 'done', iid, ok: false, phase: 'load', error: serializeError(e) })
    return
  }
  const main = mod && (typeof mod.main === 'function' ? mod.main : mod.default && typeof mod.default.main === 'function' ? mod.default.main : null)
  if (!main) {
    finish({ type: 'done', iid, ok: false, phase: 'load', error: { name: 'Error', message: `${file} does not export main(event, context)` } })
    return
  }
  try {
    const result = await main(event, context)
    let json
    try {
      // What the caller receives went through JSON in WeChat Cloud too (Dates become ISO strings).
      json = result === undefined ? null : JSON.parse(JSON.stringify(result))
    } catch (e) {
      finish({ type: 'done', iid, ok: false, error: { name: 'Error', message: 'the function returned a value that is not JSON-serialisable: ' + (e && e.message) } })
      return
    }
    if (current !== iid) return
    finish({ type: 'done', iid, ok: true, result: json })
  } catch (e) {
    if (current !== iid) return
    finish({ type: 'done', iid, ok: false, error: serializeError(e) })
  }
})

parentPort.postMessage({ type: 'ready' })
