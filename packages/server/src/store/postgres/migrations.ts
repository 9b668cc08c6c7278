/**
 * @module Versioned schema migrations for PostgreSQL, the same versions as the SQLite adapter's in PostgreSQL's
 * dialect. Every table lives in one schema (option `schema`); applied versions are recorded in its
 * `schema_migrations`. Each migration runs in its own transaction under an advisory lock, so any number of
 * `vcon serve` processes starting together apply it exactly once.
 */
import type { Pool, PoolClient } from 'pg'
import { deriveRefs } from '../derive-refs.js'
import { readStoredVcon } from '../stored-form.js'
import { inTransaction } from './pg-errors.js'

/** One schema change; `sql` receives the quoted schema name. Released migrations are never edited. */
export interface PostgresMigration {
  readonly version: number
  readonly name: string
  readonly sql: (schema: string) => string
  /** Fills new tables from existing rows, in the migration's transaction, after `sql`. */
  readonly backfill?: (client: PoolClient, schema: string) => Promise<void>
}

/** A double-quoted SQL identifier (PostgreSQL §4.1.1): embedded quotes doubled. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

async function lock(client: PoolClient, schema: string): Promise<void> {
  // One lock per schema: CREATE SCHEMA / CREATE TABLE IF NOT EXISTS are not safe against each other otherwise.
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`vconkit-migrations:${schema}`])
}

/** Applies the migrations of `scope` that have not run yet in `schema`, in version order; returns how many. */
export async function runPostgresMigrations(
  pool: Pool,
  schema: string,
  scope: string,
  migrations: readonly PostgresMigration[],
): Promise<number> {
  const s = quoteIdent(schema)
  await inTransaction(pool, async (client) => {
    await lock(client, schema)
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`)
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
        scope text NOT NULL,
        version integer NOT NULL,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, version)
      )`,
    )
  })
  let count = 0
  const ordered = [...migrations].sort((a, b) => a.version - b.version)
  for (const migration of ordered) {
    const applied = await inTransaction(pool, async (client) => {
      await lock(client, schema)
      const done = await client.query(
        `SELECT 1 FROM ${s}.schema_migrations WHERE scope = $1 AND version = $2`,
        [scope, migration.version],
      )
      if (done.rowCount !== 0) return false
      await client.query(migration.sql(s))
      await migration.backfill?.(client, s)
      await client.query(
        `INSERT INTO ${s}.schema_migrations (scope, version, name) VALUES ($1, $2, $3)`,
        [scope, migration.version, migration.name],
      )
      return true
    })
    if (applied) count++
  }
  return count
}

/**
 * The Store's schema. Text columns that are compared or ordered use the "C" collation: byte order, as SQLite's
 * BINARY, so that keyset pagination and tag-prefix ranges behave identically on both adapters.
 */
export const STORE_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'vcons and their indexes',
    sql: (s) => `
CREATE TABLE ${s}.vcons (
  uuid text COLLATE "C" PRIMARY KEY,
  json text NOT NULL,
  created_at timestamptz NOT NULL,
  stored_at timestamptz NOT NULL,
  version integer NOT NULL,
  subject text
);
CREATE INDEX vcons_by_created ON ${s}.vcons (created_at DESC, uuid DESC);

CREATE TABLE ${s}.vcon_parties (
  uuid text COLLATE "C" NOT NULL REFERENCES ${s}.vcons (uuid) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('tel', 'mailto', 'name')),
  value text COLLATE "C" NOT NULL,
  PRIMARY KEY (kind, value, uuid)
);
CREATE INDEX vcon_parties_by_uuid ON ${s}.vcon_parties (uuid);

CREATE TABLE ${s}.vcon_tags (
  uuid text COLLATE "C" NOT NULL REFERENCES ${s}.vcons (uuid) ON DELETE CASCADE,
  tag text COLLATE "C" NOT NULL,
  PRIMARY KEY (tag, uuid)
);
CREATE INDEX vcon_tags_by_uuid ON ${s}.vcon_tags (uuid);

-- The 'simple' configuration: no stemming and no stop words, like FTS5's unicode61 tokenizer.
CREATE TABLE ${s}.vcon_text (
  uuid text COLLATE "C" PRIMARY KEY REFERENCES ${s}.vcons (uuid) ON DELETE CASCADE,
  text text NOT NULL,
  tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, text)) STORED
);
CREATE INDEX vcon_text_tsv ON ${s}.vcon_text USING gin (tsv);

CREATE TABLE ${s}.idempotency_keys (
  key text PRIMARY KEY,
  uuid text COLLATE "C" NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX idempotency_keys_by_uuid ON ${s}.idempotency_keys (uuid);
`,
  },
  {
    version: 2,
    name: 'api tokens',
    sql: (s) => `
CREATE TABLE ${s}.tokens (
  id text PRIMARY KEY,
  hash text NOT NULL UNIQUE,
  scope text NOT NULL CHECK (scope IN ('admin', 'ingest', 'read')),
  lists text[],
  label text,
  created_at text NOT NULL
);
`,
  },
  {
    version: 3,
    name: 'index refs: sip and did parties, identifiers in text, lineage',
    sql: (s) => `
-- Lookup keys derived from the JSON (store/derive-refs.ts); kinds are listed in ports/store.ts (IndexRefKind).
CREATE TABLE ${s}.vcon_refs (
  uuid text COLLATE "C" NOT NULL REFERENCES ${s}.vcons (uuid) ON DELETE CASCADE,
  kind text COLLATE "C" NOT NULL,
  value text COLLATE "C" NOT NULL,
  PRIMARY KEY (kind, value, uuid)
);
CREATE INDEX vcon_refs_by_uuid ON ${s}.vcon_refs (uuid);
`,
    backfill: backfillRefs,
  },
]

/** Rows read per step of the backfill: bounds memory whatever the size of the store. */
const BACKFILL_PAGE = 500

/** Derives the refs of every vCon stored before version 3 (a vCon stored since gets them on write). */
async function backfillRefs(client: PoolClient, s: string): Promise<void> {
  let after = ''
  for (;;) {
    const rows = (
      await client.query<{ uuid: string; json: string }>(
        `SELECT uuid, json FROM ${s}.vcons WHERE uuid > $1 ORDER BY uuid LIMIT $2`,
        [after, BACKFILL_PAGE],
      )
    ).rows
    const ref = { uuid: [] as string[], kind: [] as string[], value: [] as string[] }
    for (const row of rows) {
      const readable = readStoredVcon(row.json).vcon
      if (readable === undefined) continue
      for (const r of deriveRefs(readable)) {
        ref.uuid.push(row.uuid)
        ref.kind.push(r.kind)
        ref.value.push(r.value)
      }
    }
    if (ref.uuid.length > 0) {
      await client.query(
        `INSERT INTO ${s}.vcon_refs (uuid, kind, value)` +
          ' SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING',
        [ref.uuid, ref.kind, ref.value],
      )
    }
    const last = rows[rows.length - 1]
    if (last === undefined || rows.length < BACKFILL_PAGE) return
    after = last.uuid
  }
}

/** The scope of the Store's rows in `schema_migrations`. */
export const STORE_SCOPE = 'store'
