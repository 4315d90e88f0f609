import fc from 'fast-check'
import { maskName, maskPhone } from './privacy'

describe('masking', () => {
  it('masks Chinese names keeping the first and last character', () => {
    expect(maskName('王小明')).toBe('王*明')
    expect(maskName('王明')).toBe('王*')
    expect(maskName('欧阳娜娜')).toBe('欧**娜')
    expect(maskName(' 李 ')).toBe('李')
  })
  it('masks mobile numbers to 3 + 4', () => {
    expect(maskPhone('13812345678')).toBe('138****5678')
    expect(maskPhone('138-1234-5678')).toBe('138****5678')
  })
  it('never reveals a whole name of 2+ characters or more than 7 digits of a phone (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 2, maxLength: 8 }).filter((s) => Array.from(s.trim()).length >= 2 && !s.includes('*')), (name) => {
        expect(maskName(name)).not.toBe(name.trim())
      })
    )
    fc.assert(
      fc.property(fc.stringMatching(/^1\d{10}$/), (phone) => {
        const masked = maskPhone(phone)
        expect(masked.replace(/\*/g, '').length).toBeLessThanOrEqual(7)
      })
    )
  })
})
