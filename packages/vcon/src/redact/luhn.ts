/**
 * @module The Luhn (mod 10) check digit test used by payment card numbers (ISO/IEC 7812-1 Annex B).
 * The PII detector uses it to tell a card number from any other long run of digits.
 */

/**
 * True when `digits` (ASCII digits only, at least 2) passes the Luhn check: doubling every second digit from
 * the right, summing the digits of the products and of the rest, gives a multiple of 10.
 * Any other character makes the result false (callers strip spaces and dashes first).
 */
export function isLuhnValid(digits: string): boolean {
  if (digits.length < 2 || !/^\d+$/.test(digits)) return false
  let sum = 0
  let double = false
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48
    if (double) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
    double = !double
  }
  return sum % 10 === 0
}

/** The digit that, appended to `partial`, makes a Luhn-valid number (used by tests and generators). */
export function luhnCheckDigit(partial: string): string {
  for (let d = 0; d <= 9; d++) {
    if (isLuhnValid(`${partial}${d}`)) return String(d)
  }
  // Unreachable for a digit string: exactly one check digit always exists.
  return '0'
}
