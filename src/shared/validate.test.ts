import fc from 'fast-check'
import { contract } from './contract'
import { AppError, ERROR_CODES, ERROR_MESSAGES } from './errors'
import { parseInput } from './validate'

function problem(fn: () => unknown): AppError {
  try {
    fn()
  } catch (e) {
    if (e instanceof AppError) return e
    throw e
  }
  throw new Error('expected an AppError')
}

describe('input validation', () => {
  it('accepts a well-formed setPreferences and strips fields it does not know (an OPENID in the data is ignored)', () => {
    expect(parseInput(contract.account.setPreferences.input, { largeText: true, openid: 'someone-else' })).toEqual({ largeText: true })
  })

  it('rejects a missing field with INVALID_INPUT and a Chinese message naming the problem', () => {
    const e = problem(() => parseInput(contract.account.setPreferences.input, {}))
    expect(e.code).toBe('INVALID_INPUT')
    expect(e.message).toBe('请选择是否开启大字模式')
  })

  it('rejects the wrong type with a Chinese message', () => {
    const e = problem(() => parseInput(contract.account.setPreferences.input, { largeText: 'yes' }))
    expect(e.code).toBe('INVALID_INPUT')
    expect(e.message).toBe('大字模式只能是开或关')
  })

  it('treats absent or null data of an action without input as empty', () => {
    expect(parseInput(contract.account.whoami.input, undefined)).toEqual({})
    expect(parseInput(contract.account.whoami.input, null)).toEqual({})
  })

  it('never throws anything but INVALID_INPUT on hostile input, and messages are Chinese (property)', () => {
    const schemas = Object.values(contract).flatMap((f) => Object.values(f).map((a) => a.input))
    fc.assert(
      fc.property(fc.anything(), fc.integer({ min: 0, max: schemas.length - 1 }), (input, i) => {
        try {
          parseInput(schemas[i], input)
        } catch (e) {
          expect(e).toBeInstanceOf(AppError)
          expect((e as AppError).code).toBe('INVALID_INPUT')
          expect((e as AppError).message).toMatch(/[\u4e00-\u9fa5]/)
        }
      }),
      { numRuns: 500 }
    )
  })
})

describe('error codes', () => {
  it('every code has a Chinese message', () => {
    for (const code of ERROR_CODES) expect(ERROR_MESSAGES[code]).toMatch(/[\u4e00-\u9fa5]/)
  })
  it('codes are stable identifiers (UPPER_SNAKE)', () => {
    for (const code of ERROR_CODES) expect(code).toMatch(/^[A-Z][A-Z_]+$/)
  })
})
