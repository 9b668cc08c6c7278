/**
 * @module Decrypting an encrypted vCon (core draft §5.3, RFC 7516 §5.2): General or Flattened JWE JSON, headers
 * merged with equal duplicates tolerated (the draft's example repeats `enc` three times), each recipient the
 * key fits tried in turn, the tag checked before decryption, and the `uuid` header checked against the vCon.
 */
import { type KeyObject, randomBytes } from 'node:crypto'
import { VconError } from '../errors/vcon-error.js'
import type { EncryptedVcon, JweRecipient, SignedVcon } from '../model/vcon.js'
import { decodeBase64url } from '../sign/base64url.js'
import {
  decodeProtectedHeader,
  type JoseHeader,
  mergeHeaders,
  refuseCrit,
  unprotectedHeader,
} from '../sign/jose-header.js'
import {
  DEFAULT_MAX_BYTES,
  type FlattenedSignedVcon,
  innermostPayload,
  isSignedForm,
  maybeGunzip,
  parseJsonObject,
} from '../sign/jws-payload.js'
import {
  type VerifiedVcon,
  type VerifySignedVconOptions,
  verifySignedVcon,
} from '../sign/verify-vcon.js'
import { type PrivateKeyInput, toPrivateKey } from '../x509/key-input.js'
import { contentSpec, decryptContent } from './content-encryption.js'
import { checkKeyManagement, recipientFits, unwrapKey } from './key-management.js'

/** The Flattened JWE JSON Serialization (RFC 7516 §7.2.2), accepted and normalised to General. */
export interface FlattenedEncryptedVcon {
  readonly protected?: string
  readonly unprotected?: { readonly [key: string]: unknown }
  readonly header?: { readonly [key: string]: unknown }
  readonly encrypted_key?: string
  readonly aad?: string
  readonly iv?: string
  readonly ciphertext: string
  readonly tag?: string
}

/** Options of `decryptVcon`. */
export interface DecryptVconOptions {
  /** The recipient's private key. */
  readonly key: PrivateKeyInput
  /** Largest plaintext after gunzip. Default 256 MiB. */
  readonly maxBytes?: number
  /** Most JWS layers to look through for the uuid check. Default 8. */
  readonly maxLayers?: number
}

/** The result of `decryptVcon`. */
export interface DecryptedVcon {
  /** The signed vCon inside, as it was encrypted (verify it next). */
  readonly signed: SignedVcon | FlattenedSignedVcon
  /** Index of the recipient that the key opened. */
  readonly recipient: number
  /** Protected, shared unprotected and recipient headers, merged. */
  readonly header: JoseHeader
  /** The `uuid` header, checked against the vCon inside. */
  readonly uuid: string | undefined
}

const CODE = 'VCON_DECRYPT_FAILED'

function normalise(jwe: EncryptedVcon | FlattenedEncryptedVcon): EncryptedVcon {
  if (typeof jwe !== 'object' || jwe === null || typeof jwe.ciphertext !== 'string') {
    throw new VconError(
      'VCON_DECRYPT_FAILED',
      'This is not an encrypted vCon: a JWE needs a "ciphertext" string (RFC 7516 §7.2).',
    )
  }
  if (Array.isArray((jwe as EncryptedVcon).recipients)) return jwe as EncryptedVcon
  const flat = jwe as FlattenedEncryptedVcon
  const recipient: Record<string, unknown> = {}
  if (flat.header !== undefined) recipient.header = flat.header
  if (flat.encrypted_key !== undefined) recipient.encrypted_key = flat.encrypted_key
  const { header: _h, encrypted_key: _k, ...rest } = flat
  return { ...rest, recipients: [recipient as JweRecipient] }
}

/**
 * Decrypts an encrypted vCon with a recipient's private key and returns the signed vCon inside (not yet
 * verified: use `decryptAndVerifyVcon`, or `verifySignedVcon` on `signed`). Refuses a plaintext that is not a
 * signed vCon (core draft §5.3: sign, then encrypt) and a `uuid` header that differs from the vCon's uuid.
 */
