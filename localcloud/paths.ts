import fs from 'fs'
import path from 'path'

function isRepoRoot(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'localcloud', 'worker.js'))
}

function walkUp(start: string): string | undefined {
  let dir = path.resolve(start)
  for (;;) {
    if (isRepoRoot(dir)) return dir
    const parent = path.dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

/**
 * The repository root (the directory holding package.json and localcloud/worker.js), found from
 * $LOCALCLOUD_ROOT, then by walking up from this module's directory (works for the sources under jest and for
 * a bundle in .build/), then from the working directory (a bundle copied elsewhere, started from the repo).
 */
export function findRepoRoot(): string {
  const starts = [process.env.LOCALCLOUD_ROOT, typeof __dirname === 'string' ? __dirname : undefined, process.cwd()]
  for (const s of starts) {
    if (!s) continue
    const found = walkUp(s)
    if (found) return found
  }
  throw new Error('localcloud: cannot find the repository root (package.json + localcloud/worker.js); set LOCALCLOUD_ROOT')
}

export function workerFile(root: string): string {
  return path.join(root, 'localcloud', 'worker.js')
}
