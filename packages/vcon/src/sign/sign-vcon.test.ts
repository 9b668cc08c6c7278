import assert from 'node:assert/strict'
import {
  constants,
  createPublicKey,
  verify as cryptoVerify,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { gunzipSync } from 'node:zlib'
import { type FlattenedJWSInput, flattenedVerify, type GeneralJWSInput, generalVerify } from 'jose'
import { corpusPath } from '../../test/corpus.js'
import {
  chainOf,
  INTERMEDIATE,
  LEAVES,
  pkiCert,
  pkiKey,
  pkiPem,
  ROOT,
} from '../../test/support/pki.js'
import type { SignedVcon, Vcon } from '../model/vcon.js'
import { signVcon } from './sign-vcon.js'
import { verifySignedVcon } from './verify-vcon.js'

const VCON: Vcon = JSON.parse(
  readFileSync(corpusPath('spec-examples/ab_call_ext_rec.vcon'), 'utf8'),
)
const NOW = new Date('2030-06-01T12:00:00Z')
const now = () => NOW
const ANCHORS = { anchors: [ROOT], at: NOW }

/** node:crypto parameters for verifying a JWS signature directly, independently of our verifier. */
const RAW: Record<string, { hash: string | null; options: object }> = {
  RS256: { hash: 'sha256', options: { padding: constants.RSA_PKCS1_PADDING } },
  PS256: { hash: 'sha256', options: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } },
  ES256: { hash: 'sha256', options: { dsaEncoding: 'ieee-p1363' } },
  ES384: { hash: 'sha384', options: { dsaEncoding: 'ieee-p1363' } },
  EdDSA: { hash: null, options: {} },
}

function decodeJson(b64: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(b64, 'base64url').toString('utf8'))
}

