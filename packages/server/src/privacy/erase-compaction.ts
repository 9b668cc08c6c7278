/**
 * @module After an erasure batch: make the database files stop holding the erased bytes, as far as SQL can
 * (GDPR Art. 17). A DELETE only marks rows dead; where the bytes stay, and what is done:
 *
 * SQLite (embedded store). The store runs with `secure_delete = ON` (cells and freed pages are zeroed, including
 * overflow pages and the versions a replace frees), FTS5 with 'secure-delete' (terms leave the index pages at
 * once), and each delete ends with `wal_checkpoint(TRUNCATE)` (sqlite-store.ts). Left here: `sqlite_stat4`, where
 * ANALYZE (run by `PRAGMA optimize` at close) keeps sampled index keys, party numbers among them; its rows for the
 * store's and the privacy tables are deleted (the planner keeps `sqlite_stat1`, counts only), then the WAL is
 * truncated again. Not reachable: copies of the file (backups), and blocks the filesystem freed when the WAL was
 * truncated.
 *
 * PostgreSQL: see erase-compaction-postgres.ts (VACUUM FULL by default, and what no SQL can reach).
 */
import type { Logger } from '../observability/logger.js'
import type { Store } from '../ports/store.js'
import type { PostgresStore } from '../store/postgres/postgres-store.js'
import type { SqliteStore } from '../store/sqlite/sqlite-store.js'
import { compactPostgres, type PostgresCompaction } from './erase-compaction-postgres.js'

export type { PostgresCompaction } from './erase-compaction-postgres.js'

export interface CompactionReport {
  readonly store: 'sqlite' | 'postgres'
  /** Relations vacuumed (PostgreSQL) or whose statistics samples were dropped (SQLite). */
  readonly tables: readonly string[]
  readonly mode: PostgresCompaction | 'sqlite'
  readonly ms: number
}

/** Compacts after erasures; concurrent requests share one run (a request waits for a run that starts after it). */
export interface ErasureCompactor {
  compact(): Promise<CompactionReport | undefined>
}

export interface CompactorOptions {
  readonly postgres?: PostgresCompaction
  readonly log?: Logger
  readonly now?: () => number
}

const SQLITE_STORE_TABLES = ['vcons', 'vcon_parties', 'vcon_tags', 'idempotency_keys']

function compactSqlite(store: SqliteStore): string[] {
  const { db } = store
  const stat4 = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat4'")
    .get()
  let tables: string[] = []
  if (stat4 !== undefined) {
    const placeholders = SQLITE_STORE_TABLES.map(() => '?').join(', ')
    db.prepare(
      `DELETE FROM sqlite_stat4 WHERE tbl IN (${placeholders}) OR tbl LIKE 'vcon\\_%' ESCAPE '\\'` +
        ` OR tbl LIKE 'privacy\\_%' ESCAPE '\\'`,
    ).run(...SQLITE_STORE_TABLES)
    tables = [...SQLITE_STORE_TABLES]
  }
  // Every delete already truncated the WAL; this one covers the statistics rows just deleted and any frame a
  // concurrent reader kept alive then.
  db.pragma('wal_checkpoint(TRUNCATE)')
  return tables
}

/** A compactor for the store (the unwrapped adapter: it needs the SQLite connection or the pg Pool). */
export function createErasureCompactor(
  store: Store,
  options: CompactorOptions = {},
): ErasureCompactor {
  const now = options.now ?? Date.now
  const mode = options.postgres ?? 'full'
  let running: Promise<CompactionReport | undefined> | undefined
  let next: Promise<CompactionReport | undefined> | undefined

  async function once(): Promise<CompactionReport | undefined> {
    const started = now()
    try {
      if (store.kind === 'postgres' && 'pool' in store) {
        const tables = await compactPostgres(store as PostgresStore, mode, options.log)
        return { store: 'postgres', tables, mode, ms: now() - started }
      }
      if (store.kind === 'sqlite' && 'db' in store) {
        const tables = compactSqlite(store as SqliteStore)
        return { store: 'sqlite', tables, mode: 'sqlite', ms: now() - started }
      }
      return undefined
    } catch (error) {
      // The erasure itself is done (rows deleted, event recorded); compaction is retried by the next one.
      options.log?.warn('erasure compaction failed', {
        store: store.kind,
        error: error instanceof Error ? error.message : String(error),
      })
      return undefined
    }
  }

  function compact(): Promise<CompactionReport | undefined> {
    // A run already going may have read its table list before this erasure committed: queue one more run
    // after it, shared by every caller that arrives meanwhile.
    if (running === undefined) {
      running = once().finally(() => {
        running = undefined
      })
      return running
    }
    next ??= running.then(() => {
      next = undefined
      return compact()
    })
    return next
  }

  return { compact }
}
