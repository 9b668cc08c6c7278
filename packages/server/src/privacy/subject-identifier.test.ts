import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parseSubjectIdentifier } from './subject-identifier.js'

describe('parseSubjectIdentifier', () => {
  test('reads the five kinds and the bare forms, normalised as the index keeps parties', () => {
    const cases: [string, string, string][] = [
      ['tel:+1 555 0100', 'tel', '+15550100'],
      ['TEL:+1-(555)-0100;ext=12', 'tel', '+15550100'],
      ['+1 555 0100', 'tel', '+15550100'],
      ['020 7946 0018', 'tel', '02079460018'],
      ['mailto:A@B.example', 'mailto', 'a@b.example'],
      ['Alice.Smith@Example.COM', 'mailto', 'alice.smith@example.com'],
      ['sip:Alice@Example.COM', 'sip', 'Alice@example.com'],
      ['sips:alice@example.com', 'sip', 'alice@example.com'],
      ['did:example:123AbC', 'did', 'did:example:123AbC'],
      ['name:  Alice   Smith ', 'name', 'alice smith'],
    ]
    for (const [text, kind, value] of cases) {
      assert.deepEqual(parseSubjectIdentifier(text), { kind, value }, text)
    }
  })

  test('refuses anything else with a 400 naming the parameter and the forms, without echoing the value', () => {
    for (const text of [
      '',
      '   ',
      'alice',
      'tel:call me',
      'tel:12',
      'mailto:nobody',
      'did:x',
      'name:',
      'ftp:x',
      'x'.repeat(600),
    ]) {
      assert.throws(
        () => parseSubjectIdentifier(text, 'Query parameter identifier'),
        (error: { code?: string; message?: string }) => {
          assert.equal(error.code, 'BAD_REQUEST', text)
          assert.match(
            error.message ?? '',
            /^Query parameter identifier .*tel:\+15550100.*name:Alice Smith/,
          )
          if (['tel:call me', 'mailto:nobody'].includes(text)) {
            assert.ok(!(error.message ?? '').includes(text), 'the value is not echoed')
          }
          return true
        },
      )
    }
  })
})
