import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, test } from 'node:test'
import { legacyHashToken } from './legacy-hash.js'
import { upgradeVcon } from './upgrade-vcon.js'

const UUID = '019f15a6-a752-826f-b9a2-279e0d16bc46'
const digest = createHash('sha512').update('ab_call').digest()
const B64URL = digest.toString('base64url')
const STD = digest.toString('base64')
const HEX = digest.toString('hex')

function issuesAt(result: ReturnType<typeof upgradeVcon>, pointer: string) {
  return result.issues.filter((i) => i.pointer === pointer)
}

describe('0.0.1 → 0.0.2: mimetype', () => {
  test('renames mimetype to mediatype on dialog, attachment and analysis, one warning each', () => {
    const r = upgradeVcon({
      vcon: '0.0.1',
      uuid: UUID,
      dialog: [{ type: 'text', mimetype: 'text/plain', body: 'hi', encoding: 'none' }],
      attachments: [{ purpose: 'x', mimetype: 'application/pdf' }],
      analysis: [{ type: 'summary', vendor: 'v', mimetype: 'text/plain' }],
    })
    const dialog = (r.vcon.dialog as Record<string, unknown>[])[0]
    assert.deepEqual(dialog, {
      type: 'text',
      mediatype: 'text/plain',
      body: 'hi',
      encoding: 'none',
    })
    assert.equal((r.vcon.attachments as Record<string, unknown>[])[0]?.mediatype, 'application/pdf')
    assert.equal((r.vcon.analysis as Record<string, unknown>[])[0]?.mediatype, 'text/plain')
    for (const p of ['/dialog/0/mimetype', '/attachments/0/mimetype', '/analysis/0/mimetype']) {
      const found = issuesAt(r, p)
      assert.equal(found.length, 1, p)
      assert.equal(found[0]?.code, 'renamed-field')
      assert.equal(found[0]?.severity, 'warning')
      assert.equal(found[0]?.message, 'renamed mimetype to mediatype (0.0.1 name)')
    }
  })

  test('a present mediatype wins and mimetype is removed', () => {
    const r = upgradeVcon({
      vcon: '0.0.1',
      uuid: UUID,
      dialog: [{ type: 'recording', mimetype: 'audio/x-wav', mediatype: 'audio/wav' }],
    })
    assert.deepEqual(r.vcon.dialog, [{ type: 'recording', mediatype: 'audio/wav' }])
    assert.equal(issuesAt(r, '/dialog/0/mimetype')[0]?.code, 'renamed-field')
    assert.match(issuesAt(r, '/dialog/0/mimetype')[0]?.message ?? '', /mediatype present wins/)
  })
})

