import assert from 'node:assert/strict'
import { generateKeyPairSync, type KeyObject, type X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { FlattenedEncrypt, GeneralEncrypt, type GeneralJWE, generalDecrypt } from 'jose'
import { corpusPath } from '../../test/corpus.js'
import { chainOf, pkiCert, pkiKey, ROOT } from '../../test/support/pki.js'
import type { EncryptedVcon, Vcon } from '../model/vcon.js'
import { signVcon } from '../sign/sign-vcon.js'
import { decryptAndVerifyVcon, decryptVcon } from './decrypt-vcon.js'
import { encryptVcon } from './encrypt-vcon.js'

const VCON: Vcon = JSON.parse(
  readFileSync(corpusPath('spec-examples/ab_call_ext_rec.vcon'), 'utf8'),
)
const NOW = new Date('2030-06-01T12:00:00Z')
const SIGNED = signVcon(VCON, { key: pkiKey('rsa'), chain: chainOf('rsa'), now: () => NOW })
const P521 = generateKeyPairSync('ec', { namedCurve: 'P-521' })
const X25519 = generateKeyPairSync('x25519')

/** Recipients: what encryptVcon is given, and the private key that must open it. */
const RECIPIENTS: readonly {
  readonly label: string
  readonly to: X509Certificate | KeyObject | string
  readonly key: KeyObject
  readonly alg: 'RSA-OAEP' | 'RSA-OAEP-256' | 'ECDH-ES+A256KW'
}[] = [
  { label: 'RSA certificate', to: pkiCert('rsa'), key: pkiKey('rsa'), alg: 'RSA-OAEP' },
  { label: 'RSA certificate', to: pkiCert('rsa'), key: pkiKey('rsa'), alg: 'RSA-OAEP-256' },
  { label: 'P-256 certificate', to: pkiCert('p256'), key: pkiKey('p256'), alg: 'ECDH-ES+A256KW' },
  { label: 'P-384 certificate', to: pkiCert('p384'), key: pkiKey('p384'), alg: 'ECDH-ES+A256KW' },
  { label: 'P-521 public key', to: P521.publicKey, key: P521.privateKey, alg: 'ECDH-ES+A256KW' },
  {
    label: 'X25519 PEM public key',
    to: X25519.publicKey.export({ format: 'pem', type: 'spki' }) as string,
    key: X25519.privateKey,
    alg: 'ECDH-ES+A256KW',
  },
]

function decodeJson(b64: string | undefined): unknown {
  return JSON.parse(Buffer.from(b64 ?? '', 'base64url').toString('utf8'))
}

describe('encryptVcon output decrypts with jose (independent) and with ours', () => {
  for (const enc of ['A256CBC-HS512', 'A256GCM'] as const) {
    for (const r of RECIPIENTS) {
      test(`${r.alg} + ${enc} to a ${r.label}`, async () => {
        const jwe = encryptVcon(SIGNED, { recipients: [r.to], alg: r.alg, enc })
        // Layout of notes §g.12: protected {enc}, unprotected {cty, uuid}, recipient {alg (+epk)}.
        assert.deepEqual(decodeJson(jwe.protected), { enc })
        assert.deepEqual(jwe.unprotected, { cty: 'application/vcon', uuid: VCON.uuid })
        const header = jwe.recipients[0]?.header as Record<string, unknown>
        assert.equal(header.alg, r.alg)
        assert.equal('epk' in header, r.alg.startsWith('ECDH'))

        const theirs = await generalDecrypt(jwe as unknown as GeneralJWE, r.key)
        assert.deepEqual(JSON.parse(Buffer.from(theirs.plaintext).toString('utf8')), SIGNED)
        assert.equal(theirs.protectedHeader?.enc, enc)

        const ours = decryptVcon(jwe, { key: r.key })
        assert.deepEqual(ours.signed, SIGNED)
        assert.equal(ours.uuid, VCON.uuid)
      })
    }
  }

  test('the default is RSA-OAEP + A256CBC-HS512 for an RSA recipient (core draft §5.3)', () => {
    const jwe = encryptVcon(SIGNED, { recipients: [pkiCert('rsa')] })
    assert.deepEqual(decodeJson(jwe.protected), { enc: 'A256CBC-HS512' })
    assert.equal(jwe.recipients[0]?.header?.alg, 'RSA-OAEP')
    const ec = encryptVcon(SIGNED, { recipients: [pkiCert('p256')] })
    assert.equal(ec.recipients[0]?.header?.alg, 'ECDH-ES+A256KW')
  })

  test('randomBytes supplies the CEK and IV', () => {
    let calls = 0
    const jwe = encryptVcon(SIGNED, {
      recipients: [pkiCert('rsa')],
      enc: 'A256GCM',
      randomBytes: (n) => {
        calls++
        return Buffer.alloc(n, calls)
      },
    })
    assert.equal(calls, 2)
    assert.equal(jwe.iv, Buffer.alloc(12, 2).toString('base64url'))
    assert.deepEqual(decryptVcon(jwe, { key: pkiKey('rsa') }).signed, SIGNED)
  })
})

describe('several recipients', () => {
  const recipients = [
    pkiCert('rsa'),
    { key: pkiCert('rsa'), alg: 'RSA-OAEP-256' as const },
    pkiCert('p256'),
    X25519.publicKey,
  ]
  const keys = [pkiKey('rsa'), pkiKey('rsa'), pkiKey('p256'), X25519.privateKey]

  test('every recipient key opens it, with jose and with ours', async () => {
    const jwe = encryptVcon(SIGNED, { recipients })
    assert.deepEqual(
      jwe.recipients.map((r) => r.header?.alg),
      ['RSA-OAEP', 'RSA-OAEP-256', 'ECDH-ES+A256KW', 'ECDH-ES+A256KW'],
    )
    for (const key of keys) {
      const theirs = await generalDecrypt(jwe as unknown as GeneralJWE, key)
      assert.deepEqual(JSON.parse(Buffer.from(theirs.plaintext).toString('utf8')), SIGNED)
      assert.deepEqual(decryptVcon(jwe, { key }).signed, SIGNED)
    }
    assert.equal(decryptVcon(jwe, { key: pkiKey('p256') }).recipient, 2)
    assert.equal(decryptVcon(jwe, { key: X25519.privateKey }).recipient, 3)
  })

  test('a key that is no recipient is refused', () => {
    const jwe = encryptVcon(SIGNED, { recipients })
    const strangerRsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
    assert.throws(() => decryptVcon(jwe, { key: strangerRsa }), { code: 'VCON_DECRYPT_FAILED' })
    assert.throws(() => decryptVcon(jwe, { key: pkiKey('ed25519') }), {
      code: 'VCON_DECRYPT_FAILED',
      message: /fits none of the recipients/,
    })
  })
})

describe('decryptVcon against an independent encryptor (jose)', () => {
  const plaintext = Buffer.from(JSON.stringify(SIGNED))

  test('General JWE with RSA-OAEP-256 and ECDH-ES+A256KW (with apu/apv)', async () => {
    const jwe = await new GeneralEncrypt(plaintext)
      .setProtectedHeader({ enc: 'A256GCM' })
      .setSharedUnprotectedHeader({ uuid: VCON.uuid, cty: 'application/vcon' })
      .addRecipient(pkiCert('rsa').publicKey)
      .setUnprotectedHeader({ alg: 'RSA-OAEP-256' })
      .addRecipient(pkiCert('p384').publicKey)
      .setUnprotectedHeader({ alg: 'ECDH-ES+A256KW' })
      .setKeyManagementParameters({ apu: Buffer.from('Alice'), apv: Buffer.from('Bob') })
      .encrypt()
    assert.equal(typeof jwe.recipients[1]?.header?.apu, 'string')
    const rsa = decryptVcon(jwe as unknown as EncryptedVcon, { key: pkiKey('rsa') })
    assert.deepEqual(rsa.signed, SIGNED)
    const ec = decryptVcon(jwe as unknown as EncryptedVcon, { key: pkiKey('p384') })
    assert.deepEqual(ec.signed, SIGNED)
    assert.equal(ec.recipient, 1)
  })

  test('Flattened JWE with A256CBC-HS512, X25519', async () => {
    const jwe = await new FlattenedEncrypt(plaintext)
      .setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256CBC-HS512' })
      .encrypt(X25519.publicKey)
    const result = decryptVcon(jwe, { key: X25519.privateKey })
    assert.deepEqual(result.signed, SIGNED)
    assert.equal(result.uuid, undefined)
  })

  test('an encrypted vCon that was never signed is refused after decryption', async () => {
    const jwe = await new FlattenedEncrypt(Buffer.from(JSON.stringify(VCON)))
      .setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A256CBC-HS512' })
      .encrypt(pkiCert('rsa').publicKey)
    assert.throws(() => decryptVcon(jwe, { key: pkiKey('rsa') }), {
      code: 'VCON_NOT_A_VCON',
      message: /not a signed vCon/,
    })
  })
})

describe('refusals', () => {
  test('an unsigned vCon is refused: sign first (core draft §5.3)', () => {
    assert.throws(() => encryptVcon(VCON as never, { recipients: [pkiCert('rsa')] }), {
      code: 'VCON_BAD_ARGUMENT',
      message: /Sign it first/,
    })
  })

  test('bad recipient arguments are refused', () => {
    assert.throws(() => encryptVcon(SIGNED, { recipients: [] }), { code: 'VCON_BAD_ARGUMENT' })
    assert.throws(() => encryptVcon(SIGNED, { recipients: [pkiCert('p256')], alg: 'RSA-OAEP' }), {
      code: 'VCON_BAD_ARGUMENT',
      message: /cannot be used with RSA-OAEP/,
    })
    assert.throws(() => encryptVcon(SIGNED, { recipients: [pkiCert('ed25519')] }), {
      code: 'VCON_BAD_ARGUMENT',
    })
    assert.throws(
      () => encryptVcon(SIGNED, { recipients: [pkiCert('rsa')], enc: 'A128GCM' as never }),
      { code: 'VCON_BAD_ARGUMENT' },
    )
  })

  test('any change to ciphertext, tag, iv, protected header or encrypted key is refused', () => {
    for (const enc of ['A256CBC-HS512', 'A256GCM'] as const) {
      const jwe = encryptVcon(SIGNED, { recipients: [pkiCert('rsa')], enc })
      const swap = (s: string, i: number) =>
        s.slice(0, i) + (s.charAt(i) === 'A' ? 'B' : 'A') + s.slice(i + 1)
      for (const field of ['ciphertext', 'tag', 'iv', 'protected'] as const) {
        const value = jwe[field] as string
        assert.throws(
          () => decryptVcon({ ...jwe, [field]: swap(value, 1) }, { key: pkiKey('rsa') }),
          { code: /VCON_DECRYPT_FAILED|VCON_ALG_REFUSED/ },
          `${enc} ${field}`,
        )
      }
      const r = jwe.recipients[0] as { header: object; encrypted_key: string }
      const changedKey = { ...jwe, recipients: [{ ...r, encrypted_key: swap(r.encrypted_key, 5) }] }
      assert.throws(() => decryptVcon(changedKey, { key: pkiKey('rsa') }), {
        code: 'VCON_DECRYPT_FAILED',
        message: /authentication tag/,
      })
    }
  })

  test('a uuid header edited after encryption is refused (it is not covered by the tag)', () => {
    const jwe = encryptVcon(SIGNED, { recipients: [pkiCert('rsa')] })
    const edited = {
      ...jwe,
      unprotected: { ...jwe.unprotected, uuid: '019f15a6-0000-826f-b9a2-279e0d16bc46' },
    }
    assert.throws(() => decryptVcon(edited, { key: pkiKey('rsa') }), { code: 'VCON_UUID_MISMATCH' })
  })

  test('RSA1_5, zip and crit are refused', () => {
    const jwe = encryptVcon(SIGNED, { recipients: [pkiCert('rsa')] })
    const r = jwe.recipients[0] as { header: object; encrypted_key: string }
    const withHeader = (h: object) => ({
      ...jwe,
      recipients: [{ ...r, header: { ...r.header, ...h } }],
    })
    assert.throws(() => decryptVcon(withHeader({ alg: 'RSA1_5' }), { key: pkiKey('rsa') }), {
      code: 'VCON_ALG_REFUSED',
      message: /RSA1_5/,
    })
    assert.throws(() => decryptVcon(withHeader({ zip: 'DEF' }), { key: pkiKey('rsa') }), {
      code: 'VCON_ALG_REFUSED',
    })
    assert.throws(() => decryptVcon(withHeader({ crit: ['exp'] }), { key: pkiKey('rsa') }), {
      code: 'VCON_ALG_REFUSED',
    })
  })
})

describe('decryptAndVerifyVcon on our own output', () => {
  test('sign, encrypt, then decrypt and verify gives the vCon back', async () => {
    const jwe = encryptVcon(SIGNED, { recipients: [pkiCert('p256'), pkiCert('rsa')] })
    const result = await decryptAndVerifyVcon(jwe, {
      key: pkiKey('p256'),
      anchors: [ROOT],
      at: NOW,
    })
    assert.deepEqual(result.vcon, VCON)
    assert.equal(result.decrypted.recipient, 0)
    assert.equal(result.layers[0]?.signers[0]?.subject, 'O=vconkit tests, CN=rsa.signer.test')
    await assert.rejects(
      decryptAndVerifyVcon(jwe, { key: pkiKey('p256'), anchors: [pkiCert('other-root')], at: NOW }),
      { code: 'VCON_UNTRUSTED' },
    )
  })
})
