import { useCallback, useState } from 'react'
import { AppError } from '@/shared/errors'

export type Outcome = { tone: 'info' | 'warn'; text: string } | null

/** The Chinese message of a failure: the server's (stable code, Chinese text), else a plain retry hint. */
export const errorText = (e: unknown) => (e instanceof AppError ? e.message : '操作失败，请重试')

/**
 * What happened after the user did something (shown with <Flash>): `run` performs an action, reports success
 * with `done` or the failure's Chinese message, then runs `after` (usually a reload) on success.
 */
export function useOutcome() {
  const [message, setMessage] = useState<Outcome>(null)
  const run = useCallback(async (fn: () => Promise<unknown>, done: string, after?: () => Promise<unknown>): Promise<boolean> => {
    setMessage(null)
    try {
      await fn()
      setMessage({ tone: 'info', text: done })
      await after?.()
      return true
    } catch (e) {
      setMessage({ tone: 'warn', text: errorText(e) })
      return false
    }
  }, [])
  return { message, setMessage, run }
}
