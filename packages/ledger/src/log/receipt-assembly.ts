/**
 * @module How the log makes receipts reproducible. A receipt of inclusion (RFC 9942 §5.2) is a COSE_Sign1
 * whose protected header (alg, kid, typ, CWT iss and iat, vds) and signature cover only the detached root, while
 * the proof [tree-size, leaf-index, path] travels unprotected. So one signature over the root at the end of an
 * append batch serves every entry of the batch (one ECDSA signature per batch, not per statement), and storing
 * that signed root lets the log rebuild any receipt byte for byte at any later time, after a restart or a key
 * rotation: the path comes from the stored nodes, which never change. ECDSA being randomised, re-signing would
 * give different bytes; reassembling does not.
 */
import { decodeSign1, signSign1 } from '../cose/sign1.js'
import { LedgerError } from '../errors/ledger-error.js'
import { bytesEqual } from '../internal/bytes.js'
import type { SigningKey } from '../keys/key-types.js'
import { leafHash } from '../merkle/hash.js'
import type { NodeAddress } from '../merkle/node-store.js'
import { inclusionPath, type NodeReader, nodesForInclusionProof } from '../merkle/proofs.js'
import { createInclusionChecker, type InclusionChecker } from '../merkle/verify-inclusion.js'
import { encodeInclusionReceipt } from '../receipt/inclusion-receipt.js'
import { encodeInclusionProof } from '../receipt/proof-codec.js'
import { receiptProtectedHeader } from '../receipt/receipt-header.js'
import type { LedgerEntry, LedgerStorage, SignedRoot } from './ledger-storage.js'
import { PrefetchedNodeStore } from './prefetched-node-store.js'

/** Signs the root at `treeSize` as receipts carry it; `registeredAt` (ms) becomes the receipts' iat. */
export function signRoot(
  key: SigningKey,
  issuer: string,
  root: Uint8Array,
  treeSize: number,
  registeredAt: number,
): SignedRoot {
  const signed = signSign1({
    key,
    protectedHeader: receiptProtectedHeader({
      issuer,
      issuedAt: Math.floor(registeredAt / 1000),
      key,
    }),
    payload: root,
    detached: true,
  })
  const message = decodeSign1(signed, { requireTag: true })
  return {
    treeSize,
    root,
    protectedHeader: message.protectedBytes,
    signature: message.signature,
    kid: key.kid,
  }
}

function corrupt(message: string): LedgerError {
  return new LedgerError('LEDGER_STORE_CORRUPT', message)
}

/**
 * The receipt of `entry` under `signed`: the inclusion path read through `read`, checked to lead from the
 * entry's leaf to the signed root (so storage damage shows as LEDGER_STORE_CORRUPT, never as a receipt that
 * does not verify), then the stored protected header and signature around it. The receipts of one batch pass
 * one `check` (a checker of `signed`), which hashes their shared nodes once.
 */
export function assembleReceipt(
  entry: LedgerEntry,
  signed: SignedRoot,
  read: NodeReader,
  check: InclusionChecker = createInclusionChecker(signed.treeSize, signed.root),
): Uint8Array {
  const treeSize = signed.treeSize
  const path = inclusionPath(read, entry.index, treeSize)
  if (!check(entry.leafHash, entry.index, path)) {
    throw corrupt(
      `The stored nodes do not lead from entry ${entry.entryId} (leaf ${entry.index}) to the signed root at size ${treeSize}.`,
    )
  }
  const proof = encodeInclusionProof({ treeSize, leafIndex: entry.index, inclusionPath: path })
  return encodeInclusionReceipt(signed.protectedHeader, proof, signed.signature)
}

/** Checks that a stored entry's leaf hash is the hash of its stored statement (the leaf rule). */
export function checkEntryLeaf(entry: LedgerEntry): void {
  if (!bytesEqual(leafHash(entry.statement), entry.leafHash)) {
    throw corrupt(`The stored statement of entry ${entry.entryId} does not hash to its leaf hash.`)
  }
}

/** Fetches into `store` the nodes among `addresses` it lacks, in one storage call. */
export async function prefetchNodes(
  storage: LedgerStorage,
  store: PrefetchedNodeStore,
  addresses: readonly NodeAddress[],
): Promise<void> {
  const missing = store.missing(addresses)
  if (missing.length === 0) return
  const hashes = await storage.nodes(missing)
  store.add(
    missing.flatMap((address, i) => {
      const hash = hashes[i]
      return hash === undefined ? [] : [{ ...address, hash }]
    }),
  )
}

/** The receipt of a stored entry, rebuilt from its stored signed root and nodes: the same bytes every time. */
export async function receiptFromStorage(
  storage: LedgerStorage,
  entry: LedgerEntry,
): Promise<Uint8Array> {
  const signed = await storage.signedRoot(entry.receiptTreeSize)
  if (signed === undefined) {
    throw corrupt(
      `The signed root at size ${entry.receiptTreeSize} of entry ${entry.entryId} is missing.`,
    )
  }
  checkEntryLeaf(entry)
  const nodes = new PrefetchedNodeStore(signed.treeSize)
  await prefetchNodes(storage, nodes, nodesForInclusionProof(entry.index, signed.treeSize))
  return assembleReceipt(entry, signed, nodes.reader())
}
