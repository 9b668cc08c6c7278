import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { isVconError } from '../errors/vcon-error.js'
import { computeContentHash, createContentHasher, verifyContentHash } from './content-hash.js'

const corpus = new URL('../../test/fixtures/corpus/spec-examples/', import.meta.url)
const mp3 = readFileSync(new URL('ab_call.mp3', corpus))
const wav = readFileSync(new URL('ab_call.wav', corpus))
const extRec = JSON.parse(readFileSync(new URL('ab_call_ext_rec.vcon', corpus), 'utf8')) as {
  dialog: { content_hash: string }[]
}

const MP3_HASH =
  'sha512-GLy6IPaIUM1GqzZqfIPZlWjaDsNgNvZM0iCONNThnH0a75fhUM6cYzLZ5GynSURREvZwmOh54-2lRRieyj82UQ'
const WAV_HASH =
  'sha512-Re9R7UWKaD7yN9kxoYLbFFNSKU8XfH18NFbTc3AgT4_aBubMtvGUEtRmP6XUxSS3Nl4LU-1mOCtezoTHQ67cVQ'

describe('computeContentHash', () => {
  test('the sha512 of ab_call.mp3 is the content_hash of ab_call_ext_rec.vcon', () => {
    const expected = extRec.dialog[0]?.content_hash
    assert.equal(expected, MP3_HASH)
    assert.equal(computeContentHash(mp3), expected)
  })

  test('the sha512 of ab_call.wav is the vector of notes §b.3', () => {
    assert.equal(computeContentHash(wav), WAV_HASH)
  })

  test('sha256 and sha384 tokens are unpadded base64url of the digest', () => {
    const t256 = computeContentHash(mp3, 'sha256')
    const t384 = computeContentHash(mp3, 'sha384')
    assert.match(t256, /^sha256-[A-Za-z0-9_-]{43}$/)
    assert.match(t384, /^sha384-[A-Za-z0-9_-]{64}$/)
    assert.equal(t256, `sha256-${createHash('sha256').update(mp3).digest('base64url')}`)
    assert.equal(
      Buffer.from(t384.slice(7), 'base64url').toString('hex'),
      createHash('sha384').update(mp3).digest('hex'),
    )
  })

  test('the empty input has the well-known SHA-512 digest', () => {
    const hex =
      'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e'
    assert.equal(
      computeContentHash(new Uint8Array()),
      `sha512-${Buffer.from(hex, 'hex').toString('base64url')}`,
    )
  })

  test('an unknown algorithm is a VCON_BAD_ARGUMENT', () => {
    assert.throws(
      () => computeContentHash(mp3, 'md5' as 'sha512'),
      (e: unknown) => isVconError(e) && e.code === 'VCON_BAD_ARGUMENT' && e.message.includes('md5'),
    )
  })
})

describe('verifyContentHash', () => {
  test('a single matching sha512 token is ok', () => {
    const r = verifyContentHash(mp3, MP3_HASH)
    assert.deepEqual(r, { ok: true, checked: [MP3_HASH], ignored: [] })
  })

  test('the wrong file fails with a reason naming the algorithm', () => {
    const r = verifyContentHash(wav, MP3_HASH)
    assert.equal(r.ok, false)
    assert.deepEqual(r.checked, [MP3_HASH])
    assert.match(r.reason ?? '', /sha512 digest does not match/)
  })

  test('one flipped byte fails', () => {
    const tampered = Uint8Array.from(mp3)
    tampered[1000] = (tampered[1000] ?? 0) ^ 1
    assert.equal(verifyContentHash(tampered, MP3_HASH).ok, false)
  })

  test('a wrong digest of the right length fails', () => {
    const wrong = `${MP3_HASH.slice(0, -1)}${MP3_HASH.endsWith('Q') ? 'g' : 'Q'}`
    assert.equal(verifyContentHash(mp3, wrong).ok, false)
  })

  test('an array with unknown algorithms ignores them and checks the known ones', () => {
    const t256 = computeContentHash(mp3, 'sha256')
    const r = verifyContentHash(mp3, ['blake3-AAAA', MP3_HASH, 'sha3x512-abc', t256])
    assert.equal(r.ok, true)
    assert.deepEqual(r.checked, [MP3_HASH, t256])
    assert.deepEqual(r.ignored, ['blake3-AAAA', 'sha3x512-abc'])
  })

  test('every known token must match: one good and one bad fails', () => {
    const bad256 = computeContentHash(wav, 'sha256')
    const r = verifyContentHash(mp3, [MP3_HASH, bad256])
    assert.equal(r.ok, false)
    assert.match(r.reason ?? '', /sha256/)
  })

  test('no known algorithm fails, even when nothing is wrong with the tokens', () => {
    const r = verifyContentHash(mp3, ['blake3-AAAA', 'sha3-BBBB'])
    assert.equal(r.ok, false)
    assert.deepEqual(r.checked, [])
    assert.deepEqual(r.ignored, ['blake3-AAAA', 'sha3-BBBB'])
    assert.match(r.reason ?? '', /no content_hash token uses a supported algorithm/)
  })

  test('an empty array and a malformed token fail', () => {
    assert.equal(verifyContentHash(mp3, []).ok, false)
    const legacy = `sha512:${createHash('sha512').update(mp3).digest('hex')}`
    const r = verifyContentHash(mp3, legacy)
    assert.equal(r.ok, false)
    assert.deepEqual(r.ignored, [legacy])
  })

  test('a padded digest does not match (only unpadded base64url is the draft form)', () => {
    assert.equal(verifyContentHash(mp3, `${MP3_HASH}==`).ok, false)
  })

  test('property: a computed token always verifies, another input never does', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 512 }),
        fc.uint8Array({ maxLength: 512 }),
        fc.constantFrom('sha512' as const, 'sha256' as const, 'sha384' as const),
        (a, b, alg) => {
          const token = computeContentHash(a, alg)
          assert.equal(verifyContentHash(a, token).ok, true)
          assert.equal(verifyContentHash(b, token).ok, Buffer.from(a).equals(Buffer.from(b)))
        },
      ),
    )
  })
})

describe('createContentHasher', () => {
  test('chunked updates give the same tokens as one-shot hashing, in the order asked', () => {
    const hasher = createContentHasher(['sha256', 'sha512'])
    for (let i = 0; i < mp3.length; i += 4096) hasher.update(mp3.subarray(i, i + 4096))
    assert.deepEqual(hasher.digest(), [computeContentHash(mp3, 'sha256'), MP3_HASH])
  })

  test('defaults to sha512 and refuses reuse after digest', () => {
    const hasher = createContentHasher().update(wav)
    assert.deepEqual(hasher.digest(), [WAV_HASH])
    assert.throws(
      () => hasher.update(wav),
      (e: unknown) => isVconError(e),
    )
    assert.throws(
      () => hasher.digest(),
      (e: unknown) => isVconError(e),
    )
  })

  test('refuses no algorithm or an unknown one', () => {
    assert.throws(
      () => createContentHasher([]),
      (e: unknown) => isVconError(e),
    )
    assert.throws(
      () => createContentHasher(['md5' as 'sha512']),
      (e: unknown) => isVconError(e),
    )
  })
})
