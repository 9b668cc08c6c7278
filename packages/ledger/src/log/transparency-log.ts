/**
 * @module The transparency log service: registration of signed statements (RFC 9943 §5.1) into an RFC 9162
 * Merkle tree kept in a LedgerStorage, receipts of inclusion (RFC 9942), signed checkpoints, consistency proofs
 * and the log's key set with retired keys. Transport-free: the SCRAPI endpoints and the conserver call these
 * methods and only translate bytes and errors.
 *
 * Registration runs in two stages. Verification (issuer signature, policy, leaf) runs as soon as a statement
 * arrives, the signature in worker threads (cose/verify-pool.ts), so many requests verify in parallel on every
 * core. Appends are serialised through one queue per service: the statements waiting when the storage becomes
 * free are appended as one batch, in one transaction, under one signature over the new root (group commit,
 * append-batch.ts), and the storage's own append lock serialises services that share a database. The signed
 * root is stored, so every receipt is rebuilt identically later (receipt-assembly.ts).
 */
import { createCheckpoint } from '../checkpoint/checkpoint.js'
import { createVerifyPool } from '../cose/verify-pool.js'
import { LedgerError } from '../errors/ledger-error.js'
import { bytesEqual } from '../internal/bytes.js'
import { decodeCoseKey, encodeCoseKey } from '../keys/cose-key.js'
import { encodeCoseKeySet } from '../keys/key-set.js'
import type { SigningKey, VerificationKey } from '../keys/key-types.js'
import { emptyRoot, isTreeCount } from '../merkle/hash.js'
import {
  consistencyPath,
  nodesForConsistencyProof,
  nodesForRoot,
  rootOf,
} from '../merkle/proofs.js'
import { MerkleTree } from '../merkle/tree.js'
import { createConsistencyReceipt } from '../receipt/consistency-receipt.js'
import type { ConsistencyProof } from '../receipt/proof-codec.js'
import { attachReceipt } from '../receipt/transparent-statement.js'
import { appendBatch, type Pending } from './append-batch.js'
import type {
  LedgerEntry,
  LedgerStorage,
  LogState,
  StoredCheckpoint,
  SubjectQuery,
} from './ledger-storage.js'
import { PrefetchedNodeStore } from './prefetched-node-store.js'
import { prefetchNodes, receiptFromStorage } from './receipt-assembly.js'
import { prepareStatement } from './registration-batch.js'
import type { RegistrationPolicy } from './registration-policy.js'

/** Inputs of `createTransparencyLog`. */
export interface TransparencyLogOptions {
  readonly storage: LedgerStorage
  /** The service's identity: the CWT iss of its receipts and checkpoints, e.g. its https origin. */
  readonly issuer: string
  /** The log key (private): signs receipts and checkpoints. It becomes the current key of the storage. */
  readonly logKey: SigningKey
  /** The issuers' public keys the log trusts, found by the statement's protected kid (optionally iss-bound). */
  readonly issuerKeys: readonly VerificationKey[]
  readonly policy?: RegistrationPolicy
  /** Milliseconds since the epoch; default Date.now. */
  readonly now?: () => number
  /** Most statements appended in one transaction under one signature. Default 512. */
  readonly maxBatch?: number
  /**
   * Worker threads that check issuers' signatures (cose/verify-pool.ts). Default: the cores beyond this
   * thread's, at least 1; 0 checks them on this thread.
   */
  readonly verifyThreads?: number
}

/** The answer to a registration. */
export interface Registration {
  readonly entryId: string
  readonly index: number
  /** The receipt of inclusion (RFC 9942), as `getReceipt(entryId)` returns it, now and after restarts. */
  readonly receipt: Uint8Array
  /** True when this very statement was registered before: the answer is that first registration's. */
  readonly alreadyRegistered: boolean
}

/** A consistency proof with the two roots it links. */
export interface ConsistencyProofResult extends ConsistencyProof {
  readonly root1: Uint8Array
  readonly root2: Uint8Array
}

/** The log's current size and root. */
export interface TreeHead {
  readonly treeSize: number
  readonly root: Uint8Array
}

