import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ServerError } from '../errors/server-error.js'
import type { TokenRecord } from '../ports/token-store.js'
import { authenticate, presentedSecret, requireScope } from './authenticate.js'
import { createMemoryTokenStore } from './memory-token-store.js'
import { generateTokenSecret } from './token-secret.js'

const stored = generateTokenSecret()
const configured = generateTokenSecret()
const record: TokenRecord = {
  id: stored.id,
  hash: stored.hash,
  scope: 'read',
  createdAt: '2025-01-01T00:00:00.000Z',
}
const tokens = createMemoryTokenStore([record])
const config = [{ hash: configured.hash.toUpperCase(), scope: 'ingest' as const, lists: ['a'] }]

describe('authenticate', () => {
  test('finds a stored token by Bearer and by x-conserver-api-token', async () => {
    const bearer = await authenticate({ authorization: `Bearer ${stored.secret}` }, tokens, config)
    assert.deepEqual(bearer, record)
    const conserver = await authenticate({ 'x-conserver-api-token': stored.secret }, tokens, config)
    assert.deepEqual(conserver, record)
    const lower = await authenticate(
      { authorization: `bearer   ${stored.secret} ` },
      tokens,
      config,
    )
    assert.deepEqual(lower, record)
  })

  test('finds a configured token (hash compared case-insensitively) with its scope and lists', async () => {
    const found = await authenticate(
      { authorization: `Bearer ${configured.secret}` },
      tokens,
      config,
    )
    assert.equal(found?.scope, 'ingest')
    assert.deepEqual(found?.lists, ['a'])
    assert.equal(found?.id, configured.id)
  })

  test('no token, a wrong one, another scheme or an absurdly long one is undefined', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer vck_0123456789ab_nope' },
      { authorization: `Basic ${stored.secret}` },
      { authorization: `Bearer ${'x'.repeat(600)}` },
      { 'x-conserver-api-token': '' },
    ]) {
      assert.equal(await authenticate(headers, tokens, config), undefined, JSON.stringify(headers))
    }
  })

  test('Authorization wins over x-conserver-api-token', () => {
    assert.equal(
      presentedSecret({ authorization: 'Bearer one', 'x-conserver-api-token': 'two' }),
      'one',
    )
    assert.equal(presentedSecret({ 'x-conserver-api-token': ' two ' }), 'two')
  })
})

describe('requireScope', () => {
  const token = (scope: TokenRecord['scope'], lists?: string[]): TokenRecord => ({
    id: 'abc',
    hash: 'h',
    scope,
    createdAt: '',
    ...(lists === undefined ? {} : { lists }),
  })
  const forbidden = (fn: () => void) =>
    assert.throws(fn, (e) => e instanceof ServerError && e.code === 'FORBIDDEN')

  test('admin may do everything', () => {
    for (const needed of ['admin', 'ingest', 'read'] as const)
      requireScope(token('admin'), needed, ['x'])
  })

  test('read may read only; ingest may ingest only', () => {
    requireScope(token('read'), 'read')
    forbidden(() => requireScope(token('read'), 'ingest'))
    forbidden(() => requireScope(token('read'), 'admin'))
    requireScope(token('ingest'), 'ingest', ['any'])
    requireScope(token('ingest'), 'ingest')
    forbidden(() => requireScope(token('ingest'), 'read'))
    forbidden(() => requireScope(token('ingest'), 'admin'))
  })

  test('an ingest token bound to lists must name lists it is bound to', () => {
    const bound = token('ingest', ['a', 'b'])
    requireScope(bound, 'ingest', ['a'])
    requireScope(bound, 'ingest', ['a', 'b'])
    forbidden(() => requireScope(bound, 'ingest', ['a', 'c']))
    forbidden(() => requireScope(bound, 'ingest', []))
    forbidden(() => requireScope(bound, 'ingest'))
  })
})
