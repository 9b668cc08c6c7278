/**
 * @module JWE content encryption (RFC 7518 §5): AES-CBC with HMAC-SHA-2 (§5.2, the draft's A256CBC-HS512) and
 * AES-GCM (§5.3), with node:crypto. Tags are checked in constant time and BEFORE any decryption (§5.2.2.2).
 */
import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto'
import { VconError } from '../errors/vcon-error.js'

/** Content encryption algorithms accepted when decrypting. */
export type ContentEncryption =
  | 'A128CBC-HS256'
  | 'A192CBC-HS384'
  | 'A256CBC-HS512'
  | 'A128GCM'
  | 'A192GCM'
  | 'A256GCM'

/** The ones `encryptVcon` emits: the draft's A256CBC-HS512 (core draft §5.3) and A256GCM. */
export type EmittedContentEncryption = 'A256CBC-HS512' | 'A256GCM'

/** Parameters of one `enc` value. */
export interface ContentSpec {
  readonly enc: ContentEncryption
  readonly kind: 'cbc' | 'gcm'
  /** CEK length: for CBC-HMAC, MAC key plus encryption key (RFC 7518 §5.2.2.1). */
  readonly keyBytes: number
  readonly ivBytes: number
  readonly tagBytes: number
  readonly cipher: string
  readonly hash?: string
}

const SPECS: Readonly<Record<ContentEncryption, ContentSpec>> = {
  'A128CBC-HS256': {
    enc: 'A128CBC-HS256',
    kind: 'cbc',
    keyBytes: 32,
    ivBytes: 16,
    tagBytes: 16,
    cipher: 'aes-128-cbc',
    hash: 'sha256',
  },
  'A192CBC-HS384': {
    enc: 'A192CBC-HS384',
    kind: 'cbc',
    keyBytes: 48,
    ivBytes: 16,
    tagBytes: 24,
    cipher: 'aes-192-cbc',
    hash: 'sha384',
  },
  'A256CBC-HS512': {
    enc: 'A256CBC-HS512',
    kind: 'cbc',
    keyBytes: 64,
    ivBytes: 16,
    tagBytes: 32,
    cipher: 'aes-256-cbc',
    hash: 'sha512',
  },
  A128GCM: {
    enc: 'A128GCM',
    kind: 'gcm',
    keyBytes: 16,
    ivBytes: 12,
    tagBytes: 16,
    cipher: 'aes-128-gcm',
  },
  A192GCM: {
    enc: 'A192GCM',
    kind: 'gcm',
    keyBytes: 24,
    ivBytes: 12,
    tagBytes: 16,
    cipher: 'aes-192-gcm',
  },
  A256GCM: {
    enc: 'A256GCM',
    kind: 'gcm',
    keyBytes: 32,
    ivBytes: 12,
    tagBytes: 16,
    cipher: 'aes-256-gcm',
  },
}

/** Looks up `enc`, refusing unknown values with VCON_ALG_REFUSED. */
export function contentSpec(enc: unknown): ContentSpec {
  if (typeof enc !== 'string' || !Object.hasOwn(SPECS, enc)) {
    throw new VconError(
      'VCON_ALG_REFUSED',
      `JWE enc ${JSON.stringify(enc)} is not supported; use A256CBC-HS512 (the draft's choice) or A256GCM.`,
    )
  }
  return SPECS[enc as ContentEncryption]
}

/** RFC 7518 §5.2.2.1: AL is the bit length of the AAD as a 64-bit big-endian integer. */
function cbcTag(
  spec: ContentSpec,
  macKey: Buffer,
  aad: Buffer,
  iv: Buffer,
  ciphertext: Buffer,
): Buffer {
  const al = Buffer.alloc(8)
  al.writeBigUInt64BE(BigInt(aad.length) * 8n)
  const mac = createHmac(spec.hash as string, macKey)
  mac.update(aad)
  mac.update(iv)
  mac.update(ciphertext)
  mac.update(al)
  return mac.digest().subarray(0, spec.tagBytes)
}

/** Encrypts `plaintext` with the CEK; returns ciphertext and authentication tag. */
export function encryptContent(
  spec: ContentSpec,
  cek: Buffer,
  iv: Buffer,
  plaintext: Buffer,
  aad: Buffer,
): { readonly ciphertext: Buffer; readonly tag: Buffer } {
  if (spec.kind === 'gcm') {
    const cipher = createCipheriv(spec.cipher as 'aes-256-gcm', cek, iv, { authTagLength: 16 })
    cipher.setAAD(aad)
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()])
    return { ciphertext, tag: cipher.getAuthTag() }
  }
  // RFC 7518 §5.2.2.1: MAC_KEY is the first half of the CEK, ENC_KEY the second.
  const half = spec.keyBytes / 2
  const cipher = createCipheriv(spec.cipher, cek.subarray(half), iv)
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return { ciphertext, tag: cbcTag(spec, cek.subarray(0, half), aad, iv, ciphertext) }
}

function failed(cause?: unknown): VconError {
  return new VconError(
    'VCON_DECRYPT_FAILED',
    'The JWE does not decrypt: its authentication tag does not verify with this key (wrong key, or the ' +
      'encrypted vCon was altered).',
    cause === undefined ? {} : { cause },
  )
}

/** Checks the tag, then decrypts. Any failure is the same VCON_DECRYPT_FAILED, to give no oracle. */
export function decryptContent(
  spec: ContentSpec,
  cek: Buffer,
  iv: Buffer,
  ciphertext: Buffer,
  tag: Buffer,
  aad: Buffer,
): Buffer {
  if (cek.length !== spec.keyBytes || iv.length !== spec.ivBytes || tag.length !== spec.tagBytes) {
    throw failed()
  }
  try {
    if (spec.kind === 'gcm') {
      const decipher = createDecipheriv(spec.cipher as 'aes-256-gcm', cek, iv, {
        authTagLength: 16,
      })
      decipher.setAAD(aad)
      decipher.setAuthTag(tag)
      return Buffer.concat([decipher.update(ciphertext), decipher.final()])
    }
    const half = spec.keyBytes / 2
    const expected = cbcTag(spec, cek.subarray(0, half), aad, iv, ciphertext)
    if (!timingSafeEqual(expected, tag)) throw failed()
    const decipher = createDecipheriv(spec.cipher, cek.subarray(half), iv)
    return Buffer.concat([decipher.update(ciphertext), decipher.final()])
  } catch (cause) {
    if (cause instanceof VconError) throw cause
    throw failed(cause)
  }
}
