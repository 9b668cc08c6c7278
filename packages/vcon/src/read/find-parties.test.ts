import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { corpusPath } from '../../test/corpus.js'
import { analysesByType, attachmentsByPurpose, dialogsByType } from './by-type.js'
import { findParties, normaliseMailto, normaliseTel } from './find-parties.js'

const vcon = {
  uuid: '019f15a6-a752-826f-b9a2-279e0d16bc46',
  parties: [
    { tel: 'tel:+1-555-123-4567', name: ' Alice Smith ', mailto: 'mailto:Alice@Example.COM' },
    {
      tel: '+1 (555) 987.6543;ext=12',
      mailto: 'Bob <bob@example.com>',
      sip: 'sip:Bob@Example.com;transport=tls',
    },
    'not an object',
    { name: 'alice smith', did: 'did:example:AbC' },
    {},
  ],
}

describe('findParties', () => {
  test('tel ignores the tel: prefix, visual separators and URI parameters', () => {
    assert.deepEqual(
      findParties(vcon, { tel: '+15551234567' }).map((m) => m.index),
      [0],
    )
    assert.deepEqual(
      findParties(vcon, { tel: 'tel:+1.555.987.6543' }).map((m) => m.index),
      [1],
    )
    assert.deepEqual(findParties(vcon, { tel: '5551234567' }), []) // the + and country code matter
    assert.equal(normaliseTel('tel:+1 (555) 000-1111;phone-context=x'), '+15550001111')
  })

  test('mailto is case-insensitive and accepts mailto: and Name <addr> forms', () => {
    assert.deepEqual(
      findParties(vcon, { mailto: 'ALICE@example.com' }).map((m) => m.index),
      [0],
    )
    assert.deepEqual(
      findParties(vcon, { mailto: 'mailto:bob@EXAMPLE.com' }).map((m) => m.index),
      [1],
    )
    assert.equal(normaliseMailto('"Bob B" <Bob@Example.com>'), 'bob@example.com')
  })

  test('name is trimmed and case-insensitive; several fields must all match', () => {
    assert.deepEqual(
      findParties(vcon, { name: 'ALICE SMITH' }).map((m) => m.index),
      [0, 3],
    )
    assert.deepEqual(
      findParties(vcon, { name: 'alice smith', tel: '+15551234567' }).map((m) => m.index),
      [0],
    )
    assert.deepEqual(findParties(vcon, { name: 'alice smith', mailto: 'bob@example.com' }), [])
  })

  test('sip ignores scheme, case and parameters; did is exact', () => {
    assert.deepEqual(
      findParties(vcon, { sip: 'bob@example.com' }).map((m) => m.index),
      [1],
    )
    assert.deepEqual(
      findParties(vcon, { did: 'did:example:AbC' }).map((m) => m.index),
      [3],
    )
    assert.deepEqual(findParties(vcon, { did: 'did:example:abc' }), [])
  })

  test('returns the party objects; an empty query is an error', () => {
    const [match] = findParties(vcon, { tel: '+15551234567' })
    assert.equal(match?.party, vcon.parties[0])
    assert.throws(() => findParties(vcon, {}), { code: 'VCON_BAD_ARGUMENT' })
    assert.deepEqual(findParties({ uuid: 'x' }, { name: 'a' }), [])
  })

  test('a legacy corpus file (0.0.1 fake-vcons): party by tel and by mailto', () => {
    const path =
      'real/vcon-dev+fake-vcons/2025/03/04/37a008ab-58bd-476f-9201-f91847d610e7.vcon.json'
    const legacy = JSON.parse(readFileSync(corpusPath(path), 'utf8'))
    assert.deepEqual(
      findParties(legacy, { tel: '+1 767 811 2590' }).map((m) => m.index),
      [1],
    )
    assert.deepEqual(
      findParties(legacy, { mailto: 'Carl.Price@AutoInsuranceCompany.com' }).map((m) => m.index),
      [0],
    )
  })
})

describe('dialogsByType, analysesByType, attachmentsByPurpose', () => {
  const v = {
    uuid: 'u',
    dialog: [{ type: 'text' }, {}, { type: 'recording' }, { type: 'text' }, null],
    analysis: [
      { type: 'summary', vendor: 'a' },
      { type: 'transcript', vendor: 'b' },
      { type: 'summary', vendor: 'c' },
    ],
    attachments: [
      { purpose: 'tags', body: [] },
      { type: 'tags', body: '[]' },
      { purpose: 'lawful_basis', type: 'lawful_basis' },
      { purpose: 'note' },
    ],
  }

  test('keep indices and array order', () => {
    assert.deepEqual(
      dialogsByType(v, 'text').map((m) => m.index),
      [0, 3],
    )
    assert.equal(dialogsByType(v, 'recording')[0]?.dialog, v.dialog[2])
    assert.deepEqual(
      analysesByType(v, 'summary').map((m) => m.analysis.vendor),
      ['a', 'c'],
    )
    assert.deepEqual(dialogsByType(v, 'transfer'), [])
    assert.deepEqual(dialogsByType({ uuid: 'u' }, 'text'), [])
  })

  test('attachments match on purpose or the legacy type', () => {
    assert.deepEqual(
      attachmentsByPurpose(v, 'tags').map((m) => m.index),
      [0, 1],
    )
    assert.deepEqual(
      attachmentsByPurpose(v, 'lawful_basis').map((m) => m.index),
      [2],
    )
    assert.deepEqual(
      attachmentsByPurpose(v, 'note').map((m) => m.attachment),
      [{ purpose: 'note' }],
    )
  })
})
