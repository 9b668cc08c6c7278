import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { corpusPath } from '../../test/corpus.js'
import { upgradeVcon } from '../upgrade/upgrade-vcon.js'
import { decodeBody, getJsonBody, mediaTypeOf } from './body.js'
import { multipartPlainText } from './multipart-text.js'
import { getTags } from './tags.js'

function corpus(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(corpusPath(path), 'utf8'))
}

describe('getJsonBody', () => {
  test('encoding json: native values as is, strings holding JSON parsed (notes §g.5)', () => {
    assert.deepEqual(getJsonBody({ body: { a: 1 }, encoding: 'json' }), { a: 1 })
    assert.deepEqual(getJsonBody({ body: '{"a":[1,2]}', encoding: 'json' }), { a: [1, 2] })
    assert.equal(getJsonBody({ body: 'not json', encoding: 'json' }), 'not json')
    assert.equal(getJsonBody({ body: 'null', encoding: 'json' }), null)
  })

  test('base64url bodies are decoded and parsed; none bodies parsed only when JSON-typed', () => {
    const b64 = Buffer.from('{"x":true}').toString('base64url')
    assert.deepEqual(getJsonBody({ body: b64, encoding: 'base64url' }), { x: true })
    assert.equal(
      getJsonBody({ body: '{"x":1}', encoding: 'none', mediatype: 'text/plain' }),
      '{"x":1}',
    )
    assert.deepEqual(
      getJsonBody({ body: '{"x":1}', encoding: 'none', mediatype: 'application/json' }),
      { x: 1 },
    )
    assert.deepEqual(
      getJsonBody({ body: '[1]', encoding: 'none', mimetype: 'application/ld+json' }),
      [1],
    )
  })

  test('legacy: no encoding and a JSON-looking string, or a native value with encoding none', () => {
    assert.deepEqual(getJsonBody({ body: ' ["category:1"]' }), ['category:1'])
    assert.equal(getJsonBody({ body: 'hello' }), 'hello')
    assert.deepEqual(getJsonBody({ body: [{ speaker: 'A' }], encoding: 'none' }), [
      { speaker: 'A' },
    ])
    assert.equal(getJsonBody({}), undefined)
  })

  test('the spec example Deepgram analysis (native JSON body)', () => {
    const v = corpus('spec-examples/ab_call_ext_rec_analysis.vcon')
    const analysis = (v.analysis as Record<string, unknown>[])[0] as Record<string, unknown>
    const body = getJsonBody(analysis) as { results: { channels: unknown[] } }
    assert.equal(body.results.channels.length, 1)
  })
})

describe('decodeBody', () => {
  test('base64url (also padded standard base64) and none', () => {
    assert.deepEqual(decodeBody({ body: '_-8', encoding: 'base64url' }), new Uint8Array([255, 239]))
    assert.deepEqual(
      decodeBody({ body: '/+8=', encoding: 'base64url' }),
      new Uint8Array([255, 239]),
    )
    assert.deepEqual(decodeBody({ body: 'é', encoding: 'none' }), new Uint8Array([0xc3, 0xa9]))
    assert.deepEqual(decodeBody({ body: 'ab' }), new Uint8Array([0x61, 0x62]))
    assert.equal(decodeBody({ body: 'a*b', encoding: 'base64url' }), undefined)
    assert.equal(decodeBody({ body: { a: 1 }, encoding: 'json' }), undefined)
    assert.equal(decodeBody({ body: '{}', encoding: 'json' }), undefined)
  })

  test('the inline wav of ab_call_int_rec.vcon decodes to the wav file byte for byte', () => {
    const v = corpus('spec-examples/ab_call_int_rec.vcon')
    const dialog = (v.dialog as Record<string, unknown>[])[0] as Record<string, unknown>
    const wav = readFileSync(corpusPath('spec-examples/ab_call.wav'))
    assert.deepEqual(decodeBody(dialog), new Uint8Array(wav))
    assert.equal(mediaTypeOf(dialog), 'audio/x-wav')
  })
})

describe('getTags', () => {
  test('vcon-server fixture (0.0.1: type "tags", stringified body, no encoding), raw and upgraded', () => {
    const v = corpus('real/vcon-dev+vcon-server/common/tests/fixtures/cat1_vcon.json')
    assert.deepEqual(getTags(v), { category: '1' })
    assert.deepEqual(getTags(upgradeVcon(v).vcon), { category: '1' })
  })

  test('array, object and JSON-string bodies; later attachments win; values keep their colons', () => {
    const v = {
      uuid: 'u',
      attachments: [
        { purpose: 'tags', encoding: 'json', body: ['a:1', 'url:https://x', 'flag'] },
        { purpose: 'note', body: ['a:ignored'] },
        { type: 'tags', body: '{"a":"2","n":3}' },
        { purpose: 'tags', encoding: 'json', body: JSON.parse('{"__proto__":"p"}') },
      ],
    }
    const tags = getTags(v)
    assert.deepEqual(tags, { a: '2', url: 'https://x', flag: '', n: '3', ['__proto__']: 'p' })
    assert.equal(Object.getPrototypeOf(tags), Object.prototype)
  })
})

describe('multipartPlainText', () => {
  test('finds text/plain inside multipart/alternative inside multipart/mixed (spec email example)', () => {
    const v = corpus('spec-examples/ab_email_acct_prob_thread.vcon')
    const dialog = (v.dialog as Record<string, unknown>[])[0] as { body: string; mediatype: string }
    assert.equal(
      multipartPlainText(dialog.body, dialog.mediatype),
      'Alice:Please find the image attached.\r\n\r\nRegards,Bob\r\n',
    )
  })

  test('decodes quoted-printable and base64 parts and skips attachments', () => {
    const body = [
      '--b1',
      'Content-Type: text/plain; name="a.txt"',
      'Content-Disposition: attachment; filename="a.txt"',
      '',
      'not this one',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Caf=C3=A9 is =',
      'open',
      '--b1--',
    ].join('\r\n')
    assert.equal(multipartPlainText(body, 'multipart/mixed; boundary="b1"'), 'Café is open')
    const b64 = [
      '--x',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('hé').toString('base64'),
      '--x--',
    ].join('\n')
    assert.equal(multipartPlainText(b64, 'multipart/mixed; boundary=x'), 'hé')
    assert.equal(multipartPlainText(body, 'multipart/mixed'), undefined)
  })
})