describe('signVcon output', () => {
  for (const { name, alg } of LEAVES) {
    test(`${alg} (${name} leaf) verifies with ours, with jose and with node:crypto on the signing input`, async () => {
      const signed = signVcon(VCON, { key: pkiKey(name), chain: chainOf(name), alg, now })
      const sig = signed.signatures[0] as {
        protected: string
        header: Record<string, unknown>
        signature: string
      }
      assert.equal(signed.signatures.length, 1)

      // Header layout of notes §g.11: alg protected, x5c and uuid unprotected, no name in both.
      const prot = decodeJson(sig.protected)
      assert.equal(prot.alg, alg)
      assert.equal(prot.iat, Math.floor(NOW.getTime() / 1000))
      assert.deepEqual(Object.keys(sig.header).sort(), ['uuid', 'x5c'])
      assert.equal(sig.header.uuid, VCON.uuid)
      assert.deepEqual(sig.header.x5c, [
        pkiCert(name).raw.toString('base64'),
        INTERMEDIATE.raw.toString('base64'),
      ])
      // The payload is the compact JSON of the vCon.
      assert.equal(Buffer.from(signed.payload, 'base64url').toString('utf8'), JSON.stringify(VCON))

      // Independent 1: node:crypto directly on ASCII(protected) || '.' || payload with the certificate key.
      const leafKey = createPublicKey(pkiPem(`${name}.crt.pem`))
      const raw = RAW[alg] as { hash: string | null; options: object }
      const input = Buffer.from(`${sig.protected}.${signed.payload}`, 'ascii')
      const bytes = Buffer.from(sig.signature, 'base64url')
      assert.equal(
        cryptoVerify(raw.hash, input, { key: leafKey, ...raw.options } as never, bytes),
        true,
      )
      assert.equal(
        cryptoVerify(
          raw.hash,
          Buffer.concat([input, Buffer.from(' ')]),
          { key: leafKey, ...raw.options } as never,
          bytes,
        ),
        false,
      )

      // Independent 2: jose, on both serialisations (it refuses duplicated header names, so this also
      // proves the headers are disjoint).
      const flat = await flattenedVerify({ payload: signed.payload, ...sig }, leafKey)
      assert.equal(flat.protectedHeader?.alg, alg)
      const general = await generalVerify(signed as unknown as GeneralJWSInput, leafKey)
      assert.deepEqual(JSON.parse(Buffer.from(general.payload).toString('utf8')), VCON)

      // Ours.
      const result = await verifySignedVcon(signed, ANCHORS)
      assert.deepEqual(result.vcon, VCON)
      const signer = result.layers[0]?.signers[0]
      assert.equal(signer?.alg, alg)
      assert.equal(signer?.subject, `O=vconkit tests, CN=${name}.signer.test`)
      assert.equal(signer?.chain.length, 3)
      assert.equal(signer?.signingTime?.getTime(), Math.floor(NOW.getTime() / 1000) * 1000)
      assert.equal(signer?.signingTimeSource, 'iat')
    })
  }

  test('the default algorithm is RS256 for an RSA key and follows the curve otherwise', () => {
    const cases = [
      ['rsa', 'RS256'],
      ['p256', 'ES256'],
      ['p384', 'ES384'],
      ['ed25519', 'EdDSA'],
    ] as const
    for (const [name, alg] of cases) {
      const signed = signVcon(VCON, {
        key: pkiPem(`${name}.key.pem`),
        chain: [pkiPem(`${name}.crt.pem`)],
        now,
      })
      assert.equal(decodeJson(signed.signatures[0]?.protected as string).alg, alg)
    }
  })

  test('chain entries may be PEM text, base64 DER or certificates', async () => {
    const chain = [pkiPem('p256.crt.pem'), INTERMEDIATE.raw.toString('base64')]
    const signed = signVcon(VCON, { key: pkiKey('p256'), chain, now })
    const result = await verifySignedVcon(signed, ANCHORS)
    assert.equal(result.layers[0]?.signers[0]?.chain.length, 3)
  })

  test('a key that is not the leaf certificate key is refused', () => {
    assert.throws(
      () => signVcon(VCON, { key: pkiKey('p256'), chain: chainOf('rsa'), alg: 'ES256', now }),
      {
        code: 'VCON_BAD_ARGUMENT',
        message: /not the private key of the leaf certificate/,
      },
    )
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
    assert.throws(() => signVcon(VCON, { key: stranger, chain: chainOf('p256'), now }), {
      code: 'VCON_BAD_ARGUMENT',
    })
  })

  test('an algorithm that does not fit the key is refused', () => {
    assert.throws(
      () => signVcon(VCON, { key: pkiKey('p384'), chain: chainOf('p384'), alg: 'ES256', now }),
      {
        code: 'VCON_ALG_REFUSED',
      },
    )
    assert.throws(
      () =>
        signVcon(VCON, { key: pkiKey('rsa'), chain: chainOf('rsa'), alg: 'HS256' as never, now }),
      { code: 'VCON_BAD_ARGUMENT' },
    )
  })

  test('an expired signing certificate is refused at signing time', () => {
    assert.throws(
      () => signVcon(VCON, { key: pkiKey('expired'), chain: chainOf('expired'), now }),
      {
        code: 'VCON_CHAIN_INVALID',
        message: /2020-01-02T00:00:00.000Z/,
      },
    )
  })

  test('an encrypted or uuid-less input is refused', () => {
    const opts = { key: pkiKey('rsa'), chain: chainOf('rsa'), now }
    assert.throws(() => signVcon({ ciphertext: 'x', recipients: [] } as never, opts), {
      code: 'VCON_BAD_ARGUMENT',
      message: /decrypt it first/,
    })
    const { uuid: _uuid, ...noUuid } = VCON
    assert.throws(() => signVcon(noUuid as never, opts), {
      code: 'VCON_BAD_ARGUMENT',
      message: /uuid/,
    })
  })

  test('x5u instead of x5c: refused by default, verified through fetchX5u', async () => {
    const url = 'https://pki.example.test/rsa-chain.pem'
    const signed = signVcon(VCON, {
      key: pkiKey('rsa'),
      chain: { x5u: url, leaf: pkiCert('rsa') },
      now,
    })
    const header = signed.signatures[0]?.header as Record<string, unknown>
    assert.deepEqual(Object.keys(header).sort(), ['uuid', 'x5u'])
    assert.ok(decodeJson(signed.signatures[0]?.protected as string)['x5t#S256'])
    await assert.rejects(verifySignedVcon(signed, ANCHORS), {
      code: 'VCON_UNTRUSTED',
      message: /fetchX5u/,
    })
    const fetched: string[] = []
    const result = await verifySignedVcon(signed, {
      ...ANCHORS,
      fetchX5u: async (u) => {
        fetched.push(u)
        return chainOf('rsa')
      },
    })
    assert.deepEqual(fetched, [url])
    assert.equal(result.layers[0]?.signers[0]?.chain.length, 3)
    // A chain whose leaf differs from the x5t#S256 thumbprint is refused.
    await assert.rejects(
      verifySignedVcon(signed, { ...ANCHORS, fetchX5u: () => chainOf('p256') }),
      {
        code: 'VCON_SIGNATURE_INVALID',
        message: /x5t#S256/,
      },
    )
  })
})

