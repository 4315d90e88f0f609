/**
 * Starts the local cloud from flags / environment and keeps it running until SIGINT/SIGTERM.
 *
 *   node .build/localcloud.js --data .data/localcloud --port 8787 --static dist/h5 --demo-users .data/demo-users.json
 *
 * Flags (env): --data DIR (LOCALCLOUD_DATA, default .data/localcloud), --port N (LOCALCLOUD_PORT, default 0 = random),
 * --static DIR (LOCALCLOUD_STATIC), --demo-users FILE (LOCALCLOUD_DEMO_USERS), --functions DIR (LOCALCLOUD_FUNCTIONS),
 * --collections FILE (LOCALCLOUD_COLLECTIONS), --env ID (LOCALCLOUD_ENV).
 */
import { startLocalCloud } from './index'

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (!a.startsWith('--')) continue
    const eq = a.indexOf('=')
    if (eq > 0) out[a.slice(2, eq)] = a.slice(eq + 1)
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out[a.slice(2)] = argv[++i]
    else out[a.slice(2)] = 'true'
  }
  return out
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const env = process.env
  const pick = (flag: string, name: string): string | undefined => args[flag] ?? env[name] ?? undefined
  const portText = pick('port', 'LOCALCLOUD_PORT')
  const port = portText ? Number(portText) : 0
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${portText}`)
  const cloud = await startLocalCloud({
    dataDir: pick('data', 'LOCALCLOUD_DATA') ?? '.data/localcloud',
    port,
    staticDir: pick('static', 'LOCALCLOUD_STATIC'),
    demoUsersFile: pick('demo-users', 'LOCALCLOUD_DEMO_USERS'),
    functionsDir: pick('functions', 'LOCALCLOUD_FUNCTIONS'),
    collectionsFile: pick('collections', 'LOCALCLOUD_COLLECTIONS'),
    envId: pick('env', 'LOCALCLOUD_ENV')
  })
  console.log(`local cloud listening on ${cloud.url}`)
  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    console.log(`local cloud stopping (${signal})`)
    cloud.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error('local cloud: error while stopping', e)
        process.exit(1)
      }
    )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

main().catch((e: unknown) => {
  console.error('local cloud failed to start:', e instanceof Error ? e.message : e)
  process.exit(1)
})
