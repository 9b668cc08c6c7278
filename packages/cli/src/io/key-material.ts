/**
 * @module Keys and certificates named on the command line (--key, --chain, --trust, --to), read from PEM files
 * and checked before any library call, so that a wrong file is reported against its option (exit 2) instead of
 * surfacing as a library argument error.
 */
import {
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  type X509Certificate,
} from 'node:crypto'
import { isVconError, loadTrustAnchors } from '@vconkit/vcon'
import { CliError } from '../cli-error.js'
import { readOptionText } from './read-option-file.js'

/** The private key in `--key FILE` (PEM PKCS#8, PKCS#1 or SEC1, unencrypted). */
export async function loadPrivateKey(option: string, path: string): Promise<KeyObject> {
  const text = await readOptionText(option, path)
  try {
    return createPrivateKey(text)
  } catch {
    // node's message names OpenSSL internals ("DECODER routines::unsupported"); say what the file must be.
    throw new CliError(
      `${option} ${path} is not a readable private key: it must be an unencrypted PEM key (PKCS#8, PKCS#1 or SEC1)`,
    )
  }
}

/** Every certificate of a PEM bundle, in file order; at least one. */
export async function loadCertificates(option: string, path: string): Promise<X509Certificate[]> {
  const text = await readOptionText(option, path)
  try {
    return loadTrustAnchors(text)
  } catch (error) {
    if (!isVconError(error)) throw error
    throw new CliError(`${option} ${path}: ${error.message}`)
  }
}

/** The trust anchors of every `--trust` file together. */
export async function loadAnchors(paths: readonly string[]): Promise<X509Certificate[]> {
  const anchors: X509Certificate[] = []
  for (const path of paths) anchors.push(...(await loadCertificates('--trust', path)))
  return anchors
}

/**
 * A recipient for `--to FILE`: a PEM certificate (the usual case: its public key is used, as in the core
 * draft's example) or a PEM public key.
 */
export async function loadRecipient(path: string): Promise<X509Certificate | KeyObject> {
  const text = await readOptionText('--to', path)
  if (text.includes('-----BEGIN CERTIFICATE-----')) {
    const [first, ...rest] = await loadCertificates('--to', path)
    if (first === undefined || rest.length > 0) {
      throw new CliError(
        `--to ${path} holds ${rest.length + 1} certificates; give one recipient certificate per --to`,
      )
    }
    return first
  }
  try {
    return createPublicKey(text)
  } catch {
    throw new CliError(`--to ${path} is neither a PEM certificate nor a PEM public key`)
  }
}
