import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { corpusPath } from '../../test/corpus.js'
import { serializeSorted, serializeVcon } from './serialize-vcon.js'

/** Keys in the order they appear in the output text, for every object at a JSON pointer-ish path. */
function keysOf(text: string): string[] {
  return Object.keys(JSON.parse(text) as Record<string, unknown>)
}

const unordered = {
  attachments: [
    {
      body: 'x',
      encoding: 'none',
      dialog: 0,
      party: 0,
      start: '2025-01-01T00:00:00Z',
      purpose: 'note',
    },
  ],
  analysis: [
    {
      vendor: 'v',
      body: { zeta: 1, alpha: { d: 1, b: 2 } },
      encoding: 'json',
      dialog: 0,
      type: 'summary',
      x_ext: true,
    },
  ],
  dialog: [
    {
      party_history: [{ event: 'join', time: '2025-01-01T00:00:00Z', party: 0 }],
      encoding: 'none',
      body: 'hi',
      mediatype: 'text/plain',
      parties: [0, 1],
      start: '2025-01-01T00:00:00Z',
      type: 'text',
      session_id: [{ remote: 'b', local: 'a' }, [{ remote: 'd', local: 'c' }]],
      zz: 1,
      aa: 2,
    },
  ],
  parties: [{ name: 'Alice', tel: '+15551234567', civicaddress: { pc: '1', country: 'US' } }],
  created_at: '2025-01-01T00:00:00Z',
  uuid: '019000c7-9c7b-8123-8caa-f24ab1a0c334',
  vcon: '0.4.0',
  extensions: ['b', 'a'],
  custom_top: { b: 1, a: 2 },
  subject: 's',
}

