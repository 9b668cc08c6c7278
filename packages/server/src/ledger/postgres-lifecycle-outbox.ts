/**
 * @module The lifecycle outbox in PostgreSQL (postgres-lifecycle-schema.ts), in the PostgreSQL store's schema
 * and over its pool, so that every conserver machine sharing the database shares the per-vCon chain heads.
 *
 * Why advisory locks: a group's transaction first takes one transaction-scoped advisory lock per distinct vCon
 * (key: the schema and the uuid), then reads the heads. A writer on any other connection, process or machine
 * that handles one of those vCons waits for the commit, and its head read (READ COMMITTED: each statement sees
 * what was committed before it started) then sees the moved head, so two events never name the same `prev`.
 * Row locks (SELECT ... FOR UPDATE on lifecycle_heads) cannot do this for a vCon that has no head yet — there
 * is no row to lock, and two writers would both start a chain at `prev: null` — while an advisory lock exists
 * before its row. Keys are taken in ascending order, so two groups sharing vCons never deadlock; a hash
 * collision between two uuids only makes their writers wait for each other. The locks go with the transaction,
 * also when the connection drops. Groups are kept small (lifecycle-outbox.ts) because each lock takes a slot of
 * the server's shared lock table until the commit.
 */
import type pg from 'pg'
import { ServerError } from '../errors/server-error.js'
import { quoteIdent, runPostgresMigrations } from '../store/postgres/migrations.js'
import { guardPg, inTransaction } from '../store/postgres/pg-errors.js'
import {
  type LifecycleHead,
  type LifecycleOutbox,
  type LifecycleRow,
  type OutboxEvent,
  toLifecycleRecord,
} from './lifecycle-outbox.js'
import { LIFECYCLE_SCOPE } from './lifecycle-schema.js'
import { LIFECYCLE_POSTGRES_MIGRATIONS } from './postgres-lifecycle-schema.js'

export interface PostgresLifecycleOutboxOptions {
  /** The PostgreSQL store's pool (or any pool); `close()` leaves it open. */
  readonly pool: pg.Pool
  /** The schema holding the `lifecycle_` tables; default `public`. */
  readonly schema?: string
}

/** A row of another outbox, copied as it is (receipt and attempts included). */
export interface CopiedEvent {
  readonly vconUuid: string
  readonly event: string
  readonly digest: string
  readonly document: string
  readonly statement: Uint8Array
  readonly entryId: string | null
  readonly receipt: Uint8Array | null
  readonly createdAt: number
  readonly attempts: number
  readonly lastError: string | null
}

/** A chain head of another outbox. */
export interface CopiedHead extends LifecycleHead {
  readonly vconUuid: string
}

/** The PostgreSQL outbox, with the copy operations of the one-time move from SQLite (lifecycle-outbox-move.ts). */
export interface PostgresLifecycleOutbox extends LifecycleOutbox {
  readonly kind: 'postgres'
  readonly pool: pg.Pool
  readonly schema: string
  /** Inserts rows in the order given, skipping digests stored already; resolves with how many were new. */
  copyEvents(rows: readonly CopiedEvent[]): Promise<number>
  /** Sets the heads of vCons that have none here (never moves an existing head); resolves with how many. */
  copyHeads(heads: readonly CopiedHead[]): Promise<number>
}

const COLUMNS = 'seq, event, digest, document, statement, entry_id, receipt'

const buf = (value: Uint8Array) => Buffer.from(value.buffer, value.byteOffset, value.byteLength)

