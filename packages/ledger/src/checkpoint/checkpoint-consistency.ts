/**
 * @module The append-only check between two verified checkpoints of one log (scitt.md §4.1 step 6): the
 * newer one must not be smaller or older, and a consistency proof (RFC 9162 §2.1.4.2) must show that the
 * older tree is a prefix of the newer one. Two checkpoints of equal size must carry the same root; anything
 * else is evidence of a forked (split-view) log.
 */
import { LedgerError } from '../errors/ledger-error.js'
import { bytesEqual } from '../internal/bytes.js'
import { verifyConsistency } from '../merkle/verify-consistency.js'
import type { VerifiedCheckpoint } from './checkpoint.js'

function invalid(message: string): LedgerError {
  return new LedgerError('LEDGER_CHECKPOINT_INVALID', message)
}

/**
 * Throws LEDGER_CHECKPOINT_INVALID unless `newer` extends `older` through `proof` (the consistency proof from
 * older.treeSize to newer.treeSize; empty when the sizes are equal or the older tree is empty).
 */
export function checkCheckpointConsistency(
  older: VerifiedCheckpoint,
  newer: VerifiedCheckpoint,
  proof: readonly Uint8Array[],
): void {
  if (older.iss !== newer.iss)
    throw invalid(`The checkpoints come from different logs (${older.iss}, ${newer.iss}).`)
  if (newer.treeSize < older.treeSize) {
    throw invalid(
      `The newer checkpoint has ${newer.treeSize} entries, fewer than ${older.treeSize}: a log never shrinks.`,
    )
  }
  if (newer.timestamp < older.timestamp) {
    throw invalid('The checkpoint with more entries is dated earlier: times must not go backwards.')
  }
  if (older.treeSize === newer.treeSize) {
    if (proof.length !== 0 || !bytesEqual(older.root, newer.root)) {
      throw invalid(
        `Two checkpoints of size ${older.treeSize} with different roots: the log has forked.`,
      )
    }
    return
  }
  // Every tree extends the empty tree; RFC 9162 defines no proof for it.
  if (older.treeSize === 0) {
    if (proof.length !== 0) throw invalid('A consistency proof from the empty tree must be empty.')
    return
  }
  if (!verifyConsistency(older.treeSize, newer.treeSize, proof, older.root, newer.root)) {
    throw invalid(
      `The consistency proof does not show the tree of ${older.treeSize} is a prefix of the tree of ${newer.treeSize} (RFC 9162 §2.1.4.2).`,
    )
  }
}