/** The transparency log service (see the module comment). */
export interface TransparencyLog {
  readonly issuer: string
  /**
   * Verifies `statement` (issuer signature against the pinned issuer keys, then the policy), empties its
   * unprotected header, appends it and returns its receipt. Throws LedgerError when it is refused.
   */
  register(statement: Uint8Array): Promise<Registration>
  getEntry(entryId: string): Promise<LedgerEntry | undefined>
  getEntryByIndex(index: number): Promise<LedgerEntry | undefined>
  /** The entry's receipt of inclusion, rebuilt from storage: the same bytes every time. */
  getReceipt(entryId: string): Promise<Uint8Array | undefined>
  /** The registered statement with its receipt attached under 394. */
  getTransparentStatement(entryId: string): Promise<Uint8Array | undefined>
  /** Entries with index in [start, start + limit), for replay. */
  entries(start: number, limit: number): Promise<LedgerEntry[]>
  /** Entries about one subject, in log order (one vCon's history). */
  entriesBySubject(sub: string, query: SubjectQuery): Promise<LedgerEntry[]>
  treeHead(): Promise<TreeHead>
  /** The signed checkpoint of the current size: the stored one if there is one, else a new one. */
  checkpoint(): Promise<StoredCheckpoint>
  checkpointAt(treeSize: number): Promise<StoredCheckpoint | undefined>
  /** The RFC 9162 consistency proof between two sizes, 0 <= size1 <= size2 <= current size. */
  consistencyProof(size1: number, size2: number): Promise<ConsistencyProofResult>
  /** The same as a receipt of consistency (RFC 9942 §5.3) signed now; needs 0 < size1 < size2. */
  consistencyReceipt(size1: number, size2: number): Promise<Uint8Array>
  /** COSE_KeySet of the log keys, the current one first, retired ones kept (SCRAPI /.well-known/scitt-keys). */
  keySet(): Promise<Uint8Array>
  /** The log's public keys, current and retired, for verifying its receipts and checkpoints. */
  logKeys(): Promise<VerificationKey[]>
  /** The COSE_Key of one log key by kid (SCRAPI /.well-known/scitt-keys/{kid}). */
  logKey(kid: Uint8Array): Promise<Uint8Array | undefined>
  /** Makes `newKey` the log key; the old one is retired and stays in the key set. */
  rotateKey(newKey: SigningKey): Promise<void>
  /** Waits for the registrations in flight; later registrations are refused. The storage stays open. */
  close(): Promise<void>
}

/** A registration in arrival order: `prepared` once verified, `refused` once rejected. */
interface Arrival {
  prepared: Pending | undefined
  refused: boolean
}

function badArgument(message: string): LedgerError {
  return new LedgerError('LEDGER_BAD_ARGUMENT', message)
}

/** The root of the tree described by `state`, from its right edge only. */
function rootOfState(state: LogState): Uint8Array {
  return new MerkleTree(new PrefetchedNodeStore(state.size, state.frontier)).root()
}

/**
 * Opens the log service over `storage`. The configured log key becomes the storage's current key (a different
 * current key is retired: changing the configured key is a rotation); a retired key is refused.
 */
