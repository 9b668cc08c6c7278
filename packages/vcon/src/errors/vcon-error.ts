/**
 * @module The package's one error class, with a stable code from a closed set (design §4).
 */
import type { Issue } from '../validate/issue.js'

/** Every code a `VconError` can carry. The strings are stable: callers and the HTTP layer switch on them. */
export type VconErrorCode =
  /** The input is not JSON, or JSON that is not an object. */
  | 'VCON_NOT_JSON'
  /** The input is a JSON object but none of the three vCon forms (core draft §5.1). */
  | 'VCON_NOT_A_VCON'
  /** The vCon failed validation; `issues` lists every problem. */
  | 'VCON_INVALID'
  /** `critical` names an extension this reader does not support (core draft §2.5). */
  | 'VCON_CRITICAL_UNSUPPORTED'
  /** The input is larger than the configured limit. */
  | 'VCON_TOO_LARGE'
  /** The input nests deeper than the configured limit. */
  | 'VCON_TOO_DEEP'
  /** The input bytes are not valid gzip or UTF-8. */
  | 'VCON_BAD_ENCODING'
  /** An argument given to a library function is wrong (a programming error on the caller's side). */
  | 'VCON_BAD_ARGUMENT'
  /**
   * A JWS signature does not verify over `ASCII(protected) || '.' || payload` with the leaf key, or the signed
   * form is malformed (RFC 7515 §5.2). The payload must not be trusted.
   */
  | 'VCON_SIGNATURE_INVALID'
  /**
   * The `x5c`/`x5u` certificate chain is broken: a link not issued by the next certificate, a certificate outside
   * its validity dates, or an intermediate that is not a CA (RFC 5280 §6.1).
   */
  | 'VCON_CHAIN_INVALID'
  /** The certificate chain does not end at (or under) a configured trust anchor: add its root to `anchors`. */
  | 'VCON_UNTRUSTED'
  /** A JOSE `alg`/`enc`, key size or `crit`/`zip` header this library refuses: `none`, HMAC, RSA1_5, ... */
  | 'VCON_ALG_REFUSED'
  /** The JWS/JWE header `uuid` differs from the uuid of the vCon inside (core draft §5.2, §5.3). */
  | 'VCON_UUID_MISMATCH'
  /** A JWE cannot be decrypted: no recipient fits the key, the tag does not verify, or it is malformed. */
  | 'VCON_DECRYPT_FAILED'
  /**
   * Content does not match its `content_hash`, or no token uses an algorithm the library knows (core draft §2.4,
   * notes §b.3). The content must not be used.
   */
  | 'VCON_HASH_MISMATCH'
  /**
   * A fetch was refused before any connection: not https, or the host resolves to a loopback, private,
   * link-local or otherwise non-public address (SSRF protection; allow it with `allowPrivateAddresses`).
   */
  | 'VCON_FETCH_REFUSED'
  /** A fetch failed: network or TLS error, non-2xx status, or a redirect that was not followed. */
  | 'VCON_FETCH_FAILED'
  /** A fetched body is larger than the fetcher's `maxBytes` (refused from Content-Length or while streaming). */
  | 'VCON_FETCH_TOO_LARGE'
  /** A fetch did not complete within the fetcher's `timeoutMs` (name resolution, connection and body included). */
  | 'VCON_FETCH_TIMEOUT'
  /** A blob store could not write or read content (file system or storage service error; see `cause`). */
  | 'VCON_STORE_FAILED'
  /**
   * The redactor refused a vCon that lists an extension it does not understand: that extension's fields may
   * hold personal data it cannot find (core draft §2.5 advises redactors to reject). Pass `force: true` to
   * redact anyway, or register the extension.
   */
  | 'VCON_REDACTION_REFUSED'

/** Fields of a `VconError` besides its message. */
export interface VconErrorOptions {
  readonly issues?: readonly Issue[]
  readonly cause?: unknown
}

/**
 * The error every function of @vconkit/vcon throws. `message` says what is wrong and what to do; `issues`
 * lists every validation problem with its JSON pointer when there are several.
 */
export class VconError extends Error {
  readonly code: VconErrorCode
  readonly issues: readonly Issue[]

  constructor(code: VconErrorCode, message: string, options: VconErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'VconError'
    this.code = code
    this.issues = options.issues ?? []
  }
}

/** Narrows an unknown thrown value to a `VconError`. */
export function isVconError(value: unknown): value is VconError {
  return value instanceof VconError
}
