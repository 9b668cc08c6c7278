import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { corpusPath } from '../../test/corpus.js'
import { chainOf, INTERMEDIATE, pkiCert, pkiPem, ROOT } from '../../test/support/pki.js'
import { loadTrustAnchors, parseX5c, toCertificate, verifyChain } from './chain.js'
import { readCertificateInfo } from './der.js'

const AT = new Date('2030-01-01T00:00:00Z')
const specCert = (name: string) =>
  new X509Certificate(readFileSync(corpusPath(`certs/${name}`), 'utf8'))

describe('readCertificateInfo', () => {
  test('reads v1 (no version field) and UTCTime validity from the spec certificates', () => {
    const info = readCertificateInfo(specCert('fake_grp.crt').raw)
    assert.equal(info.version, 1)
    assert.equal(info.notBefore.toISOString(), '2022-06-04T01:43:25.000Z')
    assert.equal(info.notAfter.toISOString(), '2032-06-01T01:43:25.000Z')
  })

  test('reads v3 and GeneralizedTime (dates after 2049) from the fixture PKI', () => {
    const info = readCertificateInfo(ROOT.raw)
    assert.equal(info.version, 3)
    assert.ok(info.notAfter.getUTCFullYear() > 2100, info.notAfter.toISOString())
    assert.equal(info.notAfter.getTime(), Date.parse(ROOT.validTo))
  })

  test('refuses bytes that are not a certificate', () => {
    assert.throws(() => readCertificateInfo(Buffer.from([0x30, 0x82, 0xff])), {
      code: 'VCON_CHAIN_INVALID',
    })
    assert.throws(() => readCertificateInfo(Buffer.from([0x04, 0x00])), {
      code: 'VCON_CHAIN_INVALID',
    })
  })
})

describe('loadTrustAnchors and toCertificate', () => {
  test('splits a PEM bundle and skips key blocks', () => {
    const bundle = `${pkiPem('root.crt.pem')}\n${pkiPem('rsa.key.pem')}\n${pkiPem('other-root.crt.pem')}`
    const anchors = loadTrustAnchors(bundle)
    assert.deepEqual(
      anchors.map((a) => a.fingerprint256),
      [ROOT.fingerprint256, pkiCert('other-root').fingerprint256],
    )
  })

  test('refuses text without a certificate', () => {
    assert.throws(() => loadTrustAnchors(pkiPem('rsa.key.pem')), { code: 'VCON_BAD_ARGUMENT' })
  })

  test('accepts PEM, base64 DER and DER bytes', () => {
    const fp = ROOT.fingerprint256
    assert.equal(toCertificate(pkiPem('root.crt.pem')).fingerprint256, fp)
    assert.equal(toCertificate(ROOT.raw.toString('base64')).fingerprint256, fp)
    assert.equal(toCertificate(new Uint8Array(ROOT.raw)).fingerprint256, fp)
    assert.throws(() => toCertificate('not a cert!'), { code: 'VCON_BAD_ARGUMENT' })
  })

  test('parseX5c refuses base64url and empty chains', () => {
    assert.throws(() => parseX5c([]), { code: 'VCON_CHAIN_INVALID' })
    const b64url = ROOT.raw.toString('base64url')
    assert.notEqual(b64url, ROOT.raw.toString('base64'))
    assert.throws(() => parseX5c([b64url]), /standard base64/)
  })
})