describe('several signatures', () => {
  const signers = {
    key: pkiKey('rsa'),
    chain: chainOf('rsa'),
    now,
    extraSigners: [
      { key: pkiKey('p256'), chain: chainOf('p256') },
      { key: pkiKey('ed25519'), chain: chainOf('ed25519') },
    ],
  }

  test('one signature per signer over the same payload; each verifies independently', async () => {
    const signed = signVcon(VCON, signers)
    assert.equal(signed.signatures.length, 3)
    const keys = ['rsa', 'p256', 'ed25519'].map((n) => createPublicKey(pkiPem(`${n}.crt.pem`)))
    for (const [i, sig] of signed.signatures.entries()) {
      const out = await flattenedVerify(
        { payload: signed.payload, ...sig } as FlattenedJWSInput,
        keys[i] as KeyObject,
      )
      assert.ok(out.payload.length > 0)
    }
    const result = await verifySignedVcon(signed, ANCHORS)
    assert.deepEqual(
      result.layers[0]?.signers.map((s) => s.alg),
      ['RS256', 'ES256', 'EdDSA'],
    )
  })

  test("require 'all' refuses one bad signature; 'any' accepts and reports it", async () => {
    const signed = signVcon(VCON, signers)
    const bad = signed.signatures[1] as { signature: string }
    const broken: SignedVcon = {
      ...signed,
      signatures: [
        signed.signatures[0] as never,
        {
          ...bad,
          signature: `${bad.signature.startsWith('A') ? 'B' : 'A'}${bad.signature.slice(1)}`,
        },
        signed.signatures[2] as never,
      ],
    }
    await assert.rejects(verifySignedVcon(broken, ANCHORS), {
      code: 'VCON_SIGNATURE_INVALID',
      message: /signatures\[1\]/,
    })
    const result = await verifySignedVcon(broken, { ...ANCHORS, require: 'any' })
    assert.deepEqual(
      result.layers[0]?.signers.map((s) => s.index),
      [0, 2],
    )
    assert.equal(result.layers[0]?.rejected[0]?.index, 1)
    assert.equal(result.layers[0]?.rejected[0]?.code, 'VCON_SIGNATURE_INVALID')
  })
})

