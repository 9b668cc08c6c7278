import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import { generateTokenSecret, hashTokenSecret, TOKEN_PREFIX, tokenIdOf } from './token-secret.js'

test('a secret is vck_<hex id>_<43 base64url chars> and its hash is SHA-256 hex of the whole secret', () => {
  const { secret, id, hash } = generateTokenSecret()
  assert.match(secret, /^vck_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/)
  assert.ok(secret.startsWith(`${TOKEN_PREFIX}${id}_`))
  assert.equal(hash, createHash('sha256').update(secret).digest('hex'))
  assert.equal(hashTokenSecret(secret), hash)
  assert.equal(tokenIdOf(secret), id)
})

test('randomness is injectable and two secrets differ', () => {
  const fixed = generateTokenSecret((size) => new Uint8Array(size).fill(1))
  assert.equal(fixed.id, '010101010101')
  assert.equal(fixed.secret, `vck_010101010101_${Buffer.alloc(32, 1).toString('base64url')}`)
  assert.notEqual(generateTokenSecret().secret, generateTokenSecret().secret)
})

test('tokenIdOf is undefined for secrets of other shapes', () => {
  for (const s of ['abc', 'vck_', 'vck__x', 'vck_XYZ_abc', 'other_1234_abc']) {
    assert.equal(tokenIdOf(s), undefined, s)
  }
})
