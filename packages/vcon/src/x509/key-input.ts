/**
 * @module Key arguments: KeyObject, PEM text or certificates, turned into node:crypto KeyObjects with errors
 * that say which argument was wrong.
 */
import { createPrivateKey, createPublicKey, KeyObject, X509Certificate } from 'node:crypto'
import { VconError } from '../errors/vcon-error.js'

/** A private key: a KeyObject or PEM text (PKCS#8, PKCS#1 or SEC1). */
export type PrivateKeyInput = KeyObject | string

/** A public key: a KeyObject (public, or private to derive it), a certificate, or PEM text of either. */
export type PublicKeyInput = KeyObject | X509Certificate | string

const publicKeyCache = new WeakMap<X509Certificate, KeyObject>()

/** The public key of a certificate, created once per certificate object (the getter makes a new one each time). */
export function certificateKey(cert: X509Certificate): KeyObject {
  let key = publicKeyCache.get(cert)
  if (key === undefined) {
    key = cert.publicKey
    publicKeyCache.set(cert, key)
  }
  return key
}

/** Turns a private key argument into a KeyObject of type 'private'. */
export function toPrivateKey(input: PrivateKeyInput, label: string): KeyObject {
  if (input instanceof KeyObject) {
    if (input.type !== 'private') {
      throw new VconError(
        'VCON_BAD_ARGUMENT',
        `${label} must be a private key; got a ${input.type} key.`,
      )
    }
    return input
  }
  if (typeof input !== 'string') {
    throw new VconError('VCON_BAD_ARGUMENT', `${label} must be a KeyObject or PEM text.`)
  }
  try {
    return createPrivateKey(input)
  } catch (cause) {
    throw new VconError(
      'VCON_BAD_ARGUMENT',
      `${label} is not a readable private key (PEM PKCS#8, PKCS#1 or SEC1, unencrypted).`,
      { cause },
    )
  }
}

/** Turns a public key argument (or a private key, or a certificate) into a public KeyObject. */
export function toPublicKey(input: PublicKeyInput, label: string): KeyObject {
  if (input instanceof X509Certificate) return certificateKey(input)
  if (input instanceof KeyObject) {
    if (input.type === 'public') return input
    if (input.type === 'private') return createPublicKey(input)
    throw new VconError(
      'VCON_BAD_ARGUMENT',
      `${label} must be an asymmetric key; got a secret key.`,
    )
  }
  if (typeof input !== 'string') {
    throw new VconError(
      'VCON_BAD_ARGUMENT',
      `${label} must be a certificate, a KeyObject or PEM text.`,
    )
  }
  try {
    if (input.includes('BEGIN CERTIFICATE')) return new X509Certificate(input).publicKey
    return createPublicKey(input)
  } catch (cause) {
    throw new VconError(
      'VCON_BAD_ARGUMENT',
      `${label} is not a readable certificate or public key (PEM).`,
      { cause },
    )
  }
}
