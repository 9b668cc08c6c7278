/**
 * @module The embedded Store: one SQLite file (better-sqlite3) in WAL mode. better-sqlite3 is synchronous, so each
 * port method does its work in one short call and returns a settled promise; a batch is one IMMEDIATE transaction
 * (one fsync with synchronous=FULL), which is the group commit the API batches concurrent requests into.
 */
import Database from 'better-sqlite3'
import { ServerError } from '../../errors/server-error.js'
import type {
  InsertOptions,
  InsertOutcome,
  ListItem,
  NewVcon,
  PutOutcome,
  SearchHit,
  Store,
  StoredVcon,
} from '../../ports/store.js'
import { encodeCursor, pageSize } from '../list-cursor.js'
import { fts5Query, searchLimit, searchTerms } from '../search-terms.js'
import { sqliteListSql } from './list-query.js'
import {
  pendingSqliteMigrations,
  runSqliteMigrations,
  STORE_MIGRATIONS,
  STORE_SCOPE,
} from './migrations.js'
import { guardSqlite, prepareStoreStatements, type StoreStatements } from './statements.js'

export interface SqliteStoreOptions {
  /** The database file; created when missing (unless `readonly`). */
  readonly file: string
  /** Open an existing file for reading only: writes fail, `migrate()` only checks the schema is current. */
  readonly readonly?: boolean
  /**
   * FULL (default): a write is on disk when its transaction returns, so an acknowledged vCon survives a power
   * loss. NORMAL: in WAL mode, a crash of the process loses nothing but a power loss may lose the last commits.
   */
  readonly synchronous?: 'FULL' | 'NORMAL'
  /** How long a write waits for another process's write lock before failing with UNAVAILABLE. Default 5000. */
  readonly busyTimeoutMs?: number
  /** Epoch milliseconds for `stored_at`; injectable for tests. */
  readonly now?: () => number
}

/** The SQLite Store, with its connection for components that share the file (tokens, queue). */
export interface SqliteStore extends Store {
  readonly kind: 'sqlite'
  readonly db: Database.Database
}

interface VconRow {
  uuid: string
  json: string
  created_at: string
  stored_at: string
  version: number
}

function toStored(row: VconRow): StoredVcon {
  return {
    uuid: row.uuid,
    json: row.json,
    createdAt: row.created_at,
    storedAt: row.stored_at,
    version: row.version,
  }
}

