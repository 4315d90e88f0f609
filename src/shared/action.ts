import type { z } from 'zod'

/** Declares an action of the contract: a runtime input schema plus a compile-time output type. */
export function action<I extends z.ZodTypeAny, O>(input: I): { input: I; output: O } {
  return { input, output: undefined as unknown as O }
}
