/**
 * @module The SQL of the PostgreSQL ledger storage (postgres-ledger-storage.ts): every statement it runs, for the
 * `ledger_` tables of one schema (postgres-ledger-schema.ts), and the rows they return, mapped to the ledger's
 * types. The append's lock, head read, multi-row inserts (unnest of arrays) and guarded size update are here as
 * text; the order they run in, and why, is in the storage's module comment.
 */
import type { LedgerEntry, StoredCheckpoint } from '@vconkit/ledger'
import { quoteIdent } from '../store/postgres/migrations.js'

const ENTRY_COLUMNS =
  'leaf_index, entry_id, statement, leaf_hash, iss, sub, iat, registered_at, receipt_tree_size'
const CHECKPOINT_COLUMNS = 'tree_size, root, checkpoint_time, checkpoint'

/** A `ledger_entries` row as selected (bigint columns come back as strings). */
export interface EntryRow {
  leaf_index: string
  entry_id: string
  statement: Buffer
  leaf_hash: Buffer
  iss: string
  sub: string
  iat: string | null
  registered_at: string
  receipt_tree_size: string
}

/** A `ledger_checkpoints` row as selected. */
export interface CheckpointRow {
  tree_size: string
  root: Buffer
  checkpoint_time: string
  checkpoint: Buffer
}

/** A bytea column as bytes (a view, not a copy). */
export function bytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}

/** Bytes as a bytea parameter (a view, not a copy). */
export function buf(value: Uint8Array): Buffer {
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength)
}

/** A `ledger_entries` row as a LedgerEntry. */
export function toEntry(row: EntryRow): LedgerEntry {
  return {
    entryId: row.entry_id,
    index: Number(row.leaf_index),
    statement: bytes(row.statement),
    leafHash: bytes(row.leaf_hash),
    iss: row.iss,
    sub: row.sub,
    iat: row.iat === null ? undefined : Number(row.iat),
    registeredAt: Number(row.registered_at),
    receiptTreeSize: Number(row.receipt_tree_size),
  }
}

/** A `ledger_checkpoints` row as a StoredCheckpoint. */
export function toCheckpoint(row: CheckpointRow): StoredCheckpoint {
  return {
    treeSize: Number(row.tree_size),
    root: bytes(row.root),
    timestamp: Number(row.checkpoint_time),
    bytes: bytes(row.checkpoint),
  }
}

/** Every statement of the ledger storage, for the `ledger_` tables in `schema` (a checked plain identifier). */
export function ledgerStatements(schema: string) {
  const s = quoteIdent(schema)
  return {
    lock: 'SELECT pg_advisory_xact_lock(hashtext($1))',
    state: `SELECT tree_size, last_registered_at, current_kid FROM ${s}.ledger_state WHERE id = 1`,
    nodes:
      `SELECT n.level, n.node_index, n.hash FROM ${s}.ledger_nodes n` +
      ' JOIN unnest($1::int[], $2::bigint[]) AS a (l, i) ON n.level = a.l AND n.node_index = a.i',
    existing: `SELECT ${ENTRY_COLUMNS} FROM ${s}.ledger_entries WHERE entry_id = ANY($1::text[])`,
    insertEntries:
      `INSERT INTO ${s}.ledger_entries (${ENTRY_COLUMNS}) SELECT * FROM unnest($1::bigint[], $2::text[],` +
      ' $3::bytea[], $4::bytea[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::bigint[])',
    insertNodes:
      `INSERT INTO ${s}.ledger_nodes (level, node_index, hash)` +
      ' SELECT * FROM unnest($1::int[], $2::bigint[], $3::bytea[])',
    insertRoot:
      `INSERT INTO ${s}.ledger_signed_roots (tree_size, root, protected_header, signature, kid)` +
      ' VALUES ($1, $2, $3, $4, $5)',
    updateState:
      `UPDATE ${s}.ledger_state SET tree_size = $1, last_registered_at = GREATEST(last_registered_at, $2)` +
      ' WHERE id = 1 AND tree_size = $3',
    entryById: `SELECT ${ENTRY_COLUMNS} FROM ${s}.ledger_entries WHERE entry_id = $1`,
    entryByIndex: `SELECT ${ENTRY_COLUMNS} FROM ${s}.ledger_entries WHERE leaf_index = $1`,
    entries: `SELECT ${ENTRY_COLUMNS} FROM ${s}.ledger_entries WHERE leaf_index >= $1 AND leaf_index < $2 ORDER BY leaf_index`,
    bySubject: `SELECT ${ENTRY_COLUMNS} FROM ${s}.ledger_entries WHERE sub = $1 AND leaf_index > $2 ORDER BY leaf_index LIMIT $3`,
    signedRoot: `SELECT tree_size, root, protected_header, signature, kid FROM ${s}.ledger_signed_roots WHERE tree_size = $1`,
    insertCheckpoint:
      `INSERT INTO ${s}.ledger_checkpoints (${CHECKPOINT_COLUMNS}) VALUES ($1, $2, $3, $4)` +
      ' ON CONFLICT (tree_size) DO NOTHING',
    checkpointAt: `SELECT ${CHECKPOINT_COLUMNS} FROM ${s}.ledger_checkpoints WHERE tree_size = $1`,
    latestCheckpoint: `SELECT ${CHECKPOINT_COLUMNS} FROM ${s}.ledger_checkpoints ORDER BY tree_size DESC LIMIT 1`,
    keys: `SELECT kid, cose_key, status, activated_at, retired_at FROM ${s}.ledger_keys ORDER BY seq`,
    keyByKid: `SELECT status, retired_at FROM ${s}.ledger_keys WHERE kid = $1`,
    retireCurrent: `UPDATE ${s}.ledger_keys SET status = 'retired', retired_at = $1 WHERE status = 'current'`,
    insertKey: `INSERT INTO ${s}.ledger_keys (kid, cose_key, status, activated_at) VALUES ($1, $2, 'current', $3)`,
    setCurrentKid: `UPDATE ${s}.ledger_state SET current_kid = $1 WHERE id = 1`,
  }
}