export async function createTransparencyLog(
  options: TransparencyLogOptions,
): Promise<TransparencyLog> {
  const { storage, issuer, issuerKeys } = options
  const policy = options.policy ?? {}
  const now = options.now ?? Date.now
  const maxBatch = options.maxBatch ?? 512
  if (typeof issuer !== 'string' || issuer.length === 0)
    throw badArgument('issuer must be a non-empty string.')
  if (!Number.isSafeInteger(maxBatch) || maxBatch < 1) throw badArgument('maxBatch must be >= 1.')
  let key = options.logKey
  const pool =
    options.verifyThreads === 0
      ? undefined
      : createVerifyPool({
          ...(options.verifyThreads === undefined ? {} : { threads: options.verifyThreads }),
        })
  await storage.activateKey({ kid: key.kid, coseKey: encodeCoseKey(key), activatedAt: now() })

  // One append (or key change) at a time in this service; the storage's lock covers other processes.
  let tail: Promise<unknown> = Promise.resolve()
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work)
    tail = run.catch(() => undefined)
    return run
  }
  /**
   * Registrations in arrival order. Verifications finish in any order on the thread pool; a batch takes the
   * verified ones from the front only, so the log keeps the order in which statements arrived (a client that
   * submits one vCon's events in order finds them in that order in the log).
   */
  const arrivals: Arrival[] = []
  let scheduled = false
  let closed = false

  function schedule(): void {
    if (scheduled) return
    scheduled = true
    void exclusive(async () => {
      // Verifications finish one thread-pool callback at a time; waiting for the end of this poll phase
      // lets every statement verified in it join the batch instead of each paying a transaction of its own.
      await new Promise((resolve) => setImmediate(resolve))
      scheduled = false
      const items: Pending[] = []
      while (items.length < maxBatch) {
        const first = arrivals[0]
        if (first === undefined || (first.prepared === undefined && !first.refused)) break
        arrivals.shift()
        if (first.prepared !== undefined) items.push(first.prepared)
      }
      if (arrivals[0]?.prepared !== undefined || arrivals[0]?.refused) schedule()
      if (items.length > 0) await appendBatch(items, storage, { key, issuer, now })
    })
  }

  async function nodesAt(addresses: readonly { level: number; index: number }[]) {
    const nodes = new PrefetchedNodeStore(0)
    await prefetchNodes(storage, nodes, addresses)
    return nodes.reader()
  }

  async function proof(size1: number, size2: number): Promise<ConsistencyProofResult> {
    const { size } = await storage.state()
    if (!isTreeCount(size1) || !isTreeCount(size2) || size1 > size2 || size2 > size) {
      throw badArgument(
        `Sizes must satisfy 0 <= size1 <= size2 <= ${size}, not ${size1} and ${size2}.`,
      )
    }
    const between = size1 > 0 && size1 < size2
    const read = await nodesAt([
      ...(between ? nodesForConsistencyProof(size1, size2) : []),
      ...(size1 > 0 ? nodesForRoot(size1) : []),
      ...(size2 > 0 ? nodesForRoot(size2) : []),
    ])
    return {
      treeSize1: size1,
      treeSize2: size2,
      consistencyPath: between ? consistencyPath(read, size1, size2) : [],
      root1: size1 === 0 ? emptyRoot() : rootOf(read, size1),
      root2: size2 === 0 ? emptyRoot() : rootOf(read, size2),
    }
  }

  async function storedKeys(): Promise<VerificationKey[]> {
    const keys = await storage.keys()
    const current = keys.filter((k) => k.status === 'current')
    const retired = keys.filter((k) => k.status !== 'current').reverse()
    return [...current, ...retired].map((k) => decodeCoseKey(k.coseKey))
  }

  return {
    issuer,

    register(statement) {
      if (closed) return Promise.reject(badArgument('The transparency log is closed.'))
      const arrival: Arrival = { prepared: undefined, refused: false }
      arrivals.push(arrival)
      return new Promise<Registration>((resolve, reject) => {
        prepareStatement(statement, issuerKeys, policy, now(), pool).then(
          (prepared) => {
            arrival.prepared = { ...prepared, resolve, reject }
            schedule()
          },
          (error: unknown) => {
            arrival.refused = true
            reject(error)
            schedule()
          },
        )
      })
    },

    getEntry: (entryId) => storage.entryById(entryId),
    getEntryByIndex: (index) => storage.entryByIndex(index),

    async getReceipt(entryId) {
      const entry = await storage.entryById(entryId)
      return entry === undefined ? undefined : receiptFromStorage(storage, entry)
    },

    async getTransparentStatement(entryId) {
      const entry = await storage.entryById(entryId)
      return entry === undefined
        ? undefined
        : attachReceipt(entry.statement, await receiptFromStorage(storage, entry))
    },

    entries: (start, limit) => storage.entries(start, limit),
    entriesBySubject: (sub, query) => storage.entriesBySubject(sub, query),

    async treeHead() {
      const state = await storage.state()
      return { treeSize: state.size, root: rootOfState(state) }
    },

    async checkpoint() {
      const state = await storage.state()
      const latest = await storage.latestCheckpoint()
      if (latest !== undefined && latest.treeSize >= state.size) return latest
      const root = rootOfState(state)
      // A checkpoint is never dated before the appends it covers or an earlier checkpoint.
      const timestamp = Math.max(now(), state.lastRegisteredAt, latest?.timestamp ?? 0)
      const bytes = createCheckpoint({ treeSize: state.size, root, timestamp, issuer, key })
      return storage.putCheckpoint({ treeSize: state.size, root, timestamp, bytes })
    },

    checkpointAt: (treeSize) => storage.checkpointAt(treeSize),

    consistencyProof: proof,

    async consistencyReceipt(size1, size2) {
      if (!(size1 > 0 && size1 < size2)) {
        throw badArgument(
          `A receipt of consistency needs 0 < size1 < size2, not ${size1} and ${size2}.`,
        )
      }
      const result = await proof(size1, size2)
      return createConsistencyReceipt({
        ...result,
        issuer,
        issuedAt: Math.floor(now() / 1000),
        key,
      })
    },

    async keySet() {
      return encodeCoseKeySet(await storedKeys())
    },

    logKeys: storedKeys,

    async logKey(kid) {
      const found = (await storage.keys()).find((k) => bytesEqual(k.kid, kid))
      return found?.coseKey
    },

    rotateKey(newKey) {
      return exclusive(async () => {
        await storage.activateKey({
          kid: newKey.kid,
          coseKey: encodeCoseKey(newKey),
          activatedAt: now(),
        })
        key = newKey
      })
    },

    async close() {
      closed = true
      // Registrations accepted before close are finished: wait until every arrival is appended or refused.
      while (arrivals.length > 0 || scheduled) {
        if (scheduled) await tail
        else await new Promise((resolve) => setImmediate(resolve))
      }
      await pool?.close()
      await tail
    },
  }
}
