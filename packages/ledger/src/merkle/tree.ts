/**
 * @module An append-only RFC 9162 Merkle tree over a NodeStore: append leaves, and compute the root, inclusion
 * proofs and consistency proofs for any earlier size. The right edge of the tree (one perfect-subtree hash per
 * set bit of the size, the "frontier") is kept in memory, so an append writes its completed nodes without
 * reading any, and the current root needs no store read.
 */
import { LedgerError } from '../errors/ledger-error.js'
import { emptyRoot, HASH_SIZE, isTreeCount, leafHash, nodeHash } from './hash.js'
import { MemoryNodeStore, type NodeStore, type StoredNode } from './node-store.js'
import { consistencyPath, inclusionPath, type NodeReader, rootOf } from './proofs.js'

function bad(message: string): LedgerError {
  return new LedgerError('LEDGER_BAD_ARGUMENT', message)
}

/** Bit `level` of n (n may exceed 2^32, so no bitwise operators). */
function bit(n: number, level: number): boolean {
  return Math.floor(n / 2 ** level) % 2 === 1
}

/** An RFC 9162 §2.1 Merkle tree with SHA-256. */
export class MerkleTree {
  readonly #store: NodeStore
  readonly #read: NodeReader
  /** frontier[L] = hash of the perfect subtree of 2^L leaves on the right edge, when bit L of size is set. */
  #frontier: (Uint8Array | undefined)[] = []
  #size: number

  /** Opens a tree over `store` (default: a new in-memory store), loading its right edge in O(log n). */
  constructor(store: NodeStore = new MemoryNodeStore()) {
    this.#store = store
    this.#read = (level, index) => {
      const hash = store.getNode(level, index)
      if (hash === undefined) {
        throw new LedgerError(
          'LEDGER_STORE_CORRUPT',
          `The node store lacks node (${level}, ${index}) for ${store.leafCount()} leaves.`,
        )
      }
      return hash
    }
    this.#size = store.leafCount()
    if (!isTreeCount(this.#size)) {
      throw new LedgerError('LEDGER_STORE_CORRUPT', `Leaf count ${this.#size} is not a tree size.`)
    }
    for (let level = 0; 2 ** level <= this.#size; level++) {
      if (bit(this.#size, level)) {
        this.#frontier[level] = this.#read(level, Math.floor(this.#size / 2 ** level) - 1)
      }
    }
  }

  /** Number of leaves. */
  get size(): number {
    return this.#size
  }

  /** Appends one leaf input (hashed as SHA-256(0x00 || leaf), RFC 9162 §2.1.1); returns its index. */
  append(leafInput: Uint8Array): number {
    return this.appendLeafHashes([leafHash(leafInput)])
  }

  /** Appends one leaf by its leaf hash (already SHA-256(0x00 || leaf)); returns its index. */
  appendLeafHash(hash: Uint8Array): number {
    return this.appendLeafHashes([hash])
  }

  /**
   * Appends leaves by their leaf hashes in one store commit; returns the index of the first. Nothing changes
   * when the commit throws.
   */
  appendLeafHashes(hashes: readonly Uint8Array[]): number {
    const first = this.#size
    const frontier = [...this.#frontier]
    const nodes: StoredNode[] = []
    let size = first
    for (const hash of hashes) {
      if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) {
        throw bad(`A leaf hash must be ${HASH_SIZE} bytes.`)
      }
      let carry: Uint8Array = new Uint8Array(hash)
      let level = 0
      let index = size
      nodes.push({ level, index, hash: carry })
      // Each set low bit of the old size is a left sibling waiting on the frontier: merge upwards.
      while (index % 2 === 1) {
        carry = nodeHash(frontier[level] as Uint8Array, carry)
        frontier[level] = undefined
        level++
        index = (index - 1) / 2
        nodes.push({ level, index, hash: carry })
      }
      frontier[level] = carry
      size++
    }
    this.#store.commit(nodes, size)
    this.#frontier = frontier
    this.#size = size
    return first
  }

  /** The leaf hash at `index`. */
  leafHash(index: number): Uint8Array {
    this.#checkIndex(index, this.#size)
    return this.#read(0, index)
  }

  /** MTH of the first `size` leaves (default: all); SHA-256("") for the empty tree (RFC 9162 §2.1.1). */
  root(size: number = this.#size): Uint8Array {
    this.#checkSize(size)
    if (size === 0) return emptyRoot()
    if (size === this.#size) {
      // Fold the right edge from the smallest subtree up: MTH = H(T_big, H(..., H(T_small2, T_small1))).
      let root: Uint8Array | undefined
      for (const hash of this.#frontier) {
        if (hash !== undefined) root = root === undefined ? hash : nodeHash(hash, root)
      }
      return new Uint8Array(root as Uint8Array)
    }
    return rootOf(this.#read, size)
  }

  /** The audit path of leaf `index` in the tree of `size` leaves (RFC 9162 §2.1.3.1). */
  inclusionProof(index: number, size: number = this.#size): Uint8Array[] {
    this.#checkSize(size)
    this.#checkIndex(index, size)
    return inclusionPath(this.#read, index, size)
  }

  /**
   * The consistency proof between the trees of `size1` and `size2` leaves (RFC 9162 §2.1.4.1). Requires
   * 0 < size1 <= size2; equal sizes give the empty proof.
   */
  consistencyProof(size1: number, size2: number = this.#size): Uint8Array[] {
    this.#checkSize(size2)
    if (!isTreeCount(size1) || size1 < 1 || size1 > size2) {
      throw bad(
        `size1 must be in [1, ${size2}], not ${size1}: a consistency proof from the empty tree proves nothing.`,
      )
    }
    if (size1 === size2) return []
    return consistencyPath(this.#read, size1, size2)
  }

  #checkSize(size: number): void {
    if (!isTreeCount(size) || size > this.#size) {
      throw bad(`Tree size ${size} is not in [0, ${this.#size}].`)
    }
  }

  #checkIndex(index: number, size: number): void {
    if (!isTreeCount(index) || index >= size) {
      throw bad(`Leaf index ${index} is not in [0, ${size}).`)
    }
  }
}
