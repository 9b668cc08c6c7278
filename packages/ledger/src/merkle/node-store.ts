/**
 * @module Where a Merkle tree keeps its node hashes. A NodeStore holds the hash of every complete (perfect)
 * subtree, addressed by (level, index): level L, index i covers leaves [i * 2^L, (i + 1) * 2^L). Those
 * nodes never change once written (RFC 9162 trees are append-only), so a store only ever appends; every
 * other hash the tree needs (roots of any size, proof elements over ragged right edges) is derived from them
 * with O(log n) reads. `MemoryNodeStore` is the first implementation; a persistent one implements the same
 * three methods and must make `commit` atomic.
 */
import { LedgerError } from '../errors/ledger-error.js'
import { HASH_SIZE } from './hash.js'

/** The position of a perfect subtree: 2^level leaves starting at leaf index * 2^level. */
export interface NodeAddress {
  readonly level: number
  readonly index: number
}

/** A node hash with its address. */
export interface StoredNode extends NodeAddress {
  readonly hash: Uint8Array
}

/** Storage of perfect-subtree hashes plus the leaf count they describe. */
export interface NodeStore {
  /** Number of leaves whose nodes are stored. */
  leafCount(): number
  /** The hash at (level, index), or undefined when that subtree is not (yet) complete. */
  getNode(level: number, index: number): Uint8Array | undefined
  /**
   * Stores the nodes completed by one or more appends together with the new leaf count, all or nothing, so
   * that a crash never leaves a leaf count whose nodes are missing (the scittles durability bug, scitt.md §3.1).
   */
  commit(nodes: readonly StoredNode[], leafCount: number): void
}

interface Level {
  bytes: Uint8Array
  count: number
}

/**
 * An in-memory NodeStore: one flat, growing byte array per level (32 bytes per node), which keeps 10^6 leaves
 * at about 64 MB instead of two million small objects.
 */
export class MemoryNodeStore implements NodeStore {
  readonly #levels: Level[] = []
  #leafCount = 0

  leafCount(): number {
    return this.#leafCount
  }

  getNode(level: number, index: number): Uint8Array | undefined {
    const row = this.#levels[level]
    if (row === undefined || index < 0 || index >= row.count) return undefined
    return row.bytes.slice(index * HASH_SIZE, (index + 1) * HASH_SIZE)
  }

  commit(nodes: readonly StoredNode[], leafCount: number): void {
    if (!Number.isSafeInteger(leafCount) || leafCount < this.#leafCount) {
      throw new LedgerError(
        'LEDGER_STORE_CORRUPT',
        `Leaf count ${leafCount} would shrink the tree from ${this.#leafCount}; a log only grows.`,
      )
    }
    // Validate everything first so that a bad batch changes nothing (all or nothing).
    const next = this.#levels.map((row) => row.count)
    for (const node of nodes) {
      const expected = next[node.level] ?? 0
      if (node.hash.length !== HASH_SIZE || node.index !== expected) {
        throw new LedgerError(
          'LEDGER_STORE_CORRUPT',
          `Node (${node.level}, ${node.index}) is out of order or not ${HASH_SIZE} bytes; nodes are appended in index order.`,
        )
      }
      next[node.level] = expected + 1
    }
    for (const node of nodes) this.#append(node)
    this.#leafCount = leafCount
  }

  #append(node: StoredNode): void {
    while (this.#levels.length <= node.level) {
      this.#levels.push({ bytes: new Uint8Array(HASH_SIZE * 64), count: 0 })
    }
    const row = this.#levels[node.level] as Level
    if ((row.count + 1) * HASH_SIZE > row.bytes.length) {
      const grown = new Uint8Array(row.bytes.length * 2)
      grown.set(row.bytes)
      row.bytes = grown
    }
    row.bytes.set(node.hash, row.count * HASH_SIZE)
    row.count++
  }
}
