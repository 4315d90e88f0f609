#!/usr/bin/env node
// `npm run bench`: builds what it measures (unless SKIP_BUILD=1), then runs bench/run.ts.
import { execSync } from 'node:child_process'
import { root, runTs } from './run-ts.mjs'

if (process.env.SKIP_BUILD !== '1') {
  execSync('node scripts/build-functions.mjs', { stdio: 'inherit', cwd: root })
  execSync('npx taro build --type weapp', { stdio: 'inherit', cwd: root, env: { ...process.env, NODE_ENV: 'production' } })
}
await runTs('bench/run.ts')
