/**
 * Least data: names and phone numbers as others may see them. A full name is shown only where the viewer needs it
 * (a teacher to their own class, a guardian to their own child); elsewhere it is masked.
 */

/** 王小明 → 王*明, 王明 → 王*, 欧阳娜娜 → 欧**娜; Latin names keep the first letter. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim())
  if (chars.length <= 1) return chars.join('') || '*'
  if (chars.length === 2) return `${chars[0]}*`
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`
}

/** 13812345678 → 138****5678; anything else keeps at most its last 2 digits. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '')
  if (digits.length === 11) return `${digits.slice(0, 3)}****${digits.slice(7)}`
  if (digits.length <= 2) return '*'.repeat(digits.length)
  return `${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`
}
