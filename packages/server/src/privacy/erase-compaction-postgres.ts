/**
 * @module After an erasure on PostgreSQL: make the relation files stop holding the erased bytes, as far as SQL
 * can (GDPR Art. 17 asks for erasure, not for a row marked dead).
 *
 * Measured on PostgreSQL 15 with a byte scan of the files (test/privacy-erasure-proof.test.ts): after DELETE and
 * a plain VACUUM the tuple bytes are still in the heap file, in the btree and in the GIN (tsvector) index files;
 * VACUUM only makes the space reusable. VACUUM FULL rewrites each table, its TOAST table and every index into new
 * files and drops the old ones, after which the scan finds nothing. It takes an ACCESS EXCLUSIVE lock per table
 * while it copies (about 0.55 s per 48 MB of tables on a 2-core machine, linear in size), so it is a choice:
 *   full   (default)  VACUUM FULL, then fresh statistics: erased bytes leave the relation files; reads and writes
 *                     of each table wait while it is rewritten.
 *   vacuum            VACUUM (ANALYZE): no long lock; dead bytes stay in the files until their pages are reused.
 *   off               nothing (autovacuum eventually does the equivalent of `vacuum`).
 * VACUUM cannot run inside a transaction block; through the pg Pool each query is its own implicit transaction,
 * which is allowed.
 *
 * Statistics: ANALYZE samples column values into pg_statistic (a number in histogram_bounds). New statistics
 * replace old rows, but a table left empty keeps its old statistics, and replaced rows stay dead in the catalog
 * file. In mode full the statistics of the touched tables are deleted before ANALYZE and pg_statistic is
 * rewritten; both need a superuser (from PostgreSQL 16 also a role with MAINTAIN): for other roles PostgreSQL
 * refuses the delete (ignored here) and skips the rewrite with a warning, so sampled values can stay there.
 *
 * What no SQL can erase: WAL segments (pg_wal/) hold the row images until they are recycled after a checkpoint,
 * and archived WAL and base backups keep them for their own retention; files dropped by a rewrite are unlinked,
 * their blocks free on the disk but not overwritten. Operators size backup and WAL archive retention to the
 * erasure deadline (GDPR Art. 12(3): one month).
 */
import type { Logger } from '../observability/logger.js'
import { quoteIdent } from '../store/postgres/migrations.js'
import type { PostgresStore } from '../store/postgres/postgres-store.js'

/** How hard PostgreSQL is compacted after an erasure batch (see the module comment). */
export type PostgresCompaction = 'full' | 'vacuum' | 'off'

/**
 * Tables of the store's schema that can hold vCon content or identifiers: the store's own (vcons, its `vcon_*`
 * index tables, idempotency keys) and the privacy and retention tables beside them. The ledger's tables hold
 * hashes only and are large; they are left alone.
 */
const TABLES_SQL =
  "SELECT tablename FROM pg_tables WHERE schemaname = $1 AND (tablename IN ('vcons', 'idempotency_keys')" +
  " OR tablename LIKE 'vcon\\_%' OR tablename LIKE 'privacy\\_%' OR tablename LIKE 'retention\\_%')" +
  ' ORDER BY tablename'

/** Longest wait for transactions older than the erasure (see waitForOlderSnapshots). */
const SNAPSHOT_WAIT_MS = 5_000

/**
 * VACUUM, FULL included, keeps a deleted row that a running transaction's snapshot can still see ("recently
 * dead"): a transaction of this database that started before the erasure committed would keep the erased bytes
 * in the rewritten files. Waits a little for such transactions to end; false when some still ran at the
 * deadline. pg_stat_activity shows other roles' transactions only to privileged roles; what it hides is not
 * waited for.
 */
async function waitForOlderSnapshots(store: PostgresStore, timeoutMs: number): Promise<boolean> {
  const { pool } = store
  const started = (await pool.query<{ t: Date }>('SELECT clock_timestamp() AS t')).rows[0]?.t
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const older = await pool.query(
      'SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()' +
        ' AND backend_xmin IS NOT NULL AND xact_start < $1 LIMIT 1',
      [started],
    )
    if (older.rowCount === 0) return true
    if (Date.now() >= deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Compacts the store's tables; returns the relations vacuumed. */
export async function compactPostgres(
  store: PostgresStore,
  mode: PostgresCompaction,
  log: Logger | undefined,
): Promise<string[]> {
  if (mode === 'off') return []
  const { pool } = store
  if (!(await waitForOlderSnapshots(store, SNAPSHOT_WAIT_MS))) {
    log?.warn(
      'erasure compaction: older transactions still run; rows they see stay until the next one',
      {
        waitedMs: SNAPSHOT_WAIT_MS,
      },
    )
  }
  const tables = (await pool.query<{ tablename: string }>(TABLES_SQL, [store.schema])).rows.map(
    (r) => r.tablename,
  )
  if (tables.length === 0) return []
  const s = quoteIdent(store.schema)
  const qualified = tables.map((t) => `${s}.${quoteIdent(t)}`)
  const list = qualified.join(', ')
  if (mode === 'vacuum') {
    await pool.query(`VACUUM (ANALYZE) ${list}`)
    return tables
  }
  await pool.query(`VACUUM FULL ${list}`)
  try {
    await pool.query('DELETE FROM pg_catalog.pg_statistic WHERE starelid = ANY($1::regclass[])', [
      qualified,
    ])
  } catch (error) {
    log?.debug('erasure compaction: statistics not cleared (needs a superuser)', {
      error: error instanceof Error ? error.message : String(error),
    })
  }
  await pool.query(`ANALYZE ${list}`)
  await pool.query('VACUUM FULL pg_catalog.pg_statistic')
  return [...tables, 'pg_catalog.pg_statistic']
}
