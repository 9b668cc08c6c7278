/**
 * @module Digests of JSON documents as the ledger uses them: SHA-256 over the RFC 8785 (JCS) canonical form,
 * so that anyone, in any language, recomputes the same hash from the same vCon or event (scitt.md §1.4:
 * vcon-server hashed non-canonical json.dumps output, which nobody could reproduce).
 */
import { createHash } from 'node:crypto'
import { canonicalJson } from '@vconkit/vcon'
import { LedgerError } from '../errors/ledger-error.js'

/** SHA-256 of the JCS form of `value`, as raw bytes; LEDGER_BAD_ARGUMENT when it is not I-JSON. */
export function jcsSha256(value: unknown): Uint8Array {
  let text: string
  try {
    text = canonicalJson(value)
  } catch (error) {
    throw new LedgerError(
      'LEDGER_BAD_ARGUMENT',
      `Cannot canonicalise the value: ${(error as Error).message}`,
      {
        cause: error,
      },
    )
  }
  return new Uint8Array(createHash('sha256').update(text, 'utf8').digest())
}

/** The `vcon_hash` of a vCon: lowercase hex SHA-256 of its RFC 8785 canonical JSON. */
export function vconDigest(vcon: unknown): string {
  return Buffer.from(jcsSha256(vcon)).toString('hex')
}
