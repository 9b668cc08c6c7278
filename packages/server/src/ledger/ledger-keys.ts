/**
 * @module The conserver's ledger keys: the log key (signs receipts and checkpoints) and the issuer key (signs the
 * conserver's own lifecycle statements). Generated on first start and kept as PKCS#8 PEM files (mode 0600) in
 * the data folder, so receipts and the `prev` chains stay verifiable across restarts; the database only ever
 * holds public keys (ledger README, "Storage model").
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateSigningKey, type SigningKey, signingKeyFromPrivateKey } from '@vconkit/ledger'
import { ServerError } from '../errors/server-error.js'

/** File names of the two keys inside the data folder. */
export const LEDGER_KEY_FILES = {
  log: 'ledger-log-key.pem',
  issuer: 'ledger-issuer-key.pem',
} as const

/**
 * Reads the key at `<dir>/<name>`, or creates it (ES256) when the file does not exist. Creation uses the
 * exclusive flag, so two processes starting at once end up with the same key: the loser reads the winner's.
 */
export function loadOrCreateKey(dir: string, name: string): SigningKey {
  return loadOrCreateKeyFile(dir, name).key
}

/** As loadOrCreateKey, saying whether the key was created just now. */
export function loadOrCreateKeyFile(
  dir: string,
  name: string,
): { readonly key: SigningKey; readonly created: boolean } {
  const file = join(dir, name)
  try {
    return { key: signingKeyFromPrivateKey(readFileSync(file, 'utf8')), created: false }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new ServerError(
        'CONFIG_INVALID',
        `ledger: cannot read the key ${file} (${(error as Error).message}); restore it from a backup, or move it away to start a new ledger key`,
        { cause: error },
      )
    }
  }
  mkdirSync(dir, { recursive: true })
  const key = generateSigningKey('ES256')
  const pem = key.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string
  try {
    writeFileSync(file, pem, { flag: 'wx', mode: 0o600 })
    return { key, created: true }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return { key: signingKeyFromPrivateKey(readFileSync(file, 'utf8')), created: false }
    }
    throw new ServerError(
      'CONFIG_INVALID',
      `ledger: cannot write the key ${file} (${(error as Error).message}); make data_dir writable`,
      { cause: error },
    )
  }
}
