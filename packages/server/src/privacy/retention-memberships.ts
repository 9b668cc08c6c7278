/**
 * @module Which chains each vCon went through, so that a chain's own retention (`chains[].retention`) can be
 * applied: a vCon kept for a short-lived purpose (a chain with `retention: 30d`) is deleted when that period
 * passes, even when the global `privacy.retention` is longer (GDPR Art. 5(1)(e), storage limitation, is per
 * purpose). A vCon enters a chain when a job for the chain's step 0 is queued (ingest, PUT, bulk, a route step's
 * forward, a replay), so the membership is recorded by a Queue wrapper (`trackChainMemberships`) rather than by
 * each of those callers.
 *
 * A table of its own beside the store's (scope `retention` in schema_migrations, on SQLite and PostgreSQL), not
 * a store column: it is written at enqueue time, and it keeps this feature's migrations out of the store's
 * version sequence. Rows hold a uuid and a chain name only.
 */
import type { Queue } from '../ports/queue.js'
import type { Store } from '../ports/store.js'
import { quoteIdent, runPostgresMigrations } from '../store/postgres/migrations.js'
import type { PostgresStore } from '../store/postgres/postgres-store.js'
import { runSqliteMigrations } from '../store/sqlite/migrations.js'
import type { SqliteStore } from '../store/sqlite/sqlite-store.js'

export interface ChainMembership {
  readonly uuid: string
  readonly chain: string
}

export interface ChainMemberships {
  migrate(): Promise<void>
  record(entries: readonly ChainMembership[]): Promise<void>
  /** vCons that went through `chain`, are still stored and were created before `before` (ISO 8601), oldest first. */
  expired(chain: string, before: string, limit: number): Promise<string[]>
  /** The chains one vCon went through, sorted. */
  chainsOf(uuid: string): Promise<string[]>
  /** Gives `to` the memberships of `from` (a redacted version keeps its original's retention). */
  copy(from: string, to: string): Promise<void>
  /** Forgets one vCon's memberships (erasure). */
  forget(uuid: string): Promise<void>
}

const SCOPE = 'retention'

function sqliteMemberships(store: SqliteStore): ChainMemberships {
  const { db } = store
  let ready = false
  const migrate = () => {
    if (ready) return
    runSqliteMigrations(db, SCOPE, [
      {
        version: 1,
        name: 'chains each vCon went through',
        sql: `
CREATE TABLE retention_chains (
  uuid TEXT NOT NULL,
  chain TEXT NOT NULL,
  PRIMARY KEY (chain, uuid)
) WITHOUT ROWID;
CREATE INDEX retention_chains_by_uuid ON retention_chains (uuid);`,
      },
    ])
    ready = true
  }
  return {
    async migrate() {
      migrate()
    },
    async record(entries) {
      migrate()
      const insert = db.prepare(
        'INSERT OR IGNORE INTO retention_chains (uuid, chain) VALUES (?, ?)',
      )
      db.transaction(() => {
        for (const e of entries) insert.run(e.uuid, e.chain)
      }).immediate()
    },
    async expired(chain, before, limit) {
      migrate()
      return db
        .prepare(
          'SELECT m.uuid FROM retention_chains m JOIN vcons v ON v.uuid = m.uuid' +
            ' WHERE m.chain = ? AND v.created_at < ? ORDER BY v.created_at, m.uuid LIMIT ?',
        )
        .pluck()
        .all(chain, before, limit) as string[]
    },
    async chainsOf(uuid) {
      migrate()
      return db
        .prepare('SELECT chain FROM retention_chains WHERE uuid = ? ORDER BY chain')
        .pluck()
        .all(uuid) as string[]
    },
    async copy(from, to) {
      migrate()
      db.prepare(
        'INSERT OR IGNORE INTO retention_chains (uuid, chain) SELECT ?, chain FROM retention_chains WHERE uuid = ?',
      ).run(to, from)
    },
    async forget(uuid) {
      migrate()
      db.prepare('DELETE FROM retention_chains WHERE uuid = ?').run(uuid)
    },
  }
}

