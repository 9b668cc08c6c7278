/**
 * @module A TokenStore decorator that remembers found tokens for a few seconds, so the ingest path does not pay a
 * database round trip per request. Only hits are cached (a flood of wrong tokens cannot grow the cache), the
 * cache is bounded, and revocation through this decorator drops the entry at once; a revocation made by another
 * process takes effect within `ttlMs`.
 */
import type { TokenRecord, TokenStore } from '../ports/token-store.js'

export interface CachedTokenStoreOptions {
  /** How long a found token is trusted without asking the store again (default 5,000 ms). */
  readonly ttlMs?: number
  /** Entries kept at most (default 1,000). */
  readonly maxEntries?: number
  readonly now: () => number
}

/** Wraps `inner`; every method but `findByHash` passes straight through. */
export function cachedTokenStore(inner: TokenStore, options: CachedTokenStoreOptions): TokenStore {
  const ttlMs = options.ttlMs ?? 5_000
  const maxEntries = options.maxEntries ?? 1_000
  const cache = new Map<string, { readonly record: TokenRecord; readonly expires: number }>()
  return {
    add: (record) => inner.add(record),
    list: () => inner.list(),
    count: () => inner.count(),
    async revoke(id) {
      for (const [hash, entry] of cache) if (entry.record.id === id) cache.delete(hash)
      return inner.revoke(id)
    },
    async findByHash(hash) {
      const now = options.now()
      const hit = cache.get(hash)
      if (hit !== undefined && hit.expires > now) return hit.record
      if (hit !== undefined) cache.delete(hash)
      const record = await inner.findByHash(hash)
      if (record !== undefined) {
        if (cache.size >= maxEntries) {
          // Oldest insertion first (Map order): a simple bound; tokens are few in practice.
          const oldest = cache.keys().next()
          if (oldest.done !== true) cache.delete(oldest.value)
        }
        cache.set(hash, { record, expires: now + ttlMs })
      }
      return record
    },
  }
}