/** Opens (or creates) the SQLite Store. Call `migrate()` before use. */
export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const readonly = options.readonly === true
  const now = options.now ?? Date.now
  const db = guardSqlite(
    () => new Database(options.file, readonly ? { readonly: true, fileMustExist: true } : {}),
  )
  db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`)
  if (!readonly) db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`)
  db.pragma('foreign_keys = ON')
  // Deleted vCons are overwritten with zeros (erasure leaves no readable copy in the file, GDPR Art. 17). ON,
  // not FAST: FAST clears cells inside b-tree pages but leaves whole pages that go to the freelist (the
  // overflow pages of any vCon over one page, and the old version a replace frees) as they were; a byte scan
  // of the file found them. ON zeroes those too, for about 10% more write time on replaces (measured).
  db.pragma('secure_delete = ON')
  // Subject filters are case-insensitive for all of Unicode (SQLite's own lower() folds ASCII only).
  db.function('vck_lower', { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? value.toLowerCase() : null,
  )

  let statements: StoreStatements | undefined
  const listStatements = new Map<string, Database.Statement>()
  const stmts = () => {
    if (statements === undefined) {
      throw new ServerError(
        'INTERNAL',
        'The SQLite store was used before migrate(); call migrate() first',
      )
    }
    return statements
  }

  const iso = () => new Date(now()).toISOString()

  function writeNew(record: NewVcon, version: number, storedAt: string): void {
    const s = stmts()
    const ftsRowid =
      record.index.text === ''
        ? null
        : Number(s.insertText.run(record.uuid, record.index.text).lastInsertRowid)
    s.insertVcon.run(
      record.uuid,
      record.json,
      record.index.createdAt,
      storedAt,
      version,
      record.index.subject ?? null,
      ftsRowid,
    )
    for (const tel of record.index.tels) s.insertParty.run(record.uuid, 'tel', tel)
    for (const mailto of record.index.mailtos) s.insertParty.run(record.uuid, 'mailto', mailto)
    for (const name of record.index.names) s.insertParty.run(record.uuid, 'name', name)
    for (const tag of record.index.tags) s.insertTag.run(record.uuid, tag)
    for (const ref of record.index.refs ?? []) s.insertRef.run(record.uuid, ref.kind, ref.value)
  }

  /** Removes the row and everything derived from it; returns the old version, or undefined when absent. */
  function removeExisting(uuid: string): number | undefined {
    const s = stmts()
    const row = s.selectVersion.get(uuid) as
      | { version: number; fts_rowid: number | null }
      | undefined
    if (row === undefined) return undefined
    if (row.fts_rowid !== null) s.deleteText.run(row.fts_rowid)
    s.deleteParties.run(uuid)
    s.deleteTags.run(uuid)
    s.deleteRefs.run(uuid)
    s.deleteVcon.run(uuid)
    return row.version
  }

  const insertBatch = (
    records: readonly NewVcon[],
    options: readonly (InsertOptions | undefined)[],
  ) => {
    const s = stmts()
    const storedAt = iso()
    const outcomes: InsertOutcome[] = []
    // A key is bound to the first record of the batch that carries it, whether that one is created or not
    // (the PostgreSQL adapter decides before it knows; both must answer alike).
    const batchKeys = new Map<string, string>()
    records.forEach((record, i) => {
      const key = options[i]?.idempotencyKey
      if (key !== undefined) {
        const known = batchKeys.get(key) ?? (s.selectKey.get(key) as string | undefined)
        if (known === undefined) batchKeys.set(key, record.uuid)
        if (known !== undefined) {
          outcomes.push(
            known === record.uuid
              ? { status: 'replayed', uuid: record.uuid }
              : { status: 'key-conflict', uuid: record.uuid },
          )
          return
        }
      }
      if (s.exists.get(record.uuid) !== undefined) {
        outcomes.push({ status: 'exists', uuid: record.uuid })
        return
      }
      writeNew(record, 1, storedAt)
      if (key !== undefined) s.insertKey.run(key, record.uuid, storedAt)
      outcomes.push({ status: 'created', uuid: record.uuid })
    })
    return outcomes
  }

  const putOne = (record: NewVcon): 'created' | 'replaced' => {
    const previous = removeExisting(record.uuid)
    writeNew(record, previous === undefined ? 1 : previous + 1, iso())
    return previous === undefined ? 'created' : 'replaced'
  }

  const deleteOne = (uuid: string): boolean => {
    const removed = removeExisting(uuid) !== undefined
    // The key names the deleted uuid: drop it too, so that nothing about an erased vCon stays behind.
    if (removed) stmts().deleteKeys.run(uuid)
    return removed
  }

  return {
    kind: 'sqlite',
    db,

    async migrate() {
      guardSqlite(() => {
        if (readonly) {
          const pending = pendingSqliteMigrations(db, STORE_SCOPE, STORE_MIGRATIONS)
          if (pending.length > 0) {
            throw new ServerError(
              'INTERNAL',
              `The SQLite file ${options.file} needs ${pending.length} schema migration(s); open it once without readonly`,
            )
          }
        } else {
          runSqliteMigrations(db, STORE_SCOPE, STORE_MIGRATIONS, now)
        }
        statements ??= prepareStoreStatements(db)
      })
    },

    async insertMany(records, options = []) {
      if (records.length === 0) return []
      return guardSqlite(() => db.transaction(insertBatch).immediate(records, options))
    },

    async put(record, options) {
      const expected = options?.expectedVersion
      const replaceOnly = options?.onlyIfExists === true || expected !== undefined
      return guardSqlite(() =>
        db
          .transaction((r: NewVcon): PutOutcome => {
            if (!replaceOnly) return putOne(r)
            const current = stmts().selectVcon.get(r.uuid) as VconRow | undefined
            if (current === undefined) return 'missing'
            if (expected !== undefined && current.version !== expected) return 'conflict'
            return putOne(r)
          })
          .immediate(record),
      )
    },

    async get(uuid) {
      return guardSqlite(() => {
        const row = stmts().selectVcon.get(uuid) as VconRow | undefined
        return row === undefined ? undefined : toStored(row)
      })
    },

    async getMany(uuids) {
      if (uuids.length === 0) return []
      return guardSqlite(() => {
        const rows = stmts().selectVcons.all(JSON.stringify(uuids)) as VconRow[]
        const byUuid = new Map(rows.map((row) => [row.uuid, toStored(row)]))
        return uuids.map((uuid) => byUuid.get(uuid))
      })
    },

    async delete(uuid) {
      const removed = guardSqlite(() => db.transaction(deleteOne).immediate(uuid))
      if (removed) {
        // The WAL still holds the pages as they were before the delete; copy them back into the database and
        // truncate the WAL so no image of the erased vCon stays on disk. Best effort: a reader in another
        // process can keep the WAL alive until the next checkpoint.
        try {
          db.pragma('wal_checkpoint(TRUNCATE)')
        } catch {
          // The vCon is deleted either way; the next checkpoint overwrites the frames.
        }
      }
      return removed
    },

    async list(query) {
      stmts()
      const limit = pageSize(query.limit)
      const built = sqliteListSql(query, limit)
      if (built === undefined) return { items: [] }
      return guardSqlite(() => {
        let statement = listStatements.get(built.sql)
        if (statement === undefined) {
          statement = db.prepare(built.sql)
          listStatements.set(built.sql, statement)
        }
        const rows = statement.all(...built.params) as {
          uuid: string
          createdAt: string
          subject: string | null
        }[]
        const items: ListItem[] = rows.slice(0, limit).map((row) => ({
          uuid: row.uuid,
          createdAt: row.createdAt,
          subject: row.subject ?? undefined,
        }))
        const last = items[items.length - 1]
        return rows.length > limit && last !== undefined
          ? { items, next: encodeCursor({ createdAt: last.createdAt, uuid: last.uuid }) }
          : { items }
      })
    },

    async search(query, limit) {
      const s = stmts()
      const terms = searchTerms(query)
      if (terms.length === 0) return []
      return guardSqlite(() => s.search.all(fts5Query(terms), searchLimit(limit)) as SearchHit[])
    },

    async ping() {
      guardSqlite(() => db.prepare('SELECT 1').get())
    },

    async close() {
      if (!db.open) return
      if (!readonly) {
        try {
          // Lets SQLite refresh the planner's statistics where they are stale (cheap; recommended at close).
          db.pragma('optimize')
        } catch {
          // Closing must not fail because of a maintenance hint.
        }
      }
      db.close()
    },
  }
}