describe('serializeVcon', () => {
  test('core fields in the draft order, other keys sorted after them', () => {
    const text = serializeVcon(unordered)
    assert.deepEqual(keysOf(text), [
      'vcon',
      'uuid',
      'extensions',
      'created_at',
      'subject',
      'parties',
      'dialog',
      'analysis',
      'attachments',
      'custom_top',
    ])
    const v = JSON.parse(text)
    assert.deepEqual(Object.keys(v.dialog[0]), [
      'type',
      'start',
      'parties',
      'mediatype',
      'body',
      'encoding',
      'session_id',
      'party_history',
      'aa',
      'zz',
    ])
    assert.deepEqual(Object.keys(v.dialog[0].party_history[0]), ['party', 'time', 'event'])
    assert.deepEqual(Object.keys(v.dialog[0].session_id[0]), ['local', 'remote'])
    assert.deepEqual(Object.keys(v.dialog[0].session_id[1][0]), ['local', 'remote'])
    assert.deepEqual(Object.keys(v.parties[0]), ['tel', 'name', 'civicaddress'])
    assert.deepEqual(Object.keys(v.parties[0].civicaddress), ['country', 'pc'])
    assert.deepEqual(Object.keys(v.analysis[0]), [
      'type',
      'dialog',
      'vendor',
      'body',
      'encoding',
      'x_ext',
    ])
    assert.deepEqual(Object.keys(v.analysis[0].body), ['alpha', 'zeta'])
    assert.deepEqual(Object.keys(v.analysis[0].body.alpha), ['b', 'd'])
    assert.deepEqual(Object.keys(v.attachments[0]), [
      'purpose',
      'start',
      'party',
      'dialog',
      'body',
      'encoding',
    ])
    assert.deepEqual(Object.keys(v.custom_top), ['a', 'b'])
    // Arrays keep their order: indices are references (core draft §2.3).
    assert.deepEqual(v.extensions, ['b', 'a'])
  })

  test('output parses back deep-equal to the input; the input is not mutated', () => {
    const before = structuredClone(unordered)
    const text = serializeVcon(unordered)
    assert.deepEqual(JSON.parse(text), unordered)
    assert.deepEqual(unordered, before)
    assert.deepEqual(Object.keys(unordered), Object.keys(before))
  })

  test('indent follows JSON.stringify layout', () => {
    const text = serializeVcon(unordered, { indent: 2 })
    assert.equal(text, JSON.stringify(JSON.parse(text), null, 2))
    assert.equal(
      serializeVcon({ uuid: 'u', parties: [], dialog: [{}] }, { indent: 4 }),
      '{\n    "uuid": "u",\n    "parties": [],\n    "dialog": [\n        {}\n    ]\n}',
    )
    assert.equal(serializeVcon({ parties: [], uuid: 'u' }), '{"uuid":"u","parties":[]}')
  })

  test('keys sort by UTF-16 code unit', () => {
    assert.equal(
      serializeSorted({ b: 1, B: 2, '\u00e9': 3, a: 4, '\ud83d\ude00': 5, '\uff21': 6 }),
      '{"B":2,"a":4,"b":1,"é":3,"😀":5,"Ａ":6}',
    )
  })

  test('properties holding undefined are left out, as JSON.stringify does', () => {
    assert.equal(serializeVcon({ uuid: 'u', subject: undefined }), '{"uuid":"u"}')
  })

  test('values JSON cannot hold are refused with VCON_BAD_ARGUMENT naming the place', () => {
    const cyclic: Record<string, unknown> = { uuid: 'u' }
    cyclic.self = { back: cyclic }
    assert.throws(() => serializeVcon(cyclic), {
      code: 'VCON_BAD_ARGUMENT',
      message: /\/self\/back/,
    })
    assert.throws(() => serializeVcon({ uuid: 'u', dialog: [{ duration: Number.NaN }] }), {
      code: 'VCON_BAD_ARGUMENT',
      message: /\/dialog\/0\/duration/,
    })
    assert.throws(() => serializeVcon({ uuid: 'u', created_at: new Date(0) }), {
      code: 'VCON_BAD_ARGUMENT',
    })
    assert.throws(() => serializeVcon({ uuid: 'u', x: 1n }), { code: 'VCON_BAD_ARGUMENT' })
    assert.throws(() => serializeVcon({ uuid: 'u', x: [undefined] }), { code: 'VCON_BAD_ARGUMENT' })
  })

  test('a shared (non-cyclic) object is written twice', () => {
    const shared = { a: 1 }
    assert.equal(serializeSorted({ x: shared, y: [shared] }), '{"x":{"a":1},"y":[{"a":1}]}')
  })

  test('deep input does not overflow the stack', () => {
    const depth = 200_000
    let body: unknown = 'leaf'
    for (let i = 0; i < depth; i++) body = i % 2 === 0 ? [body] : { k: body }
    const text = serializeVcon({
      uuid: 'u',
      analysis: [{ type: 't', vendor: 'v', encoding: 'json', body }],
    })
    assert.ok(
      text.startsWith('{"uuid":"u","analysis":[{"type":"t","vendor":"v","body":{"k":[{"k":'),
    )
    const count = (ch: string) => text.split(ch).length - 1
    assert.equal(count('['), depth / 2 + 1) // the nested arrays plus "analysis"
    assert.equal(count('{'), depth / 2 + 2) // the nested objects plus the root and the analysis
    assert.ok(text.includes('"leaf"'))
  })

  test('a corpus file round-trips and keeps its content', () => {
    const raw = readFileSync(corpusPath('spec-examples/ab_call_ext_rec_analysis.vcon'), 'utf8')
    const value = JSON.parse(raw)
    const text = serializeVcon(value, { indent: 2 })
    assert.deepEqual(JSON.parse(text), value)
    assert.deepEqual(keysOf(text), ['uuid', 'parties', 'dialog', 'analysis', 'attachments'])
  })

  test('property: any JSON value round-trips and the text is stable', () => {
    // Keys that are array indices ("1", "10") come first in any JS object whatever the text says, so the
    // layout check below (reparse then JSON.stringify) uses non-index keys; round trip is checked for all.
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        const vcon = { uuid: 'u', analysis: [{ type: 't', vendor: 'v', encoding: 'json', body }] }
        const text = serializeVcon(vcon)
        assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(vcon)))
        assert.equal(serializeVcon(JSON.parse(text)), text)
      }),
      { numRuns: 300 },
    )
    const key = fc.string().map((s) => `k${s}`)
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('node')),
        fc.dictionary(key, tie('node')),
      ),
    })).node
    fc.assert(
      fc.property(fc.dictionary(key, value), (extra) => {
        const text = serializeVcon({ uuid: 'u', ...extra }, { indent: 2 })
        assert.equal(text, JSON.stringify(JSON.parse(text), null, 2))
      }),
      { numRuns: 200 },
    )
  })
})
