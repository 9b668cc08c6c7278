import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, test } from 'node:test'
import type { Label } from '../cbor/label-map.js'
import { decodeSign1, encodeSign1, signSign1 } from '../cose/sign1.js'
import { isLedgerError, type LedgerErrorCode } from '../errors/ledger-error.js'
import { toHex } from '../internal/bytes.js'
import { generateSigningKey, publicPart } from '../keys/generate-key.js'
import { hashPreimage } from './hash-envelope.js'
import { emptyUnprotected, statementLeafHash } from './leaf.js'
import { createSignedStatement, verifySignedStatement } from './signed-statement.js'

const key = generateSigningKey()
const issuerKeys = [{ ...publicPart(key), iss: 'https://issuer.example' }]
const payloadHash = hashPreimage(new TextEncoder().encode('{"event":"vcon_created"}'))
const base = {
  payloadHash,
  preimageContentType: 'application/vcon-lifecycle+json',
  iss: 'https://issuer.example',
  sub: 'urn:uuid:0190e5a8-7c4b-8d2e-9f10-123456789abc',
  iat: new Date('2026-05-04T10:00:00Z'),
  key,
}

const code = (c: LedgerErrorCode) => (e: unknown) => isLedgerError(e) && e.code === c

/** A statement signed with arbitrary protected/unprotected headers, for negative cases. */
function custom(
  protectedHeader: [Label, unknown][],
  unprotected: [Label, unknown][] = [],
  payload = payloadHash,
) {
  return signSign1({
    key,
    protectedHeader: new Map(protectedHeader),
    unprotectedHeader: new Map(unprotected),
    payload,
  })
}

const claims = new Map<Label, unknown>([
  [1, 'https://issuer.example'],
  [2, 'urn:uuid:0190e5a8-7c4b-8d2e-9f10-123456789abc'],
])

