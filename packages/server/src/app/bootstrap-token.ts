/**
 * @module Fail closed on first start: when no token exists at all (none configured, none stored), create an
 * admin token, store only its hash, and print the secret once. The reference server opens itself when no token
 * is set (conserver notes §1.7); this one never runs without one. The next start finds the stored token and
 * prints nothing.
 */
import { generateTokenSecret } from '../auth/token-secret.js'
import type { ServerConfig } from '../config/server-config.js'
import type { Logger } from '../observability/logger.js'
import type { TokenStore } from '../ports/token-store.js'

export interface BootstrapOptions {
  /** Where the secret is printed (standard output). */
  readonly write: (text: string) => void
  readonly log: Logger
  readonly now: () => number
  /** Random bytes for the secret; injectable for tests. */
  readonly random?: (size: number) => Uint8Array
}

/** The banner that carries the secret; plain text (not a log line) so that a person sees it. */
export function adminTokenBanner(secret: string): string {
  const rule = '='.repeat(78)
  return `${rule}
vconkit: no API token existed, so this admin token was created. It is shown only this once;
only its SHA-256 hash is stored. Keep it somewhere safe now:

    ${secret}

Send it as "Authorization: Bearer <token>" (or "x-conserver-api-token: <token>").
Make narrower tokens with: vcon token create --scope ingest|read
${rule}
`
}

/**
 * Creates and prints an admin token when there is no token at all; returns the new token's public id, or
 * undefined when tokens existed already.
 */
export async function ensureAdminToken(
  tokens: TokenStore,
  config: ServerConfig,
  options: BootstrapOptions,
): Promise<string | undefined> {
  if (config.tokens.length > 0) return undefined
  if ((await tokens.count()) > 0) return undefined
  const generated = generateTokenSecret(options.random)
  await tokens.add({
    id: generated.id,
    hash: generated.hash,
    scope: 'admin',
    label: 'created on first start',
    createdAt: new Date(options.now()).toISOString(),
  })
  options.write(adminTokenBanner(generated.secret))
  options.log.warn('no API token existed: created an admin token and printed it once', {
    tokenId: generated.id,
  })
  return generated.id
}
