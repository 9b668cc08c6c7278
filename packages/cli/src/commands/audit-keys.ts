/**
 * @module Pinned keys and ledger access for `vcon audit`: log and issuer keys from files (a COSE_KeySet or
 * COSE_Key in CBOR, or a PEM public key), and a small reader of a conserver's SCRAPI and receipt endpoints.
 * Keys fetched from the ledger itself are trust on first use; the commands say so when they do it.
 */
import { readFile } from 'node:fs/promises'
import {
  decodeCoseKey,
  decodeCoseKeySet,
  type VerificationKey,
  verificationKey,
} from '@vconkit/ledger'
import { CliError } from '../cli-error.js'

/** Reads every key in `paths`: PEM public keys, COSE_Key or COSE_KeySet (CBOR). */
export async function loadKeys(
  option: string,
  paths: readonly string[],
): Promise<VerificationKey[]> {
  const keys: VerificationKey[] = []
  for (const path of paths) {
    let bytes: Buffer
    try {
      bytes = await readFile(path)
    } catch (error) {
      throw new CliError(`${option}: cannot read ${path} (${(error as Error).message})`)
    }
    const text = bytes.toString('utf8')
    try {
      if (text.includes('-----BEGIN')) keys.push(verificationKey(text))
      else if (bytes[0] !== undefined && bytes[0] >= 0x80 && bytes[0] <= 0x9f)
        keys.push(...decodeCoseKeySet(new Uint8Array(bytes)))
      else keys.push(decodeCoseKey(new Uint8Array(bytes)))
    } catch (error) {
      throw new CliError(
        `${option}: ${path} is not a PEM public key, COSE_Key or COSE_KeySet (${(error as Error).message})`,
      )
    }
  }
  return keys
}

/** A read-only client of a conserver's ledger endpoints. */
export interface LedgerReader {
  readonly url: string
  bytes(path: string): Promise<Uint8Array>
  json<T>(path: string): Promise<T>
}

export function ledgerReader(url: string, token: string | undefined): LedgerReader {
  const base = url.replace(/\/+$/, '')
  const get = async (path: string): Promise<Response> => {
    let response: Response
    try {
      response = await fetch(`${base}${path}`, {
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      })
    } catch (error) {
      throw new CliError(`--ledger: cannot reach ${base} (${(error as Error).message})`)
    }
    if (!response.ok) {
      const hint = response.status === 401 ? '; pass a read token with --token' : ''
      throw new CliError(`GET ${path}: the ledger answered ${response.status}${hint}`)
    }
    return response
  }
  return {
    url: base,
    bytes: async (path) => new Uint8Array(await (await get(path)).arrayBuffer()),
    json: async <T>(path: string) => (await (await get(path)).json()) as T,
  }
}

/** The log keys: pinned ones, or the ledger's key set (trust on first use, with a warning). */
export async function logKeysFor(
  pinned: readonly string[],
  reader: LedgerReader | undefined,
  warn: (text: string) => void,
): Promise<VerificationKey[]> {
  if (pinned.length > 0) return loadKeys('--log-key', pinned)
  if (reader === undefined) throw new CliError('pin the log keys with --log-key FILE')
  warn(
    `warning: log keys not pinned; using ${reader.url}/.well-known/scitt-keys as served (pin them with --log-key)\n`,
  )
  return decodeCoseKeySet(await reader.bytes('/.well-known/scitt-keys'))
}

export const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url')
export const fromB64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64url'))
export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
