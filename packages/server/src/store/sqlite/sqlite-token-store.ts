/**
 * @module The TokenStore on SQLite: the `tokens` table of the Store's file (created by the Store's migrations, so
 * call `store.migrate()` first). Only SHA-256 hashes of secrets are stored.
 */
import type Database from 'better-sqlite3'
import { ServerError } from '../../errors/server-error.js'
import type { TokenRecord, TokenScope, TokenStore } from '../../ports/token-store.js'
import { guardSqlite } from './statements.js'

interface TokenRow {
  id: string
  hash: string
  scope: TokenScope
  lists: string | null
  label: string | null
  created_at: string
}

function toRecord(row: TokenRow): TokenRecord {
  return {
    id: row.id,
    hash: row.hash,
    scope: row.scope,
    ...(row.lists === null ? {} : { lists: JSON.parse(row.lists) as string[] }),
    ...(row.label === null ? {} : { label: row.label }),
    createdAt: row.created_at,
  }
}

/** A TokenStore over an open, migrated SQLite Store connection (`createSqliteStore(...).db`). */
export function createSqliteTokenStore(db: Database.Database): TokenStore {
  const columns = 'id, hash, scope, lists, label, created_at'
  const insert = db.prepare(
    `INSERT INTO tokens (${columns}) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  )
  const byHash = db.prepare(`SELECT ${columns} FROM tokens WHERE hash = ?`)
  const all = db.prepare(`SELECT ${columns} FROM tokens ORDER BY created_at, id`)
  const remove = db.prepare('DELETE FROM tokens WHERE id = ?')
  const count = db.prepare('SELECT count(*) FROM tokens').pluck()

  return {
    async add(record) {
      guardSqlite(() => {
        const result = insert.run(
          record.id,
          record.hash,
          record.scope,
          record.lists === undefined ? null : JSON.stringify(record.lists),
          record.label ?? null,
          record.createdAt,
        )
        if (result.changes === 0) {
          throw new ServerError(
            'CONFLICT',
            `A token with id ${record.id} or the same secret exists already`,
          )
        }
      })
    },
    async findByHash(hash) {
      return guardSqlite(() => {
        const row = byHash.get(hash) as TokenRow | undefined
        return row === undefined ? undefined : toRecord(row)
      })
    },
    async list() {
      return guardSqlite(() => (all.all() as TokenRow[]).map(toRecord))
    },
    async revoke(id) {
      return guardSqlite(() => remove.run(id).changes > 0)
    },
    async count() {
      return guardSqlite(() => count.get() as number)
    },
  }
}
