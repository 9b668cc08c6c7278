/**
 * @module IBAN recognition: the country's registered length and the ISO 13616 mod-97 check. Both are required,
 * so that an uppercase code in running text is not taken for a bank account.
 */

/**
 * IBAN length by country code, from the SWIFT IBAN registry (ISO 13616). A country missing here is not
 * recognised, which keeps false positives low at the cost of the rarest countries.
 */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SC: 31,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
}

/** True when the mod-97 remainder of the rearranged IBAN is 1 (ISO 13616-1 §B.3). Input: compact, uppercase. */
export function ibanMod97(compact: string): boolean {
  if (compact.length < 5 || !/^[A-Z0-9]+$/.test(compact)) return false
  const rearranged = compact.slice(4) + compact.slice(0, 4)
  let rem = 0
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0)
    // Letters count as two digits (A = 10 … Z = 35); fold each digit into the running remainder.
    const value = code >= 65 ? String(code - 55) : ch
    for (const digit of value) rem = (rem * 10 + (digit.charCodeAt(0) - 48)) % 97
  }
  return rem === 1
}

/**
 * True for a valid IBAN, written compact or in the usual groups separated by single spaces; letters may be
 * lowercase. Checks the country's length and the check digits.
 */
export function isValidIban(value: string): boolean {
  const compact = value.replace(/ /g, '').toUpperCase()
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(compact)) return false
  const expected = IBAN_LENGTHS[compact.slice(0, 2)]
  return expected === compact.length && ibanMod97(compact)
}
