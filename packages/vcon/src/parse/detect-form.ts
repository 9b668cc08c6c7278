/**
 * @module Tells the three wire forms apart (core draft §5.1; notes §a.1). JWE is tested first, then JWS, then
 * unsigned, because an old library wrote `payload` and `signatures` into the unsigned object itself.
 */
import { isObject } from '../validate/primitives.js'

/** The form of a parsed JSON value. */
export type VconForm = 'unsigned' | 'signed' | 'encrypted' | 'not-a-vcon'

const UNSIGNED_KEYS = ['parties', 'dialog', 'analysis', 'attachments'] as const

/** Detects the form of a JSON value without validating it. */
export function detectForm(value: unknown): VconForm {
  if (!isObject(value)) return 'not-a-vcon'
  // General JWE has recipients; the flattened serialisation (RFC 7516 §7.2.2) has encrypted_key or iv instead.
  if (
    'ciphertext' in value &&
    ('recipients' in value || 'encrypted_key' in value || 'iv' in value)
  ) {
    return 'encrypted'
  }
  // General JWS has signatures; flattened (RFC 7515 §7.2.2) has a single signature.
  if ('payload' in value && ('signatures' in value || 'signature' in value)) return 'signed'
  for (const key of UNSIGNED_KEYS) if (key in value) return 'unsigned'
  // Legacy files with only a version string and uuid are still vCons (lenient reading).
  if (typeof value.vcon === 'string' && 'uuid' in value) return 'unsigned'
  return 'not-a-vcon'
}
