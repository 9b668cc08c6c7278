/**
 * @module The Store on PostgreSQL (pg Pool), for several API and worker processes on several machines. A batch is
 * one transaction of a few multi-row statements (unnest of arrays: one round trip per table, whatever the batch
 * size), with ON CONFLICT DO NOTHING telling new uuids from existing ones. Behaviour matches the SQLite adapter:
 * the shared contract suite (test/store-contract.ts) runs on both.
 */
import pg from 'pg'
import { ServerError } from '../../errors/server-error.js'
import type {
  InsertOutcome,
  ListItem,
  NewVcon,
  SearchHit,
  Store,
  StoredVcon,
} from '../../ports/store.js'
import { encodeCursor, pageSize } from '../list-cursor.js'
import { searchLimit, searchTerms } from '../search-terms.js'
import { postgresListSql } from './list-query.js'
import { quoteIdent, runPostgresMigrations, STORE_MIGRATIONS, STORE_SCOPE } from './migrations.js'
import { guardPg, inTransaction } from './pg-errors.js'
import { writeIndexes } from './write-indexes.js'

export interface PostgresStoreOptions {
  /** A postgres:// connection URL. */
  readonly url: string
  /** The schema holding every table (created by `migrate()`); default `public`. */
  readonly schema?: string
  /** Connections in the pool; default 10. */
  readonly poolSize?: number
  /** How long to wait for a connection before failing with UNAVAILABLE; default 5000 ms. */
  readonly connectTimeoutMs?: number
  /** Called with errors of idle pooled connections (a restart of the server); they are otherwise dropped. */
  readonly onError?: (error: Error) => void
  /** Epoch milliseconds for `stored_at`; injectable for tests. */
  readonly now?: () => number
}

/** The PostgreSQL Store, with its pool and schema for components that share them (tokens). */
export interface PostgresStore extends Store {
  readonly kind: 'postgres'
  readonly pool: pg.Pool
  readonly schema: string
}

interface VconRow {
  uuid: string
  json: string
  created_at: Date
  stored_at: Date
  version: number
}

function toStored(row: VconRow): StoredVcon {
  return {
    uuid: row.uuid,
    json: row.json,
    createdAt: row.created_at.toISOString(),
    storedAt: row.stored_at.toISOString(),
    version: row.version,
  }
}

/** Options of ts_headline (PostgreSQL §12.3.4): the matched words between « and », a short excerpt. */
const HEADLINE =
  'StartSel=«, StopSel=», MinWords=8, MaxWords=24, MaxFragments=2, FragmentDelimiter=" … "'

