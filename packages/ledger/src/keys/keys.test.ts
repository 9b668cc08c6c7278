import assert from 'node:assert/strict'
import { createPublicKey } from 'node:crypto'
import { describe, test } from 'node:test'
import { encodeDeterministic } from '../cbor/encode.js'
import { isLedgerError } from '../errors/ledger-error.js'
import { fromHex, toHex } from '../internal/bytes.js'
import { coseKeyFromMap, coseKeyMap, decodeCoseKey, encodeCoseKey } from './cose-key.js'
import {
  generateSigningKey,
  publicPart,
  signingKeyFromPrivateKey,
  verificationKey,
} from './generate-key.js'
import { decodeCoseKeySet, encodeCoseKeySet, findKeyByKid } from './key-set.js'
import { coseKeyThumbprint, publicKeyMembers, thumbprintInput } from './thumbprint.js'

// RFC 9679 §6 worked example.
const X = '65eda5a12577c2bae829437fe338701a10aaa375e1bb5b5de108de439c08551d'
const Y = '1e52ed75701163f7f9e40ddf9f341b3dc9ba860af7e0ca7ca7e9eecd0084d19c'
const RFC_INPUT = `a401022001215820${X}225820${Y}`
const RFC_THUMBPRINT = '496bd8afadf307e5b08c64b0421bf9dc01528a344a43bda88fadd1669da253ec'

const keyInvalid = (e: unknown) => isLedgerError(e) && e.code === 'LEDGER_KEY_INVALID'

describe('RFC 9679 COSE Key Thumbprint', () => {
  const rfcKey = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: Buffer.from(X, 'hex').toString('base64url'),
      y: Buffer.from(Y, 'hex').toString('base64url'),
    },
    format: 'jwk',
  })

  test('the worked example: deterministic input and SHA-256 thumbprint', () => {
    assert.equal(toHex(thumbprintInput(publicKeyMembers(rfcKey))), RFC_INPUT)
    assert.equal(toHex(coseKeyThumbprint(rfcKey)), RFC_THUMBPRINT)
  })

  test('optional members (kid, alg) do not change the thumbprint', () => {
    const map = new Map<number, unknown>([
      [1, 2],
      [2, new TextEncoder().encode('some other kid')],
      [3, -7],
      [-1, 1],
      [-2, fromHex(X)],
      [-3, fromHex(Y)],
    ])
    const key = coseKeyFromMap(map)
    assert.equal(new TextDecoder().decode(key.kid), 'some other kid')
    assert.equal(toHex(coseKeyThumbprint(key.publicKey)), RFC_THUMBPRINT)
    map.delete(2)
    assert.equal(toHex(coseKeyFromMap(map).kid), RFC_THUMBPRINT)
  })

  test('an OKP key hashes kty, crv and x only', () => {
    const key = generateSigningKey('EdDSA')
    const members = publicKeyMembers(key.publicKey)
    assert.equal(members.y, undefined)
    assert.equal(toHex(thumbprintInput(members)), `a301012006215820${toHex(members.x)}`)
  })
})

describe('signing keys', () => {
  for (const alg of ['ES256', 'ES384', 'EdDSA'] as const) {
    test(`${alg}: generated keys carry their thumbprint as kid and round-trip through COSE_Key`, () => {
      const key = generateSigningKey(alg)
      assert.equal(key.alg, alg)
      assert.deepEqual(key.kid, coseKeyThumbprint(key.publicKey))
      const decoded = decodeCoseKey(encodeCoseKey(key))
      assert.equal(decoded.alg, alg)
      assert.deepEqual(decoded.kid, key.kid)
      assert.deepEqual(
        decoded.publicKey.export({ format: 'jwk' }),
        key.publicKey.export({ format: 'jwk' }),
      )
    })
  }

  test('a key rebuilt from its PEM private key has the same alg and kid', () => {
    const key = generateSigningKey('ES384')
    const pem = key.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string
    const again = signingKeyFromPrivateKey(pem)
    assert.equal(again.alg, 'ES384')
    assert.deepEqual(again.kid, key.kid)
    assert.deepEqual(verificationKey(key.publicKey).kid, key.kid)
    assert.equal('privateKey' in publicPart(key), false)
  })

  test('the COSE_Key of a signing key never carries the private key', () => {
    const map = coseKeyMap(generateSigningKey())
    assert.equal(map.has(-4), false)
    assert.deepEqual(
      [...map.keys()].sort((a, b) => Number(a) - Number(b)),
      [-3, -2, -1, 1, 2, 3],
    )
  })
})

describe('COSE_Key refusals', () => {
  const base = () => coseKeyMap(generateSigningKey()) as Map<number | string, unknown>

  test('a private key (d) is refused', () => {
    const map = base()
    map.set(-4, new Uint8Array(32))
    assert.throws(() => coseKeyFromMap(map), keyInvalid)
  })

  test('compressed points, wrong lengths, unknown curves and mismatched alg are refused', () => {
    const compressed = base()
    compressed.set(-3, true)
    const shortX = base()
    shortX.set(-2, new Uint8Array(31))
    const p521 = base()
    p521.set(-1, 3)
    const wrongAlg = base()
    wrongAlg.set(3, -35)
    const rsa = base()
    rsa.set(1, 3)
    for (const map of [compressed, shortX, p521, wrongAlg, rsa]) {
      assert.throws(() => coseKeyFromMap(map), keyInvalid)
    }
  })

  test('a point off the curve is refused', () => {
    const map = base()
    const y = new Uint8Array(map.get(-3) as Uint8Array)
    y[31] = (y[31] as number) ^ 1
    map.set(-3, y)
    assert.throws(() => coseKeyFromMap(map), keyInvalid)
  })

  test('non-map input and non-strict CBOR are refused', () => {
    assert.throws(() => coseKeyFromMap([1, 2]), keyInvalid)
    assert.throws(
      () => decodeCoseKey(Uint8Array.from([...encodeCoseKey(generateSigningKey()), 0])),
      (e: unknown) => isLedgerError(e) && e.code === 'LEDGER_CBOR_INVALID',
    )
  })
})

describe('COSE_KeySet', () => {
  test('round trip and lookup by kid', () => {
    const keys = [generateSigningKey(), generateSigningKey('EdDSA'), generateSigningKey('ES384')]
    const decoded = decodeCoseKeySet(encodeCoseKeySet(keys))
    assert.deepEqual(
      decoded.map((k) => [k.alg, toHex(k.kid)]),
      keys.map((k) => [k.alg, toHex(k.kid)]),
    )
    const second = keys[1]
    assert.ok(second)
    assert.equal(findKeyByKid(decoded, second.kid)?.alg, 'EdDSA')
    assert.equal(findKeyByKid(decoded, new Uint8Array(32)), undefined)
  })

  test('empty sets and duplicate kids are refused', () => {
    const key = generateSigningKey()
    assert.throws(() => decodeCoseKeySet(encodeDeterministic([])), keyInvalid)
    assert.throws(() => decodeCoseKeySet(encodeCoseKeySet([key, key])), keyInvalid)
  })
})
