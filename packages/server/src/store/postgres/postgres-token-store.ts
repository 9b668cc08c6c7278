/**
 * @module The TokenStore on PostgreSQL: the `tokens` table in the Store's schema (created by the Store's
 * migrations, so call `store.migrate()` first). Only SHA-256 hashes of secrets are stored.
 */
import type pg from 'pg'
import { ServerError } from '../../errors/server-error.js'
import type { TokenRecord, TokenScope, TokenStore } from '../../ports/token-store.js'
import { quoteIdent } from './migrations.js'
import { guardPg } from './pg-errors.js'

interface TokenRow {
  id: string
  hash: string
  scope: TokenScope
  lists: string[] | null
  label: string | null
  created_at: string
}

function toRecord(row: TokenRow): TokenRecord {
  return {
    id: row.id,
    hash: row.hash,
    scope: row.scope,
    ...(row.lists === null ? {} : { lists: row.lists }),
    ...(row.label === null ? {} : { label: row.label }),
    createdAt: row.created_at,
  }
}

/** A TokenStore over the pool and schema of a migrated PostgreSQL Store (`createPostgresStore(...)`). */
export function createPostgresTokenStore(store: {
  readonly pool: pg.Pool
  readonly schema: string
}): TokenStore {
  const { pool } = store
  const table = `${quoteIdent(store.schema)}.tokens`
  const columns = 'id, hash, scope, lists, label, created_at'
  return {
    async add(record) {
      const result = await guardPg(() =>
        pool.query(
          `INSERT INTO ${table} (${columns}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
          [
            record.id,
            record.hash,
            record.scope,
            record.lists === undefined ? null : [...record.lists],
            record.label ?? null,
            record.createdAt,
          ],
        ),
      )
      if (result.rowCount === 0) {
        throw new ServerError(
          'CONFLICT',
          `A token with id ${record.id} or the same secret exists already`,
        )
      }
    },
    async findByHash(hash) {
      const result = await guardPg(() =>
        pool.query<TokenRow>(`SELECT ${columns} FROM ${table} WHERE hash = $1`, [hash]),
      )
      const row = result.rows[0]
      return row === undefined ? undefined : toRecord(row)
    },
    async list() {
      const result = await guardPg(() =>
        pool.query<TokenRow>(
          `SELECT ${columns} FROM ${table} ORDER BY created_at COLLATE "C", id COLLATE "C"`,
        ),
      )
      return result.rows.map(toRecord)
    },
    async revoke(id) {
      const result = await guardPg(() => pool.query(`DELETE FROM ${table} WHERE id = $1`, [id]))
      return (result.rowCount ?? 0) > 0
    },
    async count() {
      const result = await guardPg(() =>
        pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`),
      )
      return result.rows[0]?.n ?? 0
    },
  }
}
