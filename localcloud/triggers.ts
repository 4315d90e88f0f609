/**
 * Timer triggers, as WeChat Cloud runs them: each function's config.json may list
 * `triggers: [{ name, type: 'timer', config: '<7-field cron>' }]` (second minute hour day month weekday year),
 * evaluated in Asia/Shanghai. The local cloud reads the same checked-in files; the preview server schedules them
 * and tests fire one on demand. A timer invocation has no OPENID.
 */
import fs from 'node:fs'
import path from 'node:path'
import { CronExpressionParser } from 'cron-parser'

export interface TimerTrigger {
  fn: string
  name: string
  /** the 7-field cron of config.json */
  config: string
}

/** Every timer trigger of the functions folder. */
export function readTimerTriggers(functionsDir: string): TimerTrigger[] {
  const out: TimerTrigger[] = []
  if (!fs.existsSync(functionsDir)) return out
  for (const fn of fs.readdirSync(functionsDir).sort()) {
    const file = path.join(functionsDir, fn, 'config.json')
    if (!fs.existsSync(file)) continue
    const config = JSON.parse(fs.readFileSync(file, 'utf8')) as { triggers?: Array<{ name?: string; type?: string; config?: string }> }
    for (const t of config.triggers ?? []) {
      if (t.type !== 'timer') continue
      if (!t.name || typeof t.config !== 'string') throw new Error(`${file}: a timer trigger needs a name and a cron config`)
      nextTimerFire(t.config, new Date()) // validates
      out.push({ fn, name: t.name, config: t.config })
    }
  }
  return out
}

/** The next time a WeChat 7-field cron fires after `after` (Asia/Shanghai). Years other than `*` must match. */
export function nextTimerFire(cron: string, after: Date): Date | null {
  const fields = cron.trim().split(/\s+/)
  if (fields.length !== 7) throw new Error(`timer trigger "${cron}": WeChat Cloud needs 7 fields (second minute hour day month weekday year)`)
  const year = fields[6]
  const it = CronExpressionParser.parse(fields.slice(0, 6).join(' '), { currentDate: after, tz: 'Asia/Shanghai' })
  for (let i = 0; i < 1000; i++) {
    const next = it.next().toDate()
    const y = String(new Date(next.getTime() + 8 * 3600_000).getUTCFullYear())
    if (year === '*' || year.split(',').includes(y)) return next
    if (/^\d{4}$/.test(year) && Number(y) > Number(year)) return null
  }
  return null
}

/** Runs every timer trigger at its times until stopped (the preview server). */
export function scheduleTimerTriggers(triggers: TimerTrigger[], fire: (t: TimerTrigger, at: Date) => Promise<void>): () => void {
  const timers = new Set<NodeJS.Timeout>()
  let stopped = false
  const plan = (t: TimerTrigger, after: Date) => {
    const at = nextTimerFire(t.config, after)
    if (!at || stopped) return
    // setTimeout takes at most ~24.8 days: wake up and re-plan when the time is further away
    const wait = Math.min(at.getTime() - Date.now(), 2 ** 31 - 1)
    const timer = setTimeout(() => {
      timers.delete(timer)
      if (Date.now() + 1000 < at.getTime()) return plan(t, new Date())
      void fire(t, at).finally(() => plan(t, at))
    }, Math.max(0, wait))
    timer.unref()
    timers.add(timer)
  }
  for (const t of triggers) plan(t, new Date())
  return () => {
    stopped = true
    for (const timer of timers) clearTimeout(timer)
  }
}
