/**
 * @module The two pure steps of a registration. `prepareStatement` runs before the append queue: issuer
 * signature against the pinned keys (RFC 9943 §5.1; checked by the log's verify pool, so registrations in
 * flight verify on every core), the registration policy, then the leaf rule (unprotected header emptied) and
 * the entry id. `buildBatch` runs inside the storage's append transaction: it drops statements
 * registered already, appends the rest to the tree over the prefetched right edge, and signs the new root once
 * for the whole batch (receipt-assembly.ts).
 */
import type { VerifyPool } from '../cose/verify-pool.js'
import { LedgerError } from '../errors/ledger-error.js'
import { bytesEqual, toHex } from '../internal/bytes.js'
import type { SigningKey, VerificationKey } from '../keys/key-types.js'
import { leafHash } from '../merkle/hash.js'
import { MerkleTree } from '../merkle/tree.js'
import { emptyUnprotected } from '../statement/leaf.js'
import { verifySignedStatementAsync } from '../statement/signed-statement.js'
import type { AppendState, LedgerEntry, SignedRoot } from './ledger-storage.js'
import { PrefetchedNodeStore } from './prefetched-node-store.js'
import { signRoot } from './receipt-assembly.js'
import {
  checkRegistrationPolicy,
  checkStatementSize,
  type RegistrationPolicy,
} from './registration-policy.js'

/** A statement that passed verification and policy, ready to append. */
export interface PreparedStatement {
  /** Lowercase hex of the leaf hash. */
  readonly entryId: string
  /** The leaf input: the statement with its unprotected header emptied. */
  readonly statement: Uint8Array
  readonly leafHash: Uint8Array
  readonly iss: string
  readonly sub: string
  readonly iat: number | undefined
}

/** Verifies `input` and applies `policy` at `nowMs`; rejects with the LedgerError of the refusal. */
export async function prepareStatement(
  input: Uint8Array,
  issuerKeys: readonly VerificationKey[],
  policy: RegistrationPolicy,
  nowMs: number,
  pool?: VerifyPool,
): Promise<PreparedStatement> {
  if (!(input instanceof Uint8Array)) {
    throw new LedgerError('LEDGER_BAD_ARGUMENT', 'The statement must be bytes.')
  }
  checkStatementSize(input.length, policy)
  // A plain view: a Buffer from an HTTP body behaves the same from here on.
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
  const verified = await verifySignedStatementAsync(bytes, { issuerKeys }, pool)
  checkRegistrationPolicy(verified, policy, nowMs)
  const statement = emptyUnprotected(verified.message)
  const hash = leafHash(statement)
  return {
    entryId: toHex(hash),
    statement,
    leafHash: hash,
    iss: verified.iss,
    sub: verified.sub,
    iat: verified.iat,
  }
}

/** What `buildBatch` produced: nothing new (all registered already) or entries, nodes and signed root. */
export interface BuiltBatch {
  readonly entries: readonly LedgerEntry[]
  readonly signedRoot: SignedRoot | undefined
  /** The right edge plus the nodes the append completed (`committed`): the start of the receipts' paths. */
  readonly nodes: PrefetchedNodeStore | undefined
  /** Candidates registered before this batch. */
  readonly existing: ReadonlyMap<string, LedgerEntry>
}

/** Who signs the batch and when it is registered. */
export interface BatchSigner {
  readonly key: SigningKey
  /** The log's identity (receipt iss). */
  readonly issuer: string
  /** The service clock, milliseconds. */
  readonly nowMs: number
}

/** Builds the append of `items` on `state` (see the module comment). Synchronous: it runs in a transaction. */
export function buildBatch(
  items: readonly PreparedStatement[],
  state: AppendState,
  signer: BatchSigner,
): BuiltBatch {
  if (state.currentKid === undefined || !bytesEqual(state.currentKid, signer.key.kid)) {
    throw new LedgerError(
      'LEDGER_KEY_RETIRED',
      `Log key ${toHex(signer.key.kid)} is no longer current (another process rotated it); restart with the current key.`,
    )
  }
  const fresh: PreparedStatement[] = []
  const seen = new Set<string>()
  for (const item of items) {
    if (state.existing.has(item.entryId) || seen.has(item.entryId)) continue
    seen.add(item.entryId)
    fresh.push(item)
  }
  if (fresh.length === 0) {
    return { entries: [], signedRoot: undefined, nodes: undefined, existing: state.existing }
  }
  const nodes = new PrefetchedNodeStore(state.size, state.frontier)
  const tree = new MerkleTree(nodes)
  tree.appendLeafHashes(fresh.map((item) => item.leafHash))
  // Registration times never go backwards, even across processes with different clocks.
  const registeredAt = Math.max(signer.nowMs, state.lastRegisteredAt)
  const signedRoot = signRoot(signer.key, signer.issuer, tree.root(), tree.size, registeredAt)
  const entries = fresh.map(
    (item, k): LedgerEntry => ({
      entryId: item.entryId,
      index: state.size + k,
      statement: item.statement,
      leafHash: item.leafHash,
      iss: item.iss,
      sub: item.sub,
      iat: item.iat,
      registeredAt,
      receiptTreeSize: tree.size,
    }),
  )
  return { entries, signedRoot, nodes, existing: state.existing }
}
