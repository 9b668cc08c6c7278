/**
 * @module The one-time move of a SQLite lifecycle outbox into PostgreSQL. Before the PostgreSQL outbox existed, a
 * conserver whose vCons were in PostgreSQL kept its outbox (signed events, receipts, pending registrations) and
 * chain heads in `<data_dir>/vconkit.db`. At start, what that file holds beyond what was moved before is copied:
 * events in their order, skipping digests PostgreSQL has (so a repeat copies nothing twice), pending rows stay
 * pending (the PostgreSQL recorder registers them), and a chain head only where PostgreSQL has none for that vCon
 * (a head moved there by another machine is newer). The SQLite rows stay where they are; the last moved seq is
 * kept in the file (table `lifecycle_moved`), written only after PostgreSQL committed, so a crash in between
 * means copying again, never losing a row.
 */
import { existsSync } from 'node:fs'
import Database from 'better-sqlite3'
import type { Logger } from '../observability/logger.js'
import { runSqliteMigrations, type SqliteMigration } from '../store/sqlite/migrations.js'
import type {
  CopiedEvent,
  CopiedHead,
  PostgresLifecycleOutbox,
} from './postgres-lifecycle-outbox.js'

/** The scope of the mark's table in the SQLite file's `schema_migrations`. */
const MOVED_SCOPE = 'lifecycle_moved'

const MOVED_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'lifecycle outbox: how far it was moved to PostgreSQL',
    sql: `
CREATE TABLE lifecycle_moved (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  -- Every lifecycle_events row with seq <= last_seq is in PostgreSQL.
  last_seq INTEGER NOT NULL,
  moved_at TEXT NOT NULL
);
`,
  },
]

/** Rows copied per statement: bounds memory and statement size whatever the outbox holds. */
const PAGE = 500
/** Heads per transaction: each takes one advisory lock (postgres-lifecycle-outbox.ts). */
const HEAD_PAGE = 256

export interface MoveOutboxOptions {
  /** The SQLite file of the data folder (`backends.sqliteFile`); nothing happens when it does not exist. */
  readonly file: string
  readonly target: PostgresLifecycleOutbox
  readonly log: Logger
  readonly now?: () => number
}

/** What one start moved. */
export interface MoveReport {
  /** Events new to PostgreSQL. */
  readonly events: number
  /** Chain heads set in PostgreSQL. */
  readonly heads: number
}

interface SqliteEventRow {
  seq: number
  vcon_uuid: string
  event: string
  digest: string
  document: string
  statement: Buffer
  entry_id: string | null
  receipt: Buffer | null
  created_at: number
  attempts: number
  last_error: string | null
}

const hasTable = (db: Database.Database, name: string) =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !==
  undefined

/** Copies what the SQLite outbox holds beyond the last move into PostgreSQL, and logs how much. */
export async function moveSqliteOutbox(options: MoveOutboxOptions): Promise<MoveReport> {
  const none: MoveReport = { events: 0, heads: 0 }
  // Opening would create the file: a deployment that never had one gets none.
  if (!existsSync(options.file)) return none
  const db = new Database(options.file, { fileMustExist: true })
  try {
    db.pragma('busy_timeout = 5000')
    if (!hasTable(db, 'lifecycle_events') || !hasTable(db, 'lifecycle_heads')) return none
    const after = hasTable(db, 'lifecycle_moved')
      ? ((db.prepare('SELECT last_seq FROM lifecycle_moved WHERE id = 1').pluck().get() as
          | number
          | undefined) ?? 0)
      : 0
    const last = (db.prepare('SELECT max(seq) FROM lifecycle_events').pluck().get() ?? 0) as number
    if (last <= after) return none

    const page = db.prepare(
      'SELECT seq, vcon_uuid, event, digest, document, statement, entry_id, receipt, created_at, attempts,' +
        ' last_error FROM lifecycle_events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?',
    )
    let events = 0
    let from = after
    for (;;) {
      const rows = page.all(from, last, PAGE) as SqliteEventRow[]
      if (rows.length === 0) break
      events += await options.target.copyEvents(rows.map(copiedEvent))
      from = (rows[rows.length - 1] as SqliteEventRow).seq
    }

    // The heads of the vCons whose events were just copied (their only heads in the file).
    const headPage = db.prepare(
      'SELECT vcon_uuid, last_digest, vcon_hash FROM lifecycle_heads WHERE vcon_uuid > ? AND vcon_uuid IN' +
        ' (SELECT vcon_uuid FROM lifecycle_events WHERE seq > ? AND seq <= ?) ORDER BY vcon_uuid LIMIT ?',
    )
    let heads = 0
    let fromUuid = ''
    for (;;) {
      const rows = headPage.all(fromUuid, after, last, HEAD_PAGE) as {
        vcon_uuid: string
        last_digest: string
        vcon_hash: string
      }[]
      if (rows.length === 0) break
      heads += await options.target.copyHeads(
        rows.map(
          (r): CopiedHead => ({
            vconUuid: r.vcon_uuid,
            lastDigest: r.last_digest,
            vconHash: r.vcon_hash,
          }),
        ),
      )
      fromUuid = (rows[rows.length - 1] as { vcon_uuid: string }).vcon_uuid
    }

    options.log.info('lifecycle outbox moved from SQLite to PostgreSQL', {
      file: options.file,
      schema: options.target.schema,
      events,
      heads,
      read: { from: after + 1, to: last },
    })
    mark(db, last, options)
    return { events, heads }
  } finally {
    db.close()
  }
}

function copiedEvent(row: SqliteEventRow): CopiedEvent {
  return {
    vconUuid: row.vcon_uuid,
    event: row.event,
    digest: row.digest,
    document: row.document,
    statement: row.statement,
    entryId: row.entry_id,
    receipt: row.receipt,
    createdAt: row.created_at,
    attempts: row.attempts,
    lastError: row.last_error,
  }
}

/** Records how far the file was moved; a failure only means the next start copies (and skips) it again. */
function mark(db: Database.Database, last: number, options: MoveOutboxOptions): void {
  const now = options.now ?? Date.now
  try {
    runSqliteMigrations(db, MOVED_SCOPE, MOVED_MIGRATIONS, now)
    db.prepare(
      'INSERT INTO lifecycle_moved (id, last_seq, moved_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET last_seq = excluded.last_seq, moved_at = excluded.moved_at',
    ).run(last, new Date(now()).toISOString())
  } catch (error) {
    options.log.warn('lifecycle outbox moved, but the SQLite file could not record it', {
      file: options.file,
      error: (error as Error).message,
    })
  }
}