export function decryptVcon(
  jwe: EncryptedVcon | FlattenedEncryptedVcon,
  options: DecryptVconOptions,
): DecryptedVcon {
  const key: KeyObject = toPrivateKey(options.key, 'options.key')
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  const general = normalise(jwe)
  if (general.recipients.length === 0) {
    throw new VconError('VCON_DECRYPT_FAILED', 'The JWE has no recipients (RFC 7516 §7.2.1).')
  }
  const protectedHeader = decodeProtectedHeader(general.protected, 'protected', CODE)
  const shared = unprotectedHeader(general.unprotected, 'unprotected', CODE)
  const iv = decodeBase64url(general.iv ?? '', 'iv', CODE)
  const ciphertext = decodeBase64url(general.ciphertext, 'ciphertext', CODE)
  const tag = decodeBase64url(general.tag ?? '', 'tag', CODE)
  // RFC 7516 §5.1 step 14: AAD = ASCII(protected), followed by '.' || aad when an aad member exists.
  const aadText =
    general.aad === undefined
      ? (general.protected ?? '')
      : `${general.protected ?? ''}.${general.aad}`
  if (general.aad !== undefined) decodeBase64url(general.aad, 'aad', CODE)
  const aad = Buffer.from(aadText, 'latin1')
  const skipped: string[] = []
  let plaintext: Buffer | undefined
  let opened = -1
  let header: JoseHeader = {}
  let lastError: VconError | undefined
  let refused: VconError | undefined
  for (let i = 0; i < general.recipients.length && plaintext === undefined; i++) {
    const recipient = general.recipients[i] as JweRecipient
    const label = `recipients[${i}].header`
    header = mergeHeaders(
      [
        { label: 'protected', header: protectedHeader },
        { label: 'unprotected', header: shared },
        { label, header: unprotectedHeader(recipient.header, label, CODE) },
      ],
      CODE,
    )
    refuseCrit(header, 'VCON_ALG_REFUSED')
    if (header.zip !== undefined) {
      throw new VconError(
        'VCON_ALG_REFUSED',
        'The JWE uses "zip" compression, which this library does not decompress; gzip the vCon instead ' +
          '(application/vcon+gzip, core draft §5.2).',
      )
    }
    let alg: ReturnType<typeof checkKeyManagement>
    let spec: ReturnType<typeof contentSpec>
    try {
      alg = checkKeyManagement(header.alg)
      spec = contentSpec(header.enc)
    } catch (error) {
      // Another recipient may still use an algorithm this library supports.
      if (!(error instanceof VconError)) throw error
      refused ??= error
      skipped.push(`recipients[${i}] (${String(header.alg)}, refused)`)
      continue
    }
    if (!recipientFits(alg, header, key)) {
      skipped.push(`recipients[${i}] (${alg})`)
      continue
    }
    const encryptedKey = decodeBase64url(
      recipient.encrypted_key,
      `recipients[${i}].encrypted_key`,
      CODE,
    )
    // RFC 7516 §11.5: a CEK that does not unwrap is replaced by a random one, so the failure shows only at
    // the tag check, the same way as for an altered JWE.
    const cek = unwrapKey(alg, header, key, encryptedKey) ?? randomBytes(spec.keyBytes)
    try {
      plaintext = decryptContent(spec, cek, iv, ciphertext, tag, aad)
      opened = i
    } catch (error) {
      if (!(error instanceof VconError)) throw error
      lastError = error
    } finally {
      cek.fill(0)
    }
  }
  if (plaintext === undefined) {
    if (lastError !== undefined) throw lastError
    if (refused !== undefined && skipped.every((s) => s.endsWith('refused)'))) throw refused
    throw new VconError(
      'VCON_DECRYPT_FAILED',
      `The key (${key.asymmetricKeyType ?? 'unknown'}) fits none of the recipients: ${skipped.join(', ')}. ` +
        'Use the private key the vCon was encrypted to.',
    )
  }
  const value = parseJsonObject(maybeGunzip(plaintext, maxBytes, 'JWE plaintext'), 'JWE plaintext')
  if (!isSignedForm(value)) {
    throw new VconError(
      'VCON_NOT_A_VCON',
      'The decrypted content is not a signed vCon (JWS JSON). The core draft (§5.3) encrypts only signed ' +
        'vCons, so this one cannot be authenticated; ask the sender to sign before encrypting.',
    )
  }
  const uuid = typeof header.uuid === 'string' ? header.uuid : undefined
  if (header.uuid !== undefined) {
    const inner = innermostPayload(value, options.maxLayers ?? 8, maxBytes)
    if (inner.uuid !== header.uuid) {
      throw new VconError(
        'VCON_UUID_MISMATCH',
        `The JWE uuid header is ${JSON.stringify(header.uuid)} but the encrypted vCon's uuid is ` +
          `${JSON.stringify(inner.uuid)}: the header was edited or belongs to another vCon (core draft §5.3).`,
      )
    }
  }
  return { signed: value, recipient: opened, header, uuid }
}

/** Options of `decryptAndVerifyVcon`: the decryption key plus everything `verifySignedVcon` takes. */
export interface DecryptAndVerifyOptions extends VerifySignedVconOptions {
  readonly key: PrivateKeyInput
}

/** The result of `decryptAndVerifyVcon`. */
export interface DecryptedVerifiedVcon extends VerifiedVcon {
  readonly decrypted: DecryptedVcon
}

/** Decrypts (core draft §5.3), then verifies the signed vCon inside (§5.2): the order the draft prescribes. */
export async function decryptAndVerifyVcon(
  jwe: EncryptedVcon | FlattenedEncryptedVcon,
  options: DecryptAndVerifyOptions,
): Promise<DecryptedVerifiedVcon> {
  const decrypted = decryptVcon(jwe, {
    key: options.key,
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    ...(options.maxLayers === undefined ? {} : { maxLayers: options.maxLayers }),
  })
  const verified = await verifySignedVcon(decrypted.signed, options)
  return { ...verified, decrypted }
}
