/**
 * @module Picks the adapters the configuration asks for (design §3): the embedded SQLite file
 * `<dataDir>/vconkit.db` (WAL) for what has no URL, PostgreSQL when `database_url` is set, Redis (BullMQ) when
 * `redis_url` is set; any mix works. The store, its tokens and, when both are embedded, the queue share one file
 * and one connection.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { ServerConfig } from '../config/server-config.js'
import { ServerError } from '../errors/server-error.js'
import type { Logger } from '../observability/logger.js'
import type { PrivacyState } from '../ports/privacy-state.js'
import type { Queue } from '../ports/queue.js'
import type { Store } from '../ports/store.js'
import type { TokenStore } from '../ports/token-store.js'
import { createRedisQueue } from '../queue/redis/redis-queue.js'
import { createSqliteQueue } from '../queue/sqlite/sqlite-queue.js'
import { createPostgresPrivacyState } from '../store/postgres/postgres-privacy-state.js'
import { createPostgresStore } from '../store/postgres/postgres-store.js'
import { createPostgresTokenStore } from '../store/postgres/postgres-token-store.js'
import { createSqlitePrivacyState } from '../store/sqlite/sqlite-privacy-state.js'
import { createSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.js'
import { createSqliteTokenStore } from '../store/sqlite/sqlite-token-store.js'

/** The one SQLite file of an embedded deployment, inside the data folder. */
export const SQLITE_FILE_NAME = 'vconkit.db'

/** The path of the embedded database for a configuration. */
export function sqliteFile(config: ServerConfig): string {
  return join(config.dataDir, SQLITE_FILE_NAME)
}

function ensureDataDir(config: ServerConfig): void {
  try {
    mkdirSync(config.dataDir, { recursive: true })
  } catch (cause) {
    throw new ServerError(
      'CONFIG_INVALID',
      `data_dir: cannot create the folder ${config.dataDir} (${(cause as Error).message}); choose a writable folder with --data or VCONKIT_DATA_DIR`,
      { cause },
    )
  }
}

/** A migrated store and the token store and privacy state beside it. */
export interface OpenedStore {
  readonly store: Store
  readonly tokens: TokenStore
  readonly privacy: PrivacyState
  /** The SQLite store's connection, when the store is embedded (the embedded queue shares it). */
  readonly sqlite: SqliteStore | undefined
}

export interface OpenOptions {
  readonly now: () => number
  readonly log: Logger
}

/** Opens and migrates the store the configuration names; the caller closes `store`. */
export async function openStore(config: ServerConfig, options: OpenOptions): Promise<OpenedStore> {
  if (config.databaseUrl !== undefined) {
    const store = createPostgresStore({
      url: config.databaseUrl,
      schema: config.postgres.schema,
      poolSize: config.postgres.poolSize,
      now: options.now,
      onError: (error) => options.log.warn('postgres connection error', { error: error.message }),
    })
    const privacy = createPostgresPrivacyState(store)
    try {
      await store.migrate()
      await privacy.migrate()
    } catch (error) {
      await store.close().catch(() => {})
      throw error
    }
    return { store, tokens: createPostgresTokenStore(store), privacy, sqlite: undefined }
  }
  ensureDataDir(config)
  const store = createSqliteStore({
    file: sqliteFile(config),
    synchronous: config.sqlite.synchronous,
    busyTimeoutMs: config.sqlite.busyTimeoutMs,
    now: options.now,
  })
  const privacy = createSqlitePrivacyState(store.db)
  try {
    await store.migrate()
    await privacy.migrate()
  } catch (error) {
    await store.close().catch(() => {})
    throw error
  }
  return { store, tokens: createSqliteTokenStore(store.db), privacy, sqlite: store }
}

/** Opens the queue the configuration names, sharing the embedded store's connection when there is one. */
export function openQueue(config: ServerConfig, opened: OpenedStore, options: OpenOptions): Queue {
  const onError = (error: unknown, context: string) =>
    options.log.warn('queue background error', {
      context,
      error: error instanceof Error ? error.message : String(error),
    })
  if (config.redisUrl !== undefined) {
    return createRedisQueue({
      url: config.redisUrl,
      prefix: config.redis.prefix,
      now: options.now,
      onError,
    })
  }
  if (opened.sqlite !== undefined) {
    return createSqliteQueue({ db: opened.sqlite.db, now: options.now, onError })
  }
  // PostgreSQL store, embedded queue: the queue has the SQLite file to itself.
  ensureDataDir(config)
  return createSqliteQueue({
    file: sqliteFile(config),
    synchronous: config.sqlite.synchronous,
    now: options.now,
    onError,
  })
}
