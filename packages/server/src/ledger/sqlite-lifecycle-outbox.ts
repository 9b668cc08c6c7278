/**
 * @module The lifecycle outbox in a SQLite file (lifecycle-schema.ts, scope `lifecycle`): the store's
 * connection when the vCons are embedded, or a file of its own. A group is written in one IMMEDIATE transaction:
 * SQLite's single writer lock is taken before the first head is read, so processes sharing the file never read
 * the same head for two events (no fork). Processes on other machines cannot share the file: they need the
 * PostgreSQL outbox.
 */
import Database from 'better-sqlite3'
import { runSqliteMigrations } from '../store/sqlite/migrations.js'
import {
  type BuildOutboxEvent,
  type LifecycleHead,
  type LifecycleOutbox,
  type LifecycleRow,
  type OutboxItem,
  type RegistrationOutcome,
  toLifecycleRecord,
} from './lifecycle-outbox.js'
import { LIFECYCLE_SCOPE, LIFECYCLE_SQLITE_MIGRATIONS } from './lifecycle-schema.js'

/** A connection owned by someone else (the SQLite store's), or a file the outbox opens and closes. */
export type SqliteLifecycleOutboxOptions = (
  | { readonly db: Database.Database }
  | { readonly file: string }
) & {
  /** The clock of `schema_migrations.applied_at`. */
  readonly now?: () => number
}

const COLUMNS = 'seq, event, digest, document, statement, entry_id, receipt'

/** Creates the SQLite outbox; call `migrate()` before use. */
export function createSqliteLifecycleOutbox(
  options: SqliteLifecycleOutboxOptions,
): LifecycleOutbox {
  const own = 'file' in options ? new Database(options.file) : undefined
  if (own !== undefined) {
    own.pragma('journal_mode = WAL')
    own.pragma('busy_timeout = 5000')
  }
  const db = 'db' in options ? options.db : (own as Database.Database)
  const now = options.now ?? Date.now
  let closed = false

  // Statements are prepared after the migration (their tables must exist).
  let prepared: ReturnType<typeof prepare> | undefined
  function prepare() {
    const sql = {
      head: db.prepare('SELECT last_digest, vcon_hash FROM lifecycle_heads WHERE vcon_uuid = ?'),
      setHead: db.prepare(
        'INSERT INTO lifecycle_heads (vcon_uuid, last_digest, vcon_hash) VALUES (?, ?, ?) ON CONFLICT (vcon_uuid) DO UPDATE SET last_digest = excluded.last_digest, vcon_hash = excluded.vcon_hash',
      ),
      insert: db.prepare(
        'INSERT INTO lifecycle_events (vcon_uuid, event, digest, document, statement, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (digest) DO NOTHING',
      ),
      pending: db.prepare(
        `SELECT ${COLUMNS} FROM lifecycle_events WHERE entry_id IS NULL ORDER BY seq LIMIT ?`,
      ),
      pendingCount: db
        .prepare('SELECT count(*) FROM lifecycle_events WHERE entry_id IS NULL')
        .pluck(),
      done: db.prepare(
        'UPDATE lifecycle_events SET entry_id = ?, receipt = ?, last_error = NULL WHERE seq = ?',
      ),
      failed: db.prepare(
        'UPDATE lifecycle_events SET attempts = attempts + 1, last_error = ? WHERE seq = ? AND entry_id IS NULL',
      ),
      byVcon: db.prepare(
        `SELECT ${COLUMNS} FROM lifecycle_events WHERE vcon_uuid = ? ORDER BY seq`,
      ),
    }
    const settle = db.transaction((outcomes: readonly RegistrationOutcome[]) => {
      for (const o of outcomes) {
        if ('error' in o) sql.failed.run(o.error, o.seq)
        else sql.done.run(o.entryId, Buffer.from(o.receipt), o.seq)
      }
    })
    return { sql, settle }
  }
  function ready() {
    if (prepared === undefined) {
      throw new Error('The SQLite lifecycle outbox is not migrated yet; call migrate() first.')
    }
    return prepared
  }

  return {
    kind: 'sqlite',

    async migrate() {
      runSqliteMigrations(db, LIFECYCLE_SCOPE, LIFECYCLE_SQLITE_MIGRATIONS, now)
      prepared ??= prepare()
    },

    async append<T extends OutboxItem>(items: readonly T[], build: BuildOutboxEvent<T>) {
      const { sql } = ready()
      const write = db.transaction(() => {
        let stored = 0
        for (const item of items) {
          const row = sql.head.get(item.vconUuid) as
            | { last_digest: string; vcon_hash: string }
            | undefined
          const head: LifecycleHead | undefined =
            row === undefined ? undefined : { lastDigest: row.last_digest, vconHash: row.vcon_hash }
          const built = build(item, head)
          if (built === undefined) continue
          const info = sql.insert.run(
            item.vconUuid,
            built.event,
            built.digest,
            built.document,
            Buffer.from(built.statement),
            built.createdAt,
          )
          stored += info.changes
          // A digest stored already is the same event (same document): the head names it either way.
          sql.setHead.run(item.vconUuid, built.digest, built.vconHash)
        }
        return stored
      })
      return write.immediate()
    },

    async pending(limit) {
      return (ready().sql.pending.all(limit) as LifecycleRow[]).map(toLifecycleRecord)
    },

    async pendingCount() {
      return ready().sql.pendingCount.get() as number
    },

    async settle(outcomes) {
      if (outcomes.length > 0) ready().settle.immediate(outcomes)
    },

    async events(vconUuid) {
      return (ready().sql.byVcon.all(vconUuid) as LifecycleRow[]).map(toLifecycleRecord)
    },

    async close() {
      if (closed) return
      closed = true
      own?.close()
    },
  }
}
