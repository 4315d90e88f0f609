#!/usr/bin/env node
// Bundles demo/preview.ts (the local cloud + demo data) with esbuild and runs it. See demo/preview.ts.
import { build } from 'esbuild'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const outfile = path.join(root, '.build', 'preview.cjs')
await build({
  entryPoints: [path.join(root, 'demo', 'preview.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  tsconfig: path.join(root, 'tsconfig.json'),
  logLevel: 'warning'
})
process.chdir(root)
await import(pathToFileURL(outfile).href)
