import assert from 'node:assert/strict'
import { createPrivateKey, createPublicKey, verify } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { encodeDeterministic } from '../cbor/encode.js'
import { isLedgerError, type LedgerErrorCode } from '../errors/ledger-error.js'
import { fromHex, toHex } from '../internal/bytes.js'
import { generateSigningKey } from '../keys/generate-key.js'
import type { SigningKey } from '../keys/key-types.js'
import { decodeSign1, encodeSign1, signSign1, sigStructure, verifySign1 } from './sign1.js'

const dir = new URL('../../test/fixtures/cose-sign1/', import.meta.url)

interface Vector {
  title: string
  fail?: boolean
  input: {
    sign0: {
      key: { kty: string; crv: string; x: string; y: string; d: string }
      external?: string
    }
  }
  intermediates: { ToBeSign_hex: string }
  output: { cbor: string }
}

const vectors = new Map<string, Vector>(
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [
      f.replace('.json', ''),
      JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as Vector,
    ]),
)

function vector(name: string): Vector {
  const v = vectors.get(name)
  assert.ok(v, `fixture ${name} exists`)
  return v
}

function vectorKey(v: Vector): SigningKey {
  const jwk = v.input.sign0.key
  const privateKey = createPrivateKey({ key: { ...jwk, kty: 'EC' }, format: 'jwk' })
  return {
    alg: 'ES256',
    kid: new TextEncoder().encode('11'),
    privateKey,
    publicKey: createPublicKey(privateKey),
  }
}

function refusedWith(code: LedgerErrorCode) {
  return (e: unknown) => isLedgerError(e) && e.code === code
}

/**
 * The verdict this library gives each cose-wg case. Every case matches its "fail" flag except sign-pass-01,
 * refused on purpose: its alg is in the unprotected header (see the module comment of sign1.ts).
 */
const EXPECTED: Record<string, 'pass' | LedgerErrorCode> = {
  'sign-pass-01': 'LEDGER_ALG_REFUSED',
  'sign-pass-02': 'pass',
  'sign-pass-03': 'pass',
  'sign-fail-01': 'LEDGER_COSE_MALFORMED',
  'sign-fail-02': 'LEDGER_SIGNATURE_INVALID',
  'sign-fail-03': 'LEDGER_ALG_REFUSED',
  'sign-fail-04': 'LEDGER_ALG_REFUSED',
  'sign-fail-06': 'LEDGER_SIGNATURE_INVALID',
  'sign-fail-07': 'LEDGER_SIGNATURE_INVALID',
}

describe('cose-wg sign1-tests vectors', () => {
  test('the fixture folder holds exactly the nine cases of the table', () => {
    assert.deepEqual([...vectors.keys()].sort(), Object.keys(EXPECTED).sort())
  })

  for (const [name, expected] of Object.entries(EXPECTED)) {
    test(`${name} → ${expected}`, () => {
      const v = vector(name)
      const key = vectorKey(v)
      const bytes = fromHex(v.output.cbor)
      const external = v.input.sign0.external
      const run = () =>
        verifySign1(bytes, {
          key,
          ...(external === undefined ? {} : { externalAad: fromHex(external) }),
        })
      if (expected === 'pass') {
        const message = run()
        assert.equal(
          new TextDecoder().decode(message.payload ?? new Uint8Array()),
          'This is the content.',
        )
        assert.equal(v.fail ?? false, false)
      } else {
        assert.throws(run, refusedWith(expected))
        if (name !== 'sign-pass-01') assert.equal(v.fail, true)
      }
    })
  }

  test('our Sig_structure is byte-identical to the ToBeSigned of the passing cases', () => {
    for (const name of ['sign-pass-02', 'sign-pass-03']) {
      const v = vector(name)
      const message = decodeSign1(fromHex(v.output.cbor))
      const aad =
        v.input.sign0.external === undefined ? new Uint8Array() : fromHex(v.input.sign0.external)
      const tbs = sigStructure(message.protectedBytes, aad, message.payload ?? new Uint8Array())
      assert.equal(toHex(tbs), v.intermediates.ToBeSign_hex.toLowerCase())
    }
  })

  test('sign-pass-01 is refused by policy, not because its signature is bad', () => {
    const v = vector('sign-pass-01')
    const message = decodeSign1(fromHex(v.output.cbor))
    // The vector protects h'A0' but signed over h'' (RFC 9052 §3 normalisation of an empty map) ...
    assert.equal(toHex(message.protectedBytes), 'a0')
    assert.equal(message.protectedHeader.size, 0)
    assert.equal(message.unprotectedHeader.get(1), -7)
    const normalised = fromHex(v.intermediates.ToBeSign_hex)
    const ok = verify(
      'sha256',
      normalised,
      { key: vectorKey(v).publicKey, dsaEncoding: 'ieee-p1363' },
      message.signature,
    )
    assert.equal(ok, true)
    // ... while the bytes as received give a different ToBeSigned (41 a0 instead of 40).
    const asReceived = sigStructure(
      message.protectedBytes,
      new Uint8Array(),
      message.payload ?? new Uint8Array(),
    )
    assert.notEqual(toHex(asReceived), toHex(normalised))
    assert.throws(
      () => verifySign1(fromHex(v.output.cbor), { key: vectorKey(v) }),
      (e: unknown) =>
        isLedgerError(e) && e.code === 'LEDGER_ALG_REFUSED' && /unprotected/.test(e.message),
    )
  })

  test('sign-pass-03 (untagged) is refused when the tag is required', () => {
    const v = vector('sign-pass-03')
    assert.throws(
      () => verifySign1(fromHex(v.output.cbor), { key: vectorKey(v), requireTag: true }),
      refusedWith('LEDGER_COSE_MALFORMED'),
    )
  })

  test('sign-pass-02 fails without its external AAD', () => {
    const v = vector('sign-pass-02')
    assert.throws(
      () => verifySign1(fromHex(v.output.cbor), { key: vectorKey(v) }),
      refusedWith('LEDGER_SIGNATURE_INVALID'),
    )
  })
})

