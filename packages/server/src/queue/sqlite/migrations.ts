/**
 * @module Versioned schema of the SQLite queue. The queue shares its file with the SQLite store in production, so
 * its tables (`jobs`, `dead_letters`, `egress`) and its version table (`queue_migrations`) are named apart from the
 * store's (`vcons`, `vcon_*`, `tokens`, `idempotency_keys`, `schema_migrations`).
 */
import type Database from 'better-sqlite3'

export interface QueueMigration {
  readonly version: number
  readonly name: string
  readonly sql: string
}

/** Append only: a released migration is never edited, a change is a new version. */
export const QUEUE_MIGRATIONS: readonly QueueMigration[] = [
  {
    version: 1,
    name: 'jobs, dead letters and egress lists',
    // `available_at` is when the job may next be leased: the enqueue time, a retry time, or, while it is leased,
    // the lease's end. One index on (list, available_at) therefore finds both ready jobs and expired leases.
    sql: `
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        vcon_uuid TEXT NOT NULL,
        chain TEXT NOT NULL,
        step INTEGER NOT NULL,
        list TEXT NOT NULL,
        attempt INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL CHECK (state IN ('ready', 'leased')),
        available_at INTEGER NOT NULL,
        lease_until INTEGER,
        lease TEXT,
        worker TEXT,
        enqueued_at INTEGER NOT NULL
      );
      CREATE INDEX jobs_due ON jobs (list, available_at);
      CREATE INDEX jobs_vcon ON jobs (vcon_uuid);
      CREATE TABLE dead_letters (
        id TEXT PRIMARY KEY,
        vcon_uuid TEXT NOT NULL,
        chain TEXT NOT NULL,
        step INTEGER NOT NULL,
        list TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        error TEXT NOT NULL,
        failed_step TEXT NOT NULL,
        failed_at INTEGER NOT NULL,
        enqueued_at INTEGER NOT NULL
      );
      CREATE INDEX dead_letters_list ON dead_letters (list, failed_at);
      CREATE INDEX dead_letters_failed ON dead_letters (failed_at);
      CREATE INDEX dead_letters_vcon ON dead_letters (vcon_uuid);
      CREATE TABLE egress (
        seq INTEGER PRIMARY KEY,
        list TEXT NOT NULL,
        uuid TEXT NOT NULL
      );
      CREATE INDEX egress_list ON egress (list, seq);
      CREATE INDEX egress_uuid ON egress (uuid);
    `,
  },
]

/**
 * Applies the migrations not yet recorded, in one IMMEDIATE transaction so that two processes opening the same
 * file at once (API and worker) cannot both apply one. Returns the versions applied now.
 */
export function migrateQueue(db: Database.Database, now: number): number[] {
  db.exec(
    `CREATE TABLE IF NOT EXISTS queue_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at INTEGER NOT NULL
    )`,
  )
  const applied: number[] = []
  const run = db.transaction(() => {
    const done = new Set(
      db
        .prepare('SELECT version FROM queue_migrations')
        .pluck()
        .all()
        .map((v) => Number(v)),
    )
    const record = db.prepare(
      'INSERT INTO queue_migrations (version, name, applied_at) VALUES (?, ?, ?)',
    )
    for (const migration of QUEUE_MIGRATIONS) {
      if (done.has(migration.version)) continue
      db.exec(migration.sql)
      record.run(migration.version, migration.name, now)
      applied.push(migration.version)
    }
  })
  run.immediate()
  return applied
}
