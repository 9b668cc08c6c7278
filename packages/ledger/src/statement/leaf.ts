/**
 * @module The leaf rule of this ledger. RFC 9942 and RFC 9943 leave the leaf data of an RFC9162_SHA256 log to
 * the service; RFC 9943 §6.2 says the unprotected header is emptied before a statement enters the log. The
 * leaf input is therefore the signed statement re-encoded as a tagged COSE_Sign1 whose unprotected header is
 * the empty map, keeping the protected bytes, payload and signature exactly as received:
 *
 *   leaf input = 0xd2 || CBOR([protected bstr, {} (0xa0), payload bstr, signature bstr])
 *   leaf hash  = SHA-256(0x00 || leaf input)                                   (RFC 9162 §2.1.1)
 *
 * so the log commits to the issuer's headers and signature, not only to the payload, and any receipt later
 * attached under 394 does not change the leaf.
 */
import { decodeSign1, encodeSign1, type Sign1 } from '../cose/sign1.js'
import { leafHash } from '../merkle/hash.js'

/** The statement with its unprotected header emptied: the leaf input (see the module comment). */
export function emptyUnprotected(statement: Uint8Array | Sign1): Uint8Array {
  const message =
    statement instanceof Uint8Array ? decodeSign1(statement, { requireTag: true }) : statement
  return encodeSign1({ ...message, unprotectedHeader: new Map() }, true)
}

/** SHA-256(0x00 || emptyUnprotected(statement)): the statement's RFC 9162 leaf hash. */
export function statementLeafHash(statement: Uint8Array | Sign1): Uint8Array {
  return leafHash(emptyUnprotected(statement))
}
