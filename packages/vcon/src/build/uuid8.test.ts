import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, test } from 'node:test'
import { createUuid8Generator, decodeUuid8, uuid8, uuid8DomainBits } from './uuid8.js'

/** Independent computation of the draft's low 62 bits: first 8 bytes of SHA-1, big-endian, top 2 bits off. */
function sha1Low62(domain: string): bigint {
  const first8 = createHash('sha1').update(domain, 'utf8').digest().readBigUInt64BE(0)
  return first8 & ((1n << 62n) - 1n)
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('uuid8', () => {
  test('known answer (computed separately with Python hashlib for example.com)', () => {
    const id = uuid8({ domain: 'example.com', now: () => 1718000000123, subMs: () => 0x123 })
    assert.equal(id, '019000c7-9c7b-8123-8caa-f24ab1a0c334')
  })

  test('version nibble 8, variant bits 10, lowercase 8-4-4-4-12', () => {
    for (const domain of ['vconkit.invalid', 'fakevcon.io', 'ex\u00e4mple.org']) {
      const id = uuid8({ domain })
      assert.match(id, UUID_RE)
      const fields = decodeUuid8(id)
      assert.equal(fields.version, 8)
      assert.equal(fields.variant, 0b10)
    }
  })

  test('the low 62 bits are the SHA-1-derived bits of the domain (UTF-8)', () => {
    for (const domain of ['vcon.dev', 'conserver.io', 'b\u00fccher.example']) {
      const fields = decodeUuid8(uuid8({ domain, now: () => 1_700_000_000_000 }))
      assert.equal(fields.low62, sha1Low62(domain))
      assert.equal(uuid8DomainBits(domain), sha1Low62(domain))
    }
    assert.notEqual(sha1Low62('vcon.dev'), sha1Low62('conserver.io'))
  })

  test('the timestamp decodes back to the clock value, and subMs lands in the 12 counter bits', () => {
    const ms = Date.UTC(2025, 2, 4, 9, 56, 28, 417)
    const fields = decodeUuid8(uuid8({ domain: 'vcon.dev', now: () => ms, subMs: () => 4095 }))
    assert.equal(fields.timestamp, ms)
    assert.equal(fields.counter, 4095)
  })

  test('the spec example uuid has the v8 layout this module writes', () => {
    const fields = decodeUuid8('019f15a6-a752-826f-b9a2-279e0d16bc46')
    assert.equal(fields.version, 8)
    assert.equal(fields.variant, 0b10)
    assert.equal(new Date(fields.timestamp).toISOString(), '2026-06-29T23:11:11.186Z')
  })

  test('10,000 calls on a frozen clock sort ascending and are unique', () => {
    const frozen = 1_750_000_000_000
    const next = createUuid8Generator({ domain: 'vcon.dev', now: () => frozen })
    const ids: string[] = []
    for (let i = 0; i < 10_000; i++) ids.push(next())
    for (let i = 1; i < ids.length; i++) {
      assert.ok(
        (ids[i - 1] as string) < (ids[i] as string),
        `id ${i} does not sort after id ${i - 1}`,
      )
    }
    assert.equal(new Set(ids).size, ids.length)
    // The first id carries the frozen timestamp exactly; later ones borrow at most a few ms.
    assert.equal(decodeUuid8(ids[0] as string).timestamp, frozen)
    assert.ok(decodeUuid8(ids.at(-1) as string).timestamp <= frozen + 3)
  })

  test('a clock that steps back still gives ascending ids', () => {
    const times = [2_000, 2_000, 1_000, 1_500, 2_001]
    let i = 0
    const next = createUuid8Generator({ domain: 'vcon.dev', now: () => times[i++] ?? 0 })
    const ids = times.map(() => next())
    assert.deepEqual([...ids].sort(), ids)
    assert.equal(decodeUuid8(ids[4] as string).timestamp, 2_001)
  })

  test('uuid8 on the real clock keeps call order across calls', () => {
    const ids = Array.from({ length: 2_000 }, () => uuid8({ domain: 'vcon.dev' }))
    assert.deepEqual([...ids].sort(), ids)
    assert.equal(new Set(ids).size, ids.length)
  })

  test('bad arguments throw VCON_BAD_ARGUMENT', () => {
    assert.throws(() => uuid8({ domain: '' }), { code: 'VCON_BAD_ARGUMENT' })
    assert.throws(() => uuid8({ domain: 'a.b', now: () => -1 }), { code: 'VCON_BAD_ARGUMENT' })
    assert.throws(() => uuid8({ domain: 'a.b', now: () => 1, subMs: () => 4096 }), {
      code: 'VCON_BAD_ARGUMENT',
    })
    assert.throws(() => decodeUuid8('not-a-uuid'), { code: 'VCON_BAD_ARGUMENT' })
  })
})
