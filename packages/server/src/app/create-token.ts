/**
 * @module What `vcon token create` runs: a new token in the configured token store (the same database the
 * server uses), whose secret is returned once and never stored.
 */
import { generateTokenSecret } from '../auth/token-secret.js'
import type { ServerConfig } from '../config/server-config.js'
import { ServerError } from '../errors/server-error.js'
import { silentLogger } from '../observability/json-logger.js'
import type { TokenRecord, TokenScope } from '../ports/token-store.js'
import { openStore } from './open-backends.js'

export interface CreateTokenOptions {
  readonly scope: TokenScope
  /** Ingest tokens only: the ingress lists the token may post to. */
  readonly lists?: readonly string[]
  readonly label?: string
  readonly now?: () => number
  readonly random?: (size: number) => Uint8Array
}

/** The secret (show it once) and the stored record (hash only). */
export interface CreatedToken {
  readonly secret: string
  readonly record: TokenRecord
}

/** Creates a token in the store `config` names (migrating it first, as a start would). */
export async function createToken(
  config: ServerConfig,
  options: CreateTokenOptions,
): Promise<CreatedToken> {
  if (options.lists !== undefined && options.scope !== 'ingest') {
    throw new ServerError(
      'CONFIG_INVALID',
      `only ingest tokens are bound to lists (this one is ${options.scope}); drop --lists or use --scope ingest`,
    )
  }
  const now = options.now ?? Date.now
  const opened = await openStore(config, { now, log: silentLogger() })
  try {
    const generated = generateTokenSecret(options.random)
    const record: TokenRecord = {
      id: generated.id,
      hash: generated.hash,
      scope: options.scope,
      ...(options.lists === undefined ? {} : { lists: [...options.lists] }),
      ...(options.label === undefined ? {} : { label: options.label }),
      createdAt: new Date(now()).toISOString(),
    }
    await opened.tokens.add(record)
    return { secret: generated.secret, record }
  } finally {
    await opened.store.close()
  }
}
