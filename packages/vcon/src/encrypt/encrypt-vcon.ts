/**
 * @module Encrypting a signed vCon to the General JWE JSON Serialization (core draft §5.3, RFC 7516 §7.2.1),
 * for one or more recipients. Only signed vCons are encrypted: the draft signs first, then encrypts.
 */
import { KeyObject, randomBytes as nodeRandomBytes, X509Certificate } from 'node:crypto'
import { VconError } from '../errors/vcon-error.js'
import type { EncryptedVcon, JweRecipient, SignedVcon } from '../model/vcon.js'
import { encodeBase64url } from '../sign/base64url.js'
import {
  DEFAULT_MAX_BYTES,
  type FlattenedSignedVcon,
  innermostPayload,
  isSignedForm,
} from '../sign/jws-payload.js'
import { type PublicKeyInput, toPublicKey } from '../x509/key-input.js'
import { contentSpec, type EmittedContentEncryption, encryptContent } from './content-encryption.js'
import {
  defaultKeyManagement,
  type EmittedKeyManagement,
  keyFits,
  wrapKey,
} from './key-management.js'

/** A recipient: a certificate or public key (PEM or KeyObject), optionally with its own `alg`. */
export type EncryptionRecipient =
  | PublicKeyInput
  | { readonly key: PublicKeyInput; readonly alg?: EmittedKeyManagement }

/** Options of `encryptVcon`. */
export interface EncryptVconOptions {
  readonly recipients: readonly EncryptionRecipient[]
  /** Key management for every recipient without its own. Default: RSA-OAEP for RSA keys, else ECDH-ES+A256KW. */
  readonly alg?: EmittedKeyManagement
  /** Content encryption. Default A256CBC-HS512 (core draft §5.3). */
  readonly enc?: EmittedContentEncryption
  /** Source of the CEK and IV. Default node:crypto randomBytes. (ECDH ephemeral keys always come from node.) */
  readonly randomBytes?: (size: number) => Uint8Array
}

const EMITTED_ENC: readonly string[] = ['A256CBC-HS512', 'A256GCM']

function isRecipientObject(
  value: EncryptionRecipient,
): value is { readonly key: PublicKeyInput; readonly alg?: EmittedKeyManagement } {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof KeyObject) &&
    !(value instanceof X509Certificate)
  )
}

function prepareRecipient(
  recipient: EncryptionRecipient,
  fallbackAlg: EmittedKeyManagement | undefined,
  label: string,
): { readonly key: KeyObject; readonly alg: EmittedKeyManagement } {
  const input = isRecipientObject(recipient) ? recipient.key : recipient
  const key = toPublicKey(input, label)
  const alg =
    (isRecipientObject(recipient) ? recipient.alg : undefined) ??
    fallbackAlg ??
    defaultKeyManagement(key)
  if (alg !== 'RSA-OAEP' && alg !== 'RSA-OAEP-256' && alg !== 'ECDH-ES+A256KW') {
    throw new VconError(
      'VCON_BAD_ARGUMENT',
      `${label}: alg "${String(alg)}" cannot be emitted; use RSA-OAEP, RSA-OAEP-256 or ECDH-ES+A256KW.`,
    )
  }
  if (!keyFits(alg, key)) {
    const details = key.asymmetricKeyDetails
    const what = `${key.asymmetricKeyType ?? 'unknown'} key${
      details?.namedCurve ? ` on ${details.namedCurve}` : ''
    }${details?.modulusLength ? ` of ${details.modulusLength} bits` : ''}`
    throw new VconError(
      'VCON_BAD_ARGUMENT',
      `${label} is a ${what}, which cannot be used with ${alg} (RSA needs 2048 bits or more; ECDH-ES ` +
        'needs P-256, P-384, P-521 or X25519).',
    )
  }
  return { key, alg }
}

/**
 * Encrypts a signed vCon for every recipient. The output is General JWE JSON with the layout of notes §g.12:
 * protected `{enc}`, shared unprotected `{cty: "application/vcon", uuid}`, and per recipient a header
 * `{alg}` (plus its own `epk` for ECDH-ES) and `encrypted_key`. The AAD is ASCII(protected) (RFC 7516 §5.1
 * step 14), and no header name appears twice, so strict JOSE libraries can decrypt it.
 */
export function encryptVcon(
  signed: SignedVcon | FlattenedSignedVcon,
  options: EncryptVconOptions,
): EncryptedVcon {
  if (!isSignedForm(signed)) {
    throw new VconError(
      'VCON_BAD_ARGUMENT',
      'encryptVcon needs a signed vCon (JWS JSON with payload and signatures): the core draft (§5.3) ' +
        'requires signing before encrypting. Sign it first with signVcon.',
    )
  }
  const enc = options.enc ?? 'A256CBC-HS512'
  if (!EMITTED_ENC.includes(enc)) {
    throw new VconError(
      'VCON_BAD_ARGUMENT',
      `enc "${String(enc)}" cannot be emitted; use A256CBC-HS512 or A256GCM.`,
    )
  }
  if (!Array.isArray(options.recipients) || options.recipients.length === 0) {
    throw new VconError('VCON_BAD_ARGUMENT', 'encryptVcon needs at least one recipient.')
  }
  const recipients = options.recipients.map((r, i) =>
    prepareRecipient(r, options.alg, `options.recipients[${i}]`),
  )
  const uuid = innermostPayload(signed, 8, DEFAULT_MAX_BYTES).uuid
  const spec = contentSpec(enc)
  const random = options.randomBytes ?? nodeRandomBytes
  const cek = Buffer.from(random(spec.keyBytes))
  const iv = Buffer.from(random(spec.ivBytes))
  if (cek.length !== spec.keyBytes || iv.length !== spec.ivBytes) {
    throw new VconError(
      'VCON_BAD_ARGUMENT',
      'options.randomBytes returned the wrong number of bytes.',
    )
  }
  const protectedB64 = encodeBase64url(Buffer.from(JSON.stringify({ enc }), 'utf8'))
  const { ciphertext, tag } = encryptContent(
    spec,
    cek,
    iv,
    Buffer.from(JSON.stringify(signed), 'utf8'),
    Buffer.from(protectedB64, 'ascii'),
  )
  const jweRecipients = recipients.map(({ key, alg }): JweRecipient => {
    const wrapped = wrapKey(alg, key, cek)
    return { header: wrapped.header, encrypted_key: encodeBase64url(wrapped.encryptedKey) }
  })
  cek.fill(0)
  const unprotected: Record<string, unknown> = { cty: 'application/vcon' }
  if (typeof uuid === 'string') unprotected.uuid = uuid
  return {
    protected: protectedB64,
    unprotected,
    recipients: jweRecipients,
    iv: encodeBase64url(iv),
    ciphertext: encodeBase64url(ciphertext),
    tag: encodeBase64url(tag),
  }
}