describe('signed statements (RFC 9943 §6, RFC 9995)', () => {
  test('round trip: the verifier reads back what was signed', () => {
    const statement = createSignedStatement({
      ...base,
      payloadLocation: 'https://registry.example/events/1',
    })
    const verified = verifySignedStatement(statement, { issuerKeys })
    assert.equal(verified.iss, base.iss)
    assert.equal(verified.sub, base.sub)
    assert.equal(verified.iat, Date.parse('2026-05-04T10:00:00Z') / 1000)
    assert.equal(verified.payloadHashAlg, 'SHA-256')
    assert.equal(toHex(verified.payloadHash), toHex(payloadHash))
    assert.equal(verified.preimageContentType, 'application/vcon-lifecycle+json')
    assert.equal(verified.payloadLocation, 'https://registry.example/events/1')
    assert.deepEqual(verified.kid, key.kid)
  })

  test('the protected header holds exactly alg, kid, CWT claims, typ and the hash envelope', () => {
    const message = decodeSign1(createSignedStatement(base))
    assert.deepEqual([...message.protectedHeader.keys()], [1, 4, 15, 16, 258, 259])
    assert.equal(message.protectedHeader.get(1), -7)
    assert.equal(message.protectedHeader.get(16), 'application/scitt-statement+cose')
    assert.equal(message.protectedHeader.get(258), -16)
    const cwt = message.protectedHeader.get(15) as Map<number, unknown>
    assert.deepEqual(
      [...cwt.entries()],
      [
        [1, base.iss],
        [2, base.sub],
        [6, 1777888800],
      ],
    )
    assert.equal(message.unprotectedHeader.size, 0)
    assert.equal(message.tagged, true)
  })

  test('SHA-384 and SHA-512 envelopes are accepted with digests of their length', () => {
    for (const alg of ['SHA-384', 'SHA-512'] as const) {
      const hash = hashPreimage(new Uint8Array([1]), alg)
      const verified = verifySignedStatement(
        createSignedStatement({ ...base, payloadHash: hash, payloadHashAlg: alg }),
        { issuerKeys },
      )
      assert.equal(verified.payloadHashAlg, alg)
    }
  })

  test('refusals: unknown key, issuer pinned to another iss, tampering, untagged', () => {
    const statement = createSignedStatement(base)
    assert.throws(
      () => verifySignedStatement(statement, { issuerKeys: [generateSigningKey()] }),
      code('LEDGER_KEY_UNKNOWN'),
    )
    assert.throws(
      () =>
        verifySignedStatement(statement, {
          issuerKeys: [{ ...publicPart(key), iss: 'https://other.example' }],
        }),
      code('LEDGER_STATEMENT_INVALID'),
    )
    const message = decodeSign1(statement)
    const flipped = new Uint8Array(payloadHash)
    flipped[0] = (flipped[0] as number) ^ 1
    assert.throws(
      () => verifySignedStatement(encodeSign1({ ...message, payload: flipped }), { issuerKeys }),
      code('LEDGER_SIGNATURE_INVALID'),
    )
    assert.throws(
      () => verifySignedStatement(encodeSign1(message, false), { issuerKeys }),
      code('LEDGER_COSE_MALFORMED'),
    )
    assert.throws(
      () =>
        verifySignedStatement(statement, {
          issuerKeys,
          expectedPreimageContentType: 'application/json',
        }),
      code('LEDGER_STATEMENT_INVALID'),
    )
  })

  test('refusals: headers the profile requires or forbids', () => {
    const envelope: [Label, unknown][] = [
      [258, -16],
      [259, 'application/json'],
    ]
    const cases: [string, Uint8Array][] = [
      ['no CWT claims', custom(envelope)],
      ['no sub', custom([[15, new Map([[1, 'https://issuer.example']])], ...envelope])],
      [
        'iss not text',
        custom([
          [
            15,
            new Map<Label, unknown>([
              [1, 42],
              [2, 'x'],
            ]),
          ],
          ...envelope,
        ]),
      ],
      ['content type present', custom([[15, claims], [3, 'application/json'], ...envelope])],
      [
        'unknown hash alg',
        custom([
          [15, claims],
          [258, -999],
          [259, 'application/json'],
        ]),
      ],
      [
        'no preimage content type',
        custom([
          [15, claims],
          [258, -16],
        ]),
      ],
      ['payload of the wrong length', custom([[15, claims], ...envelope], [], new Uint8Array(20))],
      ['CWT claims unprotected', custom(envelope, [[15, claims]])],
      ['content type unprotected', custom([[15, claims], ...envelope], [[3, 'application/json']])],
      [
        'hash alg unprotected',
        custom(
          [
            [15, claims],
            [259, 'application/json'],
          ],
          [[258, -16]],
        ),
      ],
      ['another typ', custom([[15, claims], [16, 'application/scitt-receipt+cose'], ...envelope])],
    ]
    for (const [name, bytes] of cases) {
      assert.throws(
        () => verifySignedStatement(bytes, { issuerKeys }),
        code('LEDGER_STATEMENT_INVALID'),
        name,
      )
    }
    const detached = signSign1({
      key,
      protectedHeader: new Map<Label, unknown>([[15, claims], ...envelope]),
      payload: payloadHash,
      detached: true,
    })
    assert.throws(
      () => verifySignedStatement(detached, { issuerKeys }),
      code('LEDGER_STATEMENT_INVALID'),
    )
  })

  test('createSignedStatement refuses bad inputs', () => {
    const bad: Partial<typeof base & { payloadLocation: string }>[] = [
      { payloadHash: new Uint8Array(31) },
      { iss: '' },
      { sub: '' },
      { preimageContentType: 'json' },
      { payloadLocation: '' },
    ]
    for (const change of bad) {
      assert.throws(
        () => createSignedStatement({ ...base, ...change }),
        code('LEDGER_BAD_ARGUMENT'),
        JSON.stringify(change),
      )
    }
    assert.throws(() => createSignedStatement({ ...base, iat: 1.5 }), code('LEDGER_BAD_ARGUMENT'))
  })
})

describe('the leaf rule', () => {
  test('a statement with an empty unprotected header is its own leaf input', () => {
    const statement = createSignedStatement(base)
    assert.deepEqual(emptyUnprotected(statement), statement)
    // Anyone can recompute the leaf hash: SHA-256(0x00 || statement bytes) (RFC 9162 §2.1.1).
    const manual = createHash('sha256').update(Uint8Array.of(0)).update(statement).digest('hex')
    assert.equal(toHex(statementLeafHash(statement)), manual)
  })

  test('unprotected parameters (receipts or anything else) do not change the leaf', () => {
    const statement = createSignedStatement(base)
    const message = decodeSign1(statement)
    const decorated = encodeSign1({
      ...message,
      unprotectedHeader: new Map<Label, unknown>([
        [394, [new Uint8Array([1, 2, 3])]],
        [-70000, 'x'],
      ]),
    })
    assert.notDeepEqual(decorated, statement)
    assert.deepEqual(emptyUnprotected(decorated), statement)
    assert.equal(toHex(statementLeafHash(decorated)), toHex(statementLeafHash(statement)))
  })

  test('the leaf changes with the signature: two signatures of the same content are two leaves', () => {
    const a = createSignedStatement(base)
    const b = createSignedStatement(base)
    assert.notEqual(toHex(statementLeafHash(a)), toHex(statementLeafHash(b)))
  })
})
