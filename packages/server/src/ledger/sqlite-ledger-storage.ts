/**
 * @module The transparency ledger's storage in SQLite (better-sqlite3), in the Store's file or a file of its own.
 * better-sqlite3 is synchronous, so an append is one IMMEDIATE transaction that reads the head, runs the log's
 * synchronous `build` and writes entries, nodes, signed root and the new size: SQLite's write lock is the append
 * lock, for every connection and process sharing the file, and one fsync (synchronous=FULL) covers the batch.
 */
import {
  type AppendState,
  checkAppendBatch,
  frontierAddresses,
  type LedgerEntry,
  LedgerError,
  type LedgerStorage,
  type LogState,
  type SignedRoot,
  type StoredCheckpoint,
  type StoredLogKey,
} from '@vconkit/ledger'
import Database from 'better-sqlite3'
import { ServerError } from '../errors/server-error.js'
import { runSqliteMigrations } from '../store/sqlite/migrations.js'
import { guardSqlite } from '../store/sqlite/statements.js'
import { LEDGER_SCOPE, LEDGER_SQLITE_MIGRATIONS } from './sqlite-ledger-schema.js'

/** Where the ledger's tables live: a connection shared with the Store, or a file the storage opens itself. */
export type SqliteLedgerStorageOptions =
  | {
      /** An open connection (e.g. the SQLite Store's `db`); `close()` leaves it open for its owner. */
      readonly db: Database.Database
      readonly now?: () => number
    }
  | {
      /** The database file, created when missing; `close()` closes it. */
      readonly file: string
      /** FULL (default): an acknowledged registration is on disk. NORMAL: a power loss may lose the last ones. */
      readonly synchronous?: 'FULL' | 'NORMAL'
      /** How long an append waits for another process's write lock. Default 5000 ms. */
      readonly busyTimeoutMs?: number
      readonly now?: () => number
    }

/** The SQLite LedgerStorage; call `migrate()` before use. */
export interface SqliteLedgerStorage extends LedgerStorage {
  readonly kind: 'sqlite'
  readonly db: Database.Database
  /** Creates or updates the `ledger_` tables; safe to call any number of times, from several processes. */
  migrate(): Promise<void>
}

const ENTRY_COLUMNS =
  'leaf_index, entry_id, statement, leaf_hash, iss, sub, iat, registered_at, receipt_tree_size'

