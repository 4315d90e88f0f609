/** Timer triggers: WeChat's 7-field cron read from config.json, evaluated in Asia/Shanghai. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { nextTimerFire, readTimerTriggers, scheduleTimerTriggers } from './triggers'

describe('timer triggers', () => {
  it('fires the monthly snapshot at 02:00 Shanghai time on the 1st, not at 02:00 UTC', () => {
    expect(nextTimerFire('0 0 2 1 * * *', new Date('2026-11-23T05:00:00Z'))?.toISOString()).toBe('2026-11-30T18:00:00.000Z')
    // just before and just after the moment
    expect(nextTimerFire('0 0 2 1 * * *', new Date('2026-11-30T17:59:59Z'))?.toISOString()).toBe('2026-11-30T18:00:00.000Z')
    expect(nextTimerFire('0 0 2 1 * * *', new Date('2026-11-30T18:00:00Z'))?.toISOString()).toBe('2026-12-31T18:00:00.000Z')
  })

  it('honours the year field and rejects crons WeChat would reject', () => {
    expect(nextTimerFire('0 0 2 1 * * 2027', new Date('2026-11-23T05:00:00Z'))?.toISOString()).toBe('2026-12-31T18:00:00.000Z')
    expect(nextTimerFire('0 0 2 1 * * 2025', new Date('2026-11-23T05:00:00Z'))).toBeNull()
    expect(() => nextTimerFire('0 2 1 * *', new Date())).toThrow(/7 fields/)
  })

  it('reads the triggers of every function folder', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gy-triggers-'))
    fs.mkdirSync(path.join(dir, 'a'))
    fs.writeFileSync(path.join(dir, 'a', 'config.json'), JSON.stringify({ triggers: [{ name: 'nightly', type: 'timer', config: '0 30 1 * * * *' }] }))
    fs.mkdirSync(path.join(dir, 'b'))
    fs.writeFileSync(path.join(dir, 'b', 'config.json'), JSON.stringify({ timeout: 3 }))
    expect(readTimerTriggers(dir)).toEqual([{ fn: 'a', name: 'nightly', config: '0 30 1 * * * *' }])
    fs.writeFileSync(path.join(dir, 'b', 'config.json'), JSON.stringify({ triggers: [{ name: 'bad', type: 'timer', config: '* * *' }] }))
    expect(() => readTimerTriggers(dir)).toThrow(/7 fields/)
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('runs a due trigger and plans the next one', async () => {
    const fired: string[] = []
    const stop = scheduleTimerTriggers([{ fn: 'a', name: 'everySecond', config: '* * * * * * *' }], async (t) => {
      fired.push(t.name)
    })
    await new Promise((r) => setTimeout(r, 2300))
    stop()
    expect(fired.length).toBeGreaterThanOrEqual(1)
    expect(fired.length).toBeLessThanOrEqual(3)
  })
})
