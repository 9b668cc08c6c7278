import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { corpusPath } from '../../test/corpus.js'
import { chainOf, pkiKey, ROOT } from '../../test/support/pki.js'
import { loadTrustAnchors } from '../x509/chain.js'
import { signVcon } from './sign-vcon.js'
import { verifyAndParseSignedVcon } from './verify-and-parse.js'

const read = (path: string) => readFileSync(corpusPath(path), 'utf8')
const AT = new Date('2025-01-01T00:00:00Z')

describe('verifyAndParseSignedVcon', () => {
  test('the spec example verifies and parses (lenient); strict mode refuses it (no created_at)', async () => {
    const signed = JSON.parse(read('spec-examples/ab_call_ext_rec_signed.vcon'))
    const options = {
      anchors: loadTrustAnchors(read('certs/fake_ca_root.crt')),
      allowLegacyV1Ca: true,
      at: AT,
    }
    const result = await verifyAndParseSignedVcon(signed, options)
    assert.equal(result.parsed.form, 'unsigned')
    assert.equal(result.parsed.vcon.uuid, '019f15a6-a752-826f-b9a2-279e0d16bc46')
    assert.equal(result.parsed.vcon.dialog?.[0]?.type, 'recording')
    await assert.rejects(verifyAndParseSignedVcon(signed, { ...options, mode: 'strict' }), {
      code: 'VCON_INVALID',
    })
  })

  test('a signed payload that is not a vCon is refused by the parser', async () => {
    const signed = signVcon({ uuid: '019f15a6-a752-826f-b9a2-279e0d16bc46', hello: 1 } as never, {
      key: pkiKey('p256'),
      chain: chainOf('p256'),
      now: () => AT,
    })
    await assert.rejects(verifyAndParseSignedVcon(signed, { anchors: [ROOT], at: AT }), {
      code: 'VCON_NOT_A_VCON',
    })
  })
})
