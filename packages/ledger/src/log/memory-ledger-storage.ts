/**
 * @module An in-memory LedgerStorage, for tests and for a throw-away log. It keeps the contract of the
 * persistent adapters (same checks, all-or-nothing appends, one key current), so the contract suite runs on it
 * too; an append reads and writes without awaiting in between, which makes it atomic within the process.
 * Opening a second TransparencyLog on the same instance is the in-memory picture of a restart.
 */
import { LedgerError } from '../errors/ledger-error.js'
import { bytesEqual, copyBytes, toHex } from '../internal/bytes.js'
import type { NodeAddress, StoredNode } from '../merkle/node-store.js'
import {
  type AppendPlan,
  type AppendState,
  checkAppendBatch,
  frontierAddresses,
  type LedgerEntry,
  type LedgerStorage,
  type LogState,
  type SignedRoot,
  type StoredCheckpoint,
  type StoredLogKey,
  type SubjectQuery,
} from './ledger-storage.js'

function nodeKey(level: number, index: number): string {
  return `${level}/${index}`
}

/** The in-memory LedgerStorage (see the module comment). */
export class MemoryLedgerStorage implements LedgerStorage {
  readonly #entries: LedgerEntry[] = []
  readonly #byId = new Map<string, LedgerEntry>()
  readonly #nodes = new Map<string, Uint8Array>()
  readonly #signedRoots = new Map<number, SignedRoot>()
  readonly #checkpoints = new Map<number, StoredCheckpoint>()
  #keys: StoredLogKey[] = []
  #lastRegisteredAt = 0

  async state(): Promise<LogState> {
    return this.#state()
  }

  #state(): LogState {
    const size = this.#entries.length
    const frontier: StoredNode[] = frontierAddresses(size).map(({ level, index }) => {
      const hash = this.#nodes.get(nodeKey(level, index))
      if (hash === undefined) {
        throw new LedgerError('LEDGER_STORE_CORRUPT', `Node (${level}, ${index}) is missing.`)
      }
      return { level, index, hash }
    })
    const current = this.#keys.find((k) => k.status === 'current')
    return {
      size,
      frontier,
      lastRegisteredAt: this.#lastRegisteredAt,
      currentKid: current?.kid,
    }
  }

  async append<T>(
    candidateIds: readonly string[],
    build: (state: AppendState) => AppendPlan<T>,
  ): Promise<T> {
    const existing = new Map<string, LedgerEntry>()
    for (const id of candidateIds) {
      const entry = this.#byId.get(id)
      if (entry !== undefined) existing.set(id, entry)
    }
    const state = { ...this.#state(), existing }
    const plan = build(state)
    const batch = plan.batch
    if (batch === undefined) return plan.result
    checkAppendBatch(state, batch)
    for (const entry of batch.entries) {
      if (this.#byId.has(entry.entryId)) {
        throw new LedgerError('LEDGER_STORE_CORRUPT', `Entry ${entry.entryId} exists already.`)
      }
    }
    for (const node of batch.nodes) {
      if (this.#nodes.has(nodeKey(node.level, node.index))) {
        throw new LedgerError('LEDGER_STORE_CORRUPT', `Node (${node.level}, ${node.index}) exists.`)
      }
    }
    // Everything is checked: write (no await in between, so no other call sees half of it).
    for (const entry of batch.entries) {
      const copy = {
        ...entry,
        statement: copyBytes(entry.statement),
        leafHash: copyBytes(entry.leafHash),
      }
      this.#entries.push(copy)
      this.#byId.set(entry.entryId, copy)
      this.#lastRegisteredAt = Math.max(this.#lastRegisteredAt, entry.registeredAt)
    }
    for (const node of batch.nodes)
      this.#nodes.set(nodeKey(node.level, node.index), copyBytes(node.hash))
    this.#signedRoots.set(batch.signedRoot.treeSize, batch.signedRoot)
    return plan.result
  }

  async entryById(entryId: string): Promise<LedgerEntry | undefined> {
    return this.#byId.get(entryId)
  }

  async entryByIndex(index: number): Promise<LedgerEntry | undefined> {
    return this.#entries[index]
  }

  async entries(start: number, limit: number): Promise<LedgerEntry[]> {
    return this.#entries.slice(Math.max(0, start), Math.max(0, start) + Math.max(0, limit))
  }

  async entriesBySubject(sub: string, query: SubjectQuery): Promise<LedgerEntry[]> {
    const after = query.afterIndex ?? -1
    const out: LedgerEntry[] = []
    for (const entry of this.#entries) {
      if (out.length >= query.limit) break
      if (entry.index > after && entry.sub === sub) out.push(entry)
    }
    return out
  }

  async nodes(addresses: readonly NodeAddress[]): Promise<(Uint8Array | undefined)[]> {
    return addresses.map(({ level, index }) => this.#nodes.get(nodeKey(level, index)))
  }

  async signedRoot(treeSize: number): Promise<SignedRoot | undefined> {
    return this.#signedRoots.get(treeSize)
  }

  async putCheckpoint(checkpoint: StoredCheckpoint): Promise<StoredCheckpoint> {
    const stored = this.#checkpoints.get(checkpoint.treeSize)
    if (stored !== undefined) return stored
    this.#checkpoints.set(checkpoint.treeSize, checkpoint)
    return checkpoint
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    let latest: StoredCheckpoint | undefined
    for (const checkpoint of this.#checkpoints.values()) {
      if (latest === undefined || checkpoint.treeSize > latest.treeSize) latest = checkpoint
    }
    return latest
  }

  async checkpointAt(treeSize: number): Promise<StoredCheckpoint | undefined> {
    return this.#checkpoints.get(treeSize)
  }

  async keys(): Promise<StoredLogKey[]> {
    return [...this.#keys]
  }

  async activateKey(key: {
    readonly kid: Uint8Array
    readonly coseKey: Uint8Array
    readonly activatedAt: number
  }): Promise<void> {
    const known = this.#keys.find((k) => bytesEqual(k.kid, key.kid))
    if (known?.status === 'current') return
    if (known !== undefined) {
      throw new LedgerError(
        'LEDGER_KEY_RETIRED',
        `Log key ${toHex(key.kid)} was retired at ${new Date(known.retiredAt ?? 0).toISOString()}; configure the current key.`,
      )
    }
    this.#keys = [
      ...this.#keys.map((k) =>
        k.status === 'current'
          ? { ...k, status: 'retired' as const, retiredAt: key.activatedAt }
          : k,
      ),
      {
        kid: copyBytes(key.kid),
        coseKey: copyBytes(key.coseKey),
        status: 'current',
        activatedAt: key.activatedAt,
        retiredAt: undefined,
      },
    ]
  }

  async close(): Promise<void> {
    // Nothing to release: the data lives as long as the object, so a "restart" reopens the same instance.
  }
}
