/**
 * @module JWE key management (RFC 7518 §4): RSAES-OAEP with SHA-1 (`RSA-OAEP`, the draft's choice) or SHA-256
 * (`RSA-OAEP-256`), and ECDH-ES with AES key wrap (§4.6) on P-256, P-384, P-521 and X25519 (RFC 8037 §3.2).
 */
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createHash,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  type KeyObject,
  privateDecrypt,
  publicEncrypt,
} from 'node:crypto'
import { VconError } from '../errors/vcon-error.js'
import { decodeBase64url } from '../sign/base64url.js'
import type { JoseHeader } from '../sign/jose-header.js'

/** Key management algorithms accepted when decrypting. */
export type KeyManagementAlgorithm =
  | 'RSA-OAEP'
  | 'RSA-OAEP-256'
  | 'ECDH-ES+A128KW'
  | 'ECDH-ES+A192KW'
  | 'ECDH-ES+A256KW'

/** The ones `encryptVcon` emits. */
export type EmittedKeyManagement = 'RSA-OAEP' | 'RSA-OAEP-256' | 'ECDH-ES+A256KW'

const KW_BITS: Readonly<Record<string, number>> = {
  'ECDH-ES+A128KW': 128,
  'ECDH-ES+A192KW': 192,
  'ECDH-ES+A256KW': 256,
}

/** RFC 3394 §2.2.3.1 default initial value. */
const KW_IV = Buffer.from('a6a6a6a6a6a6a6a6', 'hex')

/** Node curve name to JWK `crv` (RFC 7518 §6.2.1.1, RFC 8037 §2). */
const JWK_CURVES: Readonly<Record<string, string>> = {
  prime256v1: 'P-256',
  secp384r1: 'P-384',
  secp521r1: 'P-521',
  x25519: 'X25519',
}

/** RFC 7518 §4.2 / §4.3 ask for 2048-bit RSA keys or larger. */
const MIN_RSA_BITS = 2048

/** Refuses `alg` values this library does not implement (RSA1_5, dir, ECDH-ES direct, A*KW, ...). */
export function checkKeyManagement(alg: unknown): KeyManagementAlgorithm {
  if (alg === 'RSA-OAEP' || alg === 'RSA-OAEP-256' || (typeof alg === 'string' && alg in KW_BITS)) {
    return alg as KeyManagementAlgorithm
  }
  throw new VconError(
    'VCON_ALG_REFUSED',
    `JWE alg ${JSON.stringify(alg)} is not supported; use RSA-OAEP (the draft's choice), RSA-OAEP-256 or ` +
      'ECDH-ES+A256KW. RSA1_5 is refused on purpose (padding-oracle attacks).',
  )
}

/** The curve name of an EC or X25519 key, or undefined for other keys. */
function curveOf(key: KeyObject): string | undefined {
  if (key.asymmetricKeyType === 'x25519') return 'x25519'
  if (key.asymmetricKeyType === 'ec') return key.asymmetricKeyDetails?.namedCurve
  return undefined
}

/** True when `key` (public or private) can be used with `alg`. */
export function keyFits(alg: KeyManagementAlgorithm, key: KeyObject): boolean {
  if (alg === 'RSA-OAEP' || alg === 'RSA-OAEP-256') {
    return (
      key.asymmetricKeyType === 'rsa' &&
      (key.asymmetricKeyDetails?.modulusLength ?? 0) >= MIN_RSA_BITS
    )
  }
  const curve = curveOf(key)
  return curve !== undefined && Object.hasOwn(JWK_CURVES, curve)
}

/**
 * True when `key` can open a recipient with this header: `keyFits`, and for ECDH-ES the sender's `epk` is on
 * the key's curve (several EC recipients on different curves may share one JWE).
 */
export function recipientFits(
  alg: KeyManagementAlgorithm,
  header: JoseHeader,
  key: KeyObject,
): boolean {
  if (!keyFits(alg, key)) return false
  if (alg === 'RSA-OAEP' || alg === 'RSA-OAEP-256') return true
  const epk = header.epk
  if (typeof epk !== 'object' || epk === null) return true // refused with a clear message by unwrapKey
  return (epk as { crv?: unknown }).crv === JWK_CURVES[curveOf(key) as string]
}

/** The default `alg` for a recipient key: RSA-OAEP for RSA (core draft §5.3), ECDH-ES+A256KW for EC/X25519. */
export function defaultKeyManagement(key: KeyObject): EmittedKeyManagement {
  return key.asymmetricKeyType === 'rsa' ? 'RSA-OAEP' : 'ECDH-ES+A256KW'
}

function lengthPrefixed(data: Buffer): Buffer {
  const out = Buffer.alloc(4 + data.length)
  out.writeUInt32BE(data.length)
  data.copy(out, 4)
  return out
}

/**
 * RFC 7518 §4.6.2: Concat KDF (NIST SP 800-56A §5.8.1) with SHA-256; AlgorithmID is the `alg` value (the key
 * is for the key wrap), keydatalen the KW key size. One SHA-256 round covers every size up to 256 bits.
 */
