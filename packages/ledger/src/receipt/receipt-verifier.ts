/**
 * @module Verifying many receipts of inclusion: the same checks and verdicts as `verifyReceipt`, with the work
 * that receipts share done once.
 *
 * A log that appends in batches signs one root per batch (this one does, receipt-assembly.ts), so the receipts
 * of a batch carry the same protected header and signature over the same root and differ only in their proofs.
 * Once that signature has verified over root R, another receipt with the same protected bytes and signature
 * whose proof leads from its leaf to R is valid: its signed content is byte for byte what was verified. The
 * verifier remembers R per (protected header, signature) and checks such receipts with an inclusion checker
 * that hashes their shared nodes once (merkle/verify-inclusion.ts). A receipt whose proof does not lead to the
 * remembered root is verified in full, so a verdict never depends on which receipt came first.
 *
 * Given a verify pool (cose/verify-pool.ts), signature checks run in worker threads while this thread decodes
 * and walks proofs, so receipts of different batches verify on every core.
 */
import type { CoseAlgorithmName } from '../cose/algorithms.js'
import type { Sign1 } from '../cose/sign1.js'
import type { VerifyPool } from '../cose/verify-pool.js'
import { isLedgerError, type LedgerErrorCode } from '../errors/ledger-error.js'
import { toHex } from '../internal/bytes.js'
import type { VerificationKey } from '../keys/key-types.js'
import { createInclusionChecker, type InclusionChecker } from '../merkle/verify-inclusion.js'
import {
  type ReadInclusionReceipt,
  readInclusionReceipt,
  receiptRoot,
  type VerifiedReceipt,
} from './inclusion-receipt.js'
import { verifyReceiptSignatureAsync } from './receipt-header.js'

/** Options of `createReceiptVerifier`. */
export interface ReceiptVerifierOptions {
  /** Pinned log keys (the service's COSE Key Set, retired keys included). */
  readonly logKeys: readonly VerificationKey[]
  /** When set, every receipt's CWT iss must equal it. */
  readonly issuer?: string
  /** Signed roots remembered at most (oldest forgotten first). Default 4,096. */
  readonly maxSignedRoots?: number
  /** Worker threads for the signature checks; without one they run on this thread. */
  readonly pool?: VerifyPool
}

/** What to verify: a receipt and the leaf hash it is for, or the statement to compute that hash from. */
export interface ReceiptToVerify {
  readonly receipt: Uint8Array | Sign1
  readonly leafHash?: Uint8Array
  readonly statement?: Uint8Array | Sign1
}

/** One verdict of `verifyReceipts`, with the reason on failure (RFC 9942 §5.2: one boolean per receipt). */
export type ReceiptCheck =
  | { readonly valid: true; readonly receipt: VerifiedReceipt }
  | { readonly valid: false; readonly code: LedgerErrorCode; readonly reason: string }

/** A verifier that remembers the signed roots it verified (see the module comment). */
export interface ReceiptVerifier {
  /** Verifies one receipt; rejects with the LedgerError `verifyReceipt` would throw. */
  verify(item: ReceiptToVerify): Promise<VerifiedReceipt>
}

/** A root whose signature verified, and what it proves for every receipt that leads to it. */
interface SignedRoot {
  readonly treeSize: number
  readonly root: Uint8Array
  readonly check: InclusionChecker
  readonly kid: Uint8Array
  readonly alg: CoseAlgorithmName
}

/** The signed content of a receipt short of its root: protected bytes and signature, as a map key. */
function signatureKey(message: Sign1): string {
  return `${toHex(message.protectedBytes)}.${toHex(message.signature)}`
}

/** Creates a verifier over pinned log keys. */
export function createReceiptVerifier(options: ReceiptVerifierOptions): ReceiptVerifier {
  const max = options.maxSignedRoots ?? 4096
  const verified = new Map<string, SignedRoot>()
  /** The first signature check running per signature key: receipts of that batch wait for it. */
  const establishing = new Map<string, Promise<SignedRoot>>()

  const result = (read: ReadInclusionReceipt, signed: SignedRoot): VerifiedReceipt => ({
    ...read.proof,
    root: signed.root,
    ...read.claims,
    kid: signed.kid,
    alg: signed.alg,
  })

  const fits = (read: ReadInclusionReceipt, signed: SignedRoot | undefined): signed is SignedRoot =>
    signed !== undefined &&
    signed.treeSize === read.proof.treeSize &&
    signed.check(read.leaf, read.proof.leafIndex, read.proof.inclusionPath)

  async function checkSignature(read: ReadInclusionReceipt, root: Uint8Array): Promise<SignedRoot> {
    const logKey = await verifyReceiptSignatureAsync(
      read.message,
      options.logKeys,
      root,
      read.claims,
      options.pool,
    )
    const treeSize = read.proof.treeSize
    return {
      treeSize,
      root,
      check: createInclusionChecker(treeSize, root),
      kid: logKey.kid,
      alg: logKey.alg,
    }
  }

  return {
    async verify(item) {
      const read = readInclusionReceipt(item.receipt, {
        logKeys: options.logKeys,
        ...(item.leafHash === undefined ? {} : { leafHash: item.leafHash }),
        ...(item.statement === undefined ? {} : { statement: item.statement }),
        ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
      })
      const key = signatureKey(read.message)
      const known = verified.get(key)
      if (fits(read, known)) return result(read, known)
      const first = known === undefined ? establishing.get(key) : undefined
      if (first !== undefined) {
        // Another receipt of the same batch is being verified: its root is likely this one's too.
        const signed = await first.catch(() => undefined)
        if (fits(read, signed)) return result(read, signed)
      }
      const check = checkSignature(read, receiptRoot(read))
      if (!verified.has(key) && !establishing.has(key)) {
        establishing.set(key, check)
        check.then(
          (signed) => {
            establishing.delete(key)
            if (verified.size >= max) verified.delete(verified.keys().next().value as string)
            verified.set(key, signed)
          },
          () => establishing.delete(key),
        )
      }
      return result(read, await check)
    },
  }
}

/**
 * Verifies every receipt of `items` with one verifier, `concurrency` at a time (default 64), and answers one
 * verdict each in the same order. Only LedgerErrors become verdicts; anything else rejects.
 */
export async function verifyReceipts(
  items: readonly ReceiptToVerify[],
  options: ReceiptVerifierOptions & { readonly concurrency?: number },
): Promise<ReceiptCheck[]> {
  const verifier = createReceiptVerifier(options)
  const out: ReceiptCheck[] = new Array(items.length)
  let next = 0
  const lane = async () => {
    while (next < items.length) {
      const i = next++
      try {
        out[i] = { valid: true, receipt: await verifier.verify(items[i] as ReceiptToVerify) }
      } catch (error) {
        if (!isLedgerError(error)) throw error
        out[i] = { valid: false, code: error.code, reason: error.message }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 64) }, lane))
  return out
}
