import { useCallback, useEffect, useState } from 'react'
import { accountApi } from '@/api/account'
import { AppError } from '@/shared/errors'
import { setMe, useSession } from './session'

/** The signed-in user for any page: uses the session if loaded, else asks the server (e.g. after a refresh). */
export function useMe() {
  const session = useSession()
  const [loading, setLoading] = useState(!session.me)
  const [error, setError] = useState<AppError | null>(null)

  const reload = useCallback(async () => {
    setLoading(true)
    setError(null)
    try {
      setMe(await accountApi.whoami())
    } catch (e) {
      setError(e instanceof AppError ? e : new AppError('INTERNAL_ERROR'))
    } finally {
      setLoading(false)
    }
  }, [])

  useEffect(() => {
    if (!session.me) void reload()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  return { ...session, loading: loading && !session.me, error, reload }
}