function concatKdf(z: Buffer, alg: string, bits: number, apu: Buffer, apv: Buffer): Buffer {
  const supp = Buffer.alloc(4)
  supp.writeUInt32BE(bits)
  const round = Buffer.from([0, 0, 0, 1])
  const otherInfo = [
    lengthPrefixed(Buffer.from(alg, 'ascii')),
    lengthPrefixed(apu),
    lengthPrefixed(apv),
    supp,
  ]
  const hash = createHash('sha256').update(round).update(z)
  for (const part of otherInfo) hash.update(part)
  return hash.digest().subarray(0, bits / 8)
}

function kwCipher(bits: number): string {
  return `id-aes${bits}-wrap`
}

function ephemeralKeyPair(curve: string): { privateKey: KeyObject; publicKey: KeyObject } {
  if (curve === 'x25519') return generateKeyPairSync('x25519')
  return generateKeyPairSync('ec', { namedCurve: curve })
}

function optionalBytes(header: JoseHeader, name: 'apu' | 'apv'): Buffer {
  if (header[name] === undefined) return Buffer.alloc(0)
  return decodeBase64url(header[name], name, 'VCON_DECRYPT_FAILED')
}

/** A wrapped CEK and the per-recipient header entries it needs (`epk` for ECDH-ES). */
export interface WrappedKey {
  readonly encryptedKey: Buffer
  readonly header: Readonly<Record<string, unknown>>
}

/** Encrypts the CEK to a recipient's public key. */
export function wrapKey(
  alg: KeyManagementAlgorithm,
  recipient: KeyObject,
  cek: Buffer,
): WrappedKey {
  if (alg === 'RSA-OAEP' || alg === 'RSA-OAEP-256') {
    const encryptedKey = publicEncrypt(
      {
        key: recipient,
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: alg === 'RSA-OAEP' ? 'sha1' : 'sha256',
      },
      cek,
    )
    return { encryptedKey, header: { alg } }
  }
  const curve = curveOf(recipient) as string
  const bits = KW_BITS[alg] as number
  const eph = ephemeralKeyPair(curve)
  const z = diffieHellman({ privateKey: eph.privateKey, publicKey: recipient })
  const kek = concatKdf(z, alg, bits, Buffer.alloc(0), Buffer.alloc(0))
  const cipher = createCipheriv(kwCipher(bits), kek, KW_IV)
  const encryptedKey = Buffer.concat([cipher.update(cek), cipher.final()])
  const jwk = eph.publicKey.export({ format: 'jwk' })
  const epk: Record<string, unknown> = { kty: jwk.kty, crv: jwk.crv, x: jwk.x }
  if (jwk.y !== undefined) epk.y = jwk.y
  return { encryptedKey, header: { alg, epk } }
}

/** The sender's ephemeral public key, checked to be on the recipient's curve (invalid-curve attacks). */
function senderKey(header: JoseHeader, curve: string): KeyObject {
  const epk = header.epk
  const crv = JWK_CURVES[curve]
  if (typeof epk !== 'object' || epk === null || (epk as { crv?: unknown }).crv !== crv) {
    throw new VconError(
      'VCON_DECRYPT_FAILED',
      `The recipient's "epk" header is missing or not a ${crv} public key (RFC 7518 §4.6.1.1).`,
    )
  }
  const { kty, x, y } = epk as Record<string, unknown>
  try {
    return createPublicKey({ key: { kty, crv, x, y } as never, format: 'jwk' })
  } catch (cause) {
    throw new VconError('VCON_DECRYPT_FAILED', 'The "epk" header is not a valid public key.', {
      cause,
    })
  }
}

/**
 * Recovers the CEK. Returns undefined when the private key does not open it; the caller then continues with
 * a random CEK so that a wrong key and an altered JWE fail the same way (RFC 7516 §11.5).
 */
export function unwrapKey(
  alg: KeyManagementAlgorithm,
  header: JoseHeader,
  key: KeyObject,
  encryptedKey: Buffer,
): Buffer | undefined {
  if (alg === 'RSA-OAEP' || alg === 'RSA-OAEP-256') {
    try {
      const oaepHash = alg === 'RSA-OAEP' ? 'sha1' : 'sha256'
      return privateDecrypt(
        { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash },
        encryptedKey,
      )
    } catch {
      return undefined
    }
  }
  const curve = curveOf(key) as string
  const bits = KW_BITS[alg] as number
  const z = diffieHellman({ privateKey: key, publicKey: senderKey(header, curve) })
  const kek = concatKdf(z, alg, bits, optionalBytes(header, 'apu'), optionalBytes(header, 'apv'))
  try {
    const decipher = createDecipheriv(kwCipher(bits), kek, KW_IV)
    return Buffer.concat([decipher.update(encryptedKey), decipher.final()])
  } catch {
    return undefined
  }
}
