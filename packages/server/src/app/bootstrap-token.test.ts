import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createMemoryTokenStore } from '../auth/memory-token-store.js'
import { hashTokenSecret } from '../auth/token-secret.js'
import { resolveConfig } from '../config/load-config.js'
import type { ServerConfig } from '../config/server-config.js'
import { silentLogger } from '../observability/json-logger.js'
import { ensureAdminToken } from './bootstrap-token.js'

function config(text = ''): ServerConfig {
  const result = resolveConfig({ text, source: '/x/c.yaml', env: {}, cwd: '/x' })
  assert.ok(result.ok)
  return result.config
}

function options(printed: string[]) {
  let n = 0
  return {
    write: (text: string) => printed.push(text),
    log: silentLogger(),
    now: () => Date.UTC(2025, 5, 1),
    // Different bytes on every call, so that a second token would differ from the first.
    random: (size: number) => new Uint8Array(size).fill(++n),
  }
}

describe('first-start admin token', () => {
  test('with no token anywhere: one admin token, secret printed once, only its hash stored', async () => {
    const tokens = createMemoryTokenStore()
    const printed: string[] = []
    const id = await ensureAdminToken(tokens, config(), options(printed))
    assert.equal(printed.length, 1)
    const secret = /vck_[0-9a-f]+_[A-Za-z0-9_-]{43}/.exec(printed[0] ?? '')?.[0]
    assert.ok(secret !== undefined, printed[0])
    const stored = await tokens.list()
    assert.equal(stored.length, 1)
    assert.deepEqual(stored[0], {
      id,
      hash: hashTokenSecret(secret),
      scope: 'admin',
      label: 'created on first start',
      createdAt: '2025-06-01T00:00:00.000Z',
    })
    assert.ok(!JSON.stringify(stored).includes(secret), 'the secret itself is not stored')
  })

  test('the next start finds the token and prints nothing', async () => {
    const tokens = createMemoryTokenStore()
    const printed: string[] = []
    await ensureAdminToken(tokens, config(), options(printed))
    const again = await ensureAdminToken(tokens, config(), options(printed))
    assert.equal(again, undefined)
    assert.equal(printed.length, 1)
    assert.equal(await tokens.count(), 1)
  })

  test('a token in the configuration counts: nothing is created', async () => {
    const tokens = createMemoryTokenStore()
    const printed: string[] = []
    const withToken = config(`tokens:\n  - { hash: ${'a'.repeat(64)}, scope: read }\n`)
    assert.equal(await ensureAdminToken(tokens, withToken, options(printed)), undefined)
    assert.deepEqual(printed, [])
    assert.equal(await tokens.count(), 0)
  })
})
