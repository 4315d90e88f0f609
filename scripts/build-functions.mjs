#!/usr/bin/env node
// Bundles each cloud function's TypeScript (server/functions/<name>/index.ts, with server/lib and the shared
// core) into cloudfunctions/<name>/index.js. wx-server-sdk (and exceljs, docx) stays external: it is each function's own dependency
// (cloudfunctions/<name>/package.json), installed by WeChat Cloud on upload ("上传并部署：云端安装依赖").
import { build } from 'esbuild'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const sourceDir = path.join(root, 'server', 'functions')
const names = readdirSync(sourceDir).filter((n) => statSync(path.join(sourceDir, n)).isDirectory() && existsSync(path.join(sourceDir, n, 'index.ts')))

for (const name of names) {
  const outDir = path.join(root, 'cloudfunctions', name)
  for (const required of ['package.json', 'config.json']) {
    if (!existsSync(path.join(outDir, required))) {
      console.error(`cloudfunctions/${name}/${required} is missing: every function folder must be uploadable as it is`)
      process.exit(1)
    }
  }
  const started = Date.now()
  const result = await build({
    entryPoints: [path.join(sourceDir, name, 'index.ts')],
    outfile: path.join(outDir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node16',
    format: 'cjs',
    external: ['wx-server-sdk', 'exceljs', 'docx'],
    tsconfig: path.join(root, 'tsconfig.json'),
    legalComments: 'none',
    minify: false,
    metafile: true,
    logLevel: 'warning'
  })
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0)
  console.log(`built cloudfunctions/${name}/index.js (${(bytes / 1024).toFixed(1)} KB) in ${Date.now() - started} ms`)
}
