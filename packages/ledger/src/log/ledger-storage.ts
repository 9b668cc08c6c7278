/**
 * @module The storage port of the transparency log: what a database must offer so that the log survives
 * restarts and several server processes can share it. Every method is asynchronous, so a synchronous engine
 * (better-sqlite3) and an asynchronous one (pg) fit the same contract. Appends are one call: the storage
 * takes its exclusive append lock, reads the log's head (size, right-edge nodes, current key), hands it to a
 * synchronous `build` callback that computes the new entries, Merkle nodes and signed root, and writes all of
 * it in one transaction, so a crash never leaves entries without their nodes or a size ahead of them (the
 * scittles durability bug, scitt.md §3.1). Nodes are immutable once written, so every read outside the lock
 * (proofs, receipts) is safe while other processes append.
 */
import { LedgerError } from '../errors/ledger-error.js'
import { HASH_SIZE, isTreeCount } from '../merkle/hash.js'
import type { NodeAddress, StoredNode } from '../merkle/node-store.js'

/** One registered statement. */
export interface LedgerEntry {
  /** The entry id (this log uses the lowercase hex of the leaf hash). */
  readonly entryId: string
  /** The leaf index, from 0. */
  readonly index: number
  /** The signed statement with its unprotected header emptied: the leaf input (README, "The leaf rule"). */
  readonly statement: Uint8Array
  /** SHA-256(0x00 || statement) (RFC 9162 §2.1.1). */
  readonly leafHash: Uint8Array
  /** The issuer's CWT iss. */
  readonly iss: string
  /** The statement's CWT sub (urn:uuid:<vcon uuid> for lifecycle events): `vcon audit history` filters on it. */
  readonly sub: string
  /** The statement's CWT iat (seconds), when it has one. */
  readonly iat: number | undefined
  /** When the log registered it, in milliseconds since the epoch. */
  readonly registeredAt: number
  /** The tree size its registration receipt is signed at: the size after the append batch it was part of. */
  readonly receiptTreeSize: number
}

/**
 * The log's signature over its root at one tree size: the one signature shared by the receipts of every entry
 * of an append batch (the receipt's protected header and signature do not depend on the entry; only the
 * unprotected inclusion proof does). Storing it makes receipts reproducible byte for byte after a restart,
 * although ECDSA signatures are randomised.
 */
export interface SignedRoot {
  readonly treeSize: number
  readonly root: Uint8Array
  /** The receipt's protected header bytes exactly as signed (alg, kid, typ, CWT iss and iat, vds). */
  readonly protectedHeader: Uint8Array
  readonly signature: Uint8Array
  /** kid of the log key that signed. */
  readonly kid: Uint8Array
}

/** A signed checkpoint as stored (one per tree size). */
export interface StoredCheckpoint {
  readonly treeSize: number
  readonly root: Uint8Array
  /** Milliseconds since the epoch, as in the checkpoint payload. */
  readonly timestamp: number
  /** The signed checkpoint (tagged COSE_Sign1). */
  readonly bytes: Uint8Array
}

/** A log public key, current or retired. Private keys are never stored. */
export interface StoredLogKey {
  readonly kid: Uint8Array
  /** The public COSE_Key (deterministic CBOR). */
  readonly coseKey: Uint8Array
  readonly status: 'current' | 'retired'
  /** When it became current, milliseconds since the epoch. */
  readonly activatedAt: number
  /** When it was retired, milliseconds since the epoch. */
  readonly retiredAt: number | undefined
}

/** The head of the log as an append (or a root computation) needs it. */
export interface LogState {
  readonly size: number
  /** The right-edge nodes of the tree of `size` leaves, in the order of `frontierAddresses(size)`. */
  readonly frontier: readonly StoredNode[]
  /** Registration time of the last append (milliseconds), 0 for an empty log. */
  readonly lastRegisteredAt: number
  /** kid of the current log key; undefined before a key was activated. */
  readonly currentKid: Uint8Array | undefined
}

/** The head handed to an append's `build`, read under the append lock. */
export interface AppendState extends LogState {
  /** The candidate entry ids that are already registered, with their entries. */
  readonly existing: ReadonlyMap<string, LedgerEntry>
}

/** What one append writes. */
export interface AppendBatch {
  /** New entries with indices state.size, state.size + 1, ... */
  readonly entries: readonly LedgerEntry[]
  /** The perfect-subtree nodes the new leaves complete (MerkleTree's commit), leaves included. */
  readonly nodes: readonly StoredNode[]
  /** The log's signature over the root at the new size. */
  readonly signedRoot: SignedRoot
}

/** What `build` returns: the batch to write (none when everything was registered already) and a result. */
export interface AppendPlan<T> {
  readonly batch: AppendBatch | undefined
  readonly result: T
}

/** Options of `entriesBySubject`. */
export interface SubjectQuery {
  /** Only entries with a larger index (keyset pagination). */
  readonly afterIndex?: number
  readonly limit: number
}

