/**
 * @module The lifecycle outbox's tables in PostgreSQL: the same versions and columns as the SQLite schema
 * (lifecycle-schema.ts) in PostgreSQL's dialect, in the PostgreSQL store's schema, versioned in its
 * `schema_migrations` under the scope `lifecycle`. Every conserver process sharing the database writes here, so
 * a vCon has one chain head whichever machine handles it. Rows hold uuids, digests and tokens only.
 */
import type { PostgresMigration } from '../store/postgres/migrations.js'

export const LIFECYCLE_POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'lifecycle outbox: signed events, receipts, per-vCon chain heads',
    sql: (s) => `
CREATE TABLE ${s}.lifecycle_events (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  vcon_uuid text COLLATE "C" NOT NULL,
  event text NOT NULL,
  -- JCS SHA-256 hex of the document: what the next event's prev names.
  digest text COLLATE "C" NOT NULL UNIQUE,
  -- The event document (JSON: event, vcon_uuid, vcon_hash, prev, occurred_at, reason?, purposes?).
  document text NOT NULL,
  -- The signed statement (COSE_Sign1, hash envelope): what is registered.
  statement bytea NOT NULL,
  entry_id text,
  receipt bytea,
  created_at bigint NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  last_error text
);
CREATE INDEX lifecycle_events_by_vcon ON ${s}.lifecycle_events (vcon_uuid, seq);
CREATE INDEX lifecycle_events_pending ON ${s}.lifecycle_events (seq) WHERE entry_id IS NULL;

CREATE TABLE ${s}.lifecycle_heads (
  vcon_uuid text COLLATE "C" PRIMARY KEY,
  last_digest text COLLATE "C" NOT NULL,
  vcon_hash text NOT NULL
);
`,
  },
]
