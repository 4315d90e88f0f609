import { useCallback, useEffect, useRef, useState } from 'react'
import { AppError } from '@/shared/errors'

/** Loads data for a page: loading, error (always an AppError with a Chinese message) and reload. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[] = []) {
  const [data, setData] = useState<T | null>(null)
  const [error, setError] = useState<AppError | null>(null)
  const [loading, setLoading] = useState(true)
  const loadRef = useRef(load)
  loadRef.current = load

  const reload = useCallback(async () => {
    setLoading(true)
    setError(null)
    try {
      setData(await loadRef.current())
    } catch (e) {
      setError(e instanceof AppError ? e : new AppError('INTERNAL_ERROR'))
    } finally {
      setLoading(false)
    }
  }, [])

  useEffect(() => {
    void reload()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps)

  return { data, error, loading, reload, setData }
}
