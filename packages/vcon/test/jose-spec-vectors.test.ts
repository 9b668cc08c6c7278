/**
 * The core draft's signed and encrypted examples (notes §b.1, §b.2, §f) through verifySignedVcon, decryptVcon
 * and decryptAndVerifyVcon, with the vcon-dev/vcon test certificates as anchors and key.
 */
import assert from 'node:assert/strict'
import { createHmac, createPrivateKey } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { flattenedDecrypt } from 'jose'
import { decryptAndVerifyVcon, decryptVcon } from '../src/encrypt/decrypt-vcon.js'
import type { EncryptedVcon, SignedVcon } from '../src/model/vcon.js'
import { verifySignedVcon } from '../src/sign/verify-vcon.js'
import { loadTrustAnchors } from '../src/x509/chain.js'
import { corpusPath } from './corpus.js'

const read = (path: string) => readFileSync(corpusPath(path), 'utf8')
const json = (path: string) => JSON.parse(read(`spec-examples/${path}`))

const SIGNED: SignedVcon = json('ab_call_ext_rec_signed.vcon')
const ENCRYPTED: EncryptedVcon = json('ab_call_ext_rec_encrypted.vcon')
const ROOT = loadTrustAnchors(read('certs/fake_ca_root.crt'))
const OTHER_ROOT = loadTrustAnchors(read('certs/fake_ca2_root.crt'))
const GRP_KEY = read('certs/fake_grp.key')
/** Inside the certificates' validity (2022-06-04 to 2032-05-26), so the test does not expire. */
const AT = new Date('2025-01-01T00:00:00Z')
const OK = { anchors: ROOT, allowLegacyV1Ca: true, at: AT }

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
/** Replaces the character at `i` by the next one of the base64url alphabet. */
function flip(text: string, i: number): string {
  const next = ALPHABET[(ALPHABET.indexOf(text.charAt(i)) + 1) % 64] as string
  return text.slice(0, i) + next + text.slice(i + 1)
}

/** Every 97th position plus the first and the last. */
function positions(length: number): number[] {
  const out = new Set<number>([0, length - 1])
  for (let i = 0; i < length; i += 97) out.add(i)
  return [...out].sort((a, b) => a - b)
}

function withSignature(patch: Record<string, unknown>): SignedVcon {
  return { ...SIGNED, signatures: [{ ...(SIGNED.signatures[0] as object), ...patch } as never] }
}

