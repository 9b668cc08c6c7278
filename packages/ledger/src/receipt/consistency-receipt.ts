/**
 * @module Receipts of consistency (RFC 9942 §5.3): the log signs the newer root (detached) and carries one
 * proof [tree-size-1, tree-size-2, consistency-path] under 396 / -2. Given an older root the verifier already
 * trusts (from a receipt or checkpoint), RFC 9162 §2.1.4.2 recomputes the newer root, and the signature over
 * it shows that the log's history at tree-size-2 extends the one the verifier saw: the append-only check of
 * scitt.md §4.1 step 6.
 */

import type { CoseAlgorithmName } from '../cose/algorithms.js'
import { HEADER, VDP } from '../cose/header-labels.js'
import { decodeSign1, type Sign1, signSign1 } from '../cose/sign1.js'
import { LedgerError } from '../errors/ledger-error.js'
import { bytesEqual } from '../internal/bytes.js'
import type { VerificationKey } from '../keys/key-types.js'
import type { MerkleTree } from '../merkle/tree.js'
import { rootFromConsistencyProof } from '../merkle/verify-consistency.js'
import {
  type ConsistencyProof,
  decodeConsistencyProof,
  encodeConsistencyProof,
} from './proof-codec.js'
import {
  type ReceiptSigner,
  readReceipt,
  receiptProtectedHeader,
  verifyReceiptSignature,
} from './receipt-header.js'

/** Inputs of `createConsistencyReceipt`. */
export interface CreateConsistencyReceiptOptions extends ReceiptSigner, ConsistencyProof {
  /** The root at tree-size-1; the signed newer root is recomputed from it and the path. */
  readonly root1: Uint8Array
  /** When given, the recomputed newer root must equal it. */
  readonly root2?: Uint8Array
}

/** Signs a receipt of consistency between tree-size-1 and tree-size-2 (0 < size1 < size2). */
export function createConsistencyReceipt(options: CreateConsistencyReceiptOptions): Uint8Array {
  const { treeSize1, treeSize2, consistencyPath, root1 } = options
  const root2 =
    treeSize1 > 0 && treeSize1 < treeSize2
      ? rootFromConsistencyProof(treeSize1, treeSize2, consistencyPath, root1)
      : undefined
  if (root2 === undefined || (options.root2 !== undefined && !bytesEqual(root2, options.root2))) {
    throw new LedgerError(
      'LEDGER_BAD_ARGUMENT',
      `The consistency path does not lead from the root of size ${treeSize1} to that of size ${treeSize2}.`,
    )
  }
  return signSign1({
    key: options.key,
    protectedHeader: receiptProtectedHeader(options),
    unprotectedHeader: new Map([
      [HEADER.vdp, new Map([[VDP.consistency, [encodeConsistencyProof(options)]]])],
    ]),
    payload: root2,
    detached: true,
  })
}

/** A receipt of consistency of `tree` between `treeSize1` and `treeSize2` (default: the current size). */
export function createConsistencyReceiptFromTree(
  tree: MerkleTree,
  treeSize1: number,
  signer: ReceiptSigner & { readonly treeSize2?: number },
): Uint8Array {
  const treeSize2 = signer.treeSize2 ?? tree.size
  return createConsistencyReceipt({
    ...signer,
    treeSize1,
    treeSize2,
    consistencyPath: tree.consistencyProof(treeSize1, treeSize2),
    root1: tree.root(treeSize1),
    root2: tree.root(treeSize2),
  })
}

/** Options of `verifyConsistencyReceipt`. */
export interface VerifyConsistencyReceiptOptions {
  /** The older root the verifier already trusts. */
  readonly root1: Uint8Array
  /** When set, the proof's tree-size-1 must equal it (the size that goes with root1). */
  readonly treeSize1?: number
  readonly logKeys: readonly VerificationKey[]
  readonly issuer?: string
}

/** What a verified receipt of consistency proves. */
export interface VerifiedConsistencyReceipt extends ConsistencyProof {
  readonly root1: Uint8Array
  /** The newer root, recomputed from root1 and the path, which the log signed. */
  readonly root2: Uint8Array
  readonly iss: string
  readonly iat?: number
  readonly kid: Uint8Array
  readonly alg: CoseAlgorithmName
}

/**
 * Verifies a receipt of consistency: strict layout, vds = 1, exactly one consistency proof, the newer root
 * recomputed from `root1` per RFC 9162 §2.1.4.2, then the log signature over it.
 */
export function verifyConsistencyReceipt(
  receipt: Uint8Array | Sign1,
  options: VerifyConsistencyReceiptOptions,
): VerifiedConsistencyReceipt {
  const message =
    receipt instanceof Uint8Array ? decodeSign1(receipt, { requireTag: true }) : receipt
  const { proof: encoded, claims } = readReceipt(message, VDP.consistency, options.issuer)
  const proof = decodeConsistencyProof(encoded)
  if (options.treeSize1 !== undefined && options.treeSize1 !== proof.treeSize1) {
    throw new LedgerError(
      'LEDGER_PROOF_INVALID',
      `The receipt proves consistency from size ${proof.treeSize1}, not ${options.treeSize1}.`,
    )
  }
  const root2 = rootFromConsistencyProof(
    proof.treeSize1,
    proof.treeSize2,
    proof.consistencyPath,
    options.root1,
  )
  if (root2 === undefined) {
    throw new LedgerError(
      'LEDGER_PROOF_INVALID',
      `The consistency path does not start from the given root of size ${proof.treeSize1} (RFC 9162 §2.1.4.2).`,
    )
  }
  const key = verifyReceiptSignature(message, options.logKeys, root2, claims)
  return { ...proof, root1: options.root1, root2, ...claims, kid: key.kid, alg: key.alg }
}
