/**
 * The one client gateway to the cloud. Pages never call Taro.cloud or fetch themselves: they call the typed
 * per-domain modules (api/account.ts, …), which call `callCloud`. Input is validated with the same zod schema
 * the server uses, so a mistake is reported at once, in Chinese, without a round trip.
 *
 * weapp: Taro.cloud.callFunction. H5 preview: an HTTP POST to the local cloud with the preview session token.
 */
import Taro from '@tarojs/taro'
import { contract, type ActionInput, type ActionName, type ActionOutput, type FunctionName } from '@/shared/contract'
import { AppError, isErrorCode, type Envelope } from '@/shared/errors'
import { parseInput } from '@/shared/validate'

export const PREVIEW_TOKEN_KEY = 'gy.previewToken'
const PREVIEW_SIGNIN_PAGE = '/pages/preview-signin/index'

/** WeChat's own error codes for a function that crashed or ran out of time (not a network problem). */
const FUNCTION_FAILURE_CODES = new Set([-504002, -504003])

async function transport(fn: string, event: { action: string; data: unknown }): Promise<unknown> {
  if (process.env.TARO_ENV === 'h5') {
    const token = Taro.getStorageSync(PREVIEW_TOKEN_KEY) as string | undefined
    let res: Response
    try {
      res = await fetch(`/fn/${encodeURIComponent(fn)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(event)
      })
    } catch {
      throw new AppError('NETWORK_ERROR')
    }
    try {
      return await res.json()
    } catch {
      throw new AppError(res.status >= 500 ? 'INTERNAL_ERROR' : 'NETWORK_ERROR')
    }
  }
  try {
    const res = await Taro.cloud.callFunction({ name: fn, data: event })
    return res.result
  } catch (e) {
    const errCode = (e as { errCode?: unknown })?.errCode
    throw new AppError(typeof errCode === 'number' && FUNCTION_FAILURE_CODES.has(errCode) ? 'INTERNAL_ERROR' : 'NETWORK_ERROR')
  }
}

export async function callCloud<F extends FunctionName, A extends ActionName<F>>(
  fn: F,
  action: A,
  input: ActionInput<F, A>
): Promise<ActionOutput<F, A>> {
  const schema = (contract[fn] as Record<string, { input: Parameters<typeof parseInput>[0] }>)[action].input
  const data = parseInput(schema, input)
  const reply = (await transport(fn, { action, data })) as Envelope<ActionOutput<F, A>> | undefined
  if (!reply || typeof reply !== 'object' || !('ok' in reply)) throw new AppError('INTERNAL_ERROR')
  if (reply.ok) return reply.data
  // A code this version of the app does not know (e.g. a runtime error) gets a plain Chinese message, never raw text.
  if (!isErrorCode(reply.code)) throw new AppError('INTERNAL_ERROR')
  if (process.env.TARO_ENV === 'h5' && reply.code === 'UNAUTHENTICATED') {
    // Preview only: no (or an expired) demo session — whatever page this is, the way on is the sign-in page.
    void Taro.reLaunch({ url: PREVIEW_SIGNIN_PAGE })
  }
  throw new AppError(reply.code, reply.message, reply.details)
}