describe('verifyChain', () => {
  test('leaf → intermediate → root anchor, reporting subjects', () => {
    const result = verifyChain(chainOf('rsa'), { anchors: [ROOT], at: AT })
    assert.deepEqual(result.subjects, [
      'O=vconkit tests, CN=rsa.signer.test',
      'O=vconkit tests, CN=vconkit test intermediate',
      'O=vconkit tests, CN=vconkit test root',
    ])
    assert.equal(result.anchor, ROOT)
    assert.equal(result.certificates[0]?.version, 3)
  })

  test('the root may be in the chain; certificates after the anchor are ignored', () => {
    const result = verifyChain([...chainOf('p256'), ROOT, pkiCert('other-root')], {
      anchors: [ROOT],
      at: AT,
    })
    assert.equal(result.subjects.length, 3)
  })

  test('an intermediate can be the anchor', () => {
    const result = verifyChain(chainOf('p384'), { anchors: [INTERMEDIATE], at: AT })
    assert.deepEqual(result.subjects.length, 2)
  })

  test('an unrelated root is refused as VCON_UNTRUSTED', () => {
    assert.throws(() => verifyChain(chainOf('rsa'), { anchors: [pkiCert('other-root')], at: AT }), {
      code: 'VCON_UNTRUSTED',
    })
    assert.throws(() => verifyChain(chainOf('rsa'), { anchors: [], at: AT }), {
      code: 'VCON_UNTRUSTED',
      message: /No trust anchors/,
    })
  })

  test('a chain with a missing or misplaced link is refused', () => {
    assert.throws(() => verifyChain([pkiCert('rsa'), ROOT], { anchors: [ROOT], at: AT }), {
      code: 'VCON_CHAIN_INVALID',
      message: /did not issue x5c\[0\]/,
    })
    assert.throws(() => verifyChain([INTERMEDIATE, pkiCert('rsa')], { anchors: [ROOT], at: AT }), {
      code: 'VCON_CHAIN_INVALID',
    })
  })

  test('a certificate issued by a non-CA (v3, CA:FALSE) is refused, even with the legacy option', () => {
    const chain = [pkiCert('rogue'), ...chainOf('rsa')]
    for (const allowLegacyV1Ca of [false, true]) {
      assert.throws(() => verifyChain(chain, { anchors: [ROOT], at: AT, allowLegacyV1Ca }), {
        code: 'VCON_CHAIN_INVALID',
        message: /is not a CA/,
      })
    }
  })

  test('an invalid `at` is refused rather than passing every date check', () => {
    assert.throws(() => verifyChain(chainOf('rsa'), { anchors: [ROOT], at: new Date('nope') }), {
      code: 'VCON_BAD_ARGUMENT',
    })
  })

  test('validity dates are checked at `at`', () => {
    const expired = [pkiCert('expired'), INTERMEDIATE]
    assert.throws(() => verifyChain(expired, { anchors: [ROOT], at: AT }), {
      code: 'VCON_CHAIN_INVALID',
      message: /not valid at 2030-01-01T00:00:00.000Z/,
    })
    const inside = verifyChain(expired, { anchors: [ROOT], at: new Date('2020-01-01T12:00:00Z') })
    assert.equal(inside.subjects.length, 3)
  })

  test('the spec chain needs the legacy v1 option, and the message names it', () => {
    const signed = JSON.parse(
      readFileSync(corpusPath('spec-examples/ab_call_ext_rec_signed.vcon'), 'utf8'),
    )
    const chain = parseX5c(signed.signatures[0].header.x5c)
    const anchors = [specCert('fake_ca_root.crt')]
    const at = new Date('2025-01-01T00:00:00Z')
    assert.throws(() => verifyChain(chain, { anchors, at }), {
      code: 'VCON_CHAIN_INVALID',
      message: /allowLegacyV1Ca: true/,
    })
    const ok = verifyChain(chain, { anchors, at, allowLegacyV1Ca: true })
    assert.deepEqual(
      ok.certificates.map((c) => c.version),
      [1, 1, 3],
    )
    assert.match(ok.subjects[0] ?? '', /CN=grp\.div\.fakevcon\.io/)
    // fake_ca2_root has the same subject as the real root but another key: refused by signature.
    assert.throws(
      () =>
        verifyChain(chain, {
          anchors: [specCert('fake_ca2_root.crt')],
          at,
          allowLegacyV1Ca: true,
        }),
      { code: 'VCON_UNTRUSTED' },
    )
  })

  test('the expired spec intermediate is refused', () => {
    const chain = [specCert('expired_div.crt')]
    assert.throws(() => verifyChain(chain, { anchors: [specCert('fake_ca_root.crt')], at: AT }), {
      code: 'VCON_CHAIN_INVALID',
      message: /2022-05-30T21:39:31.000Z/,
    })
  })
})
