import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { toBase64url } from './base64-repair.js'
import { isBinaryContent } from './body-repair.js'
import { upgradeVcon } from './upgrade-vcon.js'

const UUID = '019f15a6-a752-826f-b9a2-279e0d16bc46'
const BYTES = Buffer.from([0xfb, 0xff, 0xfe, 0x00, 0x10, 0x3f, 0xbf])
const STD = BYTES.toString('base64') // "+//+ABA/vw==": standard alphabet and padding
const URL_SAFE = BYTES.toString('base64url')

function upgradeDialog(dialog: Record<string, unknown>) {
  const r = upgradeVcon({ vcon: '0.4.0', uuid: UUID, dialog: [dialog] })
  return { dialog: (r.vcon.dialog as Record<string, unknown>[])[0], issues: r.issues }
}

describe('body and encoding repair', () => {
  test('a native object body with encoding none becomes json', () => {
    const body = { transcript: 'hi' }
    const r = upgradeVcon({
      vcon: '0.4.0',
      uuid: UUID,
      analysis: [{ type: 'transcript', vendor: 'v', body, encoding: 'none' }],
    })
    const analysis = (r.vcon.analysis as Record<string, unknown>[])[0]
    assert.equal(analysis?.encoding, 'json')
    assert.equal(analysis?.body, body)
    assert.deepEqual(r.issues, [
      {
        pointer: '/analysis/0/encoding',
        code: 'inferred-encoding',
        severity: 'warning',
        message: 'set encoding "none" to json: the body is an object, not a string',
      },
    ])
  })

  test('a missing encoding is inferred: json for a non-string, none for text', () => {
    const array = upgradeDialog({ type: 'text', body: [{ a: 1 }] })
    assert.equal(array.dialog?.encoding, 'json')
    assert.equal(array.issues[0]?.pointer, '/dialog/0/encoding')
    assert.equal(array.issues[0]?.code, 'inferred-encoding')
    const text = upgradeDialog({ type: 'text', mediatype: 'text/plain', body: 'Hello' })
    assert.equal(text.dialog?.encoding, 'none')
    assert.deepEqual(
      text.issues.map((i) => [i.pointer, i.code]),
      [['/dialog/0/encoding', 'inferred-encoding']],
    )
    // A word made of base64 letters is still text when the media is not binary.
    assert.equal(upgradeDialog({ type: 'text', body: 'Hello' }).dialog?.encoding, 'none')
  })

  test('a missing encoding on binary media with a base64 body is base64url, re-spelled if needed', () => {
    const clean = upgradeDialog({ type: 'recording', mediatype: 'audio/x-wav', body: URL_SAFE })
    assert.equal(clean.dialog?.encoding, 'base64url')
    assert.equal(clean.dialog?.body, URL_SAFE)
    assert.equal(clean.issues.length, 1)
    const std = upgradeDialog({ type: 'recording', filename: 'a.mp3', body: STD })
    assert.equal(std.dialog?.encoding, 'base64url')
    assert.equal(std.dialog?.body, URL_SAFE)
    assert.deepEqual(
      std.issues.map((i) => [i.pointer, i.code]),
      [
        ['/dialog/0/encoding', 'inferred-encoding'],
        ['/dialog/0/body', 'repaired-body'],
      ],
    )
    const notBase64 = upgradeDialog({ type: 'recording', mediatype: 'audio/wav', body: 'data:x,1' })
    assert.equal(notBase64.dialog?.encoding, 'none')
  })

  test('a base64url body with padding or standard characters is re-spelled', () => {
    const r = upgradeDialog({
      type: 'recording',
      mediatype: 'audio/wav',
      encoding: 'base64url',
      body: STD,
    })
    assert.equal(r.dialog?.body, URL_SAFE)
    assert.deepEqual(
      r.issues.map((i) => [i.pointer, i.code]),
      [['/dialog/0/body', 'repaired-body']],
    )
    const wrapped = upgradeDialog({
      type: 'recording',
      encoding: 'base64url',
      body: `${URL_SAFE.slice(0, 4)}\n${URL_SAFE.slice(4)}`,
    })
    assert.equal(wrapped.dialog?.body, URL_SAFE)
  })

  test('"base64" and other legacy spellings of an encoding are normalised', () => {
    const r = upgradeDialog({ type: 'recording', encoding: 'base64', body: STD })
    assert.equal(r.dialog?.encoding, 'base64url')
    assert.equal(r.dialog?.body, URL_SAFE)
    assert.deepEqual(
      r.issues.map((i) => i.code),
      ['inferred-encoding', 'repaired-body'],
    )
    assert.equal(
      upgradeDialog({ type: 'text', encoding: 'None', body: 'x' }).dialog?.encoding,
      'none',
    )
  })

  test('encoding json with a string body is kept as is, and not reported', () => {
    const body = '{"overall": 0.86}'
    const r = upgradeVcon({
      vcon: '0.4.0',
      uuid: UUID,
      analysis: [
        { type: 'sentiment', vendor: 'v', body, encoding: 'json' },
        { type: 'note', vendor: 'v', body: 'NO REVIEW NEEDED', encoding: 'json' },
      ],
    })
    const analysis = r.vcon.analysis as Record<string, unknown>[]
    assert.equal(analysis[0]?.body, body)
    assert.equal(analysis[1]?.body, 'NO REVIEW NEEDED')
    assert.deepEqual(r.issues, [])
  })

  test('encoding jwe and unknown encodings are left alone', () => {
    const jwe = { type: 'text', encoding: 'jwe', body: { protected: 'x', ciphertext: 'y' } }
    assert.deepEqual(upgradeDialog(jwe), { dialog: jwe, issues: [] })
    const odd = { type: 'text', encoding: 'quoted-printable', body: 'x' }
    assert.deepEqual(upgradeDialog(odd), { dialog: odd, issues: [] })
  })

  test('an empty body needs no encoding', () => {
    assert.deepEqual(upgradeDialog({ type: 'text', body: '' }), {
      dialog: { type: 'text', body: '' },
      issues: [],
    })
  })

  test('toBase64url and isBinaryContent', () => {
    assert.equal(toBase64url('ab+/cd=='), 'ab-_cd')
    assert.equal(toBase64url('abc'), 'abc')
    assert.equal(toBase64url('a'), undefined)
    assert.equal(toBase64url('a=b'), undefined)
    assert.equal(toBase64url('not base64!'), undefined)
    assert.equal(isBinaryContent({ mediatype: 'audio/x-wav' }), true)
    assert.equal(isBinaryContent({ mediatype: 'application/pdf; x=1' }), true)
    assert.equal(isBinaryContent({ mediatype: 'application/vnd.x+json' }), false)
    assert.equal(isBinaryContent({ mediatype: 'multipart/mixed; boundary=x' }), false)
    assert.equal(isBinaryContent({ mediatype: 'text/plain', filename: 'a.wav' }), false)
    assert.equal(isBinaryContent({ filename: 'a.WAV' }), true)
    assert.equal(isBinaryContent({}), false)
  })
})