describe('signSign1 / verifySign1', () => {
  const payload = new TextEncoder().encode('payload bytes')

  for (const alg of ['ES256', 'ES384', 'EdDSA'] as const) {
    test(`${alg}: round trip, tagged, alg and kid protected`, () => {
      const key = generateSigningKey(alg)
      const bytes = signSign1({ key, payload })
      assert.equal(bytes[0], 0xd2)
      const message = verifySign1(bytes, { key, requireTag: true })
      assert.deepEqual(message.payload, payload)
      assert.deepEqual(message.protectedHeader.get(4), key.kid)
      assert.equal(message.signature.length, alg === 'ES384' ? 96 : 64)
    })
  }

  test('detached payload: nil in the message, supplied by the verifier', () => {
    const key = generateSigningKey()
    const bytes = signSign1({ key, payload, detached: true })
    assert.equal(decodeSign1(bytes).payload, null)
    verifySign1(bytes, { key, detachedPayload: payload })
    assert.throws(() => verifySign1(bytes, { key }), refusedWith('LEDGER_COSE_MALFORMED'))
    assert.throws(
      () => verifySign1(bytes, { key, detachedPayload: new Uint8Array([1]) }),
      refusedWith('LEDGER_SIGNATURE_INVALID'),
    )
    const attached = signSign1({ key, payload })
    assert.throws(
      () => verifySign1(attached, { key, detachedPayload: payload }),
      refusedWith('LEDGER_COSE_MALFORMED'),
    )
  })

  test('a key bound to another algorithm is refused', () => {
    const es256 = generateSigningKey('ES256')
    const es384 = generateSigningKey('ES384')
    const bytes = signSign1({ key: es256, payload })
    assert.throws(
      () => verifySign1(bytes, { key: { ...es384, alg: 'ES384' } }),
      refusedWith('LEDGER_ALG_REFUSED'),
    )
    // Same curve, but the key is declared for a different algorithm: refused before any crypto.
    assert.throws(
      () => verifySign1(bytes, { key: { ...es256, alg: 'EdDSA' } }),
      refusedWith('LEDGER_ALG_REFUSED'),
    )
  })

  test('another key of the same algorithm gives LEDGER_SIGNATURE_INVALID', () => {
    const bytes = signSign1({ key: generateSigningKey(), payload })
    assert.throws(
      () => verifySign1(bytes, { key: generateSigningKey() }),
      refusedWith('LEDGER_SIGNATURE_INVALID'),
    )
  })

  test('crit: understood labels pass, others are refused', () => {
    const key = generateSigningKey()
    const bytes = signSign1({
      key,
      payload,
      protectedHeader: new Map<number, unknown>([
        [2, [258]],
        [258, -16],
      ]),
    })
    verifySign1(bytes, { key, understoodCritical: [258] })
    assert.throws(() => verifySign1(bytes, { key }), refusedWith('LEDGER_CRITICAL_UNSUPPORTED'))
  })

  test('malformed structures are refused', () => {
    const key = generateSigningKey()
    const good = decodeSign1(signSign1({ key, payload }))
    const cases: [string, Uint8Array][] = [
      ['three elements', encodeDeterministic([good.protectedBytes, new Map(), payload])],
      [
        'protected not a bstr',
        encodeDeterministic([new Map(), new Map(), payload, good.signature]),
      ],
      [
        'unprotected not a map',
        encodeDeterministic([good.protectedBytes, [], payload, good.signature]),
      ],
      [
        'payload a text',
        encodeDeterministic([good.protectedBytes, new Map(), 'x', good.signature]),
      ],
      [
        'label in both buckets',
        encodeSign1({
          ...good,
          unprotectedHeader: new Map([[4, good.protectedHeader.get(4)]]),
        }),
      ],
      [
        'protected not a map',
        encodeDeterministic([encodeDeterministic([1]), new Map(), payload, good.signature]),
      ],
      ['tag 18 in a long head', Uint8Array.from([0xd8, 0x12, ...encodeSign1(good, false)])],
    ]
    for (const [name, bytes] of cases) {
      assert.throws(
        () => verifySign1(bytes, { key }),
        (e: unknown) => isLedgerError(e) && e.code === 'LEDGER_COSE_MALFORMED',
        name,
      )
    }
    const trailing = Uint8Array.from([...signSign1({ key, payload }), 0x00])
    assert.throws(() => verifySign1(trailing, { key }), refusedWith('LEDGER_CBOR_INVALID'))
  })

  test('a signature of the wrong length is refused without reaching node:crypto', () => {
    const key = generateSigningKey()
    const good = decodeSign1(signSign1({ key, payload }))
    const long = encodeSign1({ ...good, signature: Uint8Array.from([...good.signature, 0]) })
    assert.throws(() => verifySign1(long, { key }), refusedWith('LEDGER_SIGNATURE_INVALID'))
  })

  test('signSign1 refuses a conflicting alg and a kid passed by hand', () => {
    const key = generateSigningKey()
    assert.throws(
      () => signSign1({ key, payload, protectedHeader: new Map([[1, -35]]) }),
      refusedWith('LEDGER_BAD_ARGUMENT'),
    )
    assert.throws(
      () => signSign1({ key, payload, protectedHeader: new Map([[4, new Uint8Array(1)]]) }),
      refusedWith('LEDGER_BAD_ARGUMENT'),
    )
  })
})
