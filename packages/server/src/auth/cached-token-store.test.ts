import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { TokenStore } from '../ports/token-store.js'
import { cachedTokenStore } from './cached-token-store.js'
import { createMemoryTokenStore } from './memory-token-store.js'

function counting(inner: TokenStore): TokenStore & { lookups: number } {
  const wrapped = {
    ...inner,
    lookups: 0,
    async findByHash(hash: string) {
      wrapped.lookups++
      return inner.findByHash(hash)
    },
  }
  return wrapped
}

test('found tokens are cached for ttlMs; misses are not cached; revoke drops the entry', async () => {
  let now = 0
  const inner = counting(
    createMemoryTokenStore([{ id: 't1', hash: 'h1', scope: 'read', createdAt: '' }]),
  )
  const cached = cachedTokenStore(inner, { ttlMs: 1000, now: () => now })
  assert.equal((await cached.findByHash('h1'))?.id, 't1')
  assert.equal((await cached.findByHash('h1'))?.id, 't1')
  assert.equal(inner.lookups, 1)
  assert.equal(await cached.findByHash('nope'), undefined)
  assert.equal(await cached.findByHash('nope'), undefined)
  assert.equal(inner.lookups, 3)
  now = 1500
  await cached.findByHash('h1')
  assert.equal(inner.lookups, 4)
  assert.equal(await cached.revoke('t1'), true)
  assert.equal(await cached.findByHash('h1'), undefined)
})