describe('spec example: ab_call_ext_rec_signed.vcon', () => {
  test('verifies with fake_ca_root.crt and the legacy v1 option; payload = ab_call_ext_rec.vcon', async () => {
    const result = await verifySignedVcon(SIGNED, OK)
    assert.deepEqual(result.vcon, json('ab_call_ext_rec.vcon'))
    assert.deepEqual(result.vcon, json('ab_call_ext_rec_decrypted_verified.vcon'))
    assert.equal(result.uuid, '019f15a6-a752-826f-b9a2-279e0d16bc46')
    assert.equal(result.layers.length, 1)
    const signer = result.layers[0]?.signers[0]
    assert.equal(signer?.alg, 'RS256')
    assert.match(signer?.subject ?? '', /CN=grp\.div\.fakevcon\.io/)
    assert.deepEqual(
      signer?.chain.map((s) => /CN=([^,]+)/.exec(s)?.[1]),
      ['grp.div.fakevcon.io', 'div.fakevcon.io', 'fakevcon.io'],
    )
    assert.equal(signer?.validity.notAfter.toISOString(), '2032-06-01T01:43:25.000Z')
    // No iat and no updated_at in the example: the signing time is unknown.
    assert.equal(signer?.signingTime, undefined)
  })

  test('is refused without the legacy option, with a message naming the option', async () => {
    await assert.rejects(verifySignedVcon(SIGNED, { anchors: ROOT, at: AT }), {
      code: 'VCON_CHAIN_INVALID',
      message: /allowLegacyV1Ca/,
    })
  })

  test('is refused with fake_ca2_root.crt as the anchor', async () => {
    await assert.rejects(
      verifySignedVcon(SIGNED, { anchors: OTHER_ROOT, allowLegacyV1Ca: true, at: AT }),
      { code: 'VCON_UNTRUSTED' },
    )
  })

  test('is refused after the certificates expire', async () => {
    await assert.rejects(
      verifySignedVcon(SIGNED, { ...OK, at: new Date('2033-01-01T00:00:00Z') }),
      { code: 'VCON_CHAIN_INVALID', message: /not valid at 2033/ },
    )
  })

  test('is refused after any single character of the payload changes', async () => {
    const checked = positions(SIGNED.payload.length)
    assert.ok(checked.length >= 9)
    for (const i of checked) {
      const tampered = { ...SIGNED, payload: flip(SIGNED.payload, i) }
      await assert.rejects(
        verifySignedVcon(tampered, OK),
        { code: 'VCON_SIGNATURE_INVALID' },
        `at ${i}`,
      )
    }
  })

  test('is refused after any single character of the signature changes', async () => {
    const signature = SIGNED.signatures[0]?.signature as string
    // 256 bytes = 342 characters: the last one carries 4 unused bits, so flipping it to the next character
    // keeps the bytes the same; the strict decoder refuses the non-canonical text instead (RFC 4648 §3.5).
    assert.equal(
      Buffer.from(flip(signature, signature.length - 1), 'base64url').equals(
        Buffer.from(signature, 'base64url'),
      ),
      true,
    )
    for (const i of positions(signature.length)) {
      await assert.rejects(
        verifySignedVcon(withSignature({ signature: flip(signature, i) }), OK),
        { code: 'VCON_SIGNATURE_INVALID' },
        `at ${i}`,
      )
    }
  })

  test('is refused after the protected header changes', async () => {
    const prot = SIGNED.signatures[0]?.protected as string
    for (const i of [0, 10, 20]) {
      await assert.rejects(verifySignedVcon(withSignature({ protected: flip(prot, i) }), OK), {
        code: /VCON_SIGNATURE_INVALID|VCON_ALG_REFUSED/,
      })
    }
  })

  test('a header name repeated with a different value is refused', async () => {
    const header = { ...(SIGNED.signatures[0]?.header as object), alg: 'RS512' }
    await assert.rejects(verifySignedVcon(withSignature({ header }), OK), {
      code: 'VCON_SIGNATURE_INVALID',
      message: /"alg" appears in signatures\[0\]\.protected and signatures\[0\]\.header/,
    })
  })

  test('a uuid header that differs from the payload is refused', async () => {
    const header = {
      ...(SIGNED.signatures[0]?.header as object),
      uuid: 'ffffffff-a752-826f-b9a2-279e0d16bc46',
    }
    await assert.rejects(verifySignedVcon(withSignature({ header }), OK), {
      code: 'VCON_UUID_MISMATCH',
    })
  })

  test('alg none and HS256 are refused', async () => {
    const x5c = (SIGNED.signatures[0]?.header as { x5c: string[] } | undefined)?.x5c
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')
    const none = {
      payload: SIGNED.payload,
      signatures: [{ protected: b64({ alg: 'none' }), header: { x5c }, signature: '' }],
    }
    await assert.rejects(verifySignedVcon(none, OK), {
      code: 'VCON_ALG_REFUSED',
      message: /"none"/,
    })
    const prot = b64({ alg: 'HS256' })
    const mac = createHmac('sha256', 'secret')
      .update(`${prot}.${SIGNED.payload}`)
      .digest('base64url')
    const hs = {
      payload: SIGNED.payload,
      signatures: [{ protected: prot, header: { x5c }, signature: mac }],
    }
    await assert.rejects(verifySignedVcon(hs, OK), { code: 'VCON_ALG_REFUSED', message: /"HS256"/ })
  })

  test('an algorithm outside acceptAlgs is refused', async () => {
    await assert.rejects(verifySignedVcon(SIGNED, { ...OK, acceptAlgs: ['ES256'] }), {
      code: 'VCON_ALG_REFUSED',
    })
  })

  test('the flattened form of the example verifies too', async () => {
    const sig = SIGNED.signatures[0] as {
      protected: string
      header: Record<string, unknown>
      signature: string
    }
    const result = await verifySignedVcon({ payload: SIGNED.payload, ...sig }, OK)
    assert.equal(result.uuid, '019f15a6-a752-826f-b9a2-279e0d16bc46')
  })
})

