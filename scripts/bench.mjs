#!/usr/bin/env node
// `npm run bench`: builds what it measures (unless SKIP_BUILD=1), then runs bench/run.ts. See bench/run.ts.
import { execSync } from 'node:child_process'
import { build } from 'esbuild'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
process.chdir(root)
if (process.env.SKIP_BUILD !== '1') {
  execSync('node scripts/build-functions.mjs', { stdio: 'inherit' })
  execSync('npx taro build --type weapp', { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } })
}
const outfile = path.join(root, '.build', 'bench.cjs')
await build({
  entryPoints: [path.join(root, 'bench', 'run.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  tsconfig: path.join(root, 'tsconfig.json'),
  logLevel: 'warning'
})
await import(pathToFileURL(outfile).href)
