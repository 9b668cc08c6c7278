/**
 * @module A TokenStore held in memory: for tests and for embedding the HTTP API without a database. Records are
 * copied in and out, so callers cannot change what is stored.
 */
import type { TokenRecord, TokenStore } from '../ports/token-store.js'

/** A new empty (or pre-filled) in-memory TokenStore. */
export function createMemoryTokenStore(initial: readonly TokenRecord[] = []): TokenStore {
  const byHash = new Map<string, TokenRecord>()
  for (const record of initial) byHash.set(record.hash, { ...record })
  return {
    async add(record) {
      byHash.set(record.hash, { ...record })
    },
    async findByHash(hash) {
      const record = byHash.get(hash)
      return record === undefined ? undefined : { ...record }
    },
    async list() {
      return [...byHash.values()].map((record) => ({ ...record }))
    },
    async revoke(id) {
      for (const [hash, record] of byHash) {
        if (record.id === id) {
          byHash.delete(hash)
          return true
        }
      }
      return false
    },
    async count() {
      return byHash.size
    },
  }
}
