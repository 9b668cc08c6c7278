/**
 * @module Shape checks of the signed (JWS, RFC 7515 §7.2) and encrypted (JWE, RFC 7516 §7.2) forms, and the
 * `uuid` header that names the vCon inside without opening it (core draft §5.2, §5.3). Verification and
 * decryption are separate steps.
 */
import type { IssueCollector } from '../validate/issue.js'
import { isBase64url, isObject } from '../validate/primitives.js'

function decodeProtected(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'string' || !isBase64url(value)) return undefined
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'))
    return isObject(parsed) ? parsed : undefined
  } catch {
    return undefined
  }
}

function b64(
  value: unknown,
  pointer: string,
  name: string,
  c: IssueCollector,
  required: boolean,
): void {
  if (value === undefined) {
    if (required) c.report('must', pointer, 'missing-field', `${name} is required.`)
    return
  }
  if (typeof value !== 'string' || !isBase64url(value)) {
    c.report('must', pointer, 'bad-base64url', `${name} must be an unpadded base64url string.`)
  }
}

/** Reads `uuid` from the headers of a JWS or JWE, looking at unprotected, then protected headers. */
function uuidFrom(headers: readonly unknown[]): string | undefined {
  for (const header of headers) {
    if (isObject(header) && typeof header.uuid === 'string') return header.uuid
  }
  return undefined
}

/** Checks a General or Flattened JWS JSON; returns the `uuid` header if any. */
export function checkJwsEnvelope(
  jws: Record<string, unknown>,
  c: IssueCollector,
): string | undefined {
  b64(jws.payload, '/payload', 'payload', c, true)
  const signatures: unknown[] = Array.isArray(jws.signatures)
    ? jws.signatures
    : jws.signatures === undefined
      ? [{ protected: jws.protected, header: jws.header, signature: jws.signature }]
      : []
  if (
    jws.signatures !== undefined &&
    (!Array.isArray(jws.signatures) || jws.signatures.length === 0)
  ) {
    c.report('must', '/signatures', 'wrong-type', 'signatures must be a non-empty array.')
  }
  const headers: unknown[] = []
  const base = Array.isArray(jws.signatures) ? '/signatures' : ''
  for (let i = 0; i < signatures.length; i++) {
    const sig = signatures[i]
    const at = base === '' ? '' : `${base}/${i}`
    if (!isObject(sig)) {
      c.report('must', at, 'wrong-type', 'A signature entry must be an object.')
      continue
    }
    b64(sig.signature, `${at}/signature`, 'signature', c, true)
    b64(sig.protected, `${at}/protected`, 'protected', c, false)
    const prot = decodeProtected(sig.protected)
    if (sig.protected !== undefined && prot === undefined) {
      c.report(
        'must',
        `${at}/protected`,
        'wrong-type',
        'protected must be base64url of a JSON object.',
      )
    }
    if (sig.header !== undefined && !isObject(sig.header)) {
      c.report('must', `${at}/header`, 'wrong-type', 'header must be an object.')
    }
    headers.push(sig.header, prot)
  }
  return uuidFrom(headers)
}

/** Checks a General or Flattened JWE JSON; returns the `uuid` header if any. */
export function checkJweEnvelope(
  jwe: Record<string, unknown>,
  c: IssueCollector,
): string | undefined {
  b64(jwe.ciphertext, '/ciphertext', 'ciphertext', c, true)
  b64(jwe.iv, '/iv', 'iv', c, false)
  b64(jwe.tag, '/tag', 'tag', c, false)
  b64(jwe.protected, '/protected', 'protected', c, false)
  if (
    jwe.recipients !== undefined &&
    (!Array.isArray(jwe.recipients) || jwe.recipients.length === 0)
  ) {
    c.report('must', '/recipients', 'wrong-type', 'recipients must be a non-empty array.')
  }
  if (jwe.unprotected !== undefined && !isObject(jwe.unprotected)) {
    c.report('must', '/unprotected', 'wrong-type', 'unprotected must be an object.')
  }
  return uuidFrom([jwe.unprotected, decodeProtected(jwe.protected)])
}