/** Creates the PostgreSQL outbox; call `migrate()` before use. */
export function createPostgresLifecycleOutbox(
  options: PostgresLifecycleOutboxOptions,
): PostgresLifecycleOutbox {
  const schema = options.schema ?? 'public'
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new ServerError(
      'CONFIG_INVALID',
      `The PostgreSQL schema name "${schema}" is not a plain identifier; use letters, digits and _ (at most 63)`,
    )
  }
  const { pool } = options
  const s = quoteIdent(schema)
  const lockPrefix = `vconkit-lifecycle:${schema}:`
  const sql = {
    // Before any other statement of the transaction: a server whose default is REPEATABLE READ would otherwise
    // take the snapshot at the lock statement, before the previous holder's commit, and read a stale head.
    readCommitted: 'SET TRANSACTION ISOLATION LEVEL READ COMMITTED',
    lock:
      'SELECT pg_advisory_xact_lock(k) FROM (SELECT DISTINCT hashtextextended($1 || u, 0) AS k' +
      ' FROM unnest($2::text[]) AS u ORDER BY k) AS keys',
    heads: `SELECT vcon_uuid, last_digest, vcon_hash FROM ${s}.lifecycle_heads WHERE vcon_uuid = ANY($1::text[])`,
    // WITH ORDINALITY ... ORDER BY: seq follows the order of the group, which is the order of each chain.
    insert:
      `INSERT INTO ${s}.lifecycle_events (vcon_uuid, event, digest, document, statement, created_at)` +
      ' SELECT u, e, d, doc, st, c FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bytea[],' +
      ' $6::bigint[]) WITH ORDINALITY AS t (u, e, d, doc, st, c, n) ORDER BY n ON CONFLICT (digest) DO NOTHING',
    setHeads:
      `INSERT INTO ${s}.lifecycle_heads (vcon_uuid, last_digest, vcon_hash)` +
      ' SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (vcon_uuid)' +
      ' DO UPDATE SET last_digest = excluded.last_digest, vcon_hash = excluded.vcon_hash',
    copy:
      `INSERT INTO ${s}.lifecycle_events (vcon_uuid, event, digest, document, statement, entry_id, receipt,` +
      ' created_at, attempts, last_error) SELECT u, e, d, doc, st, eid, r, c, a, err FROM unnest($1::text[],' +
      ' $2::text[], $3::text[], $4::text[], $5::bytea[], $6::text[], $7::bytea[], $8::bigint[], $9::int[],' +
      ' $10::text[]) WITH ORDINALITY AS t (u, e, d, doc, st, eid, r, c, a, err, n) ORDER BY n' +
      ' ON CONFLICT (digest) DO NOTHING',
    copyHeads:
      `INSERT INTO ${s}.lifecycle_heads (vcon_uuid, last_digest, vcon_hash)` +
      ' SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (vcon_uuid) DO NOTHING',
    pending: `SELECT ${COLUMNS} FROM ${s}.lifecycle_events WHERE entry_id IS NULL ORDER BY seq LIMIT $1`,
    pendingCount: `SELECT count(*)::bigint AS n FROM ${s}.lifecycle_events WHERE entry_id IS NULL`,
    done:
      `UPDATE ${s}.lifecycle_events AS l SET entry_id = v.eid, receipt = v.r, last_error = NULL` +
      ' FROM unnest($1::bigint[], $2::text[], $3::bytea[]) AS v (seq, eid, r) WHERE l.seq = v.seq',
    failed:
      `UPDATE ${s}.lifecycle_events AS l SET attempts = l.attempts + 1, last_error = v.err` +
      ' FROM unnest($1::bigint[], $2::text[]) AS v (seq, err) WHERE l.seq = v.seq AND l.entry_id IS NULL',
    byVcon: `SELECT ${COLUMNS} FROM ${s}.lifecycle_events WHERE vcon_uuid = $1 ORDER BY seq`,
  }

  /** Opens a group's transaction: READ COMMITTED, then the advisory lock of each vCon, in key order. */
  async function lockVcons(client: pg.PoolClient, uuids: readonly string[]): Promise<void> {
    await client.query(sql.readCommitted)
    await client.query(sql.lock, [lockPrefix, [...new Set(uuids)]])
  }

  return {
    kind: 'postgres',
    pool,
    schema,

    async migrate() {
      await runPostgresMigrations(pool, schema, LIFECYCLE_SCOPE, LIFECYCLE_POSTGRES_MIGRATIONS)
    },

    async append(items, build) {
      if (items.length === 0) return 0
      return inTransaction(pool, async (client) => {
        const uuids = items.map((item) => item.vconUuid)
        await lockVcons(client, uuids)
        const heads = new Map<string, LifecycleHead>()
        const read = await client.query<{
          vcon_uuid: string
          last_digest: string
          vcon_hash: string
        }>(sql.heads, [[...new Set(uuids)]])
        for (const row of read.rows) {
          heads.set(row.vcon_uuid, { lastDigest: row.last_digest, vconHash: row.vcon_hash })
        }
        // Built in memory, chained through `heads`: a digest stored already is the same event, so the head
        // naming it is right whether the insert below stores it now or skips it.
        const built: { uuid: string; event: OutboxEvent }[] = []
        const moved = new Set<string>()
        for (const item of items) {
          const event = build(item, heads.get(item.vconUuid))
          if (event === undefined) continue
          built.push({ uuid: item.vconUuid, event })
          heads.set(item.vconUuid, { lastDigest: event.digest, vconHash: event.vconHash })
          moved.add(item.vconUuid)
        }
        if (built.length === 0) return 0
        const inserted = await client.query(sql.insert, [
          built.map((b) => b.uuid),
          built.map((b) => b.event.event),
          built.map((b) => b.event.digest),
          built.map((b) => b.event.document),
          built.map((b) => buf(b.event.statement)),
          built.map((b) => b.event.createdAt),
        ])
        const next = [...moved].map((uuid) => ({ uuid, head: heads.get(uuid) as LifecycleHead }))
        await client.query(sql.setHeads, [
          next.map((h) => h.uuid),
          next.map((h) => h.head.lastDigest),
          next.map((h) => h.head.vconHash),
        ])
        return inserted.rowCount ?? 0
      })
    },

    async pending(limit) {
      const result = await guardPg(() => pool.query<LifecycleRow>(sql.pending, [limit]))
      return result.rows.map(toLifecycleRecord)
    },

    async pendingCount() {
      const result = await guardPg(() => pool.query<{ n: string }>(sql.pendingCount))
      return Number(result.rows[0]?.n ?? 0)
    },

    async settle(outcomes) {
      const done = outcomes.filter((o) => !('error' in o)) as {
        seq: number
        entryId: string
        receipt: Uint8Array
      }[]
      const failed = outcomes.filter((o) => 'error' in o) as { seq: number; error: string }[]
      if (done.length === 0 && failed.length === 0) return
      await inTransaction(pool, async (client) => {
        if (done.length > 0) {
          await client.query(sql.done, [
            done.map((o) => o.seq),
            done.map((o) => o.entryId),
            done.map((o) => buf(o.receipt)),
          ])
        }
        if (failed.length > 0) {
          await client.query(sql.failed, [failed.map((o) => o.seq), failed.map((o) => o.error)])
        }
      })
    },

    async events(vconUuid) {
      const result = await guardPg(() => pool.query<LifecycleRow>(sql.byVcon, [vconUuid]))
      return result.rows.map(toLifecycleRecord)
    },

    async copyEvents(rows) {
      if (rows.length === 0) return 0
      const result = await guardPg(() =>
        pool.query(sql.copy, [
          rows.map((r) => r.vconUuid),
          rows.map((r) => r.event),
          rows.map((r) => r.digest),
          rows.map((r) => r.document),
          rows.map((r) => buf(r.statement)),
          rows.map((r) => r.entryId),
          rows.map((r) => (r.receipt === null ? null : buf(r.receipt))),
          rows.map((r) => r.createdAt),
          rows.map((r) => r.attempts),
          rows.map((r) => r.lastError),
        ]),
      )
      return result.rowCount ?? 0
    },

    async copyHeads(heads) {
      if (heads.length === 0) return 0
      // Under the writers' locks: a head a recorder is moving right now is not overwritten, nor read stale.
      return inTransaction(pool, async (client) => {
        await lockVcons(
          client,
          heads.map((h) => h.vconUuid),
        )
        const result = await client.query(sql.copyHeads, [
          heads.map((h) => h.vconUuid),
          heads.map((h) => h.lastDigest),
          heads.map((h) => h.vconHash),
        ])
        return result.rowCount ?? 0
      })
    },

    async close() {
      // The pool belongs to the store.
    },
  }
}
