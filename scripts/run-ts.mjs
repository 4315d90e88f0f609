// Bundles a TypeScript entry (with the tsconfig path aliases; npm packages stay external) into .build/ and runs it
// in this process. Used by `npm run preview` and `npm run bench`.
import { build } from 'esbuild'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export async function runTs(entry) {
  const outfile = path.join(root, '.build', `${path.basename(entry, '.ts')}.cjs`)
  await build({
    entryPoints: [path.join(root, entry)],
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
}