describe('spec example: ab_call_ext_rec_encrypted.vcon', () => {
  test('decrypts with fake_grp.key to ab_call_ext_rec_decrypted.vcon', () => {
    const result = decryptVcon(ENCRYPTED, { key: GRP_KEY })
    assert.deepEqual(result.signed, json('ab_call_ext_rec_decrypted.vcon'))
    assert.deepEqual(result.signed, SIGNED)
    assert.equal(result.uuid, '019f15a6-a752-826f-b9a2-279e0d16bc46')
    assert.equal(result.header.alg, 'RSA-OAEP')
    assert.equal(result.header.enc, 'A256CBC-HS512')
  })

  test('the decrypted JWS then verifies (decryptAndVerifyVcon)', async () => {
    const result = await decryptAndVerifyVcon(ENCRYPTED, { key: GRP_KEY, ...OK })
    assert.deepEqual(result.vcon, json('ab_call_ext_rec_decrypted_verified.vcon'))
    assert.equal(result.layers[0]?.signers[0]?.alg, 'RS256')
  })

  test('an independent implementation (jose, headers de-duplicated) gives the same plaintext', async () => {
    const { protected: prot, iv, ciphertext, tag } = ENCRYPTED
    const encrypted_key = ENCRYPTED.recipients[0]?.encrypted_key
    const out = await flattenedDecrypt(
      {
        protected: prot as string,
        encrypted_key,
        iv: iv as string,
        ciphertext,
        tag: tag as string,
      },
      createPrivateKey(GRP_KEY),
    )
    assert.deepEqual(JSON.parse(Buffer.from(out.plaintext).toString('utf8')), SIGNED)
  })

  test('a wrong key, a changed ciphertext or a changed tag is refused', () => {
    const otherKey = read('certs/fake_div.key')
    assert.throws(() => decryptVcon(ENCRYPTED, { key: otherKey }), { code: 'VCON_DECRYPT_FAILED' })
    for (const field of ['ciphertext', 'tag', 'iv'] as const) {
      const value = ENCRYPTED[field] as string
      for (const i of [0, Math.floor(value.length / 2)]) {
        assert.throws(
          () => decryptVcon({ ...ENCRYPTED, [field]: flip(value, i) }, { key: GRP_KEY }),
          { code: 'VCON_DECRYPT_FAILED' },
          `${field} at ${i}`,
        )
      }
    }
  })

  test('a protected header change (the AAD) is refused', () => {
    const prot = Buffer.from(
      JSON.stringify({ alg: 'RSA-OAEP', enc: 'A256CBC-HS512', x: 1 }),
    ).toString('base64url')
    assert.throws(() => decryptVcon({ ...ENCRYPTED, protected: prot }, { key: GRP_KEY }), {
      code: 'VCON_DECRYPT_FAILED',
    })
  })

  test('an enc repeated with a different value is refused', () => {
    const unprotected = { ...ENCRYPTED.unprotected, enc: 'A256GCM' }
    assert.throws(() => decryptVcon({ ...ENCRYPTED, unprotected }, { key: GRP_KEY }), {
      code: 'VCON_DECRYPT_FAILED',
      message: /"enc" appears in protected and unprotected/,
    })
  })

  test('a uuid header that differs from the vCon inside is refused', () => {
    const unprotected = { ...ENCRYPTED.unprotected, uuid: '00000000-a752-826f-b9a2-279e0d16bc46' }
    assert.throws(() => decryptVcon({ ...ENCRYPTED, unprotected }, { key: GRP_KEY }), {
      code: 'VCON_UUID_MISMATCH',
    })
  })
})
