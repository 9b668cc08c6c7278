import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { generateSigningKey } from '../keys/generate-key.js'
import { signBytes, verifyBytes } from './algorithms.js'
import { createVerifyPool, VERIFY_HERE } from './verify-pool.js'

test('the pool answers as verifyBytes for good, altered and foreign signatures of every algorithm', async () => {
  const pool = createVerifyPool({ threads: 2 })
  try {
    const cases = []
    for (const alg of ['ES256', 'ES384', 'EdDSA'] as const) {
      const key = generateSigningKey(alg)
      const other = generateSigningKey(alg)
      for (let i = 0; i < 40; i++) {
        const data = randomBytes(1 + i * 7)
        const signature = signBytes(alg, key.privateKey, data)
        const altered = new Uint8Array(signature)
        altered[i % altered.length] = (altered[i % altered.length] as number) ^ 1
        cases.push(
          { alg, key: key.publicKey, data, signature },
          { alg, key: key.publicKey, data, signature: altered },
          { alg, key: other.publicKey, data, signature },
          { alg, key: key.publicKey, data, signature: signature.subarray(1) },
        )
      }
    }
    // All at once: they cross to the workers in batches, and each answer must find its own request.
    const answers = await Promise.all(
      cases.map((c) => pool.verify(c.alg, c.key, c.data, c.signature)),
    )
    const expected = cases.map((c) => verifyBytes(c.alg, c.key, c.data, c.signature))
    assert.deepEqual(answers, expected)
    assert.equal(expected.filter(Boolean).length, 120)
  } finally {
    await pool.close()
  }
})

test('after close, and without a pool, signatures are checked on the calling thread', async () => {
  const key = generateSigningKey('ES256')
  const data = randomBytes(64)
  const signature = signBytes('ES256', key.privateKey, data)
  const pool = createVerifyPool({ threads: 1 })
  assert.equal(await pool.verify('ES256', key.publicKey, data, signature), true)
  await pool.close()
  assert.equal(await pool.verify('ES256', key.publicKey, data, signature), true)
  assert.equal(await pool.verify('ES256', key.publicKey, randomBytes(64), signature), false)
  assert.equal(await VERIFY_HERE.verify('ES256', key.publicKey, data, signature), true)
})