/** Creates the PostgreSQL Store; the pool connects lazily. Call `migrate()` before use. */
export function createPostgresStore(options: PostgresStoreOptions): PostgresStore {
  const schema = options.schema ?? 'public'
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new ServerError(
      'CONFIG_INVALID',
      `The PostgreSQL schema name "${schema}" is not a plain identifier; use letters, digits and _ (at most 63)`,
    )
  }
  const now = options.now ?? Date.now
  const s = quoteIdent(schema)
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: 30_000,
    application_name: 'vconkit',
  })
  // Without a listener, an idle connection's error (the database restarting) would crash the process.
  pool.on('error', (error) => options.onError?.(error))

  const columns = 'uuid, json, created_at, stored_at, version'
  const sql = {
    get: `SELECT ${columns} FROM ${s}.vcons WHERE uuid = $1`,
    getMany: `SELECT ${columns} FROM ${s}.vcons WHERE uuid = ANY($1::text[])`,
    keys: `SELECT key, uuid FROM ${s}.idempotency_keys WHERE key = ANY($1::text[])`,
    insert:
      `INSERT INTO ${s}.vcons (uuid, json, created_at, stored_at, version, subject)` +
      ' SELECT u, j, c, $4::timestamptz, 1, sub FROM unnest($1::text[], $2::text[], $3::timestamptz[],' +
      ' $5::text[]) AS t (u, j, c, sub) ON CONFLICT (uuid) DO NOTHING RETURNING uuid',
    upsert:
      `INSERT INTO ${s}.vcons AS v (uuid, json, created_at, stored_at, version, subject)` +
      ' VALUES ($1, $2, $3::timestamptz, $4::timestamptz, 1, $5) ON CONFLICT (uuid) DO UPDATE SET' +
      ' json = EXCLUDED.json, created_at = EXCLUDED.created_at, stored_at = EXCLUDED.stored_at,' +
      ' subject = EXCLUDED.subject, version = v.version + 1 RETURNING version',
    insertKeys:
      `INSERT INTO ${s}.idempotency_keys (key, uuid, created_at)` +
      ' SELECT k, u, $3::timestamptz FROM unnest($1::text[], $2::text[]) AS t (k, u)' +
      ' ON CONFLICT (key) DO NOTHING',
    clearParties: `DELETE FROM ${s}.vcon_parties WHERE uuid = $1`,
    clearTags: `DELETE FROM ${s}.vcon_tags WHERE uuid = $1`,
    clearText: `DELETE FROM ${s}.vcon_text WHERE uuid = $1`,
    clearRefs: `DELETE FROM ${s}.vcon_refs WHERE uuid = $1`,
    // Index rows go with the vCon row (ON DELETE CASCADE); the key names the uuid, so it goes too.
    delete: `DELETE FROM ${s}.vcons WHERE uuid = $1`,
    deleteKeys: `DELETE FROM ${s}.idempotency_keys WHERE uuid = $1`,
    // The headline is computed for the page only: ts_headline re-parses the whole text of each hit.
    search:
      `WITH q AS (SELECT plainto_tsquery('simple', $1) AS query), hits AS (` +
      ` SELECT t.uuid, t.text, ts_rank_cd(t.tsv, q.query) AS rank FROM ${s}.vcon_text t, q` +
      ' WHERE t.tsv @@ q.query ORDER BY rank DESC, t.uuid LIMIT $2)' +
      ` SELECT h.uuid, v.created_at, ts_headline('simple', h.text, q.query, '${HEADLINE}') AS snippet,` +
      ` h.rank FROM hits h JOIN ${s}.vcons v ON v.uuid = h.uuid, q ORDER BY h.rank DESC, h.uuid`,
  }

  const iso = () => new Date(now()).toISOString()
  const keysOf = async (client: pg.PoolClient, keys: readonly string[]) => {
    const known = new Map<string, string>()
    if (keys.length === 0) return known
    const rows = (await client.query<{ key: string; uuid: string }>(sql.keys, [keys])).rows
    for (const row of rows) known.set(row.key, row.uuid)
    return known
  }

  return {
    kind: 'postgres',
    pool,
    schema,

    async migrate() {
      await runPostgresMigrations(pool, schema, STORE_SCOPE, STORE_MIGRATIONS)
    },

    async insertMany(records, options = []) {
      if (records.length === 0) return []
      const storedAt = iso()
      return inTransaction(pool, async (client) => {
        const keyOf = (i: number) => options[i]?.idempotencyKey
        const allKeys = records.map((_, i) => keyOf(i)).filter((k): k is string => k !== undefined)
        const known = await keysOf(client, allKeys)
        const outcomes: (InsertOutcome | undefined)[] = []
        const candidates = new Map<string, { record: NewVcon; key: string | undefined }>()
        records.forEach((record, i) => {
          const key = keyOf(i)
          const keyUuid = key === undefined ? undefined : known.get(key)
          if (keyUuid !== undefined) {
            outcomes[i] = {
              status: keyUuid === record.uuid ? 'replayed' : 'key-conflict',
              uuid: record.uuid,
            }
          } else if (candidates.has(record.uuid)) {
            outcomes[i] = { status: 'exists', uuid: record.uuid }
          } else {
            candidates.set(record.uuid, { record, key })
            // A later record of this batch with the same key is a replay (or a conflict) of this one.
            if (key !== undefined) known.set(key, record.uuid)
          }
        })
        // Sorted, so two batches sharing uuids lock their rows in the same order and cannot deadlock.
        const fresh = [...candidates.values()].sort((a, b) =>
          a.record.uuid < b.record.uuid ? -1 : 1,
        )
        let created = new Set<string>()
        if (fresh.length > 0) {
          const result = await client.query<{ uuid: string }>(sql.insert, [
            fresh.map((c) => c.record.uuid),
            fresh.map((c) => c.record.json),
            fresh.map((c) => c.record.index.createdAt),
            storedAt,
            fresh.map((c) => c.record.index.subject ?? null),
          ])
          created = new Set(result.rows.map((row) => row.uuid))
          const written = fresh.filter((c) => created.has(c.record.uuid))
          await writeIndexes(
            client,
            s,
            written.map((c) => c.record),
          )
          const keyed = written.filter((c) => c.key !== undefined)
          if (keyed.length > 0) {
            await client.query(sql.insertKeys, [
              keyed.map((c) => c.key),
              keyed.map((c) => c.record.uuid),
              storedAt,
            ])
          }
        }
        // A uuid that existed may have been created by a concurrent request with the same key (it committed
        // while this batch waited on its row lock): that is a replay, not a conflict.
        const lost = fresh.filter((c) => !created.has(c.record.uuid) && c.key !== undefined)
        const later = await keysOf(
          client,
          lost.map((c) => c.key as string),
        )
        return records.map((record, i): InsertOutcome => {
          const outcome = outcomes[i]
          if (outcome !== undefined) return outcome
          if (created.has(record.uuid) && candidates.get(record.uuid)?.record === record) {
            return { status: 'created', uuid: record.uuid }
          }
          const key = keyOf(i)
          if (key !== undefined && later.get(key) === record.uuid) {
            return { status: 'replayed', uuid: record.uuid }
          }
          return { status: 'exists', uuid: record.uuid }
        })
      })
    },

    async put(record, options) {
      return inTransaction(pool, async (client) => {
        const expected = options?.expectedVersion
        if (options?.onlyIfExists === true || expected !== undefined) {
          // Locks the row until commit, so that no delete or other write slips in between this check and ours.
          const found = await client.query<{ version: number }>(
            `SELECT version FROM ${s}.vcons WHERE uuid = $1 FOR UPDATE`,
            [record.uuid],
          )
          const current = found.rows[0]
          if (current === undefined) return 'missing'
          if (expected !== undefined && current.version !== expected) return 'conflict'
        }
        const result = await client.query<{ version: number }>(sql.upsert, [
          record.uuid,
          record.json,
          record.index.createdAt,
          iso(),
          record.index.subject ?? null,
        ])
        const version = result.rows[0]?.version ?? 1
        if (version > 1) {
          await client.query(sql.clearParties, [record.uuid])
          await client.query(sql.clearTags, [record.uuid])
          await client.query(sql.clearText, [record.uuid])
          await client.query(sql.clearRefs, [record.uuid])
        }
        await writeIndexes(client, s, [record])
        return version > 1 ? 'replaced' : 'created'
      })
    },

    async get(uuid) {
      return guardPg(async () => {
        const row = (await pool.query<VconRow>({ name: 'vck_get', text: sql.get, values: [uuid] }))
          .rows[0]
        return row === undefined ? undefined : toStored(row)
      })
    },

    async getMany(uuids) {
      if (uuids.length === 0) return []
      return guardPg(async () => {
        const rows = (await pool.query<VconRow>(sql.getMany, [uuids])).rows
        const byUuid = new Map(rows.map((row) => [row.uuid, toStored(row)]))
        return uuids.map((uuid) => byUuid.get(uuid))
      })
    },

    async delete(uuid) {
      return inTransaction(pool, async (client) => {
        const removed = ((await client.query(sql.delete, [uuid])).rowCount ?? 0) > 0
        if (removed) await client.query(sql.deleteKeys, [uuid])
        return removed
      })
    },

    async list(query) {
      const limit = pageSize(query.limit)
      const built = postgresListSql(s, query, limit)
      if (built === undefined) return { items: [] }
      return guardPg(async () => {
        const rows = (
          await pool.query<{ uuid: string; created_at: Date; subject: string | null }>(built.sql, [
            ...built.params,
          ])
        ).rows
        const items: ListItem[] = rows.slice(0, limit).map((row) => ({
          uuid: row.uuid,
          createdAt: row.created_at.toISOString(),
          subject: row.subject ?? undefined,
        }))
        const last = items[items.length - 1]
        return rows.length > limit && last !== undefined
          ? { items, next: encodeCursor({ createdAt: last.createdAt, uuid: last.uuid }) }
          : { items }
      })
    },

    async search(query, limit) {
      const terms = searchTerms(query)
      if (terms.length === 0) return []
      return guardPg(async () => {
        const rows = (
          await pool.query<{ uuid: string; created_at: Date; snippet: string; rank: number }>({
            name: 'vck_search',
            text: sql.search,
            values: [terms.join(' '), searchLimit(limit)],
          })
        ).rows
        return rows.map(
          (row): SearchHit => ({
            uuid: row.uuid,
            createdAt: row.created_at.toISOString(),
            snippet: row.snippet,
            rank: row.rank,
          }),
        )
      })
    },

    async ping() {
      await guardPg(() => pool.query('SELECT 1'))
    },

    async close() {
      if (!pool.ended) await pool.end()
    },
  }
}