/** The persistence a transparency log needs (see the module comment). */
export interface LedgerStorage {
  /** The current head, read without the append lock (a consistent snapshot: size and its nodes). */
  state(): Promise<LogState>
  /**
   * Under the exclusive append lock (one appender at a time across every process sharing the storage): reads
   * the head and which of `candidateIds` exist, calls `build` (synchronous, may throw: then nothing is
   * written), and stores its batch atomically. Returns `build`'s result.
   */
  append<T>(
    candidateIds: readonly string[],
    build: (state: AppendState) => AppendPlan<T>,
  ): Promise<T>
  entryById(entryId: string): Promise<LedgerEntry | undefined>
  entryByIndex(index: number): Promise<LedgerEntry | undefined>
  /** Entries with index in [start, start + limit), in index order (log replay). */
  entries(start: number, limit: number): Promise<LedgerEntry[]>
  /** Entries with this sub, in index order (one vCon's lifecycle history). */
  entriesBySubject(sub: string, query: SubjectQuery): Promise<LedgerEntry[]>
  /** The node hashes at `addresses`, in the same order; undefined where a node is not stored. */
  nodes(addresses: readonly NodeAddress[]): Promise<(Uint8Array | undefined)[]>
  /** The signed root at `treeSize`, when an append batch ended there. */
  signedRoot(treeSize: number): Promise<SignedRoot | undefined>
  /** Stores a checkpoint unless one exists for its tree size; returns the stored one for that size. */
  putCheckpoint(checkpoint: StoredCheckpoint): Promise<StoredCheckpoint>
  /** The checkpoint of the largest tree size. */
  latestCheckpoint(): Promise<StoredCheckpoint | undefined>
  checkpointAt(treeSize: number): Promise<StoredCheckpoint | undefined>
  /** Every log key, current and retired, in activation order. */
  keys(): Promise<StoredLogKey[]>
  /**
   * Makes `key` the current log key under the append lock: the previous current key is retired at
   * `key.activatedAt`. Nothing changes when `key` is current already; LEDGER_KEY_RETIRED when it was retired
   * (a retired key never comes back: it may have been retired because it leaked).
   */
  activateKey(key: {
    readonly kid: Uint8Array
    readonly coseKey: Uint8Array
    readonly activatedAt: number
  }): Promise<void>
  /** Releases what the storage opened (a connection it owns); the data stays. */
  close(): Promise<void>
}

/** The addresses of the right-edge nodes of a tree of `size` leaves: one per set bit, smallest level first. */
export function frontierAddresses(size: number): NodeAddress[] {
  if (!isTreeCount(size))
    throw new LedgerError('LEDGER_BAD_ARGUMENT', `Size ${size} is not a tree size.`)
  const out: NodeAddress[] = []
  for (let level = 0; 2 ** level <= size; level++) {
    const count = Math.floor(size / 2 ** level)
    if (count % 2 === 1) out.push({ level, index: count - 1 })
  }
  return out
}

function corrupt(message: string): LedgerError {
  return new LedgerError('LEDGER_STORE_CORRUPT', message)
}

/**
 * Checks that `batch` extends `state` as an append must (used by every adapter before writing): contiguous
 * indices from state.size, every entry's receipt at the new size, the signed root at the new size, 32-byte
 * hashes. A buggy or hostile `build` cannot make a storage write a fork or a gap.
 */
export function checkAppendBatch(state: LogState, batch: AppendBatch): void {
  const newSize = state.size + batch.entries.length
  if (batch.entries.length === 0) throw corrupt('An append batch must hold at least one entry.')
  batch.entries.forEach((entry, k) => {
    if (entry.index !== state.size + k) {
      throw corrupt(
        `Entry ${entry.entryId} has index ${entry.index}; the next index is ${state.size + k}.`,
      )
    }
    if (entry.receiptTreeSize !== newSize) {
      throw corrupt(
        `Entry ${entry.entryId} names receipt size ${entry.receiptTreeSize}, not ${newSize}.`,
      )
    }
    if (entry.leafHash.length !== HASH_SIZE) throw corrupt('A leaf hash must be 32 bytes.')
  })
  if (batch.signedRoot.treeSize !== newSize || batch.signedRoot.root.length !== HASH_SIZE) {
    throw corrupt(`The signed root must be the ${HASH_SIZE}-byte root at size ${newSize}.`)
  }
  for (const node of batch.nodes) {
    if (node.hash.length !== HASH_SIZE || !isTreeCount(node.index) || !isTreeCount(node.level)) {
      throw corrupt(`Node (${node.level}, ${node.index}) is malformed.`)
    }
    // A node is new when its last leaf is among the appended ones: complete now, incomplete before.
    const end = (node.index + 1) * 2 ** node.level
    if (end > newSize || end <= state.size) {
      throw corrupt(`Node (${node.level}, ${node.index}) is not completed by this append.`)
    }
  }
}
