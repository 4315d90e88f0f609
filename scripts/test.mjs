#!/usr/bin/env node
// `npm test`: every test layer, after building what each needs.
//   1. cloud functions bundled (function tests run the genuine bundles against the local cloud)
//   2. weapp production build (weapp page tests load it with miniprogram-simulate)
//   3. H5 production build + Debian chromium and a Chinese font (end-to-end journeys, screenshots in artifacts/)
//   4. jest: unit, functions, weapp, e2e
// Prints a closing line "jest: N passed, N failed" and exits non-zero when any test fails.
// SKIP_BUILD=1 reuses existing builds (for quick local runs); extra arguments go to jest.
import { execSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
process.chdir(root)
const run = (cmd, env = {}) => {
  console.log(`\n$ ${cmd}`)
  execSync(cmd, { stdio: 'inherit', env: { ...process.env, ...env } })
}
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0

if (process.env.SKIP_BUILD !== '1') {
  run('node scripts/build-functions.mjs')
  run('npx taro build --type weapp', { NODE_ENV: 'production' })
  run('npx taro build --type h5', { NODE_ENV: 'production' })
}

if (!has('chromium') || spawnSync('sh', ['-c', 'fc-list :lang=zh | grep -q .']).status !== 0) {
  console.log('\nInstalling Debian chromium and a Chinese font for the end-to-end tests…')
  run('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei > /dev/null')
}

fs.mkdirSync(path.join(root, 'artifacts'), { recursive: true })
const resultFile = path.join(root, 'artifacts', 'jest-results.json')
const jest = spawnSync('npx', ['jest', '--ci', '--maxWorkers=2', '--json', `--outputFile=${resultFile}`, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: process.env
})
let passed = 0
let failed = 0
try {
  const r = JSON.parse(fs.readFileSync(resultFile, 'utf8'))
  passed = r.numPassedTests
  failed = r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0)
} catch {
  failed = 1
}
console.log(`\njest: ${passed} passed, ${failed} failed`)
process.exit(jest.status === 0 && failed === 0 && passed > 0 ? 0 : 1)
