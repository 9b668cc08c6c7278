/**
 * @module The transparency ledger's storage in PostgreSQL (pg), for several server processes sharing one log.
 * An append is one transaction that first takes a transaction-scoped advisory lock for the log (so two
 * processes never build on the same head: the tree cannot fork), then reads the head (READ COMMITTED: each
 * statement sees everything committed before it, including the previous holder's append), runs the log's
 * synchronous `build`, writes entries and nodes with one multi-row statement each (unnest of arrays), and moves
 * the size only from the value it read. Primary keys on leaf index and node address are the last guard.
 */
import {
  type AppendState,
  checkAppendBatch,
  frontierAddresses,
  type LedgerEntry,
  LedgerError,
  type LedgerStorage,
  type LogState,
  type NodeAddress,
} from '@vconkit/ledger'
import pg from 'pg'
import { ServerError } from '../errors/server-error.js'
import { runPostgresMigrations } from '../store/postgres/migrations.js'
import { guardPg, inTransaction } from '../store/postgres/pg-errors.js'
import { LEDGER_POSTGRES_MIGRATIONS } from './postgres-ledger-schema.js'
import {
  buf,
  bytes,
  type CheckpointRow,
  type EntryRow,
  ledgerStatements,
  toCheckpoint,
  toEntry,
} from './postgres-ledger-sql.js'
import { LEDGER_SCOPE } from './sqlite-ledger-schema.js'

/** A pool of its own (url), or the pool and schema of the PostgreSQL Store. */
export type PostgresLedgerStorageOptions =
  | {
      readonly url: string
      /** The schema holding the `ledger_` tables; default `public`. */
      readonly schema?: string
      /** Connections in the pool; default 4. */
      readonly poolSize?: number
      readonly connectTimeoutMs?: number
      readonly onError?: (error: Error) => void
    }
  | {
      /** A pool owned by someone else (e.g. the PostgreSQL Store's); `close()` leaves it open. */
      readonly pool: pg.Pool
      readonly schema?: string
    }

/** The PostgreSQL LedgerStorage; call `migrate()` before use. */
export interface PostgresLedgerStorage extends LedgerStorage {
  readonly kind: 'postgres'
  readonly pool: pg.Pool
  readonly schema: string
  /** Creates or updates the `ledger_` tables; safe when several processes start at once. */
  migrate(): Promise<void>
}