describe('0.0.1 → 0.0.2: alg + signature', () => {
  test('SHA-512 with a base64url digest becomes one sha512 token at the place of alg', () => {
    const r = upgradeVcon({
      vcon: '0.0.1',
      uuid: UUID,
      dialog: [
        { type: 'recording', url: 'https://x/a.wav', alg: 'SHA-512', signature: B64URL, d: 1 },
      ],
    })
    assert.deepEqual(r.vcon.dialog, [
      { type: 'recording', url: 'https://x/a.wav', content_hash: `sha512-${B64URL}`, d: 1 },
    ])
    const found = issuesAt(r, '/dialog/0/alg')
    assert.equal(found.length, 1)
    assert.equal(found[0]?.code, 'converted-hash')
    assert.equal(
      found[0]?.message,
      'combined alg "SHA-512" and signature into a sha512 content_hash token (0.0.1 hash pair)',
    )
  })

  test('standard padded base64 and hexadecimal digests are re-encoded as unpadded base64url', () => {
    assert.ok(STD.endsWith('=='))
    assert.deepEqual(legacyHashToken('SHA-512', STD), {
      token: `sha512-${B64URL}`,
      note: 'the digest was re-encoded as unpadded base64url',
    })
    assert.deepEqual(legacyHashToken('sha512', HEX), {
      token: `sha512-${B64URL}`,
      note: 'the hexadecimal digest was re-encoded as base64url',
    })
    const sha256 = createHash('sha256').update('x').digest()
    assert.equal(
      legacyHashToken('SHA-256', sha256.toString('base64'))?.token,
      `sha256-${sha256.toString('base64url')}`,
    )
  })

  test('an undecodable signature is still converted, kept as is, and the warning says so', () => {
    const r = upgradeVcon({
      vcon: '0.0.1',
      uuid: UUID,
      attachments: [{ purpose: 'p', alg: 'SHA-512', signature: 'abc123' }],
    })
    assert.deepEqual(r.vcon.attachments, [{ purpose: 'p', content_hash: 'sha512-abc123' }])
    const found = issuesAt(r, '/attachments/0/alg')
    assert.equal(found[0]?.code, 'converted-hash')
    assert.match(
      found[0]?.message ?? '',
      /does not decode to a 64-byte sha512 digest and was kept as is/,
    )
    assert.equal(legacyHashToken('SHA-512', 'not base64!')?.token, 'sha512-not base64!')
  })

  test('a content_hash already present is kept and the converted token is added to it', () => {
    const other = `sha256-${createHash('sha256').update('y').digest('base64url')}`
    const r = upgradeVcon({
      vcon: '0.0.1',
      uuid: UUID,
      analysis: [
        { type: 't', vendor: 'v', content_hash: other, alg: 'SHA-512', signature: B64URL },
      ],
    })
    assert.deepEqual((r.vcon.analysis as Record<string, unknown>[])[0]?.content_hash, [
      other,
      `sha512-${B64URL}`,
    ])
    assert.match(issuesAt(r, '/analysis/0/alg')[0]?.message ?? '', /added to the content_hash/)
  })

  test('the pair is converted on redacted, appended and group entries too', () => {
    const r = upgradeVcon({
      vcon: '0.0.1',
      uuid: UUID,
      redacted: { uuid: UUID, type: 'PII', url: 'https://x/r', alg: 'SHA-512', signature: B64URL },
      group: [{ uuid: UUID, url: 'https://x/g', alg: 'SHA-512', signature: B64URL }],
    })
    assert.deepEqual(r.vcon.redacted, {
      uuid: UUID,
      type: 'PII',
      url: 'https://x/r',
      content_hash: `sha512-${B64URL}`,
    })
    assert.deepEqual(r.vcon.group, [
      { uuid: UUID, url: 'https://x/g', content_hash: `sha512-${B64URL}` },
    ])
    assert.equal(issuesAt(r, '/redacted/alg')[0]?.code, 'converted-hash')
    assert.equal(issuesAt(r, '/group/0/alg')[0]?.code, 'converted-hash')
  })

  test('appended keeps its converted hash when it is renamed to amended', () => {
    const r = upgradeVcon({
      vcon: '0.0.1',
      uuid: UUID,
      appended: { uuid: UUID, url: 'https://x/p', alg: 'SHA-512', signature: B64URL },
    })
    assert.deepEqual(r.vcon.amended, {
      uuid: UUID,
      url: 'https://x/p',
      content_hash: `sha512-${B64URL}`,
    })
    assert.equal(r.vcon.appended, undefined)
    assert.equal(issuesAt(r, '/appended/alg')[0]?.code, 'converted-hash')
    assert.equal(issuesAt(r, '/appended')[0]?.code, 'renamed-field')
  })

  test('an empty signature removes the pair with dropped-empty', () => {
    const r = upgradeVcon({
      vcon: '0.0.1',
      uuid: UUID,
      dialog: [{ type: 'recording', alg: 'SHA-512', signature: '' }],
    })
    assert.deepEqual(r.vcon.dialog, [{ type: 'recording' }])
    assert.equal(issuesAt(r, '/dialog/0/alg')[0]?.code, 'dropped-empty')
  })
})
