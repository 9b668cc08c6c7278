/**
 * @module The SQLite Store's prepared statements (prepared once, after migration) and the mapping of SQLite's
 * "try again later" failures to ServerError('UNAVAILABLE'), so the API answers 503 with Retry-After.
 */
import type Database from 'better-sqlite3'
import { ServerError } from '../../errors/server-error.js'

/** SQL of every fixed statement of the Store, by name. */
const SQL = {
  selectVcon: 'SELECT uuid, json, created_at, stored_at, version FROM vcons WHERE uuid = ?',
  selectVcons:
    'SELECT uuid, json, created_at, stored_at, version FROM vcons' +
    ' WHERE uuid IN (SELECT value FROM json_each(?))',
  // -bm25: FTS5's bm25() is smaller for better matches; the port's rank is larger for better ones.
  search:
    "SELECT f.uuid AS uuid, v.created_at AS createdAt, snippet(vcon_fts, 1, '«', '»', '…', 16) AS snippet," +
    ' -bm25(vcon_fts) AS rank FROM vcon_fts f JOIN vcons v ON v.uuid = f.uuid' +
    ' WHERE vcon_fts MATCH ? ORDER BY bm25(vcon_fts), v.uuid LIMIT ?',
  selectKey: 'SELECT uuid FROM idempotency_keys WHERE key = ?',
  insertKey:
    'INSERT INTO idempotency_keys (key, uuid, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING',
  deleteKeys: 'DELETE FROM idempotency_keys WHERE uuid = ?',
  exists: 'SELECT 1 FROM vcons WHERE uuid = ?',
  selectVersion: 'SELECT version, fts_rowid FROM vcons WHERE uuid = ?',
  insertVcon:
    'INSERT INTO vcons (uuid, json, created_at, stored_at, version, subject, fts_rowid)' +
    ' VALUES (?, ?, ?, ?, ?, ?, ?)',
  deleteVcon: 'DELETE FROM vcons WHERE uuid = ?',
  insertText: 'INSERT INTO vcon_fts (uuid, text) VALUES (?, ?)',
  deleteText: 'DELETE FROM vcon_fts WHERE rowid = ?',
  insertParty: 'INSERT OR IGNORE INTO vcon_parties (uuid, kind, value) VALUES (?, ?, ?)',
  deleteParties: 'DELETE FROM vcon_parties WHERE uuid = ?',
  insertTag: 'INSERT OR IGNORE INTO vcon_tags (uuid, tag) VALUES (?, ?)',
  deleteTags: 'DELETE FROM vcon_tags WHERE uuid = ?',
  insertRef: 'INSERT OR IGNORE INTO vcon_refs (uuid, kind, value) VALUES (?, ?, ?)',
  deleteRefs: 'DELETE FROM vcon_refs WHERE uuid = ?',
} as const

/** Statements that return one column: `get` gives the value itself. */
const PLUCKED: ReadonlySet<keyof typeof SQL> = new Set(['selectKey', 'exists'])

export type StoreStatements = Readonly<Record<keyof typeof SQL, Database.Statement>>

/** Prepares every fixed statement of the Store (on a readonly connection the writes fail with SQLITE_READONLY). */
export function prepareStoreStatements(db: Database.Database): StoreStatements {
  const out: Partial<Record<keyof typeof SQL, Database.Statement>> = {}
  for (const name of Object.keys(SQL) as (keyof typeof SQL)[]) {
    const statement = db.prepare(SQL[name])
    out[name] = PLUCKED.has(name) ? statement.pluck() : statement
  }
  return out as StoreStatements
}

/** SQLite result codes that mean "the database is there but cannot take this now" (lock held, disk full, I/O). */
const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN|PROTOCOL)/

/** Runs `work`, turning SQLite's transient failures into ServerError('UNAVAILABLE') (503 with Retry-After). */
export function guardSqlite<T>(work: () => T): T {
  try {
    return work()
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code
    if (typeof code === 'string' && UNAVAILABLE.test(code)) {
      throw new ServerError(
        'UNAVAILABLE',
        `The SQLite store cannot be written now (${code}); retry shortly`,
        {
          retryAfter: 1,
          cause: error,
        },
      )
    }
    throw error
  }
}
