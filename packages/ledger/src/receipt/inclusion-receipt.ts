/**
 * @module Receipts of inclusion (RFC 9942 §5.2) for an RFC9162_SHA256 log: signed over the detached Merkle
 * root at tree-size, with one inclusion proof [tree-size, leaf-index, inclusion-path] under 396 / -1. The
 * verifier recomputes the root from the leaf and the proof (RFC 9162 §2.1.3.2) and checks the signature over
 * it, so a proof cannot be swapped under a valid signature.
 */

import { byteStringHead, concatBytes } from '../cbor/encode.js'
import type { CoseAlgorithmName } from '../cose/algorithms.js'
import { HEADER, VDP } from '../cose/header-labels.js'
import { decodeSign1, encodeSign1WithUnprotected, type Sign1, signSign1 } from '../cose/sign1.js'
import { LedgerError } from '../errors/ledger-error.js'
import { bytesEqual } from '../internal/bytes.js'
import type { VerificationKey } from '../keys/key-types.js'
import { HASH_SIZE } from '../merkle/hash.js'
import type { MerkleTree } from '../merkle/tree.js'
import { rootFromInclusionProof } from '../merkle/verify-inclusion.js'
import { statementLeafHash } from '../statement/leaf.js'
import { decodeInclusionProof, encodeInclusionProof, type InclusionProof } from './proof-codec.js'
import {
  type ReceiptClaims,
  type ReceiptSigner,
  readReceipt,
  receiptProtectedHeader,
  verifyReceiptSignature,
} from './receipt-header.js'

/** Inputs of `createReceipt`. */
export interface CreateReceiptOptions extends ReceiptSigner, InclusionProof {
  /** The leaf hash the proof starts from; the signed root is recomputed from it. */
  readonly leafHash: Uint8Array
  /** The log's root at treeSize; the root recomputed from the leaf and path must equal it. */
  readonly root: Uint8Array
}

/**
 * Signs a receipt of inclusion over `root`, after recomputing the root from `leafHash` and the proof: the log
 * never signs a receipt that would not verify for that leaf.
 */
export function createReceipt(options: CreateReceiptOptions): Uint8Array {
  if (!(options.leafHash instanceof Uint8Array) || options.leafHash.length !== HASH_SIZE) {
    throw new LedgerError('LEDGER_BAD_ARGUMENT', `leafHash must be ${HASH_SIZE} bytes.`)
  }
  const root = rootFromInclusionProof(
    options.leafHash,
    options.leafIndex,
    options.treeSize,
    options.inclusionPath,
  )
  if (root === undefined || !bytesEqual(root, options.root)) {
    throw new LedgerError(
      'LEDGER_BAD_ARGUMENT',
      `The inclusion path does not lead from the leaf at ${options.leafIndex} to the root of size ${options.treeSize}.`,
    )
  }
  const proof = encodeInclusionProof(options)
  return signSign1({
    key: options.key,
    protectedHeader: receiptProtectedHeader(options),
    unprotectedHeader: new Map([[HEADER.vdp, new Map([[VDP.inclusion, [proof]]])]]),
    payload: root,
    detached: true,
  })
}

/** {396: {-1: [ one bstr ...: a receipt of inclusion's unprotected header up to its proof's bytes. */
const INCLUSION_VDP_HEAD = Uint8Array.of(0xa1, 0x19, 0x01, 0x8c, 0xa1, 0x20, 0x81)

/**
 * The bytes of a receipt of inclusion around a stored protected header and signature: the same as
 * `encodeSign1` gives for {396: {-1: [proof]}} and a nil payload (the receipt test checks it), written by hand
 * because the log assembles one per registration and per retrieval.
 */
export function encodeInclusionReceipt(
  protectedBytes: Uint8Array,
  proof: Uint8Array,
  signature: Uint8Array,
): Uint8Array {
  const unprotected = concatBytes([INCLUSION_VDP_HEAD, byteStringHead(proof.length), proof])
  return encodeSign1WithUnprotected({ protectedBytes, payload: null, signature }, unprotected)
}

