import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseSubjectIdentifier } from './subject-identifier.js'
import { subjectMatches } from './subject-match.js'

const vcon = {
  subject: 'Callback for ALICE\nSMITH',
  parties: [
    {
      tel: 'tel:+1-555-0100',
      name: 'Alice Smith',
      mailto: 'Alice@Example.com',
      sip: 'sip:alice@EXAMPLE.com',
    },
    { name: 'Alice Smithson', did: 'did:example:42' },
    'legacy junk',
  ],
  dialog: [
    {
      type: 'text',
      encoding: 'none',
      body: 'Alice Smithson here; my number is 555 0100, email alice@example.COM',
    },
  ],
}

const matches = (identifier: string) => subjectMatches(vcon, parseSubjectIdentifier(identifier))

test('party fields match after normalisation, texts by mention', () => {
  assert.deepEqual(matches('+1 555 0100'), [
    { pointer: '/parties/0/tel', kind: 'party' },
    { pointer: '/dialog/0/body', kind: 'text' },
  ])
  assert.deepEqual(matches('mailto:ALICE@example.com'), [
    { pointer: '/parties/0/mailto', kind: 'party' },
    { pointer: '/dialog/0/body', kind: 'text' },
  ])
  assert.deepEqual(matches('sip:alice@example.com'), [{ pointer: '/parties/0/sip', kind: 'party' }])
  assert.deepEqual(matches('did:example:42'), [{ pointer: '/parties/1/did', kind: 'party' }])
  assert.deepEqual(matches('did:example:4'), [])
})

test('a name matches as whole words in any case and spacing, never inside a longer word', () => {
  assert.deepEqual(matches('name:alice smith'), [
    { pointer: '/parties/0/name', kind: 'party' },
    { pointer: '/subject', kind: 'text' },
  ])
  assert.deepEqual(matches('name:Alice Smithson'), [
    { pointer: '/parties/1/name', kind: 'party' },
    { pointer: '/dialog/0/body', kind: 'text' },
  ])
  assert.deepEqual(matches('name:Smith (x)'), [], 'regular expression characters are literal')
})
