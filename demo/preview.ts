/**
 * The H5 preview: the local cloud serving the H5 build (dist/h5) and the cloud functions (cloudfunctions/*),
 * with the demo county loaded. Started by `npm start` (which builds first) or `npm run preview`.
 *   PORT (default 10086), DATA_DIR (default .data/preview), RESET=1 to start from fresh demo data.
 */
import fs from 'node:fs'
import path from 'node:path'
import { scheduleTimerTriggers, startLocalCloud } from '../localcloud'
import { seedDemo } from './seed'
import { snapshotHistory } from './history'

async function main() {
  const root = process.cwd()
  const dataDir = path.resolve(root, process.env.DATA_DIR ?? '.data/preview')
  if (process.env.RESET === '1') fs.rmSync(dataDir, { recursive: true, force: true })
  const staticDir = path.join(root, 'dist', 'h5')
  if (!fs.existsSync(path.join(staticDir, 'index.html'))) {
    console.error('dist/h5 is missing: run `npm start` (it builds the H5 preview first) or `npm run build:h5`.')
    process.exit(1)
  }
  const demoUsersFile = path.join(dataDir, 'demo-users.json')
  const cloud = await startLocalCloud({ dataDir, port: Number(process.env.PORT ?? 10086), staticDir, demoUsersFile })
  const { seeded } = seedDemo(cloud.store, demoUsersFile)
  console.log(seeded ? `demo data loaded into ${dataDir}` : `using existing data in ${dataDir} (RESET=1 to reload the demo data)`)
  if (seeded) {
    const months = await snapshotHistory(cloud)
    console.log(`monthly statistics computed for ${months[0]} … ${months[months.length - 1]}`)
  }
  // The timer triggers of cloudfunctions/*/config.json run at their times, as in WeChat Cloud.
  scheduleTimerTriggers(cloud.timerTriggers(), async (t) => {
    const { result } = await cloud.fireTimer(t.fn, t.name)
    console.log(`timer ${t.fn}/${t.name}:`, JSON.stringify(result).slice(0, 300))
  })
  console.log(`共育 H5 preview: ${cloud.url}/  (choose a demo user; Ctrl+C to stop)`)
  const stop = () => {
    void cloud.close().then(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
