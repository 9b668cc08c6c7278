/**
 * @module API token secrets: `vck_<id>_<32 random bytes, base64url>`. Only the SHA-256 hash of the whole secret
 * is ever stored; the short `id` is public (safe in logs and listings) and names the token for revocation.
 */
import { createHash, randomBytes } from 'node:crypto'

/** The prefix every secret starts with, so leaked secrets are easy to recognise (and to scan for). */
export const TOKEN_PREFIX = 'vck_'

/** A new secret, its public id and the hash to store. The secret is shown once and never kept. */
export interface GeneratedTokenSecret {
  readonly secret: string
  readonly id: string
  readonly hash: string
}

/**
 * Makes a new token secret from 32 random bytes (256 bits, so guessing is out of reach and a plain SHA-256 — no
 * slow KDF — is a sound way to store it). `random` is injectable for tests.
 */
export function generateTokenSecret(
  random: (size: number) => Uint8Array = randomBytes,
): GeneratedTokenSecret {
  // Hex, not base64url: base64url may contain '_', the separator between id and random part.
  const id = Buffer.from(random(6)).toString('hex')
  const secret = `${TOKEN_PREFIX}${id}_${Buffer.from(random(32)).toString('base64url')}`
  return { secret, id, hash: hashTokenSecret(secret) }
}

/** SHA-256 of the whole secret, lowercase hex: what the TokenStore and the configuration hold. */
export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex')
}

/** The public id inside a `vck_<id>_…` secret, or undefined for a secret of another shape. */
export function tokenIdOf(secret: string): string | undefined {
  if (!secret.startsWith(TOKEN_PREFIX)) return undefined
  const end = secret.indexOf('_', TOKEN_PREFIX.length)
  if (end <= TOKEN_PREFIX.length) return undefined
  const id = secret.slice(TOKEN_PREFIX.length, end)
  return /^[0-9a-f]{1,32}$/.test(id) ? id : undefined
}
