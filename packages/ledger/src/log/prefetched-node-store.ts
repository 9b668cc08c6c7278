/**
 * @module A NodeStore over node hashes fetched ahead of time. `MerkleTree` and the proof functions read nodes
 * synchronously, but a database may only answer asynchronously; since the addresses a computation reads depend
 * only on sizes and indices (`frontierAddresses`, `nodesForInclusionProof`, ...), the log fetches them in one
 * query and runs the synchronous code over this store. An append needs only the right edge (O(log n) nodes) and
 * collects the nodes it completes through `commit`, for the storage to write in the same transaction.
 */
import { LedgerError } from '../errors/ledger-error.js'
import type { NodeAddress, NodeStore, StoredNode } from '../merkle/node-store.js'
import type { NodeReader } from '../merkle/proofs.js'

function key(level: number, index: number): string {
  return `${level}/${index}`
}

/** Node hashes held in memory for one computation; see the module comment. */
export class PrefetchedNodeStore implements NodeStore {
  readonly #nodes = new Map<string, Uint8Array>()
  readonly #committed: StoredNode[] = []
  #leafCount: number

  constructor(leafCount: number, nodes: Iterable<StoredNode> = []) {
    this.#leafCount = leafCount
    this.add(nodes)
  }

  /** Adds fetched (or newly computed) nodes. */
  add(nodes: Iterable<StoredNode>): void {
    for (const node of nodes) this.#nodes.set(key(node.level, node.index), node.hash)
  }

  leafCount(): number {
    return this.#leafCount
  }

  getNode(level: number, index: number): Uint8Array | undefined {
    return this.#nodes.get(key(level, index))
  }

  /** Records what an append completed; the storage writes it (all or nothing) in the append transaction. */
  commit(nodes: readonly StoredNode[], leafCount: number): void {
    this.add(nodes)
    this.#committed.push(...nodes)
    this.#leafCount = leafCount
  }

  /** The nodes committed through this store, in commit order. */
  get committed(): readonly StoredNode[] {
    return this.#committed
  }

  /** The addresses among `addresses` this store does not hold yet, without duplicates. */
  missing(addresses: readonly NodeAddress[]): NodeAddress[] {
    const seen = new Set<string>()
    const out: NodeAddress[] = []
    for (const address of addresses) {
      const k = key(address.level, address.index)
      if (this.#nodes.has(k) || seen.has(k)) continue
      seen.add(k)
      out.push(address)
    }
    return out
  }

  /** A NodeReader that throws LEDGER_STORE_CORRUPT for a node the storage did not return. */
  reader(): NodeReader {
    return (level, index) => {
      const hash = this.#nodes.get(key(level, index))
      if (hash === undefined) {
        throw new LedgerError(
          'LEDGER_STORE_CORRUPT',
          `The log storage lacks Merkle node (${level}, ${index}); restore it from a backup or replay the entries.`,
        )
      }
      return hash
    }
  }
}