function postgresMemberships(store: PostgresStore): ChainMemberships {
  const { pool } = store
  const s = quoteIdent(store.schema)
  let ready: Promise<unknown> | undefined
  const migrate = async () => {
    ready ??= runPostgresMigrations(pool, store.schema, SCOPE, [
      {
        version: 1,
        name: 'chains each vCon went through',
        sql: (q) => `
CREATE TABLE ${q}.retention_chains (
  uuid text COLLATE "C" NOT NULL,
  chain text COLLATE "C" NOT NULL,
  PRIMARY KEY (chain, uuid)
);
CREATE INDEX retention_chains_by_uuid ON ${q}.retention_chains (uuid);`,
      },
    ]).catch((error: unknown) => {
      ready = undefined
      throw error
    })
    await ready
  }
  return {
    migrate,
    async record(entries) {
      if (entries.length === 0) return
      await migrate()
      await pool.query(
        `INSERT INTO ${s}.retention_chains (uuid, chain) SELECT * FROM unnest($1::text[], $2::text[])` +
          ' ON CONFLICT DO NOTHING',
        [entries.map((e) => e.uuid), entries.map((e) => e.chain)],
      )
    },
    async expired(chain, before, limit) {
      await migrate()
      const rows = await pool.query<{ uuid: string }>(
        `SELECT m.uuid FROM ${s}.retention_chains m JOIN ${s}.vcons v ON v.uuid = m.uuid` +
          ' WHERE m.chain = $1 AND v.created_at < $2::timestamptz ORDER BY v.created_at, m.uuid LIMIT $3',
        [chain, before, limit],
      )
      return rows.rows.map((r) => r.uuid)
    },
    async chainsOf(uuid) {
      await migrate()
      const rows = await pool.query<{ chain: string }>(
        `SELECT chain FROM ${s}.retention_chains WHERE uuid = $1 ORDER BY chain`,
        [uuid],
      )
      return rows.rows.map((r) => r.chain)
    },
    async copy(from, to) {
      await migrate()
      await pool.query(
        `INSERT INTO ${s}.retention_chains (uuid, chain) SELECT $1, chain FROM ${s}.retention_chains` +
          ' WHERE uuid = $2 ON CONFLICT DO NOTHING',
        [to, from],
      )
    },
    async forget(uuid) {
      await migrate()
      await pool.query(`DELETE FROM ${s}.retention_chains WHERE uuid = $1`, [uuid])
    },
  }
}

const byStore = new WeakMap<Store, ChainMemberships>()

/**
 * The memberships beside a store (the unwrapped adapter: it needs the SQLite connection or the pg Pool); one
 * instance per store. The table is created on first use, or by `migrate()` at start.
 */
export function chainMembershipsOf(store: Store): ChainMemberships | undefined {
  const known = byStore.get(store)
  if (known !== undefined) return known
  let made: ChainMemberships | undefined
  if (store.kind === 'sqlite' && 'db' in store) made = sqliteMemberships(store as SqliteStore)
  if (store.kind === 'postgres' && 'pool' in store)
    made = postgresMemberships(store as PostgresStore)
  if (made !== undefined) byStore.set(store, made)
  return made
}

/**
 * The queue, recording a membership for every job that starts a chain (step 0) before it is queued; the
 * composition root wraps the queue it opened with this. A failed record fails the enqueue (the caller answers
 * 503 and the client retries), so no vCon runs through a chain whose retention would not know it.
 */
export function trackChainMemberships(queue: Queue, memberships: ChainMemberships): Queue {
  return new Proxy(queue, {
    get(target, prop, receiver) {
      if (prop === 'enqueue') {
        return async (jobs: Parameters<Queue['enqueue']>[0]) => {
          const starts = jobs.filter((j) => j.step === 0)
          if (starts.length > 0) {
            await memberships.record(starts.map((j) => ({ uuid: j.vconUuid, chain: j.chain })))
          }
          return target.enqueue(jobs)
        }
      }
      const value: unknown = Reflect.get(target, prop, receiver)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}