/** A receipt of inclusion for leaf `leafIndex` of `tree` at `treeSize` (default: the current size). */
export function createReceiptFromTree(
  tree: MerkleTree,
  leafIndex: number,
  signer: ReceiptSigner & { readonly treeSize?: number },
): Uint8Array {
  const treeSize = signer.treeSize ?? tree.size
  return createReceipt({
    ...signer,
    treeSize,
    leafIndex,
    inclusionPath: tree.inclusionProof(leafIndex, treeSize),
    leafHash: tree.leafHash(leafIndex),
    root: tree.root(treeSize),
  })
}

/** Options of `verifyReceipt`: give the leaf hash, or the statement to compute it by the leaf rule. */
export interface VerifyReceiptOptions {
  readonly leafHash?: Uint8Array
  readonly statement?: Uint8Array | Sign1
  /** Pinned log keys (the service's COSE Key Set, retired keys included). */
  readonly logKeys: readonly VerificationKey[]
  /** When set, the receipt's CWT iss must equal it. */
  readonly issuer?: string
}

/** What a verified receipt of inclusion proves. */
export interface VerifiedReceipt extends InclusionProof {
  /** The root the proof leads to, which the log signed. */
  readonly root: Uint8Array
  readonly iss: string
  readonly iat?: number
  readonly kid: Uint8Array
  readonly alg: CoseAlgorithmName
}

/** A receipt of inclusion decoded and checked up to, not including, the proof walk and the signature. */
export interface ReadInclusionReceipt {
  readonly message: Sign1
  readonly proof: InclusionProof
  readonly claims: ReceiptClaims
  readonly leaf: Uint8Array
}

/** Decoding and layout checks of `verifyReceipt` (strict tagged COSE_Sign1, vds = 1, one inclusion proof). */
export function readInclusionReceipt(
  receipt: Uint8Array | Sign1,
  options: VerifyReceiptOptions,
): ReadInclusionReceipt {
  if ((options.leafHash === undefined) === (options.statement === undefined)) {
    throw new LedgerError('LEDGER_BAD_ARGUMENT', 'Pass exactly one of leafHash and statement.')
  }
  const leaf = options.leafHash ?? statementLeafHash(options.statement as Uint8Array | Sign1)
  const message =
    receipt instanceof Uint8Array ? decodeSign1(receipt, { requireTag: true }) : receipt
  const { proof: encoded, claims } = readReceipt(message, VDP.inclusion, options.issuer)
  return { message, proof: decodeInclusionProof(encoded), claims, leaf }
}

/** The root the receipt's proof leads to from its leaf (RFC 9162 §2.1.3.2); LEDGER_PROOF_INVALID if none. */
export function receiptRoot(read: ReadInclusionReceipt): Uint8Array {
  const { proof, leaf } = read
  const root = rootFromInclusionProof(leaf, proof.leafIndex, proof.treeSize, proof.inclusionPath)
  if (root === undefined) {
    throw new LedgerError(
      'LEDGER_PROOF_INVALID',
      `The inclusion path does not fit leaf ${proof.leafIndex} of a tree of ${proof.treeSize} (RFC 9162 §2.1.3.2).`,
    )
  }
  return root
}

/**
 * Verifies a receipt of inclusion for a leaf (scitt.md §4.1 step 5): strict tagged COSE_Sign1, vds = 1,
 * exactly one inclusion proof with 32-byte hashes and index < size, the root recomputed per RFC 9162
 * §2.1.3.2, then the log signature over that root. Throws LedgerError; returns what it proves. For many
 * receipts, `createReceiptVerifier` (receipt-verifier.ts) gives the same verdicts faster.
 */
export function verifyReceipt(
  receipt: Uint8Array | Sign1,
  options: VerifyReceiptOptions,
): VerifiedReceipt {
  const read = readInclusionReceipt(receipt, options)
  const root = receiptRoot(read)
  const key = verifyReceiptSignature(read.message, options.logKeys, root, read.claims)
  return { ...read.proof, root, ...read.claims, kid: key.kid, alg: key.alg }
}