describe('gzip, re-signing, dates and uuid', () => {
  test('gzip payload round trip', async () => {
    const signed = signVcon(VCON, { key: pkiKey('p256'), chain: chainOf('p256'), gzip: true, now })
    const bytes = Buffer.from(signed.payload, 'base64url')
    assert.deepEqual([bytes[0], bytes[1]], [0x1f, 0x8b])
    assert.deepEqual(JSON.parse(gunzipSync(bytes).toString('utf8')), VCON)
    assert.equal(decodeJson(signed.signatures[0]?.protected as string).cty, 'application/vcon+gzip')
    const result = await verifySignedVcon(signed, ANCHORS)
    assert.deepEqual(result.vcon, VCON)
    assert.equal(result.layers[0]?.gzip, true)
  })

  test('re-signing twice for archiving: three layers unwrap to the vCon', async () => {
    const first = signVcon(VCON, {
      key: pkiKey('rsa'),
      chain: chainOf('rsa'),
      now: () => new Date('2028-01-01T00:00:00Z'),
    })
    const second = signVcon(first, {
      key: pkiKey('p256'),
      chain: chainOf('p256'),
      now: () => new Date('2029-01-01T00:00:00Z'),
    })
    const third = signVcon(second, {
      key: pkiKey('ed25519'),
      chain: chainOf('ed25519'),
      gzip: true,
      now,
    })
    // The payload of an archive layer is the earlier JWS JSON itself; the uuid is the innermost vCon's.
    assert.deepEqual(JSON.parse(Buffer.from(second.payload, 'base64url').toString('utf8')), first)
    assert.equal(third.signatures[0]?.header?.uuid, VCON.uuid)
    const result = await verifySignedVcon(third, ANCHORS)
    assert.deepEqual(result.vcon, VCON)
    assert.deepEqual(
      result.layers.map((l) => [l.signers[0]?.alg, l.wrapsSignedVcon, l.gzip]),
      [
        ['EdDSA', true, true],
        ['ES256', true, false],
        ['RS256', false, false],
      ],
    )
    // Inner layers are checked at the signing time of the layer that wraps them.
    assert.deepEqual(
      result.layers.map((l) => l.signers[0]?.checkedAt.toISOString()),
      [NOW.toISOString(), NOW.toISOString(), '2029-01-01T00:00:00.000Z'],
    )
    await assert.rejects(verifySignedVcon(third, { ...ANCHORS, maxLayers: 2 }), {
      code: 'VCON_TOO_DEEP',
    })
    // A tampered inner layer is caught even though the outer signature covers it... as bytes: re-sign it.
    const innerTampered = {
      ...first,
      payload: Buffer.from(JSON.stringify({ ...VCON, subject: 'x' })).toString('base64url'),
    }
    const rewrapped = signVcon(innerTampered, { key: pkiKey('p256'), chain: chainOf('p256'), now })
    await assert.rejects(verifySignedVcon(rewrapped, ANCHORS), {
      code: 'VCON_SIGNATURE_INVALID',
      message: /signatures\[0\]/,
    })
  })

  test('an expired leaf is refused at `at` = now and accepted with `at` inside its validity', async () => {
    const during = new Date('2020-01-01T12:00:00Z')
    const signed = signVcon(VCON, {
      key: pkiKey('expired'),
      chain: chainOf('expired'),
      now: () => during,
    })
    await assert.rejects(verifySignedVcon(signed, { anchors: [ROOT] }), {
      code: 'VCON_CHAIN_INVALID',
      message: /x5c\[0\].*expired\.signer\.test.*not valid at/,
    })
    const result = await verifySignedVcon(signed, { anchors: [ROOT], at: during })
    assert.equal(result.layers[0]?.signers[0]?.chain.length, 3)
    assert.equal(
      result.layers[0]?.signers[0]?.validity.notAfter.toISOString(),
      '2020-01-02T00:00:00.000Z',
    )
  })

  test('a uuid header that differs from the payload uuid is refused', async () => {
    const signed = signVcon(VCON, { key: pkiKey('rsa'), chain: chainOf('rsa'), now })
    const sig = signed.signatures[0] as { header: Record<string, unknown> }
    const edited: SignedVcon = {
      ...signed,
      signatures: [
        {
          ...sig,
          header: { ...sig.header, uuid: '019f15a6-0000-826f-b9a2-279e0d16bc46' },
        } as never,
      ],
    }
    await assert.rejects(verifySignedVcon(edited, ANCHORS), { code: 'VCON_UUID_MISMATCH' })
  })

  test('a signature by a key outside the trusted PKI is refused even if it verifies', async () => {
    const signed = signVcon(VCON, { key: pkiKey('rsa'), chain: chainOf('rsa'), now })
    await assert.rejects(verifySignedVcon(signed, { anchors: [pkiCert('other-root')], at: NOW }), {
      code: 'VCON_UNTRUSTED',
    })
  })
})
