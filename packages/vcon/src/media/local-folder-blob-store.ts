/**
 * @module A `BlobStore` on a local folder, content-addressed by SHA-512, for a folder that some HTTPS server
 * publishes under `baseUrl`.
 */
import { createHash, randomUUID } from 'node:crypto'
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { isVconError, VconError } from '../errors/vcon-error.js'
import { computeContentHash, verifyContentHash } from '../hash/content-hash.js'
import { isHttpsUrl } from '../validate/primitives.js'
import type { BlobHint, BlobStore } from './blob-store.js'

/** Options of `createLocalFolderBlobStore`. */
export interface LocalFolderBlobStoreOptions {
  /** The folder to write to; created (mode 0o700) on first use. */
  readonly dir: string
  /** The https url under which `dir` is served; blob urls are `${baseUrl}/${name}`. */
  readonly baseUrl: string
}

/** File names are the lowercase hex SHA-512 of the content: safe on case-insensitive file systems and shells. */
const NAME = /^[0-9a-f]{128}$/

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : undefined
}

/**
 * A content-addressed store in a folder. Writes are idempotent (the same bytes give the same file and url)
 * and atomic (temporary file, then rename), and files are private to the owner (mode 0o600), because vCon
 * media is personal data. `baseUrl` must be https: the urls end up in vCons, where only https is allowed.
 */
export function createLocalFolderBlobStore(options: LocalFolderBlobStoreOptions): BlobStore {
  const base = options.baseUrl.replace(/\/+$/, '')
  if (!isHttpsUrl(base)) {
    throw new VconError(
      'VCON_BAD_ARGUMENT',
      `createLocalFolderBlobStore: baseUrl must be an https url (core draft §2.4.2), got ${JSON.stringify(options.baseUrl)}`,
    )
  }
  if (options.dir === '') {
    throw new VconError('VCON_BAD_ARGUMENT', 'createLocalFolderBlobStore: dir must not be empty')
  }
  const dir = options.dir
  let ready: Promise<unknown> | undefined

  async function put(bytes: Uint8Array, hint: BlobHint): Promise<{ url: string }> {
    // The name comes from the bytes, never from the hint, so a wrong hint cannot misfile content.
    if (!verifyContentHash(bytes, hint.contentHash).ok) {
      throw new VconError(
        'VCON_HASH_MISMATCH',
        `local folder store: the bytes do not match the contentHash hint ${hint.contentHash}; expected ${computeContentHash(bytes)}`,
      )
    }
    const name = createHash('sha512').update(bytes).digest('hex')
    const path = join(dir, name)
    const url = `${base}/${name}`
    ready ??= mkdir(dir, { recursive: true, mode: 0o700 })
    try {
      await ready
    } catch (error) {
      ready = undefined
      throw new VconError('VCON_STORE_FAILED', `local folder store: cannot create ${dir}`, {
        cause: error,
      })
    }
    try {
      const existing = await stat(path)
      if (existing.isFile() && existing.size === bytes.length) return { url }
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') {
        throw new VconError('VCON_STORE_FAILED', `local folder store: cannot stat ${path}`, {
          cause: error,
        })
      }
    }
    const temp = join(dir, `.tmp-${name.slice(0, 16)}-${randomUUID()}`)
    try {
      const handle = await open(temp, 'wx', 0o600)
      try {
        await handle.writeFile(bytes)
        await handle.sync()
      } finally {
        await handle.close()
      }
      await rename(temp, path)
    } catch (error) {
      await rm(temp, { force: true })
      if (isVconError(error)) throw error
      throw new VconError('VCON_STORE_FAILED', `local folder store: cannot write ${path}`, {
        cause: error,
      })
    }
    return { url }
  }

  async function get(url: string): Promise<Uint8Array | undefined> {
    if (!url.startsWith(`${base}/`)) return undefined
    const name = url.slice(base.length + 1)
    if (!NAME.test(name)) return undefined
    try {
      const bytes = await readFile(join(dir, name))
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined
      throw new VconError('VCON_STORE_FAILED', `local folder store: cannot read ${name}`, {
        cause: error,
      })
    }
  }

  return { put, get }
}
