/**
 * @module Versioned schema migrations for the SQLite file: a runner any component sharing the file can use (the
 * queue keeps its own scope), and the Store's own migrations. Applied migrations are recorded in
 * `schema_migrations`; each runs in its own IMMEDIATE transaction, so two processes starting at once apply it once.
 */
import type Database from 'better-sqlite3'
import { deriveRefs } from '../derive-refs.js'
import { readStoredVcon } from '../stored-form.js'

/** One schema change. Versions only grow; a released migration is never edited, a new one is added. */
export interface SqliteMigration {
  readonly version: number
  readonly name: string
  readonly sql: string
  /** Fills new tables from existing rows, in the migration's transaction, after `sql`. */
  readonly backfill?: (db: Database.Database) => void
}

const CREATE_LEDGER = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  scope TEXT NOT NULL,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL,
  PRIMARY KEY (scope, version)
) WITHOUT ROWID`

/** The versions of `scope` not applied yet (all of them when the ledger table does not exist). */
export function pendingSqliteMigrations(
  db: Database.Database,
  scope: string,
  migrations: readonly SqliteMigration[],
): SqliteMigration[] {
  const table = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get()
  if (table === undefined) return [...migrations]
  const applied = new Set(
    db
      .prepare('SELECT version FROM schema_migrations WHERE scope = ?')
      .pluck()
      .all(scope) as number[],
  )
  return migrations.filter((m) => !applied.has(m.version))
}

/** Applies the migrations of `scope` that have not run yet, in version order. Safe to call any number of times. */
export function runSqliteMigrations(
  db: Database.Database,
  scope: string,
  migrations: readonly SqliteMigration[],
  now: () => number = Date.now,
): number {
  db.exec(CREATE_LEDGER)
  const isApplied = db
    .prepare('SELECT 1 FROM schema_migrations WHERE scope = ? AND version = ?')
    .pluck()
  const record = db.prepare(
    'INSERT INTO schema_migrations (scope, version, name, applied_at) VALUES (?, ?, ?, ?)',
  )
  let count = 0
  const ordered = [...migrations].sort((a, b) => a.version - b.version)
  for (const migration of ordered) {
    // The check is inside the write transaction: another process may have applied it meanwhile.
    const apply = db.transaction(() => {
      if (isApplied.get(scope, migration.version) !== undefined) return false
      db.exec(migration.sql)
      migration.backfill?.(db)
      record.run(scope, migration.version, migration.name, new Date(now()).toISOString())
      return true
    })
    if (apply.immediate()) count++
  }
  return count
}

/**
 * The Store's schema. `vcons.json` is the source of truth; every other table is derived from it by
 * derive-index.ts and rewritten in the same transaction as the row it comes from.
 */
export const STORE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'vcons and their indexes',
    sql: `
CREATE TABLE vcons (
  uuid TEXT PRIMARY KEY NOT NULL,
  json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  stored_at TEXT NOT NULL,
  version INTEGER NOT NULL,
  subject TEXT,
  -- The rowid of this vCon's row in vcon_fts (NULL when it has no text): FTS5 rowids are stable across VACUUM.
  fts_rowid INTEGER
);
CREATE INDEX vcons_by_created ON vcons (created_at DESC, uuid DESC);

CREATE TABLE vcon_parties (
  uuid TEXT NOT NULL REFERENCES vcons (uuid) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('tel', 'mailto', 'name')),
  value TEXT NOT NULL,
  PRIMARY KEY (kind, value, uuid)
) WITHOUT ROWID;
CREATE INDEX vcon_parties_by_uuid ON vcon_parties (uuid);

CREATE TABLE vcon_tags (
  uuid TEXT NOT NULL REFERENCES vcons (uuid) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  PRIMARY KEY (tag, uuid)
) WITHOUT ROWID;
CREATE INDEX vcon_tags_by_uuid ON vcon_tags (uuid);

CREATE VIRTUAL TABLE vcon_fts USING fts5 (
  uuid UNINDEXED,
  text,
  tokenize = 'unicode61 remove_diacritics 2'
);
-- Deleting a row removes its terms from the index pages at once, instead of leaving them behind a delete
-- marker until the next merge: erasure must leave no copy (FTS5 §6.9 "secure-delete", SQLite 3.42+).
INSERT INTO vcon_fts (vcon_fts, rank) VALUES ('secure-delete', 1);

CREATE TABLE idempotency_keys (
  key TEXT PRIMARY KEY NOT NULL,
  uuid TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX idempotency_keys_by_uuid ON idempotency_keys (uuid);
`,
  },
  {
    version: 2,
    name: 'api tokens',
    sql: `
CREATE TABLE tokens (
  id TEXT PRIMARY KEY NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  scope TEXT NOT NULL CHECK (scope IN ('admin', 'ingest', 'read')),
  lists TEXT,
  label TEXT,
  created_at TEXT NOT NULL
);
`,
  },
  {
    version: 3,
    name: 'index refs: sip and did parties, identifiers in text, lineage',
    sql: `
-- Lookup keys derived from the JSON (store/derive-refs.ts); kinds are listed in ports/store.ts (IndexRefKind).
-- No CHECK on kind, so that a later kind needs no table rebuild.
CREATE TABLE vcon_refs (
  uuid TEXT NOT NULL REFERENCES vcons (uuid) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (kind, value, uuid)
) WITHOUT ROWID;
CREATE INDEX vcon_refs_by_uuid ON vcon_refs (uuid);
`,
    backfill: backfillRefs,
  },
]

/** Rows read per step of the backfill: bounds memory whatever the size of the store. */
const BACKFILL_PAGE = 500

/** Derives the refs of every vCon stored before version 3 (a vCon stored since gets them on write). */
function backfillRefs(db: Database.Database): void {
  const page = db.prepare('SELECT uuid, json FROM vcons WHERE uuid > ? ORDER BY uuid LIMIT ?')
  const insert = db.prepare('INSERT OR IGNORE INTO vcon_refs (uuid, kind, value) VALUES (?, ?, ?)')
  let after = ''
  for (;;) {
    const rows = page.all(after, BACKFILL_PAGE) as { uuid: string; json: string }[]
    for (const row of rows) {
      const readable = readStoredVcon(row.json).vcon
      if (readable === undefined) continue
      for (const ref of deriveRefs(readable)) insert.run(row.uuid, ref.kind, ref.value)
    }
    const last = rows[rows.length - 1]
    if (last === undefined || rows.length < BACKFILL_PAGE) return
    after = last.uuid
  }
}

/** The scope of the Store's rows in `schema_migrations`. */
export const STORE_SCOPE = 'store'