const SQL = {
  state: 'SELECT tree_size, last_registered_at, current_kid FROM ledger_state WHERE id = 1',
  node: 'SELECT hash FROM ledger_nodes WHERE level = ? AND node_index = ?',
  existing: `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE entry_id IN (SELECT value FROM json_each(?))`,
  entryById: `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE entry_id = ?`,
  entryByIndex: `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE leaf_index = ?`,
  entries: `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE leaf_index >= ? AND leaf_index < ? ORDER BY leaf_index`,
  bySubject: `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE sub = ? AND leaf_index > ? ORDER BY leaf_index LIMIT ?`,
  insertEntry: `INSERT INTO ledger_entries (${ENTRY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  insertNode: 'INSERT INTO ledger_nodes (level, node_index, hash) VALUES (?, ?, ?)',
  insertRoot:
    'INSERT INTO ledger_signed_roots (tree_size, root, protected_header, signature, kid) VALUES (?, ?, ?, ?, ?)',
  // The size only moves from the one this append read: a second writer could never fork the tree silently.
  updateState:
    'UPDATE ledger_state SET tree_size = ?, last_registered_at = max(last_registered_at, ?) WHERE id = 1 AND tree_size = ?',
  signedRoot:
    'SELECT tree_size, root, protected_header, signature, kid FROM ledger_signed_roots WHERE tree_size = ?',
  insertCheckpoint:
    'INSERT INTO ledger_checkpoints (tree_size, root, checkpoint_time, checkpoint) VALUES (?, ?, ?, ?) ON CONFLICT (tree_size) DO NOTHING',
  checkpointAt:
    'SELECT tree_size, root, checkpoint_time, checkpoint FROM ledger_checkpoints WHERE tree_size = ?',
  latestCheckpoint:
    'SELECT tree_size, root, checkpoint_time, checkpoint FROM ledger_checkpoints ORDER BY tree_size DESC LIMIT 1',
  keys: 'SELECT kid, cose_key, status, activated_at, retired_at FROM ledger_keys ORDER BY rowid',
  keyByKid: 'SELECT status, retired_at FROM ledger_keys WHERE kid = ?',
  retireCurrent:
    "UPDATE ledger_keys SET status = 'retired', retired_at = ? WHERE status = 'current'",
  insertKey:
    "INSERT INTO ledger_keys (kid, cose_key, status, activated_at) VALUES (?, ?, 'current', ?)",
  setCurrentKid: 'UPDATE ledger_state SET current_kid = ? WHERE id = 1',
} as const

type Statements = Readonly<Record<keyof typeof SQL, Database.Statement>>

interface EntryRow {
  leaf_index: number
  entry_id: string
  statement: Buffer
  leaf_hash: Buffer
  iss: string
  sub: string
  iat: number | null
  registered_at: number
  receipt_tree_size: number
}

interface CheckpointRow {
  tree_size: number
  root: Buffer
  checkpoint_time: number
  checkpoint: Buffer
}

/** A Uint8Array view of a Buffer from the driver (no copy). */
function bytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}

/** A Buffer view of a Uint8Array, as the driver binds BLOBs (no copy). */
function blob(value: Uint8Array): Buffer {
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength)
}

function toEntry(row: EntryRow): LedgerEntry {
  return {
    entryId: row.entry_id,
    index: row.leaf_index,
    statement: bytes(row.statement),
    leafHash: bytes(row.leaf_hash),
    iss: row.iss,
    sub: row.sub,
    iat: row.iat ?? undefined,
    registeredAt: row.registered_at,
    receiptTreeSize: row.receipt_tree_size,
  }
}

function toCheckpoint(row: CheckpointRow): StoredCheckpoint {
  return {
    treeSize: row.tree_size,
    root: bytes(row.root),
    timestamp: row.checkpoint_time,
    bytes: bytes(row.checkpoint),
  }
}

/** Creates the SQLite ledger storage over a shared connection or its own file. */
export function createSqliteLedgerStorage(
  options: SqliteLedgerStorageOptions,
): SqliteLedgerStorage {
  const owned = !('db' in options)
  const db = 'db' in options ? options.db : guardSqlite(() => new Database(options.file))
  if (!('db' in options)) {
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`)
    db.pragma('journal_mode = WAL')
    db.pragma(`synchronous = ${options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`)
  }
  const now = options.now ?? Date.now
  let prepared: Statements | undefined
  const stmts = (): Statements => {
    if (prepared === undefined) {
      throw new ServerError('INTERNAL', 'The SQLite ledger storage was used before migrate()')
    }
    return prepared
  }

  function readState(): LogState {
    const s = stmts()
    const row = s.state.get() as
      | { tree_size: number; last_registered_at: number; current_kid: Buffer | null }
      | undefined
    if (row === undefined) throw new LedgerError('LEDGER_STORE_CORRUPT', 'ledger_state has no row.')
    const frontier = frontierAddresses(row.tree_size).map(({ level, index }) => {
      const hash = s.node.get(level, index) as Buffer | undefined
      if (hash === undefined) {
        throw new LedgerError(
          'LEDGER_STORE_CORRUPT',
          `Merkle node (${level}, ${index}) is missing.`,
        )
      }
      return { level, index, hash: bytes(hash) }
    })
    return {
      size: row.tree_size,
      frontier,
      lastRegisteredAt: row.last_registered_at,
      currentKid: row.current_kid === null ? undefined : bytes(row.current_kid),
    }
  }

  return {
    kind: 'sqlite',
    db,

    async migrate() {
      guardSqlite(() => {
        runSqliteMigrations(db, LEDGER_SCOPE, LEDGER_SQLITE_MIGRATIONS, now)
        if (prepared === undefined) {
          const out: Partial<Record<keyof typeof SQL, Database.Statement>> = {}
          for (const name of Object.keys(SQL) as (keyof typeof SQL)[])
            out[name] = db.prepare(SQL[name])
          out.node = out.node?.pluck()
          prepared = out as Statements
        }
      })
    },

    async state() {
      return guardSqlite(() => db.transaction(readState)())
    },

    async append(candidateIds, build) {
      const s = stmts()
      return guardSqlite(() =>
        db
          .transaction(() => {
            const existing = new Map<string, LedgerEntry>()
            if (candidateIds.length > 0) {
              for (const row of s.existing.all(JSON.stringify(candidateIds)) as EntryRow[]) {
                existing.set(row.entry_id, toEntry(row))
              }
            }
            const state: AppendState = { ...readState(), existing }
            const plan = build(state)
            const batch = plan.batch
            if (batch === undefined) return plan.result
            checkAppendBatch(state, batch)
            let last = 0
            for (const e of batch.entries) {
              s.insertEntry.run(
                e.index,
                e.entryId,
                blob(e.statement),
                blob(e.leafHash),
                e.iss,
                e.sub,
                e.iat ?? null,
                e.registeredAt,
                e.receiptTreeSize,
              )
              last = Math.max(last, e.registeredAt)
            }
            for (const n of batch.nodes) s.insertNode.run(n.level, n.index, blob(n.hash))
            const r = batch.signedRoot
            s.insertRoot.run(
              r.treeSize,
              blob(r.root),
              blob(r.protectedHeader),
              blob(r.signature),
              blob(r.kid),
            )
            if (s.updateState.run(r.treeSize, last, state.size).changes !== 1) {
              throw new LedgerError(
                'LEDGER_STORE_CORRUPT',
                'The tree size changed during an append.',
              )
            }
            return plan.result
          })
          .immediate(),
      )
    },

    async entryById(entryId) {
      const row = guardSqlite(() => stmts().entryById.get(entryId)) as EntryRow | undefined
      return row === undefined ? undefined : toEntry(row)
    },

    async entryByIndex(index) {
      const row = guardSqlite(() => stmts().entryByIndex.get(index)) as EntryRow | undefined
      return row === undefined ? undefined : toEntry(row)
    },

    async entries(start, limit) {
      const from = Math.max(0, start)
      const rows = guardSqlite(() => stmts().entries.all(from, from + Math.max(0, limit)))
      return (rows as EntryRow[]).map(toEntry)
    },

    async entriesBySubject(sub, query) {
      const rows = guardSqlite(() =>
        stmts().bySubject.all(sub, query.afterIndex ?? -1, Math.max(0, query.limit)),
      )
      return (rows as EntryRow[]).map(toEntry)
    },

    async nodes(addresses) {
      const s = stmts()
      return guardSqlite(() =>
        addresses.map(({ level, index }) => {
          const hash = s.node.get(level, index) as Buffer | undefined
          return hash === undefined ? undefined : bytes(hash)
        }),
      )
    },

    async signedRoot(treeSize): Promise<SignedRoot | undefined> {
      const row = guardSqlite(() => stmts().signedRoot.get(treeSize)) as
        | {
            tree_size: number
            root: Buffer
            protected_header: Buffer
            signature: Buffer
            kid: Buffer
          }
        | undefined
      if (row === undefined) return undefined
      return {
        treeSize: row.tree_size,
        root: bytes(row.root),
        protectedHeader: bytes(row.protected_header),
        signature: bytes(row.signature),
        kid: bytes(row.kid),
      }
    },

    async putCheckpoint(checkpoint) {
      const s = stmts()
      const row = guardSqlite(() =>
        db
          .transaction(() => {
            s.insertCheckpoint.run(
              checkpoint.treeSize,
              blob(checkpoint.root),
              checkpoint.timestamp,
              blob(checkpoint.bytes),
            )
            return s.checkpointAt.get(checkpoint.treeSize)
          })
          .immediate(),
      ) as CheckpointRow
      return toCheckpoint(row)
    },

    async latestCheckpoint() {
      const row = guardSqlite(() => stmts().latestCheckpoint.get()) as CheckpointRow | undefined
      return row === undefined ? undefined : toCheckpoint(row)
    },

    async checkpointAt(treeSize) {
      const row = guardSqlite(() => stmts().checkpointAt.get(treeSize)) as CheckpointRow | undefined
      return row === undefined ? undefined : toCheckpoint(row)
    },

    async keys(): Promise<StoredLogKey[]> {
      const rows = guardSqlite(() => stmts().keys.all()) as {
        kid: Buffer
        cose_key: Buffer
        status: 'current' | 'retired'
        activated_at: number
        retired_at: number | null
      }[]
      return rows.map((row) => ({
        kid: bytes(row.kid),
        coseKey: bytes(row.cose_key),
        status: row.status,
        activatedAt: row.activated_at,
        retiredAt: row.retired_at ?? undefined,
      }))
    },

    async activateKey(key) {
      const s = stmts()
      guardSqlite(() =>
        db
          .transaction(() => {
            const known = s.keyByKid.get(blob(key.kid)) as
              | { status: 'current' | 'retired'; retired_at: number | null }
              | undefined
            if (known?.status === 'current') return
            if (known !== undefined) {
              throw new LedgerError(
                'LEDGER_KEY_RETIRED',
                `Log key ${Buffer.from(key.kid).toString('hex')} was retired at ${new Date(known.retired_at ?? 0).toISOString()}; configure the current key.`,
              )
            }
            s.retireCurrent.run(key.activatedAt)
            s.insertKey.run(blob(key.kid), blob(key.coseKey), key.activatedAt)
            s.setCurrentKid.run(blob(key.kid))
          })
          .immediate(),
      )
    },

    async close() {
      if (owned && db.open) db.close()
    },
  }
}