/** Creates the PostgreSQL ledger storage; the pool connects lazily. */
export function createPostgresLedgerStorage(
  options: PostgresLedgerStorageOptions,
): PostgresLedgerStorage {
  const schema = options.schema ?? 'public'
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new ServerError(
      'CONFIG_INVALID',
      `The PostgreSQL schema name "${schema}" is not a plain identifier; use letters, digits and _ (at most 63)`,
    )
  }
  const owned = !('pool' in options)
  let ended = false
  let pool: pg.Pool
  if ('pool' in options) {
    pool = options.pool
  } else {
    pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 4,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      idleTimeoutMillis: 30_000,
      application_name: 'vconkit-ledger',
    })
    const onError = options.onError
    pool.on('error', (error) => onError?.(error))
  }
  const sql = ledgerStatements(schema)
  const lockName = `vconkit-ledger:${schema}`

  type Queryable = Pick<pg.PoolClient, 'query'>

  async function fetchNodes(
    client: Queryable,
    addresses: readonly NodeAddress[],
  ): Promise<Map<string, Uint8Array>> {
    const found = new Map<string, Uint8Array>()
    if (addresses.length === 0) return found
    const rows = await client.query<{ level: number; node_index: string; hash: Buffer }>(
      sql.nodes,
      [addresses.map((a) => a.level), addresses.map((a) => a.index)],
    )
    for (const row of rows.rows) found.set(`${row.level}/${row.node_index}`, bytes(row.hash))
    return found
  }

  async function readState(client: Queryable): Promise<LogState> {
    const row = (
      await client.query<{
        tree_size: string
        last_registered_at: string
        current_kid: Buffer | null
      }>(sql.state)
    ).rows[0]
    if (row === undefined) throw new LedgerError('LEDGER_STORE_CORRUPT', 'ledger_state has no row.')
    const size = Number(row.tree_size)
    const addresses = frontierAddresses(size)
    const found = await fetchNodes(client, addresses)
    const frontier = addresses.map(({ level, index }) => {
      const hash = found.get(`${level}/${index}`)
      if (hash === undefined) {
        throw new LedgerError(
          'LEDGER_STORE_CORRUPT',
          `Merkle node (${level}, ${index}) is missing.`,
        )
      }
      return { level, index, hash }
    })
    return {
      size,
      frontier,
      lastRegisteredAt: Number(row.last_registered_at),
      currentKid: row.current_kid === null ? undefined : bytes(row.current_kid),
    }
  }

  const one = async <R extends pg.QueryResultRow>(text: string, values: unknown[]) =>
    (await guardPg(() => pool.query<R>(text, values))).rows[0]

  return {
    kind: 'postgres',
    pool,
    schema,

    async migrate() {
      await runPostgresMigrations(pool, schema, LEDGER_SCOPE, LEDGER_POSTGRES_MIGRATIONS)
    },

    async state() {
      // Size first, then its nodes: nodes are committed with the size and never change.
      return guardPg(() => readState(pool))
    },

    async append(candidateIds, build) {
      return inTransaction(pool, async (client) => {
        await client.query(sql.lock, [lockName])
        const existing = new Map<string, LedgerEntry>()
        if (candidateIds.length > 0) {
          const rows = await client.query<EntryRow>(sql.existing, [[...candidateIds]])
          for (const row of rows.rows) existing.set(row.entry_id, toEntry(row))
        }
        const state: AppendState = { ...(await readState(client)), existing }
        const plan = build(state)
        const batch = plan.batch
        if (batch === undefined) return plan.result
        checkAppendBatch(state, batch)
        const e = batch.entries
        await client.query(sql.insertEntries, [
          e.map((x) => x.index),
          e.map((x) => x.entryId),
          e.map((x) => buf(x.statement)),
          e.map((x) => buf(x.leafHash)),
          e.map((x) => x.iss),
          e.map((x) => x.sub),
          e.map((x) => x.iat ?? null),
          e.map((x) => x.registeredAt),
          e.map((x) => x.receiptTreeSize),
        ])
        const n = batch.nodes
        await client.query(sql.insertNodes, [
          n.map((x) => x.level),
          n.map((x) => x.index),
          n.map((x) => buf(x.hash)),
        ])
        const r = batch.signedRoot
        await client.query(sql.insertRoot, [
          r.treeSize,
          buf(r.root),
          buf(r.protectedHeader),
          buf(r.signature),
          buf(r.kid),
        ])
        const last = e.reduce((max, x) => Math.max(max, x.registeredAt), 0)
        const moved = await client.query(sql.updateState, [r.treeSize, last, state.size])
        if (moved.rowCount !== 1) {
          throw new LedgerError('LEDGER_STORE_CORRUPT', 'The tree size changed during an append.')
        }
        return plan.result
      })
    },

    async entryById(entryId) {
      const row = await one<EntryRow>(sql.entryById, [entryId])
      return row === undefined ? undefined : toEntry(row)
    },

    async entryByIndex(index) {
      const row = await one<EntryRow>(sql.entryByIndex, [index])
      return row === undefined ? undefined : toEntry(row)
    },

    async entries(start, limit) {
      const from = Math.max(0, start)
      const result = await guardPg(() =>
        pool.query<EntryRow>(sql.entries, [from, from + Math.max(0, limit)]),
      )
      return result.rows.map(toEntry)
    },

    async entriesBySubject(sub, query) {
      const result = await guardPg(() =>
        pool.query<EntryRow>(sql.bySubject, [
          sub,
          query.afterIndex ?? -1,
          Math.max(0, query.limit),
        ]),
      )
      return result.rows.map(toEntry)
    },

    async nodes(addresses) {
      const found = await guardPg(() => fetchNodes(pool, addresses))
      return addresses.map(({ level, index }) => found.get(`${level}/${index}`))
    },

    async signedRoot(treeSize) {
      const row = await one<{
        tree_size: string
        root: Buffer
        protected_header: Buffer
        signature: Buffer
        kid: Buffer
      }>(sql.signedRoot, [treeSize])
      if (row === undefined) return undefined
      return {
        treeSize: Number(row.tree_size),
        root: bytes(row.root),
        protectedHeader: bytes(row.protected_header),
        signature: bytes(row.signature),
        kid: bytes(row.kid),
      }
    },

    async putCheckpoint(checkpoint) {
      await guardPg(() =>
        pool.query(sql.insertCheckpoint, [
          checkpoint.treeSize,
          buf(checkpoint.root),
          checkpoint.timestamp,
          buf(checkpoint.bytes),
        ]),
      )
      const row = await one<CheckpointRow>(sql.checkpointAt, [checkpoint.treeSize])
      if (row === undefined) {
        throw new LedgerError(
          'LEDGER_STORE_CORRUPT',
          `The checkpoint at ${checkpoint.treeSize} vanished.`,
        )
      }
      return toCheckpoint(row)
    },

    async latestCheckpoint() {
      const row = await one<CheckpointRow>(sql.latestCheckpoint, [])
      return row === undefined ? undefined : toCheckpoint(row)
    },

    async checkpointAt(treeSize) {
      const row = await one<CheckpointRow>(sql.checkpointAt, [treeSize])
      return row === undefined ? undefined : toCheckpoint(row)
    },

    async keys() {
      const result = await guardPg(() =>
        pool.query<{
          kid: Buffer
          cose_key: Buffer
          status: 'current' | 'retired'
          activated_at: string
          retired_at: string | null
        }>(sql.keys),
      )
      return result.rows.map((row) => ({
        kid: bytes(row.kid),
        coseKey: bytes(row.cose_key),
        status: row.status,
        activatedAt: Number(row.activated_at),
        retiredAt: row.retired_at === null ? undefined : Number(row.retired_at),
      }))
    },

    async activateKey(key) {
      await inTransaction(pool, async (client) => {
        // The append lock: no batch is signed while the current key changes.
        await client.query(sql.lock, [lockName])
        const known = (
          await client.query<{ status: string; retired_at: string | null }>(sql.keyByKid, [
            buf(key.kid),
          ])
        ).rows[0]
        if (known?.status === 'current') return
        if (known !== undefined) {
          throw new LedgerError(
            'LEDGER_KEY_RETIRED',
            `Log key ${Buffer.from(key.kid).toString('hex')} was retired at ${new Date(Number(known.retired_at ?? 0)).toISOString()}; configure the current key.`,
          )
        }
        await client.query(sql.retireCurrent, [key.activatedAt])
        await client.query(sql.insertKey, [buf(key.kid), buf(key.coseKey), key.activatedAt])
        await client.query(sql.setCurrentKid, [buf(key.kid)])
      })
    },

    async close() {
      if (!owned || ended) return
      ended = true
      await pool.end()
    },
  }
}
