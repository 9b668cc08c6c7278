/**
 * @module The lifecycle outbox's tables in the SQLite file (scope `lifecycle` in `schema_migrations`; the same
 * tables in PostgreSQL: postgres-lifecycle-schema.ts). Every lifecycle event the conserver emits is written here,
 * signed, before it is registered: a registration that fails (the ledger is away) is retried from this table, so
 * no event is lost, and the receipt is kept here beside the vCon once the ledger answered. Rows hold uuids,
 * digests and tokens only, never personal data.
 */
import type { SqliteMigration } from '../store/sqlite/migrations.js'

/** The scope of the outbox's rows in `schema_migrations`. */
export const LIFECYCLE_SCOPE = 'lifecycle'

export const LIFECYCLE_SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'lifecycle outbox: signed events, receipts, per-vCon chain heads',
    sql: `
CREATE TABLE lifecycle_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  vcon_uuid TEXT NOT NULL,
  event TEXT NOT NULL,
  -- JCS SHA-256 hex of the document: what the next event's prev names.
  digest TEXT NOT NULL UNIQUE,
  -- The event document (JSON: event, vcon_uuid, vcon_hash, prev, occurred_at, reason?, purposes?).
  document TEXT NOT NULL,
  -- The signed statement (COSE_Sign1, hash envelope): what is registered.
  statement BLOB NOT NULL,
  entry_id TEXT,
  receipt BLOB,
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);
CREATE INDEX lifecycle_events_by_vcon ON lifecycle_events (vcon_uuid, seq);
CREATE INDEX lifecycle_events_pending ON lifecycle_events (seq) WHERE entry_id IS NULL;

CREATE TABLE lifecycle_heads (
  vcon_uuid TEXT PRIMARY KEY,
  last_digest TEXT NOT NULL,
  vcon_hash TEXT NOT NULL
);
`,
  },
]
